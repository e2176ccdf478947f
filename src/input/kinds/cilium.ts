/**
 * Decoders of the Cilium kinds: CiliumNode, the BGP control plane v2 CRDs, LB IPAM pools,
 * L2 announcement policies and egress gateway policies (OSS and Isovalent). Defaults that Cilium
 * applies later (peer timers, families) are not filled in here: the objects stay as given.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { IPv4 } from 'ip-num';
import type {
  BgpAdvertisement,
  BgpAdvertisementEntry,
  BgpClusterConfig,
  BgpClusterPeer,
  BgpNodeConfigOverride,
  BgpPeerConfig,
  CiliumNode,
  EgressGateway,
  EgressGatewayPolicy,
  IpAddress,
  L2AnnouncementPolicy,
  LbIpPool,
  LabelSelector,
  PoolBlock,
} from '../types.js';
import {
  type Issue,
  bool,
  andThen,
  decodeWith,
  mapRight,
  int,
  ip,
  labelSelector,
  list,
  nonEmpty,
  oneOf,
  port,
  prefix,
  str,
  struct,
} from '../codec.js';
import { familyOf } from '../../net/addr.js';
import { compileGoRegexp } from '../go-regexp.js';
import type { KindDecode } from './kubernetes.js';

const asn = int(1, 4294967295);
const ref = struct({ name: nonEmpty }, {});

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

// ---------------------------------------------------------------------------------------------
// CiliumNode
// ---------------------------------------------------------------------------------------------

const ciliumNodeDoc = struct(
  {},
  {
    spec: struct(
      {},
      {
        ipam: struct({}, { podCIDRs: list(prefix) }),
        addresses: list(struct({ type: str, ip }, {})),
      },
    ),
  },
);

/**
 * Decodes a `CiliumNode` (pod CIDRs and addresses).
 *
 * @example
 * decodeCiliumNode({ spec: { ipam: { podCIDRs: ['10.0.1.0/24'] } } }, meta);
 */
export const decodeCiliumNode: KindDecode<CiliumNode> = (doc, meta) =>
  mapRight(decodeWith(ciliumNodeDoc, doc), (d) => ({
    meta,
    podCIDRs: d.spec?.ipam?.podCIDRs ?? [],
    addresses: d.spec?.addresses ?? [],
  }));

// ---------------------------------------------------------------------------------------------
// BGP
// ---------------------------------------------------------------------------------------------

const clusterPeer = struct(
  { name: nonEmpty },
  {
    peerAddress: ip,
    peerASN: int(0, 4294967295),
    peerConfigRef: ref,
    autoDiscovery: struct(
      { mode: oneOf(['DefaultGateway', 'Unnumbered'] as const) },
      {
        defaultGateway: struct({ addressFamily: oneOf(['ipv4', 'ipv6'] as const) }, {}),
        unnumbered: struct({ interface: nonEmpty }, {}),
      },
    ),
  },
);
const clusterConfigDoc = struct(
  {
    spec: struct(
      {
        bgpInstances: list(
          struct({ name: nonEmpty }, { localASN: asn, localPort: port, peers: list(clusterPeer) }),
          { min: 1, max: 16 },
        ),
      },
      { nodeSelector: labelSelector },
    ),
  },
  {},
);

/** Reports list items whose `name` repeats (list-map key of the CRD). */
function uniqueNames(items: readonly { readonly name: string }[], path: string): Issue[] {
  const seen = new Set<string>();
  const issues: Issue[] = [];
  items.forEach((x, i) => {
    if (seen.has(x.name)) issues.push({ path: `${path}[${i}].name`, message: `duplicate name ${JSON.stringify(x.name)}` });
    seen.add(x.name);
  });
  return issues;
}

/**
 * Decodes a `CiliumBGPClusterConfig`.
 *
 * @example
 * decodeBgpClusterConfig({ spec: { bgpInstances: [{ name: 'i', localASN: 65001 }] } }, meta);
 */
