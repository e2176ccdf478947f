/**
 * Test helper: checks a generated scenario's validity directly on its documents (no decoder):
 * unique identities and names, addresses inside their CIDRs, unique ClusterIPs and nodePorts,
 * non-overlapping ranges, routers on every subnet peering with every node, facts matching documents.
 * Returns the list of problems (empty = valid).
 */
import type { GeneratedScenario, ManifestDocument } from '../../src/arbitraries/index.js';

type Obj = Record<string, unknown>;

/** Dotted quad → 32-bit number. */
export function ipToInt(ip: string): number {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) throw new Error(`bad ip ${ip}`);
  return (((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!) >>> 0;
}

/** CIDR → [first, last] as numbers. */
export function cidrRange(cidr: string): [number, number] {
  const [ip, len] = cidr.split('/');
  const l = Number(len);
  const base = ipToInt(ip!);
  const size = 2 ** (32 - l);
  const first = base - (base % size);
  if (first !== base) throw new Error(`not a network address: ${cidr}`);
  return [first, first + size - 1];
}

/** True when `ip` is inside `cidr`. */
export function inCidr(ip: string, cidr: string): boolean {
  const [a, b] = cidrRange(cidr);
  const v = ipToInt(ip);
  return v >= a && v <= b;
}

function overlaps(a: [number, number], b: [number, number]): boolean {
  return a[0] <= b[1] && b[0] <= a[1];
}

function meta(d: ManifestDocument): { name?: string; namespace?: string; labels?: Record<string, string> } {
  return (d['metadata'] ?? {}) as { name?: string; namespace?: string; labels?: Record<string, string> };
}

/** Kinds that live in a namespace. */
const NAMESPACED = new Set(['Pod', 'Service', 'EndpointSlice', 'ConfigMap']);

/** The identity the decoder merges by: API group, kind, namespace, name. */
export function identity(d: ManifestDocument): string {
  const apiVersion = String(d['apiVersion'] ?? '');
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  const kind = String(d['kind'] ?? '');
  const m = meta(d);
  const ns = NAMESPACED.has(kind) ? (m.namespace ?? 'default') : '';
  return `${group}|${kind}|${ns}|${m.name ?? ''}`;
}

function isJsonCompatible(v: unknown): boolean {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (Array.isArray(v)) return v.every(isJsonCompatible);
  if (typeof v === 'object') {
    if (Object.getPrototypeOf(v) !== Object.prototype) return false;
    return Object.values(v as Obj).every((x) => x !== undefined && isJsonCompatible(x));
  }
  return false;
}

/** Every problem found in a generated scenario. */
export function scenarioProblems(s: GeneratedScenario): string[] {
  const problems: string[] = [];
  const bad = (m: string): void => {
    problems.push(m);
  };
  const { documents, facts } = s;
  const byKind = (k: string): ManifestDocument[] => documents.filter((d) => d['kind'] === k);

  // Documents: JSON-compatible, with apiVersion/kind/name, unique identities.
  const ids = new Set<string>();
  for (const d of documents) {
    if (!isJsonCompatible(d)) bad(`not JSON-compatible: ${identity(d)}`);
    if (typeof d['apiVersion'] !== 'string' || typeof d['kind'] !== 'string' || !meta(d).name) bad(`incomplete document ${identity(d)}`);
    const id = identity(d);
    if (ids.has(id)) bad(`duplicate identity ${id}`);
    ids.add(id);
  }

  // Subnets and nodes.
  const subnetRanges = facts.subnets.map((x) => cidrRange(x.cidr));
  const nodeNames = new Set<string>();
  const internalIPs = new Set<string>();
  const podCIDRs: [number, number][] = [];
  for (const n of facts.nodes) {
    if (nodeNames.has(n.name)) bad(`duplicate node ${n.name}`);
    nodeNames.add(n.name);
    if (internalIPs.has(n.internalIP)) bad(`duplicate InternalIP ${n.internalIP}`);
    internalIPs.add(n.internalIP);
    const sub = facts.subnets[n.subnet];
    if (sub === undefined || !inCidr(n.internalIP, sub.cidr)) bad(`node ${n.name} ${n.internalIP} not on its subnet`);
    if (sub !== undefined && sub.routerAddresses.includes(n.internalIP)) bad(`node ${n.name} has a router's address`);
    if (!inCidr(n.podCIDR.split('/')[0]!, '172.20.0.0/16')) bad(`pod CIDR ${n.podCIDR} outside 172.20.0.0/16`);
    const r = cidrRange(n.podCIDR);
    if (podCIDRs.some((o) => overlaps(o, r))) bad(`pod CIDR ${n.podCIDR} overlaps another`);
    podCIDRs.push(r);
    const doc = byKind('Node').find((d) => meta(d).name === n.name);
    if (doc === undefined) bad(`node ${n.name} has no document`);
    else {
      const spec = doc['spec'] as Obj;
      const status = doc['status'] as { addresses: { type: string; address: string }[] };
      if (spec['podCIDR'] !== n.podCIDR) bad(`node ${n.name} podCIDR differs`);
      if (!status.addresses.some((a) => a.type === 'InternalIP' && a.address === n.internalIP)) bad(`node ${n.name} InternalIP differs`);
    }
  }
  if (byKind('Node').length !== facts.nodes.length) bad('node documents differ from facts');

  // Node hosts.
  for (const h of byKind('Host')) {
    const name = meta(h).name!;
    const node = facts.nodes.find((n) => n.name === name);
    const spec = h['spec'] as { interfaces: { name: string; addresses: string[] }[]; routes?: string; frr?: string };
    const ifaceNets = spec.interfaces.flatMap((i) => i.addresses.map((a) => a.split('/')));
    if (node !== undefined) {
      if (!ifaceNets.some(([a]) => a === node.internalIP)) bad(`host ${name} lacks its InternalIP`);
      const routerAddrs = new Set(facts.subnets[node.subnet]?.routerAddresses ?? []);
      for (const line of (spec.routes ?? '').split('\n').filter((l) => l.trim() !== '')) {
        const via = /via (\S+)/.exec(line)?.[1];
        if (via === undefined) bad(`host ${name} route without gateway: ${line}`);
        else if (!routerAddrs.has(via) && via !== '10.0.2.2') bad(`host ${name} route via ${via} is not a router on its subnet`);
      }
    } else {
      const router = facts.routers.find((r) => r.name === name);
      if (router === undefined) {
        bad(`host ${name} is neither node nor router`);
        continue;
      }
      facts.subnets.forEach((sub, i) => {
        const addr = router.addresses[i];
        if (addr === undefined || !inCidr(addr, sub.cidr)) bad(`router ${name} address on subnet ${i} wrong`);
        if (!ifaceNets.some(([a]) => a === addr)) bad(`router ${name} has no interface on ${sub.cidr}`);
      });
      if (facts.bgp !== undefined) {
        const frr = spec.frr ?? '';
        if (!frr.includes(`router bgp ${router.asn}`)) bad(`router ${name} frr lacks its AS`);
        if (!frr.includes('no bgp ebgp-requires-policy')) bad(`router ${name} frr requires policy`);
        for (const n of facts.nodes) {
          if (!new RegExp(`neighbor ${n.internalIP.replace(/\./g, '\\.')} (peer-group|remote-as)`).test(frr)) {
            bad(`router ${name} does not peer with ${n.name}`);
          }
        }
      } else if (spec.frr !== undefined) bad(`router ${name} has FRR without BGP`);
    }
  }
  if (byKind('Host').length !== facts.routers.length + facts.nodes.filter((n) => n.explicitHost).length) {
    bad('host documents differ from facts');
  }

  // Pods.
  const podIPs = new Set<string>();
  for (const p of facts.pods) {
    const node = facts.nodes.find((n) => n.name === p.node);
    if (node === undefined) bad(`pod ${p.name} on unknown node ${p.node}`);
    else {
      if (!inCidr(p.ip, node.podCIDR)) bad(`pod ${p.name} ${p.ip} outside ${node.podCIDR}`);
      const last = Number(p.ip.split('.')[3]);
      if (last < 2 || last > 254) bad(`pod ${p.name} has reserved address ${p.ip}`);
    }
    if (podIPs.has(p.ip)) bad(`duplicate pod IP ${p.ip}`);
    podIPs.add(p.ip);
    const doc = byKind('Pod').find((d) => meta(d).name === p.name && meta(d).namespace === p.namespace);
    if (doc === undefined) bad(`pod ${p.name} has no document`);
    else if ((doc['status'] as Obj)['podIP'] !== p.ip) bad(`pod ${p.name} IP differs`);
  }
  if (byKind('Pod').length !== facts.pods.length) bad('pod documents differ from facts');

  // Services.
  const clusterIPs = new Set<string>();
  const nodePorts = new Set<number>();
  const takePort = (port: number, what: string): void => {
    if (port < 30000 || port > 32767) bad(`${what} ${port} outside 30000-32767`);
    if (nodePorts.has(port)) bad(`duplicate node port ${port} (${what})`);
    nodePorts.add(port);
  };
  for (const svc of facts.services) {
    const doc = byKind('Service').find((d) => meta(d).name === svc.name && meta(d).namespace === svc.namespace);
    if (doc === undefined) {
      bad(`service ${svc.name} has no document`);
      continue;
    }
    const spec = doc['spec'] as Obj;
    if (svc.clusterIP !== undefined) {
      if (!inCidr(svc.clusterIP, '10.96.0.0/16')) bad(`ClusterIP ${svc.clusterIP} outside 10.96.0.0/16`);
      if (['10.96.0.0', '10.96.0.1', '10.96.0.10', '10.96.255.255'].includes(svc.clusterIP)) bad(`reserved ClusterIP ${svc.clusterIP}`);
      if (clusterIPs.has(svc.clusterIP)) bad(`duplicate ClusterIP ${svc.clusterIP}`);
      clusterIPs.add(svc.clusterIP);
      if (spec['clusterIP'] !== svc.clusterIP) bad(`service ${svc.name} ClusterIP differs`);
    }
    const withNodePort = svc.type === 'NodePort' || svc.type === 'LoadBalancer';
    for (const p of svc.ports) {
      if (withNodePort !== (p.nodePort !== undefined)) bad(`service ${svc.name} nodePort presence wrong`);
      if (p.nodePort !== undefined) takePort(p.nodePort, `${svc.name} nodePort`);
    }
    if (svc.healthCheckNodePort !== undefined) takePort(svc.healthCheckNodePort, `${svc.name} healthCheckNodePort`);
    if ((svc.healthCheckNodePort !== undefined) !== (svc.type === 'LoadBalancer' && svc.externalTrafficPolicy === 'Local')) {
      bad(`service ${svc.name} healthCheckNodePort presence wrong`);
    }
    if (withNodePort !== (svc.externalTrafficPolicy !== undefined)) bad(`service ${svc.name} eTP presence wrong`);
    const ports = svc.ports.map((p) => `${p.port}/${p.protocol}`);
    if (new Set(ports).size !== ports.length) bad(`service ${svc.name} repeats a port`);
    if (svc.ports.length > 1 && svc.ports.some((p) => p.name === undefined)) bad(`multi-port service ${svc.name} with unnamed port`);
    if (svc.type !== 'ExternalName' && svc.ports.length === 0) bad(`service ${svc.name} without ports`);
    for (const b of svc.backends) {
      const pod = facts.pods.find((p) => p.name === b.pod && p.namespace === svc.namespace);
      if (pod === undefined) bad(`backend ${b.pod} of ${svc.name} is not a pod`);
      else if (Object.entries(svc.selector ?? {}).some(([k, v]) => pod.labels[k] !== v)) bad(`backend ${b.pod} not selected by ${svc.name}`);
    }
    // Every pod the selector picks is a backend.
    const selected = facts.pods.filter(
      (p) => svc.selector !== undefined && p.namespace === svc.namespace && Object.entries(svc.selector).every(([k, v]) => p.labels[k] === v),
    );
    if (selected.length !== svc.backends.length) bad(`service ${svc.name} selects pods that are not its backends`);
    for (const ip of svc.externalIPs) if (!inCidr(ip, '203.0.113.0/24')) bad(`external IP ${ip} outside 203.0.113.0/24`);
  }
  if (byKind('Service').length !== facts.services.length) bad('service documents differ from facts');

  // EndpointSlices.
  const slices = byKind('EndpointSlice');
  if (facts.withEndpointSlices) {
    for (const svc of facts.services.filter((x) => x.selector !== undefined)) {
      const mine = slices.filter(
        (d) => meta(d).namespace === svc.namespace && meta(d).labels?.['kubernetes.io/service-name'] === svc.name,
      );
      if (mine.length !== 1) {
        bad(`service ${svc.name} has ${mine.length} slices`);
        continue;
      }
      const eps = (mine[0]!['endpoints'] as { addresses: string[]; nodeName: string }[]) ?? [];
      const got = eps.map((e) => `${e.addresses[0]}@${e.nodeName}`).sort();
      const want = svc.backends.map((b) => `${b.ip}@${b.node}`).sort();
      if (JSON.stringify(got) !== JSON.stringify(want)) bad(`slice of ${svc.name} differs from backends`);
    }
  } else if (slices.length > 0) bad('slices present though not asked for');

  // Pools: disjoint from each other, node subnets, pod range, service range.
  const taken: [number, number][] = [
    ...subnetRanges,
    cidrRange('172.20.0.0/16'),
    cidrRange('10.96.0.0/16'),
    cidrRange('10.0.2.0/24'),
    ...facts.routers.flatMap((r) => r.loopbacks.map(cidrRange)),
  ];
  const poolRanges: [number, number][] = [];
  for (const p of facts.pools) {
    const r: [number, number] = 'cidr' in p.block ? cidrRange(p.block.cidr) : [ipToInt(p.block.start), ipToInt(p.block.stop)];
    if (r[0] > r[1]) bad(`pool ${p.name} range reversed`);
    if (!inCidr(('cidr' in p.block ? p.block.cidr.split('/')[0] : p.block.start)!, p.network)) bad(`pool ${p.name} outside its network`);
    if (taken.some((t) => overlaps(t, r))) bad(`pool ${p.name} overlaps node/pod/service ranges`);
    if (poolRanges.some((t) => overlaps(t, r))) bad(`pool ${p.name} overlaps another pool`);
    poolRanges.push(r);
  }
  if (byKind('CiliumLoadBalancerIPPool').length !== facts.pools.length) bad('pool documents differ from facts');

  // BGP.
  const bgpDocs = documents.filter((d) => String(d['kind']).startsWith('CiliumBGP'));
  if (facts.bgp === undefined) {
    if (bgpDocs.length > 0) bad('BGP documents without BGP');
    if (facts.config.bgpControlPlane) bad('BGP control plane on without BGP');
  } else {
    if (!facts.config.bgpControlPlane) bad('BGP set up but control plane off');
    const clusterConfigs = byKind('CiliumBGPClusterConfig');
    if (clusterConfigs.length !== facts.bgp.clusterConfigs.length) bad('cluster configs differ from facts');
    const peerConfigs = new Set(byKind('CiliumBGPPeerConfig').map((d) => meta(d).name));
    const routerAddrs = new Set(facts.routers.flatMap((r) => r.addresses));
    for (const c of clusterConfigs) {
      const spec = c['spec'] as { bgpInstances: { localASN: number; peers: { peerAddress: string; peerASN: number; peerConfigRef: { name: string } }[] }[] };
      for (const inst of spec.bgpInstances) {
        if (inst.localASN !== facts.bgp.localASN) bad('local ASN differs');
        for (const p of inst.peers) {
          if (!routerAddrs.has(p.peerAddress)) bad(`peer ${p.peerAddress} is not a router`);
          if (!peerConfigs.has(p.peerConfigRef.name)) bad(`peerConfigRef ${p.peerConfigRef.name} does not resolve`);
          const router = facts.routers.find((r) => r.addresses.includes(p.peerAddress));
          if (router !== undefined && router.asn !== p.peerASN) bad(`peer ASN ${p.peerASN} is not router ${router.name}'s`);
          if (p.peerASN === inst.localASN) bad('iBGP peering generated');
        }
      }
    }
  }

  // Config facts match the ConfigMap.
  const cms = byKind('ConfigMap');
  if (cms.length !== 1) bad(`${cms.length} ConfigMaps`);
  else {
    const data = cms[0]!['data'] as Record<string, string>;
    if (JSON.stringify(data) !== JSON.stringify(facts.config.data)) bad('config data differs from facts');
    if (facts.config.lbMode !== 'snat' && !facts.config.kubeProxyReplacement) bad('DSR without kube-proxy replacement');
    if (facts.config.lbAlgorithm === 'maglev' && !facts.config.kubeProxyReplacement) bad('Maglev without kube-proxy replacement');
    if (facts.config.lbMode !== 'snat' && facts.config.routingMode === 'tunnel' && facts.config.dsrDispatch !== 'geneve') {
      bad('DSR in tunnel routing without geneve dispatch');
    }
    if (facts.config.dsrDispatch === 'geneve' && facts.config.lbMode !== 'snat' && facts.config.tunnelProtocol !== 'geneve') {
      bad('geneve dispatch without geneve tunnel protocol');
    }
    if (facts.config.autoDirectNodeRoutes && facts.config.routingMode !== 'native') bad('auto-direct-node-routes in tunnel routing');
    for (const [k, v] of Object.entries(data)) if (typeof v !== 'string') bad(`config ${k} is not a string`);
  }

  // Namespaces: every non-default namespace used has a document.
  for (const ns of new Set([...facts.services.map((x) => x.namespace), ...facts.pods.map((p) => p.namespace)])) {
    if (ns !== 'default' && !byKind('Namespace').some((d) => meta(d).name === ns)) bad(`namespace ${ns} missing`);
  }
  return problems;
}
