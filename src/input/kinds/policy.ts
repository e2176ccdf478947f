/**
 * Decoders of the policy kinds: Kubernetes `NetworkPolicy`, `CiliumNetworkPolicy` and
 * `CiliumClusterwideNetworkPolicy`. Each document becomes typed {@link PolicyRuleSpec}s, close to
 * the source (the policy stage, `src/policy/`, translates them into Cilium's rule model); bad
 * values get the API server's or the CRD validation's own words, located by field path.
 *
 * Errors follow the real checks:
 * - selectors: `Unsupported value: "Foo": supported values: "DoesNotExist", "Exists", "In", "NotIn"`,
 *   `Required value: must be specified when \`operator\` is 'In' or 'NotIn'`, …
 *   (`ValidateLabelSelector` in k8s.io/apimachinery);
 * - ports: `Invalid value: 70000: must be between 1 and 65535, inclusive` (NetworkPolicy),
 *   the CRD pattern message for Cilium's string ports;
 * - CIDRs: `Invalid value: "10.0.0.0/33": must be a valid CIDR value, (e.g. 10.0.0.0/8 or fd00::/8)`,
 *   `except` values outside the block: `must be a strict subset of \`cidr\``;
 * - entities: the CRD enum's `Unsupported value` with Cilium's entity list.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import type { KindDecode } from './kubernetes.js';
import type { Issue } from '../codec.js';
import { isRecord, own } from '../codec.js';
import type {
  HttpRule,
  JsonObject,
  LabelSelector,
  LabelSelectorRequirement,
  PolicyDocument,
  PolicyEntry,
  PolicyL7Ports,
  PolicyPeer,
  PolicyPort,
  PolicyRuleSpec,
  StringMap,
  Traffic,
} from '../types.js';
import { parsePrefix, prefixCovers, prefixLength } from '../../net/addr.js';
import { compileGoRegexp } from '../go-regexp.js';

/**
 * The entities Cilium knows (`pkg/policy/api/entity.go`), in the CRD enum's order.
 *
 * @example
 * POLICY_ENTITIES.includes('world'); // true
 */
export const POLICY_ENTITIES: readonly string[] = [
  'all',
  'world',
  'cluster',
  'host',
  'init',
  'ingress',
  'unmanaged',
  'remote-node',
  'health',
  'none',
  'kube-apiserver',
  'world-ipv4',
  'world-ipv6',
];

type Kind = 'NetworkPolicy' | 'CiliumNetworkPolicy' | 'CiliumClusterwideNetworkPolicy';

class Ctx {
  readonly issues: Issue[] = [];
  fail(path: string, message: string): void {
    this.issues.push({ path, message });
  }
}

const quote = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v));

function arr(c: Ctx, v: unknown, path: string): readonly unknown[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) {
    c.fail(path, `Invalid value: ${quote(v)}: ${path} in body must be of type array`);
    return undefined;
  }
  return v;
}

function obj(c: Ctx, v: unknown, path: string): Readonly<Record<string, unknown>> | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isRecord(v)) {
    c.fail(path, `Invalid value: ${quote(v)}: ${path} in body must be of type object`);
    return undefined;
  }
  return v;
}

const LABEL_KEY = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