export const decodeBgpClusterConfig: KindDecode<BgpClusterConfig> = (doc, meta) =>
  andThen(decodeWith(clusterConfigDoc, doc), (d) => {
    const issues = uniqueNames(d.spec.bgpInstances, 'spec.bgpInstances');
    const bgpInstances = d.spec.bgpInstances.map((inst, i) => {
      const peers = inst.peers ?? [];
      issues.push(...uniqueNames(peers, `spec.bgpInstances[${i}].peers`));
      return {
        name: inst.name,
        ...optional('localASN', inst.localASN),
        ...optional('localPort', inst.localPort),
        peers: peers.map((p, j): BgpClusterPeer => {
          let autoDiscovery: BgpClusterPeer['autoDiscovery'];
          const ad = p.autoDiscovery;
          const path = `spec.bgpInstances[${i}].peers[${j}].autoDiscovery`;
          if (ad?.mode === 'DefaultGateway') {
            if (ad.defaultGateway === undefined) issues.push({ path: `${path}.defaultGateway`, message: 'required when mode is DefaultGateway' });
            else autoDiscovery = { mode: 'DefaultGateway', addressFamily: ad.defaultGateway.addressFamily };
          } else if (ad?.mode === 'Unnumbered') {
            if (ad.unnumbered === undefined) issues.push({ path: `${path}.unnumbered`, message: 'required when mode is Unnumbered' });
            else autoDiscovery = { mode: 'Unnumbered', interface: ad.unnumbered.interface };
          }
          return {
            name: p.name,
            ...optional('peerAddress', p.peerAddress),
            ...optional('peerASN', p.peerASN),
            ...optional('peerConfigRef', p.peerConfigRef?.name),
            ...optional('autoDiscovery', autoDiscovery),
          };
        }),
      };
    });
    if (issues.length > 0) return E.left(issues);
    return E.right({ meta, ...optional('nodeSelector', d.spec.nodeSelector), bgpInstances });
  });

const family = struct(
  { afi: oneOf(['ipv4', 'ipv6', 'l2vpn', 'ls', 'opaque'] as const), safi: nonEmpty },
  { advertisements: labelSelector },
);
const peerConfigDoc = struct(
  {},
  {
    spec: struct(
      {},
      {
        transport: struct({}, { peerPort: port }),
        timers: struct(
          {},
          {
            connectRetryTimeSeconds: int(1, 2147483647),
            holdTimeSeconds: int(3, 65535),
            keepAliveTimeSeconds: int(1, 65535),
          },
        ),
        authSecretRef: str,
        gracefulRestart: struct({}, { enabled: bool, restartTimeSeconds: int(1, 4095) }),
        ebgpMultihop: int(1, 255),
        families: list(family),
      },
    ),
  },
);

/**
 * Decodes a `CiliumBGPPeerConfig` as given (the BGP stage applies Cilium's defaults).
 *
 * @example
 * decodeBgpPeerConfig({ spec: { timers: { holdTimeSeconds: 9 } } }, meta);
 */
export const decodeBgpPeerConfig: KindDecode<BgpPeerConfig> = (doc, meta) =>
  andThen(decodeWith(peerConfigDoc, doc), (d) => {
    const spec = d.spec ?? {};
    const t = spec.timers ?? {};
    if (t.holdTimeSeconds !== undefined && t.keepAliveTimeSeconds !== undefined && t.keepAliveTimeSeconds > t.holdTimeSeconds) {
      return E.left([{ path: 'spec.timers.keepAliveTimeSeconds', message: `must not exceed holdTimeSeconds (${t.holdTimeSeconds}), got ${t.keepAliveTimeSeconds}` }]);
    }
    const config: BgpPeerConfig = {
      meta,
      ...optional('peerPort', spec.transport?.peerPort),
      timers: {
        ...optional('connectRetryTimeSeconds', t.connectRetryTimeSeconds),
        ...optional('holdTimeSeconds', t.holdTimeSeconds),
        ...optional('keepAliveTimeSeconds', t.keepAliveTimeSeconds),
      },
      ...optional('authSecretRef', spec.authSecretRef),
      ...optional(
        'gracefulRestart',
        spec.gracefulRestart === undefined
          ? undefined
          : { enabled: spec.gracefulRestart.enabled ?? false, ...optional('restartTimeSeconds', spec.gracefulRestart.restartTimeSeconds) },
      ),
      ...optional('ebgpMultihop', spec.ebgpMultihop),
      families: (spec.families ?? []).map((f) => ({ afi: f.afi, safi: f.safi, ...optional('advertisements', f.advertisements) })),
    };
    return E.right(config);
  });

