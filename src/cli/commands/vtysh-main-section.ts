/**
 * The FRR router's part of the main job: what the router made of the nodes' advertisements.
 *
 * @module
 */
import type { MainSection } from './main-section.js';
import { labTwin } from './main-section.js';
import { runVtysh } from '../../views/vtysh/vtysh.js';

/**
 * Main-job section: on `lab/ + webpod-3 + lb.yaml`, the router's `show ip bgp summary`,
 * `show ip bgp`, `show ip bgp 172.16.1.1/32` and `show ip route bgp`.
 *
 * @example
 * vtyshMainSection.render(load); // "$ exec router -- vtysh -c 'show ip bgp summary'\n…"
 */
export const vtyshMainSection: MainSection = {
  title: 'FRR router: sessions, BGP table, best path and multipath, zebra (lab + webpod-3 + lb.yaml)',
  render(load) {
    const twin = labTwin(load, ['webpod-3.yaml', 'lb.yaml']);
    const router = twin.bgp().routers.get('router');
    const host = twin.cluster.hosts.find((h) => h.meta.name === 'router');
    if (!router || !host) return '(no FRR router named router)\n';
    const table = twin.baseTable('router');
    const out: string[] = [];
    for (const cmd of ['show ip bgp summary', 'show ip bgp', 'show ip bgp 172.16.1.1/32', 'show ip route bgp']) {
      out.push(`$ exec router -- vtysh -c '${cmd}'`);
      out.push(runVtysh({ router, host, ...(table ? { table } : {}) }, cmd).output.replace(/^\n/, '').trimEnd());
      out.push('');
    }
    return `${out.join('\n')}\n`;
  },
};
