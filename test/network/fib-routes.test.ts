/**
 * A host's routes compiled straight from its kernel routes (the twin's hidden `fibRoutes`,
 * entry6: no text formatted and parsed back) equal the routes compiled from the host spec's
 * text, on every host of the lab, the dual-stack lab (IPv6 prefixes, gateways and sources) and a
 * generated 12-node cluster with BGP.
 */
import { describe, it, expect } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadScenario, type ScenarioFile } from '../../src/twin/load.js';
import { buildNetwork } from '../../src/network/build.js';
import { scaleScenario } from '../../bench/cluster.js';

function files(dirs: readonly string[]): ScenarioFile[] {
  return dirs.flatMap((d) => {
    const full = join(__dirname, '../../examples', d);
    return readdirSync(full)
      .filter((f) => /\.ya?ml$/.test(f))
      .sort()
      .map((f) => ({ file: join(full, f), text: readFileSync(join(full, f), 'utf8') }));
  });
}

const big = (_k: string, v: unknown): unknown => (typeof v === 'bigint' ? `${v}n` : v instanceof Map ? [...v] : v);

function check(input: readonly ScenarioFile[]): void {
  const r = loadScenario(input);
  if (E.isLeft(r)) throw new Error(r.left.map((e) => e.message).join('\n'));
  const net = r.right.network();
  // a spread leaves the hidden compiled routes out: the same hosts compiled from their text
  const fromText = buildNetwork({ ...net.spec, hosts: net.spec.hosts.map((h) => ({ ...h })) });
  let routes = 0;
  for (const h of net.spec.hosts) {
    expect(h.fibRoutes, h.name).toBeDefined();
    const a = net.hosts.get(h.name)!;
    const b = fromText.hosts.get(h.name)!;
    expect(JSON.stringify([a.fib, a.fib6], big), h.name).toBe(JSON.stringify([b.fib, b.fib6], big));
    routes += h.routes.length;
  }
  expect(routes).toBeGreaterThan(0);
}

describe("a host's routes compiled without text", () => {
  it('equal the text round trip on the bgp-lab', () => check(files(['bgp-lab/lab'])));
  it('equal the text round trip on the dual-stack lab', () => check(files(['bgp-lab-dual-stack/lab'])));
  it('equal the text round trip on a generated 12-node cluster with BGP', () => check(scaleScenario(12).map((f) => ({ file: f.file, text: f.text }))));
});
