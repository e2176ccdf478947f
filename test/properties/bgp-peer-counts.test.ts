/**
 * Per-peer route counts (issue 18 item 3), over generated BGP scenarios (the whole BGP pipeline, 300 runs as the guide budgets it,
 * about 9 ms a run): on every Established session between a Cilium node and an FRR
 * router, `cilium bgp peers` shows exactly what the router gets and gives — Advertised (less the
 * End-of-RIB markers of graceful restart) is what the router received from the node after the
 * node's export policies, Received is what the router sent after its own — and the router's
 * accepted count never exceeds what it received.
 */
import { afterAll, describe, expect } from 'vitest';
import { test } from '@fast-check/vitest';
import { createTwin } from '../../src/twin/twin.js';
import { formatIp } from '../../src/net/addr.js';
import { bgpScenarioWithUnlabelled, clusterOf } from './bgp-speaker-support.js';

const RUNS = { numRuns: Number(process.env.BGP_RUNS ?? 300) };
let checked = 0;

describe('per-peer route counts', () => {
  afterAll(() => expect(checked).toBeGreaterThan(0));
  test.prop([bgpScenarioWithUnlabelled], RUNS)('cilium bgp peers counts = the FRR peer\'s received and sent', ({ documents }) => {
    const bgp = createTwin(clusterOf(documents)).bgp();
    for (const mine of bgp.peers) {
      if (mine.kind !== 'cilium' || mine.state !== 'Established' || mine.remote?.kind !== 'frr' || mine.localAddress === undefined) continue;
      const theirs = bgp.peers.find(
        (p) => p.kind === 'frr' && p.host === mine.remote!.host && formatIp(p.neighbor.address) === formatIp(mine.localAddress!) && p.state === 'Established',
      );
      expect(theirs, `${mine.host} → ${mine.remote.host}`).toBeDefined();
      const rows = bgp.ciliumPeers.filter((r) => r.node === mine.host && r.instance === mine.instance && formatIp(r.peerAddress) === formatIp(mine.neighbor.address));
      const eor = mine.advertised - mine.sent;
      expect(eor === 0 || eor === rows.length).toBe(true);
      const advertised = rows.reduce((n, r) => n + r.advertised, 0) - eor;
      const received = rows.reduce((n, r) => n + r.received, 0);
      expect(advertised).toBe(theirs!.received);
      expect(received).toBe(theirs!.sent);
      expect(theirs!.accepted).toBeLessThanOrEqual(theirs!.received);
      checked++;
    }
  });
});
