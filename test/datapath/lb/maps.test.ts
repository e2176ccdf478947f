import { describe, it, expect } from 'vitest';
import { allocateLbIps } from '../../../src/ipam/index.js';
import { lookupFrontend, backendById, lbFlagNames } from '../../../src/datapath/lb/index.js';
import { nodeLbMaps } from '../../../src/datapath/lb/maps.js';
import { formatIp } from '../../../src/net/addr.js';
import type { Cluster } from '../../../src/cluster/types.js';
import type { Service } from '../../../src/input/types.js';
import { host, ip, makeCluster, node, pod, pool, service, slice, cidr } from '../../ipam/fixtures.js';

function lab(svc: Partial<Service> = {}, config: Parameters<typeof makeCluster>[0]['config'] = {}, endpoints = 3): Cluster {
  const eps = [
    { addr: '172.20.0.28', node: 'k8s-ctr', pod: 'webpod-a' },
    { addr: '172.20.1.76', node: 'k8s-w1', pod: 'webpod-b' },
    { addr: '172.20.2.68', node: 'k8s-w0', pod: 'webpod-c' },
  ].slice(3 - endpoints);
  return makeCluster({
    nodes: [node('k8s-ctr', '192.168.10.100'), node('k8s-w1', '192.168.10.101'), node('k8s-w0', '192.168.20.100')],
    hosts: [
      host('k8s-ctr', [['eth0', '10.0.2.15/24'], ['eth1', '192.168.10.100/24']]),
      host('k8s-w1', [['eth0', '10.0.2.15/24'], ['eth1', '192.168.10.101/24']]),
      host('k8s-w0', [['eth0', '10.0.2.15/24'], ['eth1', '192.168.20.100/24']]),
    ],
    services: [
      service('webpod', {
        clusterIPs: [ip('10.96.252.129')],
        ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 80, nodePort: 31726 }],
        ...svc,
      }),
    ],
    endpointSlices: [slice('webpod', eps)],
    lbIpPools: [pool('cilium-pool', ['172.16.1.0/24'], { allowFirstLastIPs: 'No' })],
    config,
  });
}

function rows(c: Cluster, nodeName = 'k8s-ctr'): string[] {
  const maps = nodeLbMaps(c, allocateLbIps(c), nodeName);
  return maps.frontends.map(
    (f) =>
      `${formatIp(f.address)}:${f.port}/${f.protocol}${f.scope === 'internal' ? '/i' : ''} id=${f.id} count=${f.count} q=${f.qcount} [${f.flagNames.join(', ')}] slots=${f.backendIds.join(',')}`,
  );
}

