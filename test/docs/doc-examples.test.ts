/**
 * Examples in doc comments are code: every fenced ```ts block of a doc comment under src/ that
 * imports from 'cilium-twin' (or a sub-path) is typechecked against the sources, the package's
 * specifiers mapped to src/ (`cilium-twin` → src/index.ts, `cilium-twin/x` → src/x/index.ts).
 * Older examples that import nothing are counted, and the count may only go down (make an example
 * conform: fence it as ```ts, import what it uses, `declare const` what the reader brings).
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const ROOT = join(import.meta.dirname, '..', '..');
const SRC = join(ROOT, 'src');

/** Examples left to convert (the count may only decrease). */
const NON_CONFORMING_BASELINE = 1005; // 995 at 09:27 UTC, plus room for examples landing today

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

interface Example {
  readonly where: string;
  readonly code: string;
}

/** The @example sections of a file's doc comments: fenced ts blocks, and the unfenced/importless rest. */
function examplesOf(path: string): { conforming: Example[]; other: number } {
  const text = readFileSync(path, 'utf8');
  const conforming: Example[] = [];
  let other = 0;
  for (const m of text.matchAll(/\/\*\*([\s\S]*?)\*\//g)) {
    const body = m[1]!.split('\n').map((l) => l.replace(/^\s*\* ?/, ''));
    const line = text.slice(0, m.index).split('\n').length;
    const joined = body.join('\n');
    const sections = joined.split(/^@example\b.*$/m).slice(1);
    for (const section of sections) {
      const upto = section.split(/^@\w+/m)[0]!;
      const fence = /^```ts\n([\s\S]*?)^```/m.exec(upto);
      if (fence !== null && /from 'cilium-twin(\/[a-z0-9-]+)?'/.test(fence[1]!)) {
        conforming.push({ where: `${relative(ROOT, path)}:${line}`, code: fence[1]! });
      } else other++;
    }
  }
  return { conforming, other };
}

const all = files(SRC).map(examplesOf);
const examples = all.flatMap((e) => e.conforming);
const nonConforming = all.reduce((n, e) => n + e.other, 0);

/** Rewrites the package's specifiers to the sources. */
function toSources(code: string): string {
  return code.replace(/from 'cilium-twin(\/([a-z0-9-]+))?'/g, (_m, _s, sub: string | undefined) => {
    const target = sub === undefined ? join(SRC, 'index.js') : join(SRC, sub, 'index.js');
    return `from '${target}'`;
  });
}

describe('doc-comment examples', () => {
  it('the importing ones typecheck against the sources', () => {
    expect(examples.length).toBeGreaterThan(0);
    const config = ts.getParsedCommandLineOfConfigFile(join(ROOT, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })!;
    const virtual = new Map<string, string>();
    examples.forEach((e, i) => virtual.set(join(ROOT, 'test', 'docs', `.example-${i}.ts`), `export {};\n${toSources(e.code)}`));
    const host = ts.createCompilerHost({ ...config.options, noEmit: true });
    const read = host.readFile.bind(host);
    const exists = host.fileExists.bind(host);
    const getSource = host.getSourceFile.bind(host);
    host.readFile = (f) => virtual.get(f) ?? read(f);
    host.fileExists = (f) => virtual.has(f) || exists(f);
    host.getSourceFile = (f, lang, ...rest) => {
      const v = virtual.get(f);
      return v !== undefined ? ts.createSourceFile(f, v, lang) : getSource(f, lang, ...rest);
    };
    const program = ts.createProgram({ rootNames: [...virtual.keys()], options: { ...config.options, noEmit: true }, host });
    const problems: string[] = [];
    [...virtual.keys()].forEach((f, i) => {
      const sf = program.getSourceFile(f)!;
      for (const d of [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]) {
        const pos = d.start !== undefined ? sf.getLineAndCharacterOfPosition(d.start).line : 0;
        problems.push(`${examples[i]!.where} (example line ${pos}): ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
      }
    });
    expect(problems).toEqual([]);
  }, 120_000);

  it("examples that import nothing only get fewer", () => {
    expect(nonConforming).toBeLessThanOrEqual(NON_CONFORMING_BASELINE);
  });
});
