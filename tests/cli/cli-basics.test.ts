import { describe, expect, it } from 'vitest';
import { commands } from '../../src/cli/commands/index';
import { runBin } from './run-cli';

describe('graft-workbench CLI', () => {
  it('--help lists every command', () => {
    const r = runBin(['--help']);
    expect(r.code).toBe(0);
    for (const c of commands) expect(r.stdout).toMatch(new RegExp(`^  ${c.name} +\\S`, 'm'));
  });

  it('rejects an unknown command and an unknown option with one line and no stack trace', () => {
    const a = runBin(['frobnicate']);
    expect(a.code).toBe(2);
    expect(a.stderr.trim()).toBe(
      'error: unknown command "frobnicate". Run `graft-workbench --help` for the list.',
    );
    const b = runBin(['serve', '--prot', '1']);
    expect(b.code).toBe(2);
    expect(b.stderr.trim()).toBe('error: unknown option --prot');
    expect(b.stderr).not.toMatch(/\n\s+at /);
  });

  it('validates option values', () => {
    const r = runBin(['serve', '--port', 'http']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('error: --port must be an integer >= 0 and <= 65535, got "http"');
  });

  it('prints per-command help', () => {
    const r = runBin(['serve', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: graft-workbench serve [--port N] [--host 127.0.0.1] [--open]');
  });
});
