import { describe, it, expect } from 'vitest';
import { IPv4, IPv4CidrRange } from 'ip-num';
import { comparePaths, selectBestPath, type Candidate, type DecisionOptions } from '../../../src/bgp/frr/bestpath.js';

const P = IPv4CidrRange.fromCidr('172.16.1.1/32');
const opts: DecisionOptions = {
  defaultLocalPref: 100,
  alwaysCompareMed: false,
  medMissingAsWorst: false,
  asPathIgnore: false,
  multipathRelax: false,
  deterministicMed: false,
  maximumPaths: 256,
  maximumPathsIbgp: 256,
};

function peer(addr: string, asPath: number[], o: Partial<Candidate['path']> & { weight?: number; type?: 'external' | 'internal'; rid?: string; nh?: string; peerAs?: number; valid?: boolean } = {}): Candidate {
  const { weight, type, rid, nh, peerAs, valid, ...attrs } = o;
  return {
    path: { prefix: P, origin: 'igp', asPath, nextHop: IPv4.fromString(nh ?? addr), communities: [], largeCommunities: [], ...attrs },
    weight: weight ?? 0,
    source: { kind: 'peer', address: IPv4.fromString(addr), routerId: IPv4.fromString(rid ?? addr), peerAs: peerAs ?? asPath[0] ?? 65000, type: type ?? 'external', host: addr },
    valid: valid ?? true,
  };
}

const local: Candidate = {
  path: { prefix: P, origin: 'igp', asPath: [], nextHop: IPv4.fromNumber(0), med: 0, communities: [], largeCommunities: [] },
  weight: 32768,
  source: { kind: 'local', subType: 'network' },
  valid: true,
};

describe('comparePaths: FRR 8.4 decision steps and reasons', () => {
  const a = peer('10.0.0.1', [65001]);
  it.each([
    ['Weight', peer('10.0.0.2', [65001], { weight: 10 }), a, true],
    ['Local Pref', peer('10.0.0.2', [65001], { localPref: 200, type: 'internal' }), peer('10.0.0.1', [65001], { type: 'internal' }), true],
    ['AS Path', peer('10.0.0.2', [65001, 65002]), a, false],
    ['Origin', peer('10.0.0.2', [65001], { origin: 'incomplete' }), a, false],
    ['MED', peer('10.0.0.2', [65001], { med: 5 }), peer('10.0.0.1', [65001], { med: 10 }), true],
    ['Peer Type', peer('10.0.0.2', [65001], { type: 'internal' }), a, false],
    ['Router ID', peer('10.0.0.2', [65001], { rid: '1.1.1.1' }), a, true],
    ['Neighbor IP', peer('10.0.0.2', [65001], { rid: '10.0.0.1' }), a, false],
  ] as const)('%s', (reason, next, exist, wins) => {
    const c = comparePaths(next, exist, opts);
    expect([c.reason, c.newWins]).toEqual([reason, wins]);
  });

  it('prefers a locally originated path (after weight, which already favours it)', () => {
    const c = comparePaths({ ...local, weight: 0 }, a, opts);
    expect([c.reason, c.newWins]).toEqual(['Local Route', true]);
  });

  it('compares MED only between paths from the same neighbour AS (unless always-compare-med)', () => {
    const x = peer('10.0.0.2', [65002], { med: 5, rid: '9.9.9.9' });
    const y = peer('10.0.0.1', [65001], { med: 10 });
    expect(comparePaths(x, y, opts).reason).toBe('Router ID');
    expect(comparePaths(x, y, { ...opts, alwaysCompareMed: true }).reason).toBe('MED');
  });

  it('treats a missing MED as 0, or as the worst with med missing-as-worst', () => {
    const x = peer('10.0.0.2', [65001]);
    const y = peer('10.0.0.1', [65001], { med: 10 });
    expect(comparePaths(x, y, opts).newWins).toBe(true);
    expect(comparePaths(x, y, { ...opts, medMissingAsWorst: true }).newWins).toBe(false);
  });

  it('flags multipath equality: same neighbour AS for eBGP, any AS with multipath-relax, identical path for iBGP', () => {
    expect(comparePaths(peer('10.0.0.2', [65001]), a, opts).pathsEq).toBe(true);
    expect(comparePaths(peer('10.0.0.2', [65002]), a, opts).pathsEq).toBe(false);
    expect(comparePaths(peer('10.0.0.2', [65002]), a, { ...opts, multipathRelax: true }).pathsEq).toBe(true);
    const i1 = peer('10.0.0.1', [65001], { type: 'internal' });
    expect(comparePaths(peer('10.0.0.2', [65001], { type: 'internal' }), i1, opts).pathsEq).toBe(true);
    expect(comparePaths(peer('10.0.0.2', [65009], { type: 'internal' }), i1, opts).pathsEq).toBe(false);
  });
});

