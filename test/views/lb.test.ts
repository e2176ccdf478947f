import { describe, it, expect } from 'vitest';
import { tabwrite, CILIUM_TABWRITER, KUBECTL_TABWRITER, renderBpfLbList, bpfLbListJson, renderServiceList, serviceListRows, renderMaglevGet, renderGetIpPools, renderGetServices, getServicesJson } from '../../src/views/lb/index.js';
import { allocateLbIps } from '../../src/ipam/index.js';
import { nodeLbMaps } from '../../src/datapath/lb/maps.js';
import { makeCluster, service, slice, pool, ip, node, cidr } from '../ipam/fixtures.js';

describe('tabwrite (Go text/tabwriter)', () => {
  it('pads terminated cells to the widest plus padding, at least minwidth', () => {
    expect(tabwrite(['ID\tName\t', '1\tweb\t'], CILIUM_TABWRITER)).toBe('ID   Name   \n1    web    \n');
    expect(tabwrite(['a\tb', 'ccc\td'], KUBECTL_TABWRITER)).toBe('a     b\nccc   d\n');
  });
  it('a line with fewer cells ends the column block', () => {
    expect(tabwrite(['aaaaaaa\tx\t', 'no tabs', 'b\ty\t'], CILIUM_TABWRITER)).toBe('aaaaaaa   x    \nno tabs\nb    y    \n');
  });
  it('continuation rows with empty first cells align under the block', () => {
    expect(tabwrite(['ID\tFrontend\tBackend\t', '16\t1.1.1.1:80/TCP\t1 => a\t', '\t\t2 => b\t'], CILIUM_TABWRITER)).toBe(
      'ID   Frontend         Backend   \n16   1.1.1.1:80/TCP   1 => a    \n                      2 => b    \n',
    );
  });
});

function cluster(extra: Parameters<typeof makeCluster>[0] = {}) {
  return makeCluster({
    nodes: [node('n1', '192.168.1.1')],
    services: [service('web', { clusterIPs: [ip('10.96.0.50')], ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 8080, nodePort: 30080 }] })],
    endpointSlices: [slice('web', [{ addr: '10.1.0.2', node: 'n1' }, { addr: '10.1.0.1', node: 'n1' }], [{ name: 'http', port: 8080 }])],
    lbIpPools: [pool('p', ['172.16.1.0/24'], { allowFirstLastIPs: 'No' })],
    ...extra,
  });
}

