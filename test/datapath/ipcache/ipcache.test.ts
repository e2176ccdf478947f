import { describe, it, expect } from 'vitest';
import { loadLab } from '../../helpers/lab.js';
import { ipcacheEntries } from '../../../src/datapath/ipcache/ipcache.js';
import { renderIpcacheList, ipcacheListJson } from '../../../src/views/bpf-ipcache.js';
import { bpfIpcacheListCommand } from '../../../src/cli/commands/cilium-dbg-bpf-ipcache.js';
import { podIdentities } from '../../../src/datapath/endpoints/identity.js';

describe('bpf ipcache list', () => {
  const cluster = loadLab(['webpod-2.yaml']);

  it('pods of other nodes are tunnelled to their node even in native routing (seed 002)', () => {
    const id = podIdentities(cluster).get('default/webpod-697b545f57-hhjqw')!;
    const text = renderIpcacheList(ipcacheEntries(cluster, 'k8s-w1'));
    expect(text.split('\n')[0]).toBe('IP PREFIX/ADDRESS   IDENTITY');
    expect(text).toContain(`172.20.1.76/32      identity=${id} encryptkey=0 tunnelendpoint=0.0.0.0 flags=<none>\n`);
    expect(text).toContain(`172.20.2.68/32      identity=${id} encryptkey=0 tunnelendpoint=192.168.20.100 flags=hastunnel\n`);
  });

  it('reserved identities: world, host, remote-node', () => {
    const e = ipcacheEntries(cluster, 'k8s-ctr');
    const get = (p: string) => e.find((x) => x.prefix === p);
    expect(get('0.0.0.0/0')).toMatchObject({ identity: 2, tunnelEndpoint: '0.0.0.0' });
    expect(get('192.168.10.100/32')?.identity).toBe(1);
    expect(get('172.20.0.1/32')?.identity).toBe(1);
    expect(get('192.168.10.101/32')).toMatchObject({ identity: 6, tunnelEndpoint: '0.0.0.0' });
    expect(get('172.20.1.1/32')).toMatchObject({ identity: 6, tunnelEndpoint: '192.168.10.101', flags: ['hastunnel'] });
    expect(JSON.parse(ipcacheListJson(e))['0.0.0.0/0']).toEqual(['identity=2 encryptkey=0 tunnelendpoint=0.0.0.0 flags=<none>']);
  });

  it('pods sharing labels share an identity; identities are stable and in the global range', () => {
    const ids = podIdentities(cluster);
    const web = ids.get('default/webpod-697b545f57-hhjqw');
    expect(ids.get('default/webpod-697b545f57-8d2xs')).toBe(web);
    expect(ids.get('default/curl-pod')).not.toBe(web);
    for (const v of ids.values()) expect(v >= 256 && v <= 65535).toBe(true);
    expect(podIdentities(loadLab(['webpod-2.yaml']))).toEqual(ids);
  });

  it('the command runs inside nodes only', () => {
    const ok = bpfIpcacheListCommand.run({ cluster, args: [], json: false, host: 'k8s-ctr' });
    expect(ok.exitCode).toBe(0);
    expect(bpfIpcacheListCommand.run({ cluster, args: [], json: false, host: 'router' }).exitCode).toBe(127);
    expect(JSON.parse(bpfIpcacheListCommand.run({ cluster, args: ['-o', 'json'], json: false, host: 'k8s-ctr' }).stdout)).toHaveProperty('0.0.0.0/0');
  });
});
