/**
 * The workloads stage's section of the main job: the bgp-lab written as the notes applied it (a
 * Deployment with anti-affinity, a pinned curl-pod, a Service without a cluster IP;
 * `examples/bgp-lab-workloads/lab`, layered over the embedded lab, whose pod and Service it
 * replaces), and what the stage computed: pods with their nodes and addresses, the ReplicaSet,
 * the services' cluster IPs, the EndpointSlices.
 *
 * @module
 */
import { labTwin, type MainSection } from './main-section.js';
import { renderGetControllers, renderGetEndpointSlices, renderGetPods } from '../../views/workloads.js';
import { renderGetServices } from '../../views/lb/kubectl.js';

/**
 * `kubectl get pods -o wide`, `kubectl get deploy,rs`, `kubectl get svc`, `kubectl get endpointslices`
 * on the bgp-lab written with a Deployment.
 *
 * @example
 * workloadsMainSection.render(load).startsWith('$ kubectl get pods -o wide'); // true
 */
export const workloadsMainSection: MainSection = {
  title: 'workloads: the bgp-lab written with a Deployment (examples/bgp-lab-workloads)',
  render(load) {
    const twin = labTwin(load, ['../../bgp-lab-workloads/lab']);
    const c = twin.cluster;
    const o = { namespace: 'default', allNamespaces: false, names: [] as string[] };
    const ipam = twin.lbIpam();
    return [
      `$ kubectl get pods -o wide\n${renderGetPods(c, { ...o, wide: true }) ?? ''}`,
      `$ kubectl get deploy,rs\n${renderGetControllers(c, 'Deployment', o, true) ?? ''}\n${renderGetControllers(c, 'ReplicaSet', o, true) ?? ''}`,
      `$ kubectl get svc\n${renderGetServices(c, ipam, { namespace: 'default', allNamespaces: false, wide: false, names: [] }) ?? ''}`,
      `$ kubectl get endpointslices\n${renderGetEndpointSlices(c, o) ?? ''}`,
    ].join('\n');
  },
};