describe('selectBestPath', () => {
  it('the lab: three equal eBGP paths, best by Router ID, all multipath', () => {
    const s = selectBestPath([peer('192.168.20.100', [65001]), peer('192.168.10.101', [65001]), peer('192.168.10.100', [65001])], { ...opts, multipathRelax: true, maximumPaths: 4 });
    expect(s.reason).toBe('Router ID');
    expect(s.paths.map((c) => (c.source.kind === 'peer' ? c.source.address.toString() : 'local'))).toEqual(['192.168.10.100', '192.168.10.101', '192.168.20.100']);
    expect(s.best).toBe(0);
    expect(s.multipath).toEqual([0, 1, 2]);
  });

  it('a single path: First path received; no valid path: Nothing to Select', () => {
    expect(selectBestPath([peer('10.0.0.1', [65001])], opts).reason).toBe('First path received');
    const none = selectBestPath([peer('10.0.0.1', [65001], { valid: false })], opts);
    expect([none.best, none.reason, none.multipath]).toEqual([undefined, 'Nothing to Select', []]);
  });

  it('caps the multipath set at maximum-paths, taking candidates by next hop', () => {
    const paths = ['10.0.0.4', '10.0.0.3', '10.0.0.2', '10.0.0.1'].map((a) => peer(a, [65001]));
    const s = selectBestPath(paths, { ...opts, maximumPaths: 2 });
    expect(s.multipath.map((i) => s.paths[i]!.path.nextHop.toString())).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(selectBestPath(paths, { ...opts, maximumPaths: 1 }).multipath).toEqual([0]);
  });

  it('skips a candidate with the same next hop as the best', () => {
    const s = selectBestPath([peer('10.0.0.1', [65001]), peer('10.0.0.2', [65001], { nh: '10.0.0.1' })], opts);
    expect(s.multipath).toEqual([0]);
  });

  it('without multipath-relax, paths from different neighbour ASes are not multipath', () => {
    const s = selectBestPath([peer('10.0.0.1', [65001]), peer('10.0.0.2', [65002])], opts);
    expect(s.multipath).toEqual([0]);
  });

  it('deterministic-med picks the best of each neighbour AS first', () => {
    // Classic MED intransitivity: A(65001, MED 20), B(65002), C(65001, MED 10).
    const a = peer('10.0.0.1', [65001], { med: 20, rid: '1.0.0.1' });
    const b = peer('10.0.0.2', [65002], { rid: '1.0.0.2' });
    const c = peer('10.0.0.3', [65001], { med: 10, rid: '1.0.0.3' });
    const dm = selectBestPath([a, b, c], { ...opts, deterministicMed: true });
    expect(dm.paths[0]!.path.nextHop.toString()).toBe('10.0.0.2');
    expect(dm.dmedSelected.length).toBe(2);
    const plain = selectBestPath([a, b, c], opts);
    expect(plain.paths[0]!.path.nextHop.toString()).toBe('10.0.0.3');
  });
});
