import { describe, it, expect } from 'vitest';
import { loadLab } from '../../helpers/lab.js';
import { endpointMap, endpointIds } from '../../../src/datapath/endpoints/endpoints.js';
import { podIdentityLabels } from '../../../src/datapath/endpoints/identity.js';
import { renderEndpointList } from '../../../src/views/bpf-ipcache.js';
import { bpfEndpointListCommand } from '../../../src/cli/commands/cilium-dbg-bpf-endpoint.js';

describe('bpf endpoint list', () => {
  const cluster = loadLab(['webpod-3.yaml']);

  it('prints the seed 004 format: pod endpoints and (localhost) rows', () => {
    const text = renderEndpointList(endpointMap(cluster, 'k8s-ctr'));
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('IP ADDRESS         LOCAL ENDPOINT INFO');
    expect(lines).toContain('172.20.0.1:0       (localhost)');
    expect(lines).toContain('192.168.10.100:0   (localhost)');
    const pod = lines.find((l) => l.startsWith('172.20.0.247:0'))!;
    expect(pod).toMatch(/^172\.20\.0\.247:0 +id=\d+ +sec_id=\d+ +flags=0x0000 ifindex=\d+ +mac=([0-9A-F]{2}:){5}[0-9A-F]{2} nodemac=([0-9A-F]{2}:){5}[0-9A-F]{2}$/);
    // only local pods
    expect(text).not.toContain('172.20.1.76');
  });

  it('endpoint ids are unique per node and in 1..4095', () => {
    const ids = [...endpointIds(cluster, 'k8s-ctr').values()];
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id >= 1 && id <= 4095).toBe(true);
  });

  it('identity labels follow Cilium\'s label filter', () => {
    const pod = cluster.scenario.pods.find((p) => p.meta.name === 'curl-pod')!;
    expect(podIdentityLabels(cluster, pod)).toEqual([
      'k8s:app=curl',
      'k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name=default',
      'k8s:io.cilium.k8s.policy.cluster=default',
      'k8s:io.cilium.k8s.policy.serviceaccount=default',
      'k8s:io.kubernetes.pod.namespace=default',
    ]);
  });

  it('the command', () => {
    expect(bpfEndpointListCommand.run({ cluster, args: [], json: false, host: 'k8s-w1' }).stdout).toContain('172.20.1.76:0');
    expect(bpfEndpointListCommand.run({ cluster, args: ['--bogus'], json: false, host: 'k8s-w1' }).exitCode).toBe(2);
  });
});
