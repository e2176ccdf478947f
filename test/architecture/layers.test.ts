/**
 * The shape of the code, enforced: every import points down the pipeline (a stage never imports
 * a later one) and no module imports itself through others (no circles, type imports included).
 * The order is the one docs/architecture.md draws; a new stage folder gets its rank here.
 */
import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

const SRC = join(import.meta.dirname, '..', '..', 'src');

/** Rank of each top-level folder of src/: a module may import only its own folder or lower ranks. */
const RANK: Readonly<Record<string, number>> = {
  net: 0, // addresses, hashes, protocol numbers: below every stage
  input: 1,
  cluster: 2,
  workloads: 3,
  ingress: 3.5, // the ingress controller: Services for LB IPAM, Envoy's routes
  ipam: 4,
  fib: 5,
  bgp: 6,
  datapath: 7,
  policy: 8,
  egress: 8,
  l2: 8,
  mesh: 8,
  network: 9,
  packet: 10,
  views: 11,
  twin: 12,
  script: 13,
  cli: 14,
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Every relative import and re-export (`import type` included) of every module, as src-relative paths. */
function graph(): Map<string, string[]> {
  const g = new Map<string, string[]>();
  const spec = /^(?:import|export)\s[^;]*?from\s+'(\.[^']+)'/gms;
  for (const file of files(SRC)) {
    const text = readFileSync(file, 'utf8');
    const targets = [...text.matchAll(spec)].map((m) => relative(SRC, normalize(join(dirname(file), m[1]!))).replace(/\.js$/, '.ts'));
    g.set(relative(SRC, file), targets);
  }
  return g;
}

const top = (path: string): string => (path.includes('/') ? path.slice(0, path.indexOf('/')) : path);

describe('architecture', () => {
  const g = graph();

  it('reads the whole tree', () => {
    expect(g.size).toBeGreaterThan(100);
    expect(g.get('twin/twin.ts')?.some((t) => t.startsWith('packet/'))).toBe(true);
  });

  it('every folder of src/ has a rank (or is the root façade or the arbitraries)', () => {
    const folders = new Set([...g.keys()].map(top).filter((t) => t !== 'index.ts' && t !== 'arbitraries'));
    expect([...folders].filter((f) => RANK[f] === undefined)).toEqual([]);
  });

  it('every import points down the pipeline', () => {
    const wrong: string[] = [];
    for (const [from, targets] of g) {
      const a = top(from);
      if (a === 'index.ts' || a === 'arbitraries') continue;
      for (const to of targets) {
        const b = top(to);
        if (b === 'arbitraries' || b === 'index.ts') wrong.push(`${from} -> ${to} (only tests and the root import these)`);
        else if (a !== b && (RANK[b] ?? -1) > (RANK[a] ?? -1)) wrong.push(`${from} -> ${to}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('no import circles', () => {
    // Tarjan's strongly connected components over the module graph
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const on = new Set<string>();
    const circles: string[][] = [];
    let n = 0;
    const visit = (v: string): void => {
      index.set(v, n);
      low.set(v, n++);
      stack.push(v);
      on.add(v);
      for (const w of g.get(v) ?? []) {
        if (!index.has(w)) {
          visit(w);
          low.set(v, Math.min(low.get(v)!, low.get(w)!));
        } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
      if (low.get(v) === index.get(v)) {
        const comp: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          on.delete(w);
          comp.push(w);
        } while (w !== v);
        if (comp.length > 1) circles.push(comp.sort());
      }
    };
    for (const v of g.keys()) if (!index.has(v)) visit(v);
    expect(circles).toEqual([]);
  });
});

describe('public API', () => {
  it('the package root is a façade of a few entry points; stages are sub-paths', async () => {
    const root = await import('../../src/index.js');
    expect(Object.keys(root).length).toBeLessThanOrEqual(20);
    expect(typeof root.loadScenario).toBe('function');
    const pkg = JSON.parse(readFileSync(join(SRC, '..', 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
    for (const stage of ['twin', 'input', 'cluster', 'ipam', 'fib', 'bgp', 'datapath', 'network', 'packet', 'views']) {
      expect(pkg.exports[`./${stage}`]).toBeDefined();
      expect(statSync(join(SRC, stage, 'index.ts')).isFile()).toBe(true);
    }
  });
});
