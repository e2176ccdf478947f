/**
 * Property (issue 18): source-range checks drop exactly the sources outside the ranges
 * (`loadBalancerSourceRanges`; with `service.cilium.io/src-ranges-policy: deny`, exactly the
 * sources inside). The lab with webpod as a LoadBalancer and a client host next to k8s-ctr is
 * compiled once; each run gives the client a generated source address and the LB frontend a
 * generated list of ranges and mode (the network spec is plain data, rebuilt per run), walks one
 * request and compares the drop with a BigInt prefix check written independently of the walk.
 */
import { beforeAll, describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { trace } from '../../src/packet/trace.js';
import { buildNetwork } from '../../src/network/build.js';
import type { Network, NetworkSpec } from '../../src/network/types.js';
import { clusterWith } from '../svcfeat/helpers.js';
import { labFiles } from '../helpers/lab.js';
import { compileNetwork } from '../../src/network/compile.js';

const CLIENT = `apiVersion: cilium-twin/v1alpha1
kind: Host
metadata: {name: client}
spec:
  interfaces:
    - {name: eth0, addresses: ["192.168.10.50/24"]}
  routes: |
    172.16.1.0/24 via 192.168.10.100 dev eth0
`;

const u32 = (s: string): number => s.split('.').reduce((a, o) => a * 256 + Number(o), 0);
const text = (n: number): string => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
const mask = (len: number): number => (len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0);

/** Outside the lab's own ranges, not 0/8, 127/8, 169.254/16 or class D/E. */
const sourceArb = fc
  .tuple(fc.integer({ min: 1, max: 223 }), fc.nat({ max: 0xffffff }))
  .map(([a, rest]) => ((a << 24) >>> 0) + rest)
  .filter((n) => {
    const a = n >>> 24;
    const ab = n >>> 16;
    return a !== 127 && a !== 10 && a !== 172 && ab !== 0xc0a8 && ab !== 0xa9fe;
  });

/** A range: often one around the source (so both sides get exercised), else anywhere. */
const rangesArb = (src: number) =>
  fc.array(
    fc.oneof(
      fc.integer({ min: 0, max: 32 }).map((len) => ({ net: (src & mask(len)) >>> 0, len })),
      fc.tuple(fc.nat({ max: 0xffffffff }), fc.integer({ min: 0, max: 32 })).map(([n, len]) => ({ net: (n & mask(len)) >>> 0, len })),
    ),
    { minLength: 1, maxLength: 4 },
  );

const caseArb = sourceArb.chain((src) => fc.record({ src: fc.constant(src), ranges: rangesArb(src), deny: fc.boolean() }));

let spec: NetworkSpec;
const VIP = '172.16.1.1';
let exercised = { inside: 0, outside: 0 };

beforeAll(() => {
  void labFiles; // the lab base comes through clusterWith
  const cluster = clusterWith([
    ...['webpod-3.yaml', 'lb.yaml'].map((v) => labFiles([v]).at(-1)!.text),
    CLIENT,
  ]);
  spec = compileNetwork(cluster).spec;
});

function withCase(src: number, ranges: readonly { net: number; len: number }[], deny: boolean): Network {
  const cidrs = ranges.map((r) => `${text(r.net)}/${r.len}`);
  return buildNetwork({
    ...spec,
    hosts: spec.hosts.map((h) =>
      h.name === 'client' ? { ...h, interfaces: h.interfaces.map((i) => ({ ...i, addresses: [...i.addresses, `${text(src)}/32`] })) } : h,
    ),
    nodes: spec.nodes.map((n) =>
      n.name !== 'k8s-ctr'
        ? n
        : {
            ...n,
            frontends: n.frontends.map((f) => (f.address === VIP && f.type === 'LoadBalancer' ? { ...f, sourceRanges: cidrs, sourceRangesDeny: deny } : f)),
          },
    ),
  });
}

describe('loadBalancerSourceRanges (property)', () => {
  test.prop([caseArb], { numRuns: 1000 })('the check drops exactly the sources outside the ranges (inside, in deny mode)', ({ src, ranges, deny }) => {
    const inside = ranges.some((r) => ((src & mask(r.len)) >>> 0) === r.net);
    const r = trace(withCase(src, ranges, deny), { from: 'client', srcAddress: text(src), dst: VIP, dport: 80 });
    const dropped = r.reason === 'Denied by LB src range check';
    expect(dropped).toBe(deny ? inside : !inside);
    if (dropped) expect(r.verdict).toBe('DROPPED');
    if (inside) exercised.inside++;
    else exercised.outside++;
  });

  test('both sides were exercised', () => {
    expect(exercised.inside).toBeGreaterThan(100);
    expect(exercised.outside).toBeGreaterThan(100);
  });
});
void u32;
