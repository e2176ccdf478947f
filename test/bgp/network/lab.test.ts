import { describe, it, expect } from 'vitest';
import { loadLab } from '../../helpers/lab.js';
import { baseRoutingTables, sourceAddressLookup, reachabilityLookup, connectedLookup } from '../../../src/fib/index.js';
import { ciliumSpeakers } from '../../../src/bgp/cilium/index.js';
import { runBgpNetwork } from '../../../src/bgp/network/run.js';

function run(variants: string[]) {
  const cluster = loadLab(variants);
  const base = baseRoutingTables(cluster);
  const sourceAddress = sourceAddressLookup(base);
  const speakers = ciliumSpeakers(cluster, { sourceAddress });
  return runBgpNetwork(cluster, speakers, { sourceAddress, reachable: reachabilityLookup(base), connected: connectedLookup(base) });
}

describe('bgp-lab', () => {
  it('dbg', () => {
    const r = run(['webpod-3.yaml', 'lb.yaml']);
    const router = r.routers.get('router')!;
    console.log(r.warnings, r.converged, r.rounds);
    console.log(r.peers.map((p) => `${p.host} ${p.neighbor.address} ${p.state} ${p.reason ?? ''} rcv=${p.received} acc=${p.accepted} sent=${p.sent} adv=${p.advertised} ${p.messagesReceived}/${p.messagesSent}`).join('\n'));
    for (const e of router.locRib) console.log(e.prefix.toCidrString(), e.version, e.reason, e.multipath, e.paths.map((p) => `${p.path.nextHop} ${p.path.asPath}`), e.advertisedTo.map(String));
    console.log(router.installed.map((x) => `${x.dst.toCidrString()} ${x.nexthops.map((n) => `${n.gateway} ${n.dev}`).join(',')}`));
    console.log(r.ciliumPeers);
    expect(r.converged).toBe(true);
  });
});
