/**
 * Preload (sandboxed, context-isolated): exposes the contract's two channels and nothing else.
 * Channel names come from src/shared/channels.ts; payloads are validated in main.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { IPC, PROTOCOL } from '../shared/channels';

contextBridge.exposeInMainWorld('graft', {
  call: (method: string, params: unknown) => ipcRenderer.invoke(IPC.request, method, params),
  onEvent: (cb: (event: string, payload: unknown) => void) => {
    const listener = (_e: Electron.IpcRendererEvent, name: string, payload: unknown) => cb(name, payload);
    ipcRenderer.on(IPC.event, listener);
    return () => void ipcRenderer.off(IPC.event, listener);
  },
  tileBase: `${PROTOCOL.scheme}://${PROTOCOL.tilesHost}/`,
  /** Dropped files have a real path only in the desktop app. */
  pathForFile: (file: File) => webUtils.getPathForFile(file),
});
