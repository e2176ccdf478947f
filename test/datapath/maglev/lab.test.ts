/**
 * bgp-lab observation 10 from the Maglev side: with `dsr-maglev.yaml`, every node's LUT for the
 * LB frontend is the table `maglevTable` computes from the service's backends, and a client flow
 * picks the same backend (by address) whichever node it enters.
 */
import { describe, it, expect } from 'vitest';
import { loadLab } from '../../helpers/lab.js';
import { allocateLbIps } from '../../../src/ipam/index.js';
import { backendById } from '../../../src/datapath/lb/index.js';
import { nodeLbMaps } from '../../../src/datapath/lb/maps.js';
import { maglevTable, maglevBackendFor, maglevCounts } from '../../../src/datapath/maglev/index.js';

const NODES = ['k8s-ctr', 'k8s-w1', 'k8s-w0'];

describe('observation 10: one Maglev table for the lab service on every node', () => {
  const cluster = loadLab(['dsr-maglev.yaml', 'lb.yaml', 'webpod-2.yaml', 'pod-routes.yaml']);
  const ipam = allocateLbIps(cluster);
  const perNode = NODES.map((node) => {
    const maps = nodeLbMaps(cluster, ipam, node);
    const lb = maps.frontends.find((f) => f.type === 'LoadBalancer' && f.scope === 'external')!;
    return { maps, lb };
  });

  it('the LUT is maglevTable of the frontend’s active backends (M=16381, default seed)', () => {
    for (const { maps, lb } of perNode) {
      expect(maps.maglevTableSize).toBe(16381);
      const ids = [...new Set(lb.maglev!)];
      const backends = ids.map((id) => backendById(maps, id)!);
      expect(backends.every((b) => b.state === 'active' && b.weight === 100)).toBe(true);
      const mine = maglevTable(
        backends.map((b) => ({ id: b.id, address: b.address, port: b.port, protocol: b.protocol, weight: b.weight })),
        { tableSize: 16381, hashSeed: maps.maglevHashSeed },
      );
      expect(Array.from(mine)).toEqual(Array.from(lb.maglev!));
      // two webpods: 8191 and 8190 entries
      expect(maglevCounts(mine).map((c) => c.count)).toEqual([8191, 8190]);
    }
  });

  it('a client flow picks the same backend address on every node', () => {
    for (let i = 0; i < 200; i++) {
      const flow = {
        saddr: i % 2 === 0 ? '192.168.10.200' : `10.10.${String(1 + (i % 3))}.200`,
        sport: 32768 + i * 97,
        dport: 80,
        protocol: 'TCP' as const,
      };
      const picks = perNode.map(({ maps, lb }) => {
        const id = maglevBackendFor(lb.maglev!, flow, maps.maglevHashSeed);
        return backendById(maps, id)!.address.toString();
      });
      expect(new Set(picks).size).toBe(1);
    }
  });
});
