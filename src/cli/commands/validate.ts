/**
 * `cilium-twin validate`: decode the scenario (errors exit with code 1 before this runs), then say
 * what it holds: objects by kind (given and derived), the Cilium configuration with defaults,
 * nodes with addresses and pod CIDRs, hosts with interfaces, services with type, ClusterIP,
 * ports and traffic policies, ignored documents and warnings. `-o json` gives the same as JSON.
 *
 * Complexity: O(objects) with the cluster indexes (a service's EndpointSlices, a node's
 * CiliumNode, a host's origin are O(1) lookups), so 5,000 nodes and 10,000 services take a
 * table's worth of work, not a product of lists.
 *
 * @module
 */
import { policyWarnings } from '../../policy/validate.js';
import { frrDiagnostics, formatFrrDiagnostic } from '../../bgp/frr/diagnostics.js';
import { egressWarnings } from '../../egress/index.js';
import type { Command, CommandContext, CommandResult } from '../command.js';
import { outputOf } from '../output.js';
import { ok, okJson, usageError } from '../command.js';
import type { Cluster } from '../../cluster/types.js';
import { clusterIndexes } from '../../cluster/indexes.js';
import type { Host, Node, Service } from '../../input/types.js';
import { l2Warnings } from '../../l2/announce.js';
import { formatIp, formatPrefix } from '../../net/addr.js';
import { familyWarnings } from '../../cluster/families.js';

/** Left-aligned columns separated by two spaces (no trailing spaces). */
function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header, ...rows];
  const widths = header.map(() => 0);
  for (const r of all) for (let c = 0; c < widths.length; c++) widths[c] = Math.max(widths[c]!, (r[c] ?? '').length);
  return all
    .map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  ').trimEnd())
    .map((line) => `  ${line}`)
    .join('\n');
}

function labels(m: Readonly<Record<string, string>>): string {
  const keys = Object.keys(m).sort();
  return keys.length === 0 ? '-' : keys.map((k) => `${k}=${m[k]}`).join(',');
}

function nodeRow(n: Node, c: Cluster): { name: string; addresses: string[]; podCIDRs: string[]; ready: boolean; labels: Record<string, string> } {
  const cn = clusterIndexes(c).ciliumNode(n.meta.name);
  return {
    name: n.meta.name,
    addresses: n.addresses.map((a) => `${a.type} ${formatIp(a.address)}`),
    podCIDRs: (n.podCIDRs.length > 0 ? n.podCIDRs : (cn?.podCIDRs ?? [])).map((p) => formatPrefix(p)),
    ready: n.ready,
    labels: { ...n.meta.labels },
  };
}

function hostRow(h: Host, c: Cluster): { name: string; node: boolean; derived: boolean; interfaces: string[]; routes: number; frr: boolean; http?: number } {
  return {
    name: h.meta.name,
    node: clusterIndexes(c).node(h.meta.name) !== undefined,
    derived: !clusterIndexes(c).isGivenHost(h.meta.name),
    interfaces: h.interfaces.map((i) => `${i.name} ${i.addresses.map((a) => `${formatIp(a.address)}/${a.prefixLength}`).join(' ')}`.trimEnd()),
    routes: h.routes.length,
    frr: h.frr !== undefined,
    ...(h.http !== undefined ? { http: h.http.port } : {}),
  };
}

function serviceRow(s: Service, c: Cluster) {
  const ns = s.meta.namespace ?? 'default';
  const slices = clusterIndexes(c).slicesOf(ns, s.meta.name);
  const endpoints = slices.flatMap((e) => e.endpoints);
  return {
    namespace: ns,
    name: s.meta.name,
    type: s.type,
    clusterIPs: s.headless ? ['None'] : s.clusterIPs.map((a) => formatIp(a)),
    ports: s.ports.map(
      (p) => `${p.name !== undefined ? `${p.name} ` : ''}${p.port}${p.nodePort !== undefined ? `:${p.nodePort}` : ''}->${p.targetPort}/${p.protocol}`,
    ),
    externalTrafficPolicy: s.externalTrafficPolicy,
    internalTrafficPolicy: s.internalTrafficPolicy,
    selector: s.selector !== undefined ? { ...s.selector } : undefined,
    endpoints: endpoints.length,
    readyEndpoints: endpoints.filter((e) => e.ready).length,
    loadBalancerIPs: s.loadBalancerIngress.map((a) => formatIp(a)),
  };
}