function selector(c: Ctx, v: unknown, path: string, cilium: boolean): LabelSelector | undefined {
  const o = obj(c, v, path);
  if (o === undefined) return undefined;
  const matchLabels: Record<string, string> = Object.create(null) as Record<string, string>;
  const ml = obj(c, own(o, 'matchLabels'), `${path}.matchLabels`);
  for (const [k, val] of Object.entries(ml ?? {})) {
    if (typeof val !== 'string') {
      c.fail(`${path}.matchLabels.${k}`, `Invalid value: ${quote(val)}: ${path}.matchLabels.${k} in body must be of type string`);
      continue;
    }
    if (!cilium) checkLabelKey(c, k, `${path}.matchLabels`);
    matchLabels[k] = val;
  }
  const matchExpressions: LabelSelectorRequirement[] = [];
  const me = arr(c, own(o, 'matchExpressions'), `${path}.matchExpressions`);
  (me ?? []).forEach((r, i) => {
    const p = `${path}.matchExpressions[${i}]`;
    const ro = obj(c, r, p);
    if (ro === undefined) return;
    const key = own(ro, 'key');
    const op = own(ro, 'operator');
    const values = own(ro, 'values');
    if (typeof key !== 'string' || key === '') {
      c.fail(`${p}.key`, 'Required value');
      return;
    }
    if (!cilium) checkLabelKey(c, key, `${p}.key`);
    const ops = ['In', 'NotIn', 'Exists', 'DoesNotExist'];
    if (typeof op !== 'string' || !ops.includes(op)) {
      c.fail(`${p}.operator`, `Unsupported value: ${quote(op)}: supported values: "In", "NotIn", "Exists", "DoesNotExist"`);
      return;
    }
    const vals = Array.isArray(values) ? values.filter((x): x is string => typeof x === 'string') : [];
    if ((op === 'In' || op === 'NotIn') && vals.length === 0) {
      c.fail(`${p}.values`, "Required value: must be specified when `operator` is 'In' or 'NotIn'");
      return;
    }
    if ((op === 'Exists' || op === 'DoesNotExist') && vals.length > 0) {
      c.fail(`${p}.values`, "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
      return;
    }
    matchExpressions.push({ key, operator: op as LabelSelectorRequirement['operator'], values: vals });
  });
  return { matchLabels: matchLabels as StringMap, matchExpressions };
}

function checkLabelKey(c: Ctx, key: string, path: string): void {
  const slash = key.lastIndexOf('/');
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (name.length > 63 || !LABEL_KEY.test(name)) {
    c.fail(path, `Invalid value: ${quote(key)}: name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`);
  }
}

function cidrText(c: Ctx, v: unknown, path: string, cilium: boolean): string | undefined {
  if (typeof v === 'string') {
    const p = parsePrefix(v);
    if (p !== undefined) return v;
  }
  if (cilium) c.fail(path, `Invalid value: ${quote(v)}: ${path} in body must be of type cidr: ${quote(v)}`);
  else c.fail(path, `Invalid value: ${quote(v)}: must be a valid CIDR value, (e.g. 10.0.0.0/8 or fd00::/8)`);
  return undefined;
}

function cidrPeer(c: Ctx, cidr: unknown, except: unknown, path: string, exceptPath: string, cilium: boolean): PolicyPeer | undefined {
  const block = cidrText(c, cidr, path, cilium);
  const ex: string[] = [];
  (arr(c, except, exceptPath) ?? []).forEach((e, i) => {
    const t = cidrText(c, e, `${exceptPath}[${i}]`, cilium);
    if (t === undefined || block === undefined) return;
    const outer = parsePrefix(block)!;
    const inner = parsePrefix(t)!;
    if (!cilium && (!prefixCovers(outer, inner) || prefixLength(inner) <= prefixLength(outer))) {
      c.fail(`${exceptPath}[${i}]`, `Invalid value: ${quote(t)}: must be a strict subset of \`cidr\``);
      return;
    }
    ex.push(t);
  });
  return block === undefined ? undefined : { kind: 'cidr', cidr: block, except: ex };
}

const CILIUM_PORT = /^(6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[0-9]{1,4})|([a-zA-Z0-9]-?)*[a-zA-Z](-?[a-zA-Z0-9])*$/;
const IANA_SVC_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

function knpPort(c: Ctx, v: unknown, path: string): PolicyPort | undefined {
  const o = obj(c, v, path);
  if (o === undefined) return undefined;
  const protoRaw = own(o, 'protocol');
  const protocol = protoRaw === undefined || protoRaw === null ? 'TCP' : protoRaw;
  if (protocol !== 'TCP' && protocol !== 'UDP' && protocol !== 'SCTP') {
    c.fail(`${path}.protocol`, `Unsupported value: ${quote(protocol)}: supported values: "SCTP", "TCP", "UDP"`);
    return undefined;
  }
  const port = own(o, 'port');
  const endPort = own(o, 'endPort');
  let p: number | string | undefined;
  if (typeof port === 'number') {
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      c.fail(`${path}.port`, `Invalid value: ${port}: must be between 1 and 65535, inclusive`);
      return undefined;
    }
    p = port;
  } else if (typeof port === 'string') {
    if (/^[0-9]+$/.test(port)) {
      c.fail(`${path}.port`, `Invalid value: ${quote(port)}: must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)`);
      return undefined;
    }
    if (port.length > 15 || !IANA_SVC_NAME.test(port) || !/[a-z]/.test(port) || port.includes('--')) {
      c.fail(`${path}.port`, `Invalid value: ${quote(port)}: must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)`);
      return undefined;
    }
    p = port;
  } else if (port !== undefined && port !== null) {
    c.fail(`${path}.port`, `Invalid value: ${quote(port)}: ${path}.port in body must be of type int-or-string`);
    return undefined;
  }
  let e: number | undefined;
  if (endPort !== undefined && endPort !== null) {
    if (typeof p !== 'number') {
      c.fail(`${path}.endPort`, `Invalid value: ${quote(endPort)}: may not be specified when \`port\` is non-numeric`);
      return undefined;
    }
    if (typeof endPort !== 'number' || !Number.isInteger(endPort) || endPort < 1 || endPort > 65535) {
      c.fail(`${path}.endPort`, `Invalid value: ${quote(endPort)}: must be between 1 and 65535, inclusive`);
      return undefined;
    }
    if (endPort < p) {
      c.fail(`${path}.endPort`, `Invalid value: ${endPort}: must be greater than or equal to \`port\``);
      return undefined;
    }
    e = endPort;
  }
  return { protocol, ...(p !== undefined ? { port: p } : {}), ...(e !== undefined ? { endPort: e } : {}) };
}

