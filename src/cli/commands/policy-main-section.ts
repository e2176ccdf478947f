/**
 * The main job's policy section: the lab with webpod locked down to curl-pod
 * (`variants/policy-webpod.yaml`): curl-pod's request is allowed, the router's request to the
 * LB IP is dropped by policy, each with the Hubble lines of its policy verdict and drop.
 *
 * @module
 */
import type { Cluster } from '../../cluster/types.js';
import type { TraceRequest } from '../../packet/types.js';
import { renderFlows, resolveFlows } from '../../views/hubble.js';
import { type MainSection, labTwin } from './main-section.js';
import type { Twin } from '../../twin/twin.js';

function probe(twin: Twin, prompt: string, req: TraceRequest): string {
  const net = twin.network();
  const r = twin.trace(req);
  const table = twin.identityTable();
  const events = (r.flows ?? []).filter((f) => f.event === 'policy-verdict' || f.event === 'drop');
  const flows = resolveFlows(events, (a) => net.podsByIp.get(a)?.key, (id) => table.byId.get(id)?.labels ?? []);
  const verdict = `${r.verdict}${r.reason !== null ? ` (${r.reason})` : ''}`;
  return `${prompt}\n  verdict: ${verdict}\n  hubble observe:\n${renderFlows(flows, 'compact')
    .trimEnd()
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n')}\n`;
}

/**
 * The policy section of the main job.
 *
 * @example
 * ```ts
 * policyMainSection.render(load); // 'curl-pod$ curl -s 10.96.252.129 …'
 * ```
 */
export const policyMainSection: MainSection = {
  title: 'Network policy: webpod accepts curl-pod only (policy-webpod.yaml); the router is denied',
  render(load: (variants: readonly string[]) => Cluster): string {
    const cluster = labTwin(load, ['webpod-2.yaml', 'pod-routes.yaml', 'lb.yaml', 'policy-webpod.yaml']);
    const allowed = probe(cluster, 'curl-pod$ curl -s 10.96.252.129   # the webpod ClusterIP', { from: 'default/curl-pod', dst: '10.96.252.129', dport: 80 });
    const denied = probe(cluster, 'router$ curl -s --connect-timeout 1 172.16.1.1   # the LB IP: exit 28', { from: 'router', dst: '172.16.1.1', dport: 80 });
    return `${allowed}\n${denied}`;
  },
};