describe('cilium-dbg views', () => {
  const c = cluster();
  const maps = nodeLbMaps(c, allocateLbIps(c), 'n1');

  it('bpf lb list: master and slot rows, trailing space after the flags', () => {
    const out = renderBpfLbList(maps).split('\n');
    // widest value: '0.0.0.0:0 (1) (0) [NodePort, non-routable] ' (44) + padding 3 = 47
    const pad = (a: string, b: string) => `${a.padEnd(28)}${b.padEnd(47)}`;
    expect(out[0]).toBe(pad('SERVICE ADDRESS', 'BACKEND ADDRESS (REVNAT_ID) (SLOT)'));
    expect(out).toContain(pad('10.96.0.50:80/TCP (0)', '0.0.0.0:0 (3) (0) [ClusterIP, non-routable] '));
    expect(out).toContain(pad('10.96.0.50:80/TCP (1)', '10.1.0.1:8080/TCP (3) (1)'));
    expect(out).toContain(pad('172.16.1.1:80/TCP (0)', '0.0.0.0:0 (4) (0) [LoadBalancer] '));
    expect(out).toContain(pad('192.168.1.1:30080/TCP (0)', '0.0.0.0:0 (2) (0) [NodePort] '));
  });

  it('bpf lb list --revnat / --backends / --frontends', () => {
    expect(renderBpfLbList(maps, 'revnat')).toContain('4    172.16.1.1:80 ');
    expect(renderBpfLbList(maps, 'backends').split('\n')[1]).toMatch(/^1 +TCP:\/\/10\.1\.0\.1 +$/);
    expect(renderBpfLbList(maps, 'frontends')).toMatch(/172\.16\.1\.1:80\/TCP \(0\) +0 2\[0\] \(4\) \[0x60 0x0\]/);
  });

  it('bpf lb list --source-ranges lists cidr (revnat) keys', () => {
    const sc = cluster({
      services: [service('web', { clusterIPs: [ip('10.96.0.50')], loadBalancerSourceRanges: [cidr('10.0.0.0/8')] })],
    });
    const m = nodeLbMaps(sc, allocateLbIps(sc), 'n1');
    const out = renderBpfLbList(m, 'source-ranges').split('\n');
    expect(out[0]!.trimEnd()).toBe('SOURCE RANGE (REVNAT_ID)');
    expect(out.slice(1, -1).map((l) => l.trimEnd())).toEqual(['10.0.0.0/8 (1)', '10.0.0.0/8 (2)']);
  });

  it('-o json is the dump map with sorted keys', () => {
    const j = JSON.parse(bpfLbListJson(maps, 'revnat')) as Record<string, string[]>;
    expect(Object.keys(j)).toEqual(['1', '2', '3', '4']);
    expect(j['4']).toEqual(['172.16.1.1:80']);
  });

  it('service list: ID-sorted table frontends, no node-address copies', () => {
    const out = renderServiceList(serviceListRows(maps));
    expect(out).toBe(
      [
        'ID   Frontend            Service Type   Backend                           ',
        '1    0.0.0.0:30080/TCP   NodePort       1 => 10.1.0.1:8080/TCP (active)   ',
        '                                        2 => 10.1.0.2:8080/TCP (active)   ',
        '3    10.96.0.50:80/TCP   ClusterIP      1 => 10.1.0.1:8080/TCP (active)   ',
        '                                        2 => 10.1.0.2:8080/TCP (active)   ',
        '4    172.16.1.1:80/TCP   LoadBalancer   1 => 10.1.0.1:8080/TCP (active)   ',
        '                                        2 => 10.1.0.2:8080/TCP (active)   ',
        '',
      ].join('\n'),
    );
  });

  it('maglev get: real format, --rle counts, and the error for a service without a table', () => {
    const mc = cluster({ config: { lbAlgorithm: 'maglev', maglevTableSize: 251 } });
    const m = nodeLbMaps(mc, allocateLbIps(mc), 'n1');
    const real = renderMaglevGet(m, 4, { json: false, rle: false });
    expect(real.stdout).toMatch(/^SVC ID   LOOKUP TABLE +\n\[4\]\/v4   \[([12] ){250}[12]\] +\n$/);
    const rle = renderMaglevGet(m, 4, { json: false, rle: true }).stdout.split('\n');
    expect(rle[1]).toMatch(/^\[4\]\/v4   counts: [12]\(126\), [12]\(125\)$/);
    expect(rle[2]).toMatch(/^ {9}runs: /);
    expect(renderMaglevGet(m, 3, { json: false, rle: false })).toEqual({ stdout: '', stderr: 'Error: No entry found for service 3\n', exitCode: 1 });
    expect(JSON.parse(renderMaglevGet(m, 4, { json: true, rle: false }).stdout)['[4]/v4'][0]).toMatch(/^\[/);
  });
});

describe('kubectl views', () => {
  it('get svc: pending without a pool, <none> for ClusterIP', () => {
    const c = makeCluster({
      services: [service('lb', { clusterIPs: [ip('10.96.0.9')] }), service('cip', { type: 'ClusterIP', clusterIPs: [ip('10.96.0.8')], ports: [] })],
    });
    const out = renderGetServices(c, allocateLbIps(c), { namespace: 'default', allNamespaces: false, wide: false, names: [] })!;
    expect(out.split('\n')).toEqual([
      'NAME   TYPE           CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE',
      'cip    ClusterIP      10.96.0.8    <none>        <none>    <unknown>',
      'lb     LoadBalancer   10.96.0.9    <pending>     80/TCP    <unknown>',
      '',
    ]);
    expect(renderGetServices(c, allocateLbIps(c), { namespace: 'prod', allNamespaces: false, wide: false, names: [] })).toBeUndefined();
  });

  it('get svc -o json carries the LB IPAM status', () => {
    const c = cluster();
    const j = JSON.parse(getServicesJson(c, allocateLbIps(c), { namespace: 'default', allNamespaces: false, wide: false, names: [] }));
    expect(j.items[0].status.loadBalancer.ingress).toEqual([{ ip: '172.16.1.1', ipMode: 'VIP' }]);
    expect(j.items[0].status.conditions[0].reason).toBe('satisfied');
  });

  it('get ippools: conflicting pools read True', () => {
    const c = makeCluster({ lbIpPools: [pool('a', ['10.0.0.0/24']), pool('b', ['10.0.0.0/25'])] });
    expect(renderGetIpPools(allocateLbIps(c), [])!.split('\n')).toEqual([
      'NAME   DISABLED   CONFLICTING   IPS AVAILABLE   AGE',
      'a      false      False         256             <unknown>',
      'b      false      True          128             <unknown>',
      '',
    ]);
  });
});
