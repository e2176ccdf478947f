/**
 * The LB part of the main job: the LB IP the lab's service gets from LB IPAM, and one node's
 * `cilium-dbg bpf lb list`.
 *
 * @module
 */
import type { MainSection } from './main-section.js';
import { labTwin } from './main-section.js';
import { lbIpsOf } from '../../ipam/allocate.js';
import { formatIp } from '../../net/addr.js';
import { renderGetIpPools } from '../../views/lb/kubectl.js';
import { renderBpfLbList } from '../../views/lb/cilium-dbg.js';

/**
 * Main-job section: LB IPAM on `lab/ + webpod-3 + lb.yaml`, then k8s-ctr's `bpf lb list`.
 *
 * @example
 * lbMainSection.render(load); // "webpod gets 172.16.1.1 from cilium-pool ..."
 */
export const lbMainSection: MainSection = {
  title: "LB IPAM: the lab's service gets its LoadBalancer IP; k8s-ctr's BPF LB maps",
  render(load) {
    const twin = labTwin(load, ['webpod-3.yaml', 'lb.yaml']);
    const ipam = twin.lbIpam();
    const ips = lbIpsOf(ipam, 'default', 'webpod').map(formatIp);
    const svc = ipam.services.find((s) => s.namespace === 'default' && s.name === 'webpod');
    const pool = svc?.allocations[0]?.pool ?? '-';
    const lines = [
      `default/webpod gets ${ips.join(', ') || '<pending>'} from pool ${pool}` +
        (svc?.condition !== undefined ? ` (${svc.condition.type}: ${svc.condition.status}, ${svc.condition.reason})` : ''),
      '',
      '$ kubectl get ippools',
      (renderGetIpPools(ipam, []) ?? '').trimEnd(),
      '',
      '$ exec k8s-ctr -- cilium-dbg bpf lb list',
      renderBpfLbList(twin.maps('k8s-ctr')!).trimEnd(),
    ];
    return `${lines.join('\n')}\n`;
  },
};
