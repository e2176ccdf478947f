/**
 * Rules of the stages that a type checker does not see: stages read the typed configuration
 * fields (decoded once by `ciliumConfigFrom`), never raw `cilium-config` keys, and a string order
 * is `compareStrings` (src/net/compare.ts), not a hand-written comparator.
 */
import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const SRC = join(import.meta.dirname, '..', '..', 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const sources = files(SRC).map((p) => ({ path: relative(SRC, p).replaceAll('\\', '/'), text: readFileSync(p, 'utf8') }));

/** Where the raw ConfigMap may be read: the decoding boundary, `cilium config view`, and the validation message quoting a value. */
const RAW_ALLOWED = new Set(['cluster/config.ts', 'views/workloads.ts', 'cli/commands/workloads.ts', 'policy/validate.ts']);

describe('stage rules', () => {
  it('no stage looks up a raw cilium-config key', () => {
    const offenders = sources
      .filter((f) => !RAW_ALLOWED.has(f.path) && /config\.raw\b|\braw\(cluster/.test(f.text))
      .map((f) => f.path);
    expect(offenders).toEqual([]);
  });

  it('one string comparator: no hand-written a < b ? -1 : … over strings, no localeCompare', () => {
    const offenders = sources
      .filter((f) => f.path !== 'net/compare.ts')
      .flatMap((f) =>
        f.text
          .split('\n')
          .map((line, i) => ({ line, at: `${f.path}:${i + 1}` }))
          .filter(({ line }) => /\.localeCompare\(|\bfunction (cmp|cmpStr|byName)\(a: string, b: string\)|\(a: string, b: string\)(: number)? => \(?a < b/.test(line)),
      )
      .map((x) => x.at);
    expect(offenders).toEqual([]);
  });
});
