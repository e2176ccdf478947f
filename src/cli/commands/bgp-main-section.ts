/**
 * The Cilium BGP part of the main job: what each lab node advertises to the router.
 *
 * @module
 */
import type { MainSection } from './main-section.js';
import { labTwin } from './main-section.js';
import { renderCiliumBgpPeers, renderCiliumBgpRoutes, renderRoutePolicies } from '../../views/bgp/cilium-bgp.js';
import { bgpOf, sessionStatesOf } from './bgp-common.js';

/**
 * Main-job section: on `lab/ + webpod-3 + lb.yaml`, the sessions, every node's advertised routes
 * (its pod CIDR and the LB IP 172.16.1.1/32, AS path 65001, next hop = the node's address
 * towards the router) and k8s-w1's route policies.
 *
 * @example
 * bgpMainSection.render(load); // "$ cilium bgp peers\nNode ..."
 */
export const bgpMainSection: MainSection = {
  title: "Cilium BGP control plane: what each node advertises to the router (lab + webpod-3 + lb.yaml)",
  render(load) {
    const twin = labTwin(load, ['webpod-3.yaml', 'lb.yaml']);
    const result = bgpOf(twin);
    const states = sessionStatesOf(twin);
    const lines = [
      '$ cilium bgp peers',
      renderCiliumBgpPeers(result, states).trimEnd(),
      '',
      '$ cilium bgp routes advertised ipv4 unicast',
      renderCiliumBgpRoutes(result, { table: 'advertised', afi: 'ipv4', safi: 'unicast' }, states).trimEnd(),
      '',
      '$ exec k8s-w1 -- cilium-dbg bgp route-policies',
      renderRoutePolicies(result, 'k8s-w1').trimEnd(),
    ];
    return `${lines.map((l) => l.split('\n').map((x) => x.trimEnd()).join('\n')).join('\n')}\n`;
  },
};
