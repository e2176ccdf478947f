/**
 * Health-check node port servers (issue 18 item 4), over generated scenarios with LoadBalancer
 * services (300 runs; the maps of every node): a node serves exactly the services with
 * kube-proxy replacement, eTP Local and a `healthCheckNodePort`, each port once, and reports
 * as `localEndpoints` the service's ready backends (address, port, protocol) on that node, a
 * recount from the EndpointSlices; with `enable-health-check-loadbalancer-ip` each LB IP of such
 * a service has the `LB_IP:port` frontend whose only backend is one of the node's own addresses
 * on that port.
 */
import { afterAll, describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import * as E from 'fp-ts/lib/Either.js';
import { decodeDocuments } from '../../src/input/decode.js';
import { buildWorkloadCluster } from '../../src/workloads/index.js';
import { createTwin } from '../../src/twin/twin.js';
import { scenarioArbitrary } from '../../src/arbitraries/index.js';
import { formatIp } from '../../src/net/addr.js';
import { nodePortAddresses } from '../../src/datapath/lb/node-addresses.js';
import { compareStrings } from '../../src/net/compare.js';

const RUNS = { numRuns: Number(process.env.SVC2_RUNS ?? 300) };
const scenarios = fc.tuple(
  scenarioArbitrary({ nodes: { min: 1, max: 4 }, services: { min: 1, max: 4 }, podsPerService: { min: 0, max: 4 }, serviceTypes: ['LoadBalancer', 'NodePort'], lbIpam: true, clients: { min: 0, max: 0 } }),
  fc.boolean(),
);

let served = 0;

describe('health-check node port servers', () => {
  afterAll(() => expect(served).toBeGreaterThan(0));
  test.prop([scenarios], RUNS)('served where Cilium serves them, counting the ready local backends', ([s, lbIp]) => {
    const docs = s.documents.map((value, i) => ({ file: 'scenario.yaml', index: i + 1, value }));
    const d = decodeDocuments(docs, lbIp ? { set: { 'enable-health-check-loadbalancer-ip': 'true' } } : {});
    if (E.isLeft(d)) throw new Error(d.left.map((e) => e.message).join('\n'));
    const cluster = buildWorkloadCluster(d.right);
    const twin = createTwin(cluster);
    const cfg = cluster.config;
    for (const node of cluster.scenario.nodes.map((n) => n.meta.name)) {
      const maps = twin.maps(node)!;
      const expected: string[] = [];
      const seen = new Set<number>();
      const services = [...cluster.scenario.services].sort((a, b) => compareStrings(a.meta.namespace ?? '', b.meta.namespace ?? '') || compareStrings(a.meta.name, b.meta.name));
      for (const svc of services) {
        const port = svc.healthCheckNodePort;
        if (!cfg.kubeProxyReplacement || !cfg.enableHealthCheckNodePort || port === undefined || svc.externalTrafficPolicy !== 'Local') continue;
        if (!maps.frontends.some((f) => f.service.name === svc.meta.name && (f.type === 'NodePort' || f.type === 'LoadBalancer') && f.scope === 'external')) continue;
        if (seen.has(port)) continue;
        seen.add(port);
        const keys = new Set<string>();
        for (const sl of cluster.endpointSlices) {
          if (sl.serviceName !== svc.meta.name || (sl.meta.namespace ?? 'default') !== (svc.meta.namespace ?? 'default')) continue;
          for (const ep of sl.endpoints) {
            if (!ep.ready || (ep.nodeName !== undefined && ep.nodeName !== node)) continue;
            for (const a of ep.addresses) for (const p of sl.ports) keys.add(`${formatIp(a)}|${p.port}|${p.protocol}`);
          }
        }
        expected.push(`${port} ${svc.meta.name} ${keys.size}`);
        served++;
        if (lbIp) {
          const own = new Set(nodePortAddresses(cluster, node).map(formatIp));
          for (const f of maps.frontends.filter((x) => x.service.name === svc.meta.name && x.type === 'LoadBalancer' && x.scope === 'external' && !x.wildcard)) {
            const hs = maps.frontends.find((x) => x.service.name === `${svc.meta.name}:healthserver` && formatIp(x.address) === formatIp(f.address) && x.port === port);
            expect(hs, `${node} ${formatIp(f.address)}:${port}`).toBeDefined();
            expect(hs!.backendIds).toHaveLength(1);
            const be = maps.backends.find((b) => b.id === hs!.backendIds[0])!;
            expect(own.has(formatIp(be.address)) || be.address.value === 0n).toBe(true);
            expect([be.port, be.nodeName]).toEqual([port, node]);
          }
        }
      }
      const actual = (maps.healthServers ?? []).map((h) => `${h.port} ${h.service.name} ${h.localEndpoints}`);
      expect(actual.sort()).toEqual(expected.sort());
    }
  });
});