const advertisementEntry = struct(
  { advertisementType: oneOf(['PodCIDR', 'CiliumPodIPPool', 'Service', 'Interface'] as const) },
  {
    service: struct(
      { addresses: list(oneOf(['LoadBalancerIP', 'ClusterIP', 'ExternalIP'] as const), { min: 1 }) },
      { aggregationLengthIPv4: int(0, 31), aggregationLengthIPv6: int(0, 127) },
    ),
    interface: struct({ name: nonEmpty }, {}),
    selector: labelSelector,
    attributes: struct(
      {},
      {
        communities: struct({}, { standard: list(str), wellKnown: list(str), large: list(str) }),
        localPreference: int(0, 4294967295),
      },
    ),
  },
);
const advertisementDoc = struct({ spec: struct({ advertisements: list(advertisementEntry) }, {}) }, {});

/**
 * Decodes a `CiliumBGPAdvertisement`. A `Service` entry must carry `service` (the CRD's rule).
 *
 * @example
 * decodeBgpAdvertisement({ spec: { advertisements: [{ advertisementType: 'PodCIDR' }] } }, meta);
 */
export const decodeBgpAdvertisement: KindDecode<BgpAdvertisement> = (doc, meta) =>
  andThen(decodeWith(advertisementDoc, doc), (d) => {
    const issues: Issue[] = [];
    const advertisements = d.spec.advertisements.map((a, i): BgpAdvertisementEntry => {
      if (a.advertisementType === 'Service' && a.service === undefined) {
        issues.push({ path: `spec.advertisements[${i}].service`, message: 'required when advertisementType is Service' });
      }
      if (a.advertisementType === 'Interface' && a.interface === undefined) {
        issues.push({ path: `spec.advertisements[${i}].interface`, message: 'required when advertisementType is Interface' });
      }
      const c = a.attributes?.communities;
      return {
        advertisementType: a.advertisementType,
        ...optional(
          'service',
          a.service === undefined
            ? undefined
            : {
                addresses: a.service.addresses,
                ...optional('aggregationLengthIPv4', a.service.aggregationLengthIPv4),
                ...optional('aggregationLengthIPv6', a.service.aggregationLengthIPv6),
              },
        ),
        ...optional('interface', a.interface),
        ...optional('selector', a.selector),
        ...optional(
          'attributes',
          a.attributes === undefined
            ? undefined
            : {
                ...optional('communities', c === undefined ? undefined : { standard: c.standard ?? [], wellKnown: c.wellKnown ?? [], large: c.large ?? [] }),
                ...optional('localPreference', a.attributes.localPreference),
              },
        ),
      };
    });
    return issues.length > 0 ? E.left(issues) : E.right({ meta, advertisements });
  });

const ipv4: typeof ip = ip;
const overrideDoc = struct(
  {
    spec: struct(
      {
        bgpInstances: list(
          struct(
            { name: nonEmpty },
            {
              routerID: ipv4,
              localPort: port,
              localASN: asn,
              peers: list(struct({ name: nonEmpty }, { localAddress: ip })),
            },
          ),
        ),
      },
      {},
    ),
  },
  {},
);

/**
 * Decodes a `CiliumBGPNodeConfigOverride` (its name is the node's).
 *
 * @example
 * decodeBgpNodeConfigOverride({ spec: { bgpInstances: [{ name: 'i', routerID: '10.0.0.1' }] } }, meta);
 */
