/**
 * Entry of the engine process: the only process that runs ONNX Runtime (its `run` blocks the
 * thread, so it must not share one with a UI or the host's event loop). Started by
 * EngineClient through child_process.fork under plain Node, or Electron's utilityProcess.
 */
import { engineRequests } from '../shared/contract/engine';
import { dispatch } from '../shared/rpc';
import { createEngineHandlers } from './engine-handlers';
import type { FromEngine, ToEngine } from './engine-protocol';

interface ParentPort {
  postMessage(msg: FromEngine): void;
  on(event: 'message', cb: (e: { data: ToEngine }) => void): void;
}

function connect(): { send(msg: FromEngine): void; onMessage(cb: (m: ToEngine) => void): void } {
  const electronPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
  if (electronPort) {
    return {
      send: (m) => electronPort.postMessage(m),
      onMessage: (cb) => electronPort.on('message', (e) => cb(e.data)),
    };
  }
  if (!process.send) throw new Error('engine-main must be started as a child process with an IPC channel');
  return {
    send: (m) => process.send!(m),
    onMessage: (cb) => process.on('message', (m) => cb(m as ToEngine)),
  };
}

const port = connect();
const handlers = createEngineHandlers();
const running = new Map<number, AbortController>();

port.onMessage((msg) => {
  if (msg.type === 'cancel') {
    running.get(msg.id)?.abort();
    return;
  }
  const controller = new AbortController();
  running.set(msg.id, controller);
  const ctx = {
    signal: controller.signal,
    progress: (phase: string, done: number, total: number) =>
      port.send({ type: 'progress', id: msg.id, phase, done, total }),
  };
  void dispatch(engineRequests, handlers as never, msg.method, msg.params, ctx).then((outcome) => {
    running.delete(msg.id);
    port.send({ type: 'response', id: msg.id, outcome });
  });
});

// The host owns our lifetime: when it goes, we go.
process.on('disconnect', () => process.exit(0));
port.send({ type: 'ready', pid: process.pid });