/**
 * What `validate` reports, as data (the `-o json` output).
 *
 * @example
 * validateReport(cluster).nodes.map((n) => n.name); // ['k8s-ctr', 'k8s-w0', 'k8s-w1']
 */
export function validateReport(c: Cluster) {
  const s = c.given ?? c.scenario;
  const all = c.scenario;
  const kinds = (l: readonly { kind: string }[] | undefined, k: string) => (l ?? []).filter((x) => x.kind === k).length;
  const given: [string, number][] = [
    ['Node', s.nodes.length],
    ['Namespace', s.namespaces.length],
    ['Pod', s.pods.length],
    ['Service', s.services.length],
    ['EndpointSlice', s.endpointSlices.length],
    ['Ingress', s.ingresses.length],
    ['IngressClass', (s.ingressClasses ?? []).length],
    ['NetworkPolicy', s.networkPolicies.length],
    ['ConfigMap (kube-system/cilium-config)', s.ciliumConfig !== undefined ? 1 : 0],
    ['CiliumNode', s.ciliumNodes.length],
    ['CiliumBGPClusterConfig', s.bgpClusterConfigs.length],
    ['CiliumBGPPeerConfig', s.bgpPeerConfigs.length],
    ['CiliumBGPAdvertisement', s.bgpAdvertisements.length],
    ['CiliumBGPNodeConfigOverride', s.bgpNodeConfigOverrides.length],
    ['CiliumLoadBalancerIPPool', s.lbIpPools.length],
    ['CiliumL2AnnouncementPolicy', s.l2AnnouncementPolicies.length],
    ['CiliumEgressGatewayPolicy', s.egressGatewayPolicies.filter((p) => p.flavour === 'cilium').length],
    ['IsovalentEgressGatewayPolicy', s.egressGatewayPolicies.filter((p) => p.flavour === 'isovalent').length],
    ['CiliumNetworkPolicy', s.ciliumNetworkPolicies.length],
    ['CiliumClusterwideNetworkPolicy', s.ciliumClusterwideNetworkPolicies.length],
    ['Host', s.hosts.length],
    ['Deployment', kinds(s.controllers, 'Deployment')],
    ['ReplicaSet', kinds(s.controllers, 'ReplicaSet')],
    ['DaemonSet', kinds(s.controllers, 'DaemonSet')],
    ['StatefulSet', kinds(s.controllers, 'StatefulSet')],
    ['ServiceCIDR', (s.serviceCIDRs ?? []).length],
    // service features (issue 18): listed only when present, so other scenarios print as before
    ...((s.podIPPools ?? []).length > 0 ? [['CiliumPodIPPool', s.podIPPools!.length] as [string, number]] : []),
    ...((s.localRedirectPolicies ?? []).length > 0 ? [['CiliumLocalRedirectPolicy', s.localRedirectPolicies!.length] as [string, number]] : []),
  ];
  const derived: [string, number][] = [
    ['Pod', all.pods.length - s.pods.length],
    ['Service', all.services.length - s.services.length],
    ['ReplicaSet', kinds(all.controllers, 'ReplicaSet') - kinds(s.controllers, 'ReplicaSet')],
    ['CiliumNode', c.ciliumNodes.length - s.ciliumNodes.length],
    ['EndpointSlice', c.endpointSlices.length - s.endpointSlices.length],
    ['Host', c.hosts.length - s.hosts.length],
    ['Namespace', c.namespaces.length - s.namespaces.length],
  ];
  const k = c.config;
  return {
    objects: Object.fromEntries(given.filter(([, n]) => n > 0)),
    derived: Object.fromEntries(derived.filter(([, n]) => n > 0)),
    config: {
      clusterName: k.clusterName,
      clusterId: k.clusterId,
      ipam: k.ipam,
      routingMode: k.routingMode,
      tunnelProtocol: k.tunnelProtocol,
      autoDirectNodeRoutes: k.autoDirectNodeRoutes,
      ipv4NativeRoutingCIDR: k.ipv4NativeRoutingCIDR?.toCidrString() ?? null,
      kubeProxyReplacement: k.kubeProxyReplacement,
      enableBpfMasquerade: k.enableBpfMasquerade,
      enableIPv4Masquerade: k.enableIPv4Masquerade,
      enableBgpControlPlane: k.enableBgpControlPlane,
      lbAlgorithm: k.lbAlgorithm,
      lbMode: k.lbMode,
      lbDsrDispatch: k.lbDsrDispatch,
      maglevTableSize: k.maglevTableSize,
      lbExternalClusterIP: k.lbExternalClusterIP,
      enableL2Announcements: k.enableL2Announcements,
      enableEgressGateway: k.enableEgressGateway,
    },
    nodes: all.nodes.map((n) => nodeRow(n, c)),
    hosts: c.hosts.map((h) => hostRow(h, c)),
    services: all.services.map((v) => serviceRow(v, c)),
    ignored: s.ignored.map((i) => ({ source: i.source, apiVersion: i.apiVersion, kind: i.kind, name: i.name, ...(i.namespace !== undefined ? { namespace: i.namespace } : {}) })),
    warnings: [...c.warnings, ...frrDiagnostics(c).map(formatFrrDiagnostic), ...l2Warnings(c), ...egressWarnings(c), ...policyWarnings(c), ...familyWarnings(c)],
  };
}