export const decodeBgpNodeConfigOverride: KindDecode<BgpNodeConfigOverride> = (doc, meta) =>
  andThen(decodeWith(overrideDoc, doc), (d) => {
    const issues: Issue[] = [];
    const bgpInstances = d.spec.bgpInstances.map((inst, i) => {
      let routerID: IPv4 | undefined;
      if (inst.routerID !== undefined) {
        if (inst.routerID instanceof IPv4) routerID = inst.routerID;
        else issues.push({ path: `spec.bgpInstances[${i}].routerID`, message: `expected an IPv4 address, got ${JSON.stringify(inst.routerID.toString())}` });
      }
      return {
        name: inst.name,
        ...optional('routerID', routerID),
        ...optional('localPort', inst.localPort),
        ...optional('localASN', inst.localASN),
        peers: (inst.peers ?? []).map((p) => ({ name: p.name, ...optional('localAddress', p.localAddress) })),
      };
    });
    return issues.length > 0 ? E.left(issues) : E.right({ meta, bgpInstances });
  });

// ---------------------------------------------------------------------------------------------
// LB IPAM, L2 announcements
// ---------------------------------------------------------------------------------------------

const poolDoc = struct(
  {
    spec: struct(
      {},
      {
        blocks: list(struct({}, { cidr: prefix, start: ip, stop: ip })),
        cidrs: list(struct({}, { cidr: prefix, start: ip, stop: ip })),
        allowFirstLastIPs: oneOf(['Yes', 'No'] as const),
        disabled: bool,
        serviceSelector: labelSelector,
      },
    ),
  },
  {},
);

/**
 * Decodes a `CiliumLoadBalancerIPPool`: each block is a CIDR or a start/stop range (stop
 * absent = the start address alone).
 *
 * @example
 * decodeLbIpPool({ spec: { blocks: [{ cidr: '172.16.1.0/24' }] } }, meta);
 */
export const decodeLbIpPool: KindDecode<LbIpPool> = (doc, meta) =>
  andThen(decodeWith(poolDoc, doc), (d) => {
    const issues: Issue[] = [];
    const field = d.spec.blocks !== undefined ? 'blocks' : 'cidrs';
    const raw = d.spec.blocks ?? d.spec.cidrs ?? [];
    const blocks: PoolBlock[] = [];
    raw.forEach((b, i) => {
      const path = `spec.${field}[${i}]`;
      if (b.cidr !== undefined) {
        if (b.start !== undefined || b.stop !== undefined) issues.push({ path, message: 'give either cidr or start/stop, not both' });
        else blocks.push({ cidr: b.cidr });
      } else if (b.start !== undefined) {
        const stop = b.stop ?? b.start;
        if (familyOf(stop) !== familyOf(b.start)) issues.push({ path: `${path}.stop`, message: 'must be of the same family as start' });
        else if (stop.isLessThan(b.start)) issues.push({ path: `${path}.stop`, message: `must not be below start (${b.start.toString()})` });
        else blocks.push({ start: b.start, stop });
      } else issues.push({ path, message: 'expected cidr or start' });
    });
    if (issues.length > 0) return E.left(issues);
    return E.right({
      meta,
      blocks,
      ...optional('allowFirstLastIPs', d.spec.allowFirstLastIPs),
      disabled: d.spec.disabled ?? false,
      ...optional('serviceSelector', d.spec.serviceSelector),
    });
  });

const l2Doc = struct(
  {},
  {
    spec: struct(
      {},
      {
        serviceSelector: labelSelector,
        nodeSelector: labelSelector,
        interfaces: list(str),
        externalIPs: bool,
        loadBalancerIPs: bool,
      },
    ),
  },
);

/**
 * Decodes a `CiliumL2AnnouncementPolicy`.
 *
 * @example
 * decodeL2AnnouncementPolicy({ spec: { loadBalancerIPs: true } }, meta);
 */
export const decodeL2AnnouncementPolicy: KindDecode<L2AnnouncementPolicy> = (doc, meta) =>
  andThen(decodeWith(l2Doc, doc), (d) => {
    const s = d.spec ?? {};
    // Go's regexp.Compile, as the agent runs it (status condition io.cilium/bad-interface-regex)
    const issues: Issue[] = [];
    (s.interfaces ?? []).forEach((re, i) => {
      const c = compileGoRegexp(re);
      if (!c.ok) issues.push({ path: `spec.interfaces[${i}]`, message: `${c.error} (io.cilium/bad-interface-regex)` });
    });
    if (issues.length > 0) return E.left(issues);
    return E.right({
      meta,
      ...optional('serviceSelector', s.serviceSelector),
      ...optional('nodeSelector', s.nodeSelector),
      interfaces: s.interfaces ?? [],
      externalIPs: s.externalIPs ?? false,
      loadBalancerIPs: s.loadBalancerIPs ?? false,
    });
  });

