/**
 * The FIB's section of the main job: the router's kernel routing table (`ip route`) on the
 * bgp-lab with three webpods and the LoadBalancer service advertised over BGP.
 *
 * @module
 */
import { renderRoutes } from '../../views/iproute2.js';
import type { MainSection } from './main-section.js';
import { labTwin } from './main-section.js';

/**
 * `exec router -- ip route` on `lab/ + webpod-3 + lb`.
 *
 * @example
 * ipRouteMainSection.render(load); // 'default via 10.0.2.2 dev eth0 proto dhcp src 10.0.2.15 metric 100 \n…'
 */
export const ipRouteMainSection: MainSection = {
  title: 'router: ip route (bgp-lab + webpod-3 + lb)',
  render(load) {
    const table = labTwin(load, ['webpod-3.yaml', 'lb.yaml']).fib('router');
    if (!table) return '(no host named router)\n';
    return renderRoutes(table.main);
  },
};
