import { useState, type DragEvent } from 'react';
import { droppedPaths } from './file-drop';

export interface MapDrop {
  dragging: boolean;
  handlers: {
    onDragEnter(e: DragEvent): void;
    onDragOver(e: DragEvent): void;
    onDragLeave(e: DragEvent): void;
    onDrop(e: DragEvent): void;
  };
}

function hasFiles(e: DragEvent): boolean {
  return [...e.dataTransfer.types].includes('Files');
}

/** Files dropped on the map: their paths when the desktop app can tell them, else a message. */
export function useMapDrop(
  onPaths: (paths: string[]) => void,
  onMessage: (message: string) => void,
): MapDrop {
  const [dragging, setDragging] = useState(false);
  return {
    dragging,
    handlers: {
      onDragEnter: (e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        setDragging(true);
      },
      onDragOver: (e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
      },
      onDragLeave: (e) => {
        // Leaving for a child element is not leaving the map.
        if (e.currentTarget.contains(e.relatedTarget as Node | null)) return;
        setDragging(false);
      },
      onDrop: (e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        setDragging(false);
        const r = droppedPaths(e.dataTransfer.files);
        if ('paths' in r) onPaths(r.paths);
        else onMessage(r.message);
      },
    },
  };
}