function ciliumPort(c: Ctx, v: unknown, path: string): PolicyPort | undefined {
  const o = obj(c, v, path);
  if (o === undefined) return undefined;
  const protoRaw = own(o, 'protocol');
  const protocol = protoRaw === undefined || protoRaw === null || protoRaw === '' ? 'ANY' : protoRaw;
  if (!['TCP', 'UDP', 'SCTP', 'ANY', 'ICMP', 'ICMPV6', 'VRRP', 'IGMP'].includes(protocol as string)) {
    c.fail(`${path}.protocol`, `Unsupported value: ${quote(protocol)}: supported values: "TCP", "UDP", "SCTP", "ICMP", "ICMPV6", "VRRP", "IGMP", "ANY"`);
    return undefined;
  }
  const port = own(o, 'port');
  let p: number | string | undefined;
  if (port !== undefined && port !== null) {
    const text = typeof port === 'number' ? String(port) : port;
    const m = typeof text === 'string' ? CILIUM_PORT.exec(text) : null;
    if (typeof text !== 'string' || m === null || m[0] !== text) {
      c.fail(`${path}.port`, `Invalid value: ${quote(port)}: ${path}.port in body should match '^(6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[0-9]{1,4})|([a-zA-Z0-9]-?)*[a-zA-Z](-?[a-zA-Z0-9])*$'`);
      return undefined;
    }
    p = /^[0-9]+$/.test(text) ? Number(text) : text.toLowerCase();
  }
  const endPort = own(o, 'endPort');
  let e: number | undefined;
  if (endPort !== undefined && endPort !== null) {
    if (typeof endPort !== 'number' || !Number.isInteger(endPort) || endPort < 0 || endPort > 65535) {
      c.fail(`${path}.endPort`, `Invalid value: ${quote(endPort)}: ${path}.endPort in body should be less than or equal to 65535`);
      return undefined;
    }
    if (typeof p === 'number' && endPort !== 0 && endPort < p) {
      c.fail(`${path}.endPort`, `Invalid value: ${endPort}: endPort must be greater than or equal to port`);
      return undefined;
    }
    if (endPort > 0) e = endPort;
  }
  return {
    protocol: protocol as PolicyPort['protocol'],
    ...(p !== undefined && p !== 0 ? { port: p } : {}),
    ...(e !== undefined ? { endPort: e } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// NetworkPolicy
// ---------------------------------------------------------------------------------------------

function knpPeers(c: Ctx, v: unknown, path: string): PolicyPeer[] | undefined {
  const list = arr(c, v, path);
  if (list === undefined || list.length === 0) return undefined;
  const out: PolicyPeer[] = [];
  list.forEach((raw, i) => {
    const p = `${path}[${i}]`;
    const o = obj(c, raw, p);
    if (o === undefined) return;
    const ps = own(o, 'podSelector');
    const ns = own(o, 'namespaceSelector');
    const ib = own(o, 'ipBlock');
    const set = [ps, ns, ib].filter((x) => x !== undefined && x !== null).length;
    if (ib !== undefined && ib !== null) {
      if (set > 1) {
        c.fail(p, 'Forbidden: may not specify more than 1 peer type when `ipBlock` is specified');
        return;
      }
      const b = obj(c, ib, `${p}.ipBlock`);
      if (b === undefined) return;
      const peer = cidrPeer(c, own(b, 'cidr'), own(b, 'except'), `${p}.ipBlock.cidr`, `${p}.ipBlock.except`, false);
      if (peer !== undefined) out.push(peer);
      return;
    }
    if (set === 0) {
      c.fail(p, 'Required value: must specify a peer');
      return;
    }
    const pod = ps !== undefined && ps !== null ? selector(c, ps, `${p}.podSelector`, false) : undefined;
    const nsSel = ns !== undefined && ns !== null ? selector(c, ns, `${p}.namespaceSelector`, false) : undefined;
    out.push({ kind: 'knp', ...(pod !== undefined ? { podSelector: pod } : {}), ...(nsSel !== undefined ? { namespaceSelector: nsSel } : {}) });
  });
  return out;
}

function knpEntries(c: Ctx, v: unknown, path: string, peerField: 'from' | 'to'): PolicyEntry[] {
  return (arr(c, v, path) ?? []).flatMap((raw, i) => {
    const p = `${path}[${i}]`;
    const o = obj(c, raw, p);
    if (o === undefined) return [];
    const peers = knpPeers(c, own(o, peerField), `${p}.${peerField}`);
    const portList = arr(c, own(o, 'ports'), `${p}.ports`);
    const ports =
      portList === undefined || portList.length === 0
        ? undefined
        : portList.flatMap((x, k) => {
            const port = knpPort(c, x, `${p}.ports[${k}]`);
            return port ? [port] : [];
          });
    return [{ ...(peers !== undefined ? { peers } : {}), ...(ports !== undefined ? { ports } : {}), l7: false }];
  });
}

function decodeKnp(c: Ctx, spec: Readonly<Record<string, unknown>>): PolicyRuleSpec {
  const podSelector = selector(c, own(spec, 'podSelector') ?? {}, 'spec.podSelector', false) ?? { matchLabels: {}, matchExpressions: [] };
  const types = arr(c, own(spec, 'policyTypes'), 'spec.policyTypes');
  const policyTypes: ('Ingress' | 'Egress')[] = [];
  (types ?? []).forEach((t, i) => {
    if (t !== 'Ingress' && t !== 'Egress') c.fail(`spec.policyTypes[${i}]`, `Unsupported value: ${quote(t)}: supported values: "Ingress", "Egress"`);
    else policyTypes.push(t);
  });
  const ingressRaw = own(spec, 'ingress');
  const egressRaw = own(spec, 'egress');
  return {
    flavour: 'k8s',
    endpointSelector: podSelector,
    ingress: knpEntries(c, ingressRaw, 'spec.ingress', 'from'),
    egress: knpEntries(c, egressRaw, 'spec.egress', 'to'),
    ingressDeny: [],
    egressDeny: [],
    enableDefaultDeny: {},
    ...(types !== undefined ? { policyTypes } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Cilium rules
// ---------------------------------------------------------------------------------------------

const L3_FIELDS = {
  ingress: ['fromEndpoints', 'fromEntities', 'fromCIDR', 'fromCIDRSet', 'fromNodes', 'fromGroups', 'fromRequires'],
  egress: ['toEndpoints', 'toEntities', 'toCIDR', 'toCIDRSet', 'toNodes', 'toGroups', 'toServices', 'toFQDNs', 'toRequires'],
} as const;

function ciliumEntries(c: Ctx, v: unknown, path: string, dir: 'ingress' | 'egress', deny: boolean, kind: Kind): PolicyEntry[] {
  const pre = dir === 'ingress' ? 'from' : 'to';
  return (arr(c, v, path) ?? []).flatMap((raw, i) => {
    const p = `${path}[${i}]`;
    const o = obj(c, raw, p);
    if (o === undefined) return [];
    let hasL3 = false;
    const peers: PolicyPeer[] = [];
    for (const f of L3_FIELDS[dir]) if (own(o, f) !== undefined && own(o, f) !== null) hasL3 = true;
    (arr(c, own(o, `${pre}Endpoints`), `${p}.${pre}Endpoints`) ?? []).forEach((s, k) => {
      const sel = selector(c, s, `${p}.${pre}Endpoints[${k}]`, true);
      if (sel) peers.push({ kind: 'endpoints', selector: sel });
    });
    (arr(c, own(o, `${pre}Nodes`), `${p}.${pre}Nodes`) ?? []).forEach((s, k) => {
      const sel = selector(c, s, `${p}.${pre}Nodes[${k}]`, true);
      if (sel) peers.push({ kind: 'nodes', selector: sel });
    });
    (arr(c, own(o, `${pre}Entities`), `${p}.${pre}Entities`) ?? []).forEach((e, k) => {
      if (typeof e !== 'string' || !POLICY_ENTITIES.includes(e)) {
        c.fail(`${p}.${pre}Entities[${k}]`, `Unsupported value: ${quote(e)}: supported values: ${POLICY_ENTITIES.map((x) => `"${x}"`).join(', ')}`);
      } else peers.push({ kind: 'entity', entity: e });
    });
    (arr(c, own(o, `${pre}CIDR`), `${p}.${pre}CIDR`) ?? []).forEach((e, k) => {
      const peer = cidrPeer(c, e, undefined, `${p}.${pre}CIDR[${k}]`, '', true);
      if (peer) peers.push(peer);
    });
    (arr(c, own(o, `${pre}CIDRSet`), `${p}.${pre}CIDRSet`) ?? []).forEach((e, k) => {
      const q = `${p}.${pre}CIDRSet[${k}]`;
      const so = obj(c, e, q);
      if (so === undefined) return;
      if (own(so, 'cidr') === undefined) {
        if (own(so, 'cidrGroupRef') !== undefined || own(so, 'cidrGroupSelector') !== undefined) return; // CIDR groups: not modelled
        c.fail(`${q}.cidr`, 'Required value');
        return;
      }
      const peer = cidrPeer(c, own(so, 'cidr'), own(so, 'except'), `${q}.cidr`, `${q}.except`, true);
      if (peer) peers.push(peer);
    });
    if (dir === 'egress') {
      (arr(c, own(o, 'toServices'), `${p}.toServices`) ?? []).forEach((s, k) => {
        const q = `${p}.toServices[${k}]`;
        const so = obj(c, s, q);
        if (so === undefined) return;
        const k8s = obj(c, own(so, 'k8sService'), `${q}.k8sService`);
        const ks = obj(c, own(so, 'k8sServiceSelector'), `${q}.k8sServiceSelector`);
        if (k8s !== undefined) {
          const name = own(k8s, 'serviceName');
          const namespace = own(k8s, 'namespace');
          if (typeof name !== 'string' || name === '') {
            c.fail(`${q}.k8sService.serviceName`, 'Required value');
            return;
          }
          peers.push({ kind: 'service', name, ...(typeof namespace === 'string' && namespace !== '' ? { namespace } : {}) });
        } else if (ks !== undefined) {
          const sel = selector(c, own(ks, 'selector') ?? {}, `${q}.k8sServiceSelector.selector`, false);
          const namespace = own(ks, 'namespace');
          if (sel) peers.push({ kind: 'service-selector', selector: sel, ...(typeof namespace === 'string' && namespace !== '' ? { namespace } : {}) });
        }
      });
    }
    let l7 = false;
    const l7Rules: PolicyL7Ports[] = [];
    const tp = arr(c, own(o, 'toPorts'), `${p}.toPorts`);
    let ports: PolicyPort[] | undefined;
    if (tp !== undefined && tp.length > 0) {
      ports = [];
      tp.forEach((pr, k) => {
        const q = `${p}.toPorts[${k}]`;
        const po = obj(c, pr, q);
        if (po === undefined) return;
        const list = arr(c, own(po, 'ports'), `${q}.ports`) ?? [];
        if (list.length > 40) c.fail(`${q}.ports`, `Too many: ${list.length}: must have at most 40 items`);
        const itemPorts: PolicyPort[] = [];
        if (list.length === 0) itemPorts.push({ protocol: 'ANY' });
        list.forEach((x, m) => {
          const port = ciliumPort(c, x, `${q}.ports[${m}]`);
          if (port) itemPorts.push(port);
        });
        ports!.push(...itemPorts);
        const rules = own(po, 'rules');
        if (rules !== undefined && rules !== null) {
          if (deny) c.fail(`${q}.rules`, 'Forbidden: L7 rules are not allowed in deny rules');
          l7 = true;
          const http = httpRules(c, rules, `${q}.rules`);
          if (http !== undefined) l7Rules.push({ ports: itemPorts, http });
        }
      });
    }
    if (deny && own(o, 'toFQDNs') !== undefined) c.fail(`${p}.toFQDNs`, 'Forbidden: toFQDNs is not allowed in deny rules');
    void kind;
    return [{ ...(hasL3 ? { peers } : {}), ...(ports !== undefined ? { ports } : {}), l7, ...(l7Rules.length > 0 ? { l7Rules } : {}) }];
  });
}

/** `toPorts[].rules.http` (`api.PortRuleHTTP`, regular expressions checked as Go compiles them); undefined when no `http` list. */
function httpRules(c: Ctx, v: unknown, path: string): HttpRule[] | undefined {
  const o = obj(c, v, path);
  if (o === undefined) return undefined;
  const list = arr(c, own(o, 'http'), `${path}.http`);
  if (list === undefined) return undefined;
  const out: HttpRule[] = [];
  list.forEach((raw, i) => {
    const q = `${path}.http[${i}]`;
    const r = obj(c, raw, q);
    if (r === undefined) return;
    const rule: { method?: string; path?: string; host?: string; headers?: string[]; headerMatches?: { name: string; value?: string }[] } = {};
    for (const f of ['method', 'path', 'host'] as const) {
      const x = own(r, f);
      if (x === undefined || x === null || x === '') continue;
      if (typeof x !== 'string') {
        c.fail(`${q}.${f}`, `Invalid value: ${quote(x)}: expected a string`);
        continue;
      }
      const re = compileGoRegexp(x);
      if (!re.ok) c.fail(`${q}.${f}`, `Invalid value: ${quote(x)}: ${re.error}`);
      else rule[f] = x;
    }
    const hs = arr(c, own(r, 'headers'), `${q}.headers`);
    if (hs !== undefined) {
      rule.headers = [];
      hs.forEach((h, k) => {
        if (typeof h !== 'string') c.fail(`${q}.headers[${k}]`, `Invalid value: ${quote(h)}: expected a string`);
        else rule.headers!.push(h);
      });
    }
    const hm = arr(c, own(r, 'headerMatches'), `${q}.headerMatches`);
    if (hm !== undefined) {
      rule.headerMatches = [];
      hm.forEach((h, k) => {
        const ho = obj(c, h, `${q}.headerMatches[${k}]`);
        if (ho === undefined) return;
        const name = own(ho, 'name');
        const value = own(ho, 'value');
        if (typeof name !== 'string' || name === '') {
          c.fail(`${q}.headerMatches[${k}].name`, 'Required value');
          return;
        }
        rule.headerMatches!.push({ name, ...(typeof value === 'string' ? { value } : {}) });
      });
    }
    out.push(rule);
  });
  return out;
}

function decodeCiliumRule(c: Ctx, spec: Readonly<Record<string, unknown>>, base: string, kind: Kind): PolicyRuleSpec | undefined {
  const es = own(spec, 'endpointSelector');
  const ns = own(spec, 'nodeSelector');
  if ((es === undefined || es === null) === (ns === undefined || ns === null)) {
    c.fail(base, 'Invalid value: "object": rule must have one of endpointSelector or nodeSelector');
    return undefined;
  }
  if (ns !== undefined && ns !== null && kind === 'CiliumNetworkPolicy') {
    c.fail(`${base}.nodeSelector`, 'Forbidden: nodeSelector is only allowed in CiliumClusterwideNetworkPolicy');
    return undefined;
  }
  const endpointSelector = es !== undefined && es !== null ? selector(c, es, `${base}.endpointSelector`, true) : undefined;
  const nodeSelector = ns !== undefined && ns !== null ? selector(c, ns, `${base}.nodeSelector`, true) : undefined;
  const edd = obj(c, own(spec, 'enableDefaultDeny'), `${base}.enableDefaultDeny`);
  const enableDefaultDeny: { ingress?: boolean; egress?: boolean } = {};
  for (const d of ['ingress', 'egress'] as const) {
    const x = edd === undefined ? undefined : own(edd, d);
    if (typeof x === 'boolean') enableDefaultDeny[d] = x;
    else if (x !== undefined && x !== null) c.fail(`${base}.enableDefaultDeny.${d}`, `Invalid value: ${quote(x)}: ${base}.enableDefaultDeny.${d} in body must be of type boolean`);
  }
  return {
    flavour: 'cilium',
    ...(endpointSelector !== undefined ? { endpointSelector } : {}),
    ...(nodeSelector !== undefined ? { nodeSelector } : {}),
    ingress: ciliumEntries(c, own(spec, 'ingress'), `${base}.ingress`, 'ingress', false, kind),
    ingressDeny: ciliumEntries(c, own(spec, 'ingressDeny'), `${base}.ingressDeny`, 'ingress', true, kind),
    egress: ciliumEntries(c, own(spec, 'egress'), `${base}.egress`, 'egress', false, kind),
    egressDeny: ciliumEntries(c, own(spec, 'egressDeny'), `${base}.egressDeny`, 'egress', true, kind),
    enableDefaultDeny,
  };
}

/**
 * Decodes a policy document of `kind` into its typed rules (and keeps the specs as JSON).
 *
 * @example
 * ```ts
 * decodePolicyOf('NetworkPolicy')({ spec: { podSelector: {}, policyTypes: ['Ingress'] } }, meta);
 * // Right({ meta, specs: [...], rules: [{ flavour: 'k8s', ingress: [], … }] })
 * ```
 */
export function decodePolicyOf(kind: Kind): KindDecode<PolicyDocument> {
  return (doc, meta) => {
    const c = new Ctx();
    const d = doc as Readonly<Record<string, unknown>>;
    const rules: PolicyRuleSpec[] = [];
    const specs: JsonObject[] = [];
    const spec = own(d, 'spec');
    if (kind === 'NetworkPolicy') {
      const s = obj(c, spec ?? {}, 'spec');
      if (s !== undefined) {
        rules.push(decodeKnp(c, s));
        specs.push(s as JsonObject);
      }
    } else {
      const s = obj(c, spec, 'spec');
      if (s !== undefined) {
        const r = decodeCiliumRule(c, s, 'spec', kind);
        if (r) rules.push(r);
        specs.push(s as JsonObject);
      }
      (arr(c, own(d, 'specs'), 'specs') ?? []).forEach((x, i) => {
        const so = obj(c, x, `specs[${i}]`);
        if (so === undefined) return;
        const r = decodeCiliumRule(c, so, `specs[${i}]`, kind);
        if (r) rules.push(r);
        specs.push(so as JsonObject);
      });
      if (s === undefined && specs.length === 0 && c.issues.length === 0) c.fail('spec', 'Required value: spec or specs');
    }
    if (c.issues.length > 0) return E.left(c.issues);
    return E.right({ meta, specs, rules });
  };
}

/**
 * Decodes this project's `Traffic` kind: `spec.flows[]` of `{from, to, port, protocol?}`.
 *
 * @example
 * ```ts
 * decodeTraffic({ spec: { flows: [{ from: 'x/a', to: 'x/b', port: 80 }] } }, meta);
 * ```
 */
export const decodeTraffic: KindDecode<Traffic> = (doc, meta) => {
  const c = new Ctx();
  const spec = obj(c, own(doc as Readonly<Record<string, unknown>>, 'spec'), 'spec');
  const flows: { from: string; to: string; port: number; protocol: 'TCP' | 'UDP' | 'SCTP'; http?: { path: string; host?: string; method?: string } }[] = [];
  (arr(c, spec === undefined ? undefined : own(spec, 'flows'), 'spec.flows') ?? []).forEach((f, i) => {
    const p = `spec.flows[${i}]`;
    const o = obj(c, f, p);
    if (o === undefined) return;
    const from = own(o, 'from');
    const to = own(o, 'to');
    const port = own(o, 'port');
    const protocol = own(o, 'protocol') ?? 'TCP';
    if (typeof from !== 'string' || from === '') c.fail(`${p}.from`, 'Required value');
    if (typeof to !== 'string' || to === '') c.fail(`${p}.to`, 'Required value');
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) c.fail(`${p}.port`, `Invalid value: ${quote(port)}: must be between 1 and 65535, inclusive`);
    if (protocol !== 'TCP' && protocol !== 'UDP' && protocol !== 'SCTP') c.fail(`${p}.protocol`, `Unsupported value: ${quote(protocol)}: supported values: "SCTP", "TCP", "UDP"`);
    const path = own(o, 'path');
    const host = own(o, 'host');
    const method = own(o, 'method');
    if (path !== undefined && (typeof path !== 'string' || !path.startsWith('/'))) c.fail(`${p}.path`, `Invalid value: ${quote(path)}: must be an absolute path`);
    if (host !== undefined && typeof host !== 'string') c.fail(`${p}.host`, `Invalid value: ${quote(host)}: expected a string`);
    if (method !== undefined && (typeof method !== 'string' || !/^[A-Z]+$/.test(method))) c.fail(`${p}.method`, `Invalid value: ${quote(method)}: expected an HTTP method`);
    const http =
      typeof path === 'string'
        ? { path, ...(typeof host === 'string' ? { host } : {}), ...(typeof method === 'string' ? { method } : {}) }
        : undefined;
    if (typeof from === 'string' && typeof to === 'string' && typeof port === 'number') flows.push({ from, to, port, protocol: protocol as 'TCP', ...(http ? { http } : {}) });
  });
  if (c.issues.length > 0) return E.left(c.issues);
  return E.right({ meta, flows });
};
