/**
 * `service.cilium.io/node`: a service exposed only on the nodes whose `service.cilium.io/node`
 * label equals the annotation (`pkg/loadbalancer/tests/testdata/svc-node-exposure.txtar`).
 */
import { describe, it, expect } from 'vitest';
import { labFiles } from '../helpers/lab.js';
import { twinWith } from './helpers.js';
import { formatIp } from '../../src/net/addr.js';

const webpod3 = labFiles(['webpod-3.yaml']).at(-1)!.text;
const labelled = labFiles()
  .find((f) => f.file.endsWith('00-hosts.yaml'))!
  .text.replace('    kubernetes.io/hostname: k8s-w0\n', '    kubernetes.io/hostname: k8s-w0\n    service.cilium.io/node: edge\n');
const svc = (value: string) => `apiVersion: v1
kind: Service
metadata: {name: webpod, namespace: default, labels: {app: webpod}, annotations: {service.cilium.io/node: ${value}}}
spec:
  clusterIP: 10.96.252.129
  clusterIPs: [10.96.252.129]
  selector: {app: webpod}
  ports: [{name: http, port: 80, targetPort: 80, protocol: TCP}]`;
const has = (t: ReturnType<typeof twinWith>, node: string) => t.maps(node)!.frontends.some((f) => formatIp(f.address) === '10.96.252.129');

describe('service.cilium.io/node', () => {
  it('frontends only on the nodes labelled with the same value', () => {
    const t = twinWith([labelled, webpod3, svc('edge')]);
    expect(['k8s-ctr', 'k8s-w1', 'k8s-w0'].map((n) => has(t, n))).toEqual([false, false, true]);
    const other = twinWith([labelled, webpod3, svc('core')]);
    expect(['k8s-ctr', 'k8s-w1', 'k8s-w0'].map((n) => has(other, n))).toEqual([false, false, false]);
  });
  it('without the annotation the service is everywhere; a pod on an unexposed node finds no service', () => {
    const t = twinWith([labelled, webpod3]);
    expect(['k8s-ctr', 'k8s-w1', 'k8s-w0'].map((n) => has(t, n))).toEqual([true, true, true]);
    const r = twinWith([labelled, webpod3, svc('edge')]).trace({ from: 'default/curl-pod', dst: '10.96.252.129', dport: 80 });
    expect(r.hops.some((h) => h.event === 'sock-xlate')).toBe(false);
  });
});
