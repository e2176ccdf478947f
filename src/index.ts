/**
 * cilium-twin: a digital twin of a Kubernetes cluster networked by Cilium.
 *
 * Start here: `loadScenario(files)` decodes the scenario (every error located) into a
 * {@link Twin}, whose methods answer each stage — `lbIpam()`, `bgp()`, `fib(host)`,
 * `maps(node)`, `trace(request)`, … — each computed once, when first asked.
 *
 * ```ts
 * import { loadScenario } from 'cilium-twin';
 * import { isRight } from 'fp-ts/lib/Either.js';
 * const loaded = loadScenario([{ file: 'lab.yaml', text }]);
 * if (isRight(loaded)) console.log(loaded.right.trace({ from: 'router', dst: '172.16.1.1', dport: 80 }).verdict);
 * ```
 *
 * Each stage is a sub-path with its own functions and types: `cilium-twin/input`,
 * `cilium-twin/cluster`, `cilium-twin/ipam`, `cilium-twin/fib`, `cilium-twin/bgp`,
 * `cilium-twin/datapath`, `cilium-twin/network`, `cilium-twin/packet`, `cilium-twin/views`,
 * `cilium-twin/twin`, `cilium-twin/net`, `cilium-twin/arbitraries` (and the feature stages
 * `cilium-twin/l2`, `cilium-twin/egress`, `cilium-twin/script`).
 *
 * @packageDocumentation
 */

// the façade
export { loadScenario, type LoadError, type ScenarioFile } from './twin/load.js';
export { createTwin, type Twin } from './twin/twin.js';
export { memoKey, type MemoKey } from './twin/memo.js';
export { LazyMap } from './twin/lazy.js';

// the steps loadScenario composes, for callers that hold decoded data
export { decodeScenario, type DecodeError, type DecodeOptions } from './input/decode.js';
export { buildCluster } from './cluster/build.js';
export { frrDiagnostics, formatFrrDiagnostic, type FrrDiagnostic } from './bgp/frr/diagnostics.js';

// the types of what the twin answers
export type { Scenario, IpAddress, IpPrefix } from './input/types.js';
export type { Cluster } from './cluster/types.js';
export type { LbIpamResult } from './ipam/types.js';
export type { RoutingTable, KernelRoute } from './fib/types.js';
export type { CiliumBgpResult } from './bgp/cilium/types.js';
export type { BgpNetworkResult } from './bgp/network/types.js';
export type { NodeLbMaps, LbFrontend, LbBackend } from './datapath/lb/types.js';
export type { CompiledNetwork } from './network/compile.js';
export type { TraceRequest, TraceResult, TraceJson, L4Protocol } from './packet/types.js';

// a trace's stable JSON contract and its text
export { traceJson } from './packet/trace.js';
export { renderTrace, renderTraceJson } from './views/trace.js';
