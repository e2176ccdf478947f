/**
 * The views (`cilium-twin/views`): the real tools' text and JSON formats, pure `data → string` functions.
 *
 * @module
 */
export {
  formatRoute,
  renderRoutes,
  renderRoutesJson,
  routeJson,
  renderRouteGet,
  renderRouteGetJson,
  renderBriefAddresses,
  type RouteListOptions,
  type RouteGetQuery,
} from './iproute2.js';
export {
  bpfLbListRows,
  renderBpfLbList,
  bpfLbListJson,
  serviceListRows,
  renderServiceList,
  serviceListJson,
  renderMaglevGet,
  type BpfLbListMode,
  type DumpRows,
  type ServiceListRow,
  type MaglevGetResult,
} from './lb/cilium-dbg.js';
export {
  selectServices,
  renderGetServices,
  getServicesJson,
  renderGetIpPools,
  getIpPoolsJson,
  type GetServicesOptions,
} from './lb/kubectl.js';
export { tabwrite, tabwriteRows, CILIUM_TABWRITER, KUBECTL_TABWRITER, type TabwriterOptions } from './tabwriter.js';
export {
  renderCiliumBgpPeers,
  ciliumBgpPeersJson,
  peerJson,
  renderCiliumDbgBgpPeers,
  routeRows,
  renderCiliumBgpRoutes,
  ciliumBgpRoutesJson,
  renderRoutePolicies,
  routePoliciesJson,
  MODEL_SESSION_STATE,
  type GoBgpSessionState,
  type PeerSessionState,
  type SessionStateLookup,
  type RoutesQuery,
  type RouteRow,
} from './bgp/cilium-bgp.js';
export { nodeConfigObject, nodeConfigList, renderNodeConfigTable, renderNodeConfigYaml, UNKNOWN_AGE } from './bgp/node-configs.js';
export { goDuration, formatPathAttributes, wireNextHop } from './bgp/format.js';
export { renderShowIpBgp, renderShowIpBgpPrefix, renderShowIpBgpSummary, bgpTableHeader } from './vtysh/bgp.js';
export { renderShowIpRoute, zebraRib, ZEBRA_ROUTE_HEADER, type ZebraRoute, type ZebraHop, type ZebraRouteKind } from './vtysh/route.js';
export { renderRunningConfig, FRR_VERSION } from './vtysh/running.js';
export { runVtysh, vtyshCommandLines, type VtyshInput, type VtyshResult } from './vtysh/vtysh.js';
export { frrUptime, memString } from './vtysh/format.js';
export { renderTrace, renderTraceJson } from './trace.js';
export { curlOutput, repeatSummary, responseHeaders, type CurlOptions, type CurlOutput } from './curl.js';
export { renderGetIngress, ingressAddresses, type GetIngressOptions } from './ingress.js';
export { renderIpcacheList, ipcacheListJson, renderEndpointList, endpointListJson } from './bpf-ipcache.js';
export { renderClusterMeshStatus } from './clustermesh.js';
