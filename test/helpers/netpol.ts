/**
 * Test helper: the classic NetworkPolicy e2e setup (namespaces x, y, z × pods a, b, c serving
 * TCP/UDP 80 and 81) on the bgp-lab with pod routes, plus policies given as YAML; and the
 * reachability table of a port, as the upstream e2e tests write it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import { decodeScenario } from '../../src/input/decode.js';
import { buildCluster } from '../../src/cluster/build.js';
import type { Cluster } from '../../src/cluster/types.js';
import { compileNetwork } from '../../src/network/compile.js';
import { policyMatrix } from '../../src/packet/matrix.js';
import type { L4Protocol } from '../../src/packet/types.js';
import { labFiles } from './lab.js';

const pods = readFileSync(join(import.meta.dirname, '..', '..', 'examples', 'policy', 'scenario', 'netpol-pods.yaml'), 'utf8');

/** The nine pods, in matrix order. */
export const NETPOL_PODS = ['x/a', 'x/b', 'x/c', 'y/a', 'y/b', 'y/c', 'z/a', 'z/b', 'z/c'];

/** The e2e cluster with the given policy YAML documents (and cilium-config overrides). */
export function netpolCluster(policies: string, set: Record<string, string> = {}): Cluster {
  const files = [...labFiles(['pod-routes.yaml']), { file: 'netpol-pods.yaml', text: pods }, { file: 'policies.yaml', text: policies }];
  const decoded = decodeScenario(files, { set });
  if (isLeft(decoded)) throw new Error(decoded.left.map((e) => e.message).join('\n'));
  return buildCluster(decoded.right);
}

/**
 * The reachability table of a port as lines `from: X X . X …` (X allowed, . denied), columns in
 * {@link NETPOL_PODS} order; self-probes are always allowed (loopback).
 */
export function reachability(cluster: Cluster, port: number, protocol: L4Protocol = 'TCP'): string[] {
  const m = policyMatrix(compileNetwork(cluster), { port, protocol, namespaces: ['x', 'y', 'z'] });
  return m.cells.map((row, i) => `${m.pods[i]}: ${row.map((c) => (c.allowed ? 'X' : '.')).join(' ')}`);
}

/**
 * A truth table: every pair allowed except those `deny(from, to)` says; self always allowed.
 */
export function expected(deny: (from: string, to: string) => boolean): string[] {
  return NETPOL_PODS.map((f) => `${f}: ${NETPOL_PODS.map((t) => (f !== t && deny(f, t) ? '.' : 'X')).join(' ')}`);
}

/** Namespace of `ns/pod`. */
export const nsOf = (p: string): string => p.split('/')[0]!;
/** Pod name of `ns/pod`. */
export const podOf = (p: string): string => p.split('/')[1]!;
