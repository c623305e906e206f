import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { SceneInfoJson } from '../../../shared/contract/imagery';
import { RemoteError } from '../api/transport';
import { baseName, parseSources } from './parse-sources';
import { loadRecent, rememberRecent, clearRecent, type RecentEntry } from './recent-sources';
import { PROFILE_LABELS } from './render-labels';

type Profile = SceneInfoJson['profile'];

export interface OpenRequest {
  /** Text to put in the box (dropped files' paths). */
  text?: string;
  /** A note shown above the box (e.g. why a drop could not be used). */
  notice?: string;
  /** Open right away (dropped files whose paths are known). */
  submit?: boolean;
}

export interface OpenImageryDialogProps {
  request: OpenRequest;
  /** The web host cannot learn a picked file's path: say so. */
  webHost: boolean;
  onOpen(sources: string[], profile: Profile | null, signal: AbortSignal): Promise<SceneInfoJson>;
  onBusy(message: string | null): void;
  onClose(): void;
}

interface OpenError {
  sources: string[];
  code: string;
  message: string;
}

function describeSources(sources: string[]): string {
  const names = sources.map(baseName);
  return names.length <= 3
    ? names.join(', ')
    : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
}

/**
 * Modal "Open imagery" dialog: paths or URLs (several lines = band files of one scene, or a
 * STAC item), an optional sensor profile, recently opened sources. Enter opens, Shift+Enter
 * starts a new line, Esc closes (and cancels an open in flight).
 */
export function OpenImageryDialog({ request, webHost, onOpen, onBusy, onClose }: OpenImageryDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const inFlight = useRef<AbortController | null>(null);
  const [text, setText] = useState(request.text ?? '');
  const [profile, setProfile] = useState<Profile | ''>('');
  const [recent, setRecent] = useState<RecentEntry[]>(loadRecent);
  const [busy, setBusy] = useState<string[] | null>(null);
  const [error, setError] = useState<OpenError | null>(null);
  const titleId = useId();
  const hintId = useId();

  const submit = async (raw = text) => {
    if (inFlight.current) return;
    const sources = parseSources(raw);
    if (sources.length === 0) {
      setError({ sources: [], code: 'BAD_REQUEST', message: 'Enter at least one file path or URL.' });
      textarea.current?.focus();
      return;
    }
    const ctrl = new AbortController();
    inFlight.current = ctrl;
    setError(null);
    setBusy(sources);
    onBusy(`Opening ${describeSources(sources)}…`);
    try {
      const scene = await onOpen(sources, profile || null, ctrl.signal);
      setRecent(rememberRecent({ sources, profile: profile || null, name: scene.name, at: Date.now() }));
      onClose();
    } catch (err) {
      if (ctrl.signal.aborted) return;
      const code = err instanceof RemoteError ? err.code : 'INTERNAL';
      setError({ sources, code, message: (err as Error).message });
      textarea.current?.focus();
    } finally {
      inFlight.current = null;
      setBusy(null);
      onBusy(null);
    }
  };

  useEffect(() => {
    const d = dialog.current!;
    if (!d.open) d.showModal();
    textarea.current?.focus();
    if (request.submit && request.text) void submit(request.text);
    return () => inFlight.current?.abort();
    // Runs once per dialog: a new request remounts the dialog.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const cancel = () => {
    inFlight.current?.abort();
    onClose();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLFormElement>) => {
    if (e.key !== 'Enter' || e.shiftKey || e.nativeEvent.isComposing) return;
    if (e.target instanceof HTMLButtonElement) return;
    e.preventDefault();
    void submit();
  };

  return (
    <dialog
      ref={dialog}
      className="open-dialog"
      aria-labelledby={titleId}
      aria-describedby={hintId}
      aria-busy={busy !== null}
      onCancel={(e) => {
        e.preventDefault();
        cancel();
      }}
    >
      <form
        method="dialog"
        onKeyDown={onKeyDown}
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          void submit();
        }}
      >
        <header className="dialog-head">
          <h2 id={titleId}>Open imagery</h2>
          <button
            type="button"
            className="icon-btn"
            aria-label="Close dialog"
            title="Close (Esc)"
            onClick={cancel}
          >
            ✕
          </button>
        </header>
        {request.notice && (
          <p className="notice" role="status" data-testid="open-notice">
            {request.notice}
          </p>
        )}
        <label className="field-label" htmlFor={`${titleId}-sources`}>
          File paths or URLs
        </label>
        <textarea
          id={`${titleId}-sources`}
          ref={textarea}
          data-testid="open-sources"
          rows={5}
          spellCheck={false}
          value={text}
          disabled={busy !== null}
          onChange={(e) => setText(e.target.value)}
          placeholder={
            '/data/naip/m_4709963_se_14_1_20200831.tif\nhttps://…/scene.tif\nhttps://…/item.json (a STAC item)'
          }
        />
        <div id={hintId} className="hint">
          One per line. Several lines are the band files of <strong>one</strong> scene, stacked (e.g.
          Sentinel-2 B02, B03, B04, B08). Enter opens, Shift+Enter adds a line.
          {webHost && (
            <>
              {' '}
              In the browser there is no file picker that gives a path: paste the path as the machine running{' '}
              <code>graft-workbench serve</code> sees it.
            </>
          )}
        </div>
        <div className="row dialog-row">
          <label className="field-label" htmlFor={`${titleId}-profile`}>
            Sensor profile
          </label>
          <select
            id={`${titleId}-profile`}
            data-testid="open-profile"
            value={profile}
            disabled={busy !== null}
            onChange={(e) => setProfile(e.target.value as Profile | '')}
          >
            <option value="">Auto-detect</option>
            {(Object.keys(PROFILE_LABELS) as Profile[]).map((p) => (
              <option key={p} value={p}>
                {PROFILE_LABELS[p]}
              </option>
            ))}
          </select>
        </div>
        {busy && (
          <div className="opening" role="status" data-testid="open-progress">
            <progress aria-label="Opening imagery" />
            <span>Opening {describeSources(busy)}…</span>
          </div>
        )}
        {error && (
          <div className="error" role="alert" data-testid="open-error">
            {error.sources.length > 0 && <strong>Could not open {describeSources(error.sources)}</strong>}
            <div className="error-message">{error.message}</div>
            {error.sources.length > 0 && <div className="error-code">{error.code}</div>}
          </div>
        )}
        {recent.length > 0 && (
          <section className="recent" aria-label="Recently opened">
            <div className="recent-head">
              <span className="field-label">Recent</span>
              <button
                type="button"
                className="link-btn"
                onClick={() => {
                  clearRecent();
                  setRecent([]);
                }}
              >
                Clear
              </button>
            </div>
            <ul>
              {recent.map((r) => (
                <li key={r.sources.join('\n')}>
                  <button
                    type="button"
                    className="recent-item"
                    title={r.sources.join('\n')}
                    disabled={busy !== null}
                    onClick={() => {
                      setText(r.sources.join('\n'));
                      setProfile(r.profile ?? '');
                      textarea.current?.focus();
                    }}
                  >
                    <span className="recent-name">{r.name}</span>
                    <span className="recent-meta">
                      {r.sources.length > 1 ? `${r.sources.length} files` : baseName(r.sources[0] ?? '')}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          </section>
        )}
        <footer className="dialog-actions">
          <button type="button" onClick={cancel}>
            {busy ? 'Cancel' : 'Close'}
          </button>
          <button type="submit" className="primary" disabled={busy !== null} data-testid="open-submit">
            {busy ? 'Opening…' : 'Open'}
          </button>
        </footer>
      </form>
    </dialog>
  );
}