describe('nodeLbMaps', () => {
  it('LoadBalancer service with eTP=iTP=Cluster: frontends, IDs, flags', () => {
    expect(rows(lab())).toEqual([
      '0.0.0.0:31726/TCP id=1 count=3 q=0 [NodePort, non-routable] slots=1,2,3',
      '10.0.2.15:31726/TCP id=2 count=3 q=0 [NodePort] slots=1,2,3',
      '10.96.252.129:80/TCP id=4 count=3 q=0 [ClusterIP, non-routable] slots=1,2,3',
      '172.16.1.1:80/TCP id=5 count=3 q=0 [LoadBalancer] slots=1,2,3',
      '192.168.10.100:31726/TCP id=3 count=3 q=0 [NodePort] slots=1,2,3',
    ]);
  });

  it('ClusterIP is routable with bpf-lb-external-clusterip', () => {
    const r = rows(lab({}, { lbExternalClusterIP: true }));
    expect(r.find((x) => x.startsWith('10.96.252.129'))).toContain('[ClusterIP] ');
  });

  it('eTP=Cluster, iTP=Local: internal scope rows, InternalLocal, two-scopes and local-only backends', () => {
    const r = rows(lab({ internalTrafficPolicy: 'Local' }));
    expect(r).toContain('10.96.252.129:80/TCP id=7 count=1 q=0 [ClusterIP, InternalLocal, non-routable] slots=1');
    expect(r).toContain('172.16.1.1:80/TCP id=8 count=3 q=0 [LoadBalancer, InternalLocal, two-scopes] slots=1,2,3');
    expect(r).toContain('172.16.1.1:80/TCP/i id=9 count=1 q=0 [LoadBalancer, InternalLocal, two-scopes] slots=1');
    expect(r).toContain('0.0.0.0:31726/TCP/i id=4 count=1 q=0 [NodePort, InternalLocal, two-scopes, non-routable] slots=1');
  });

  it('eTP=Local: external scope keeps the node-local backends only, on every node', () => {
    const c = lab({ externalTrafficPolicy: 'Local' }, {}, 2);
    const ctr = rows(c, 'k8s-ctr');
    expect(ctr).toContain('172.16.1.1:80/TCP id=8 count=0 q=0 [LoadBalancer, Local, two-scopes] slots=');
    expect(ctr).toContain('172.16.1.1:80/TCP/i id=9 count=2 q=0 [LoadBalancer, Local, two-scopes] slots=1,2');
    const w1 = rows(c, 'k8s-w1');
    expect(w1).toContain('172.16.1.1:80/TCP id=8 count=1 q=0 [LoadBalancer, Local, two-scopes] slots=1');
  });

  it('backend IDs agree on every node and backends carry node and pod', () => {
    const c = lab({ externalTrafficPolicy: 'Local' });
    const ipam = allocateLbIps(c);
    for (const n of ['k8s-ctr', 'k8s-w1', 'k8s-w0']) {
      const m = nodeLbMaps(c, ipam, n);
      expect(m.backends.map((b) => `${b.id}=${formatIp(b.address)}@${b.nodeName}/${b.pod?.name}`)).toEqual([
        '1=172.20.0.28@k8s-ctr/webpod-a',
        '2=172.20.1.76@k8s-w1/webpod-b',
        '3=172.20.2.68@k8s-w0/webpod-c',
      ]);
    }
  });

  it('terminating fallback: count = terminating when none is active; not-serving never counts', () => {
    const c = makeCluster({
      services: [service('s', { type: 'ClusterIP', clusterIPs: [ip('10.96.0.10')] })],
      endpointSlices: [
        slice('s', [
          { addr: '10.0.0.1', ready: false, serving: true, terminating: true },
          { addr: '10.0.0.2', ready: false, serving: false, terminating: true },
          { addr: '10.0.0.3', ready: false, serving: false, terminating: false },
        ]),
      ],
    });
    const m = nodeLbMaps(c, allocateLbIps(c), 'n1');
    const f = m.frontends[0]!;
    expect([f.count, f.qcount, f.backendIds]).toEqual([1, 1, [1, 2]]);
    expect(m.backends.map((b) => b.state)).toEqual(['terminating', 'terminating-not-serving', 'maintenance']);
  });

  it('graceful termination: active first, then terminating in qcount', () => {
    const c = makeCluster({
      services: [service('s', { type: 'ClusterIP', clusterIPs: [ip('10.96.0.10')] })],
      endpointSlices: [
        slice('s', [
          { addr: '10.0.0.1', ready: false, serving: true, terminating: true },
          { addr: '10.0.0.2' },
        ]),
      ],
    });
    const m = nodeLbMaps(c, allocateLbIps(c), 'n1');
    const f = m.frontends[0]!;
    expect([f.count, f.qcount]).toEqual([1, 1]);
    expect(f.backendIds.map((id) => `${formatIp(backendById(m, id)!.address)} ${backendById(m, id)!.state}`)).toEqual([
      '10.0.0.2 active',
      '10.0.0.1 terminating',
    ]);
  });

  it('port names and protocols select backends', () => {
    const c = makeCluster({
      services: [
        service('s', {
          type: 'ClusterIP',
          clusterIPs: [ip('10.96.0.10')],
          ports: [
            { name: 'dns', protocol: 'UDP', port: 53, targetPort: 53 },
            { name: 'dns-tcp', protocol: 'TCP', port: 53, targetPort: 53 },
            { name: 'metrics', protocol: 'TCP', port: 9153, targetPort: 9153 },
          ],
        }),
      ],
      endpointSlices: [
        slice('s', [{ addr: '10.0.0.1' }], [
          { name: 'dns', port: 53, protocol: 'UDP' },
          { name: 'dns-tcp', port: 53, protocol: 'TCP' },
          { name: 'metrics', port: 9153, protocol: 'TCP' },
        ]),
      ],
    });
    const m = nodeLbMaps(c, allocateLbIps(c), 'n1');
    expect(m.frontends.map((f) => `${f.port}/${f.protocol}:${f.backendIds.map((id) => backendById(m, id)!.port + '/' + backendById(m, id)!.protocol)}`)).toEqual([
      '53/TCP:53/TCP',
      '53/UDP:53/UDP',
      '9153/TCP:9153/TCP',
    ]);
  });

  it('DSR, hybrid, session affinity, source ranges', () => {
    const svc = {
      sessionAffinity: 'ClientIP' as const,
      loadBalancerSourceRanges: [cidr('10.0.0.0/8')],
      ports: [
        { name: 'a', protocol: 'TCP' as const, port: 80, targetPort: 80, nodePort: 31726 },
        { name: 'b', protocol: 'UDP' as const, port: 53, targetPort: 53 },
      ],
    };
    const hybrid = nodeLbMaps(lab(svc, { lbMode: 'hybrid' }), allocateLbIps(lab(svc)), 'k8s-ctr');
    const lb80 = lookupFrontend(hybrid, ip('172.16.1.1'), 80, 'TCP')!;
    expect(lb80.flagNames).toEqual(['LoadBalancer', 'sessionAffinity', 'check source-range', 'dsr']);
    expect(lb80.affinityTimeoutSeconds).toBe(10800);
    const lb53 = lookupFrontend(hybrid, ip('172.16.1.1'), 53, 'UDP')!;
    expect(lb53.flagNames).toEqual(['LoadBalancer', 'sessionAffinity', 'check source-range']);
    const cip = lookupFrontend(hybrid, ip('10.96.252.129'), 80, 'TCP')!;
    expect(cip.flagNames).toEqual(['ClusterIP', 'sessionAffinity', 'non-routable', 'dsr']);
    expect(hybrid.sourceRanges.filter((s) => s.id === cip.id)).toHaveLength(1);
  });

  it('Maglev tables: only for node-address NodePort and LB rows (ClusterIP only with external ClusterIP)', () => {
    const c = lab({}, { lbAlgorithm: 'maglev', maglevTableSize: 251 });
    const m = nodeLbMaps(c, allocateLbIps(c), 'k8s-ctr');
    expect(m.frontends.filter((f) => f.maglev !== undefined).map((f) => `${formatIp(f.address)}:${f.port}`)).toEqual([
      '10.0.2.15:31726',
      '172.16.1.1:80',
      '192.168.10.100:31726',
    ]);
    expect(m.frontends.find((f) => f.maglev !== undefined)!.maglev!.length).toBe(251);
    const c2 = lab({}, { lbAlgorithm: 'maglev', maglevTableSize: 251, lbExternalClusterIP: true });
    expect(lookupFrontend(nodeLbMaps(c2, allocateLbIps(c2), 'k8s-ctr'), ip('10.96.252.129'), 80, 'TCP')!.maglev).toBeDefined();
  });

  it('HostPort: surrogate and node-address copies on the pod\'s node only', () => {
    const c = makeCluster({
      nodes: [node('n1', '192.168.1.1'), node('n2', '192.168.1.2')],
      pods: [
        pod('hp', 'n1', '10.1.0.5', {
          containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 8080, protocol: 'TCP', hostPort: 4444 }] }],
        }),
      ],
    });
    const m1 = nodeLbMaps(c, allocateLbIps(c), 'n1');
    expect(m1.frontends.map((f) => `${formatIp(f.address)}:${f.port} [${f.flagNames.join(', ')}]`)).toEqual([
      '0.0.0.0:4444 [HostPort, non-routable]',
      '192.168.1.1:4444 [HostPort]',
    ]);
    expect(nodeLbMaps(c, allocateLbIps(c), 'n2').frontends).toEqual([]);
  });

  it('wildcard rows only when bpf-lb-enable-wildcard-entries is on', () => {
    const c = lab({}, { lbWildcardEntries: true });
    const m = nodeLbMaps(c, allocateLbIps(c), 'k8s-ctr');
    const w = m.frontends.filter((f) => f.wildcard);
    expect(w.map((f) => `${formatIp(f.address)}:${f.port}/${f.protocol} ${f.id} [${f.flagNames.join(', ')}]`)).toEqual([
      '10.96.252.129:0/ANY 0 [ClusterIP, non-routable]',
      '172.16.1.1:0/ANY 0 [LoadBalancer, non-routable]',
    ]);
    expect(nodeLbMaps(lab(), allocateLbIps(lab()), 'k8s-ctr').frontends.some((f) => f.wildcard)).toBe(false);
  });

  it('flag names follow Cilium order', () => {
    expect(lbFlagNames(0x0002 | 0x0004 | 0x2000 | 0x0010 | 0x8000)).toEqual(['NodePort', 'Local', 'two-scopes', 'sessionAffinity', 'non-routable', 'dsr']);
    expect(lbFlagNames(0x0020 | 0x0040 | 0x0080 | 0x4000)).toEqual(['LoadBalancer', 'check source-range', 'deny']);
    expect(lbFlagNames(0x4000)).toEqual(['ClusterIP', 'non-routable', 'quarantined']);
  });

  it('does not depend on the order of services and slices', () => {
    const a = lab();
    const b = { ...a, scenario: { ...a.scenario, services: [...a.scenario.services].reverse() }, endpointSlices: [...a.endpointSlices].reverse() };
    expect(rows(b)).toEqual(rows(a));
  });
});
