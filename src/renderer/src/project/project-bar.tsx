import { useState } from 'react';
import { useClient } from '../api/client-context';
import { callApi } from '../search/search-api';
import { errorCode } from '../search/error-text';
import { projectName, type ProjectState } from './use-project';

/** Dirname of a picked file (a project.json or any file in the folder). */
function folderOf(file: string): string {
  return file.replace(/[\\/][^\\/]*$/, '') || file;
}

/**
 * Opens or creates a project folder by path. The Browse button asks the host's file picker
 * (Electron only); the web host has none, so there the button is not shown at all.
 */
export function ProjectBar({ state }: { state: ProjectState }) {
  const client = useClient();
  const [dir, setDir] = useState(state.project?.dir ?? state.lastDir);
  const [canPick, setCanPick] = useState(client.transport.kind === 'ipc');
  const { project } = state;

  const browse = async () => {
    try {
      const { paths } = await callApi(client, 'host.pickFiles', {
        title: 'Choose a file inside the project folder',
        kind: 'any',
      });
      if (paths[0]) setDir(folderOf(paths[0]));
    } catch (err) {
      if (errorCode(err) === 'UNSUPPORTED') setCanPick(false);
    }
  };

  return (
    <div className="project-bar" data-testid="project-bar">
      <div className="project-name" data-testid="project-name">
        {project ? (
          <>
            <span className="muted">Project</span>{' '}
            <strong title={project.dir}>{projectName(project.dir)}</strong>{' '}
            <span className="muted">
              · {project.scenes.length} scene{project.scenes.length === 1 ? '' : 's'} · {project.rois.length}{' '}
              ROI{project.rois.length === 1 ? '' : 's'}
            </span>
          </>
        ) : (
          <span className="muted">No project open: results, ROIs and indexes live in a project folder.</span>
        )}
      </div>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          if (dir.trim()) void state.open(dir, false);
        }}
      >
        <input
          className="grow"
          aria-label="Project folder path"
          placeholder="/path/to/project-folder"
          value={dir}
          onChange={(e) => setDir(e.target.value)}
          spellCheck={false}
        />
        {canPick && (
          <button type="button" onClick={() => void browse()} aria-label="Browse for the project folder">
            Browse…
          </button>
        )}
        <button type="submit" disabled={state.busy || !dir.trim()} aria-label="Open project">
          Open
        </button>
        <button
          type="button"
          disabled={state.busy || !dir.trim()}
          onClick={() => void state.open(dir, true)}
          aria-label="Create project"
        >
          Create
        </button>
      </form>
      {state.error && (
        <div className="error" role="alert" data-testid="project-error">
          {state.error}
        </div>
      )}
    </div>
  );
}
