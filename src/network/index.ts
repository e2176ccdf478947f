/**
 * The network stage (`cilium-twin/network`): the packet walk's compiled view of the stages.
 *
 * @module
 */
export type * from './types.js';
export { compileNetworkFrom, datapathConfig, type CompiledNetwork, type NetworkInputs } from './compile.js';
export { buildNetwork, serviceKey, DEFAULT_DATAPATH_CONFIG } from './build.js';
export { fibEcmpMember, multipathHash4, thresholdMember } from './ecmp.js';
export { ingressDatapath, nodeIngressAddress, type EnvoyBackend, type IngressDatapath, type NoBackend } from './ingress.js';
