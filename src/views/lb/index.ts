/**
 * LB views: `cilium-dbg bpf lb list`, `cilium-dbg service list`, `cilium-dbg bpf lb maglev get`,
 * `kubectl get svc`, `kubectl get ippools`.
 *
 * @module
 */
export * from './cilium-dbg.js';
export * from './kubectl.js';
export { tabwrite, CILIUM_TABWRITER, KUBECTL_TABWRITER } from '../tabwriter.js';
export type { TabwriterOptions } from '../tabwriter.js';