const yes = (b: boolean): string => (b ? 'true' : 'false');

/** ipv6 (issue 18): the IPv6 native routing CIDR, shown only when IPv6 is on (IPv4 output unchanged). */
function ipv6Routing(k: Cluster['config']): string {
  return k.enableIPv6 ? `, ipv6-native-routing-cidr ${k.ipv6NativeRoutingCIDR !== undefined ? formatPrefix(k.ipv6NativeRoutingCIDR) : '-'}` : '';
}

/** ipv6 (issue 18): an `ip families` row when the cluster is not the IPv4-only default. */
function familyRows(k: Cluster['config']): string[][] {
  if (k.enableIPv4 && !k.enableIPv6) return [];
  return [['ip families', `ipv4 ${yes(k.enableIPv4)}, ipv6 ${yes(k.enableIPv6)}`]];
}

/**
 * The `validate` report as text.
 *
 * @example
 * renderValidate(cluster); // 'Scenario: 3 nodes, 4 hosts, 1 pod, 1 service\n…'
 */
export function renderValidate(c: Cluster): string {
  const r = validateReport(c);
  const s = c.given ?? c.scenario;
  const k = c.config;
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  const out: string[] = [];
  out.push(`Scenario: ${plural(s.nodes.length, 'node')}, ${plural(c.hosts.length, 'host')}, ${plural(s.pods.length, 'pod')}, ${plural(s.services.length, 'service')}: valid`);
  out.push('');
  out.push('Objects by kind:');
  out.push(table(['KIND', 'GIVEN', 'DERIVED'], [
    ...Object.entries(r.objects).map(([kind, n]) => [kind, String(n), r.derived[kind as keyof typeof r.derived] !== undefined ? String(r.derived[kind as keyof typeof r.derived]) : '-']),
    ...Object.entries(r.derived).filter(([kind]) => !(kind in r.objects)).map(([kind, n]) => [kind, '0', String(n)]),
  ]));
  out.push('');
  out.push('Cilium configuration (cilium-config, Cilium 1.18 defaults for absent keys):');
  out.push(table(['WHAT', 'VALUE'], [
    ['cluster', `${k.clusterName} (id ${k.clusterId})`],
    ['ipam', k.ipam],
    ['routing', `${k.routingMode}${k.routingMode === 'tunnel' ? ` (${k.tunnelProtocol})` : ''}, auto-direct-node-routes ${yes(k.autoDirectNodeRoutes)}, ipv4-native-routing-cidr ${k.ipv4NativeRoutingCIDR?.toCidrString() ?? '-'}${ipv6Routing(k)}`],
    ['kube-proxy-replacement', yes(k.kubeProxyReplacement)],
    ['masquerade', `bpf ${yes(k.enableBpfMasquerade)}, ipv4 ${yes(k.enableIPv4Masquerade)}${k.enableIPv6 ? `, ipv6 ${yes(k.enableIPv6Masquerade)}` : ''}`],
    ...familyRows(k),
    ['bgp-control-plane', yes(k.enableBgpControlPlane)],
    ['load balancing', `${k.lbAlgorithm}${k.lbAlgorithm === 'maglev' ? ` (M=${k.maglevTableSize})` : ''}, mode ${k.lbMode}${k.lbMode !== 'snat' ? ` (dispatch ${k.lbDsrDispatch})` : ''}, external ClusterIP ${yes(k.lbExternalClusterIP)}`],
    ['l2-announcements', yes(k.enableL2Announcements)],
    ['egress-gateway', yes(k.enableEgressGateway)],
  ]));
  out.push('');
  out.push('Nodes:');
  out.push(
    r.nodes.length === 0
      ? '  (none)'
      : table(['NAME', 'ADDRESSES', 'POD CIDRS', 'READY', 'LABELS'], r.nodes.map((n) => [n.name, n.addresses.join(', ') || '-', n.podCIDRs.join(', ') || '-', n.ready ? 'True' : 'False', labels(n.labels)])),
  );
  out.push('');
  out.push('Hosts:');
  out.push(
    r.hosts.length === 0
      ? '  (none)'
      : table(['NAME', 'ROLE', 'ROUTES', 'FRR', 'INTERFACES'], r.hosts.map((h) => [
          h.name,
          `${h.node ? 'node' : 'host'}${h.derived ? ' (default)' : ''}${h.http !== undefined ? `, http :${h.http}` : ''}`,
          String(h.routes),
          h.frr ? 'yes' : '-',
          h.interfaces.join(', ') || '-',
        ])),
  );
  out.push('');
  out.push('Services:');
  out.push(
    r.services.length === 0
      ? '  (none)'
      : table(['NAMESPACE', 'NAME', 'TYPE', 'CLUSTER-IP', 'PORTS', 'ETP', 'ITP', 'SELECTOR', 'ENDPOINTS'], r.services.map((v) => [
          v.namespace,
          v.name,
          v.type,
          v.clusterIPs.join(',') || '-',
          v.ports.join(', ') || '-',
          v.externalTrafficPolicy,
          v.internalTrafficPolicy,
          v.selector !== undefined ? labels(v.selector) : '-',
          `${v.readyEndpoints}/${v.endpoints} ready`,
        ])),
  );
  out.push('');
  out.push('Ignored documents (kinds the model does not read):');
  out.push(r.ignored.length === 0 ? '  (none)' : table(['SOURCE', 'KIND', 'NAME'], r.ignored.map((i) => [i.source, `${i.apiVersion} ${i.kind}`, i.namespace !== undefined ? `${i.namespace}/${i.name}` : i.name])));
  out.push('');
  out.push('Warnings:');
  out.push(r.warnings.length === 0 ? '  (none)' : r.warnings.map((w) => `  - ${w}`).join('\n'));
  return `${out.join('\n')}\n`;
}