// ---------------------------------------------------------------------------------------------
// Egress gateway
// ---------------------------------------------------------------------------------------------

const selectorEntry = struct(
  {},
  { podSelector: labelSelector, namespaceSelector: labelSelector, nodeSelector: labelSelector },
);
const gateway = struct({}, { nodeSelector: labelSelector, interface: nonEmpty, egressIP: ip, maxGatewayNodes: int(0, 2147483647) });
const egressDoc = struct(
  {
    spec: struct(
      { selectors: list(selectorEntry, { min: 1 }), destinationCIDRs: list(prefix, { min: 1 }) },
      {
        excludedCIDRs: list(prefix),
        egressGateway: gateway,
        egressGateways: list(gateway),
        egressGroups: list(gateway),
        azAffinity: oneOf(['disabled', 'localOnly', 'localOnlyFirst', 'localPriority'] as const),
        egressCIDRs: list(prefix),
      },
    ),
  },
  {},
);

function toGateway(g: typeof gateway._A): EgressGateway {
  return {
    ...optional<'nodeSelector', LabelSelector>('nodeSelector', g.nodeSelector),
    ...optional('interface', g.interface),
    ...optional<'egressIP', IpAddress>('egressIP', g.egressIP),
    ...optional('maxGatewayNodes', g.maxGatewayNodes),
  };
}

/**
 * Decodes a `CiliumEgressGatewayPolicy` (`flavour: 'cilium'`, one `egressGateway` or the newer
 * `egressGateways` list) or an `IsovalentEgressGatewayPolicy` (`flavour: 'isovalent'`, `egressGroups`).
 *
 * @example
 * decodeEgressGatewayPolicy('cilium')({ spec: { selectors: [{ podSelector: {} }], destinationCIDRs: ['0.0.0.0/0'], egressGateway: {} } }, meta);
 */
export function decodeEgressGatewayPolicy(flavour: 'cilium' | 'isovalent'): KindDecode<EgressGatewayPolicy> {
  return (doc, meta) =>
    andThen(decodeWith(egressDoc, doc), (d) => {
      const issues: Issue[] = [];
      d.spec.selectors.forEach((s, i) => {
        if (s.podSelector === undefined && s.namespaceSelector === undefined) {
          issues.push({ path: `spec.selectors[${i}]`, message: 'needs podSelector or namespaceSelector' });
        }
      });
      const named = flavour === 'cilium' ? (d.spec.egressGateways !== undefined ? 'egressGateways' : 'egressGateway') : 'egressGroups';
      const given = flavour === 'cilium' ? (d.spec.egressGateways ?? (d.spec.egressGateway !== undefined ? [d.spec.egressGateway] : [])) : (d.spec.egressGroups ?? []);
      if (given.length === 0) issues.push({ path: `spec.${named}`, message: 'required field missing' });
      given.forEach((g, i) => {
        if (g.interface !== undefined && g.egressIP !== undefined) {
          const path = named === 'egressGateway' ? `spec.${named}` : `spec.${named}[${i}]`;
          issues.push({ path, message: 'give either interface or egressIP, not both' });
        }
      });
      if (issues.length > 0) return E.left(issues);
      return E.right({
        meta,
        flavour,
        selectors: d.spec.selectors.map((s) => ({
          ...optional('podSelector', s.podSelector),
          ...optional('namespaceSelector', s.namespaceSelector),
          ...optional('nodeSelector', s.nodeSelector),
        })),
        destinationCIDRs: d.spec.destinationCIDRs,
        excludedCIDRs: d.spec.excludedCIDRs ?? [],
        gateways: given.map(toGateway),
        ...optional('azAffinity', flavour === 'isovalent' ? d.spec.azAffinity : undefined),
        ...optional('egressCIDRs', flavour === 'isovalent' ? d.spec.egressCIDRs : undefined),
      });
    });
}