const help = `Usage: cilium-twin [-f PATH]... [--set KEY=VALUE]... validate [-o json]

Decodes the scenario and says what it holds: objects by kind (given, and derived by the model the
way Kubernetes and Cilium would: CiliumNodes, EndpointSlices, default Hosts, namespaces), the
Cilium configuration with 1.18 defaults, nodes with their addresses and pod CIDRs, hosts with
their interfaces, services with type, ClusterIP, ports (name port[:nodePort]->targetPort/proto),
traffic policies and endpoints, ignored documents and warnings.

A scenario with an error prints each error (file#document Kind/name: field.path: problem) and
exits with code 1.

Options:
  -o json   the same report as JSON

Example: cilium-twin -f examples/bgp-lab/lab -f examples/bgp-lab/variants/lb.yaml validate`;

/**
 * The `validate` command (cluster scope).
 *
 * @example
 * validateCommand.run({ cluster, args: [], json: false }).stdout; // 'Scenario: 3 nodes, …'
 */
export const validateCommand: Command = {
  path: ['validate'],
  formats: ['json'],
  scope: 'cluster',
  summary: 'decode the scenario and say what it holds (objects, nodes, hosts, services, warnings)',
  help,
  run(ctx: CommandContext): CommandResult {
    const o = outputOf(ctx, validateCommand);
    if ('exitCode' in o) return o;
    if (o.rest.length > 0) return usageError(`validate: unexpected argument ${o.rest[0] ?? ''}`);
    return o.output === 'json' ? okJson(validateReport(ctx.cluster)) : ok(renderValidate(ctx.cluster));
  },
};
