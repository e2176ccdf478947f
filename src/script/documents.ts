/**
 * The state a script changes: the scenario's documents as plain data, in order, one per
 * identity (API group, kind, namespace, name), as the input stage merges them. Every change of
 * a script is a pure function from documents to documents; the twin is rebuilt from the result.
 *
 * Also the names `kubectl` takes for resource types (`svc`, `deploy`, `ippools`, …) and the
 * names it prints for objects (`service/webpod`, `deployment.apps/webpod`,
 * `ciliumloadbalancerippool.cilium.io/cilium-pool`).
 *
 * Cost: {@link normalizeDocuments} is linear (one index by identity); a lookup or an upsert
 * scans the documents once (linear), once per change.
 *
 * @module
 */
import type { RawDocument } from '../input/decode.js';
import { KINDS, groupOf } from '../input/kinds/index.js';

/**
 * The documents of a scenario, in order.
 *
 * @example
 * const docs: Documents = [{ file: 'lab.yaml', index: 1, value: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } } }];
 */
export type Documents = readonly RawDocument[];

/** A JSON-like object. */
export type Obj = Record<string, unknown>;

/**
 * Whether a value is a plain object (not an array, not null).
 *
 * @example
 * isObj({}); // true
 */
export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A deep copy of plain data.
 *
 * @example
 * clone({ a: [1] }); // { a: [1] }, a new object
 */
export function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

/**
 * Whether two plain data values are equal (key order ignored).
 *
 * @example
 * deepEqual({ a: 1, b: 2 }, { b: 2, a: 1 }); // true
 */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObj(a) && isObj(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

/**
 * A resource type as kubectl names it.
 *
 * @example
 * const r: ResourceType = { kind: 'Service', group: '', namespaced: true, names: ['services', 'service', 'svc'] };
 */
export interface ResourceType {
  /** `kind`. */
  readonly kind: string;
  /** API group (`''` core). */
  readonly group: string;
  /** Namespaced or cluster-scoped. */
  readonly namespaced: boolean;
  /** The names kubectl accepts (plural, singular, short names). */
  readonly names: readonly string[];
}

const T = (kind: string, group: string, namespaced: boolean, ...short: string[]): ResourceType => {
  const singular = kind.toLowerCase();
  const plural = singular.endsWith('y') ? `${singular.slice(0, -1)}ies` : singular.endsWith('s') ? `${singular}es` : `${singular}s`;
  return { kind, group, namespaced, names: [plural, singular, ...short] };
};

/**
 * The resource types scripts name, with kubectl's short names.
 *
 * @example
 * RESOURCE_TYPES.find((r) => r.names.includes('svc'))?.kind; // 'Service'
 */
export const RESOURCE_TYPES: readonly ResourceType[] = [
  T('Pod', '', true, 'po'),
  T('Service', '', true, 'svc'),
  T('Node', '', false, 'no'),
  T('Namespace', '', false, 'ns'),
  T('ConfigMap', '', true, 'cm'),
  T('EndpointSlice', 'discovery.k8s.io', true),
  T('Deployment', 'apps', true, 'deploy'),
  T('ReplicaSet', 'apps', true, 'rs'),
  T('DaemonSet', 'apps', true, 'ds'),
  T('StatefulSet', 'apps', true, 'sts'),
  T('Ingress', 'networking.k8s.io', true, 'ing'),
  T('NetworkPolicy', 'networking.k8s.io', true, 'netpol'),
  T('CiliumNode', 'cilium.io', false, 'cn'),
  T('CiliumLoadBalancerIPPool', 'cilium.io', false, 'ippools', 'ippool', 'lbippool', 'lbippools'),
  T('CiliumBGPClusterConfig', 'cilium.io', false, 'cbgpcluster'),
  T('CiliumBGPPeerConfig', 'cilium.io', false, 'cbgppeer'),
  T('CiliumBGPAdvertisement', 'cilium.io', false, 'cbgpadvert'),
  T('CiliumBGPNodeConfigOverride', 'cilium.io', false, 'cbgpnodeoverride'),
  T('CiliumL2AnnouncementPolicy', 'cilium.io', false, 'l2announcement'),
  T('CiliumEgressGatewayPolicy', 'cilium.io', false),
  T('CiliumNetworkPolicy', 'cilium.io', true, 'cnp', 'ciliumnp'),
  T('CiliumClusterwideNetworkPolicy', 'cilium.io', false, 'ccnp'),
  T('Host', 'cilium-twin', false),
];

/**
 * The resource type a kubectl word names (`svc`, `deployments.apps`, `Deployment`), or undefined.
 *
 * @example
 * resourceType('deploy')?.kind; // 'Deployment'
 */
export function resourceType(word: string): ResourceType | undefined {
  const w = word.toLowerCase();
  for (const r of RESOURCE_TYPES) {
    if (r.names.includes(w)) return r;
    if (r.group !== '' && r.names.some((n) => `${n}.${r.group}` === w)) return r;
    if (w === r.kind.toLowerCase()) return r;
  }
  return undefined;
}

/**
 * The identity of a document: group, kind, namespace (defaulted for namespaced kinds), name.
 *
 * @example
 * identityOf({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'webpod' } }); // { group: '', kind: 'Service', namespace: 'default', name: 'webpod' }
 */
export function identityOf(value: unknown): { group: string; kind: string; namespace: string; name: string } | undefined {
  if (!isObj(value)) return undefined;
  const { apiVersion, kind, metadata } = value;
  if (typeof kind !== 'string' || typeof apiVersion !== 'string' || !isObj(metadata) || typeof metadata.name !== 'string') return undefined;
  const group = groupOf(apiVersion);
  const known = KINDS.find((k) => k.kind === kind) ?? RESOURCE_TYPES.find((r) => r.kind === kind);
  const namespaced = known ? known.namespaced : typeof metadata.namespace === 'string';
  const ns = namespaced ? (typeof metadata.namespace === 'string' && metadata.namespace !== '' ? metadata.namespace : 'default') : '';
  return { group, kind, namespace: ns, name: metadata.name };
}

/**
 * The name kubectl prints for an object: `service/webpod`, `deployment.apps/webpod`.
 *
 * @example
 * objectRef({ apiVersion: 'cilium.io/v2', kind: 'CiliumLoadBalancerIPPool', metadata: { name: 'p' } }); // 'ciliumloadbalancerippool.cilium.io/p'
 */
export function objectRef(value: unknown): string {
  const id = identityOf(value);
  if (!id) return '?';
  return `${id.kind.toLowerCase()}${id.group !== '' ? `.${id.group}` : ''}/${id.name}`;
}

function sameIdentity(a: unknown, b: unknown): boolean {
  const x = identityOf(a);
  const y = identityOf(b);
  return x !== undefined && y !== undefined && x.group === y.group && x.kind === y.kind && x.namespace === y.namespace && x.name === y.name;
}

/**
 * Flattens `kind: List` documents into their items and keeps the last document of each
 * identity (at the place of its first occurrence), as the input stage merges them.
 *
 * @example
 * normalizeDocuments(docs).length <= docs.length; // true unless a List is expanded
 */
export function normalizeDocuments(docs: Documents): Documents {
  const flat: RawDocument[] = [];
  for (const d of docs) {
    if (isObj(d.value) && d.value.kind === 'List' && Array.isArray(d.value.items)) {
      for (const item of d.value.items) flat.push({ file: d.file, index: d.index, value: item });
    } else if (d.value !== null && d.value !== undefined) flat.push(d);
  }
  const out: RawDocument[] = [];
  const at = new Map<string, number>();
  for (const d of flat) {
    const id = identityOf(d.value);
    const key = id === undefined ? undefined : `${id.group}\u0000${id.kind}\u0000${id.namespace}\u0000${id.name}`;
    const i = key === undefined ? undefined : at.get(key);
    if (i !== undefined) out[i] = d;
    else {
      if (key !== undefined) at.set(key, out.length);
      out.push(d);
    }
  }
  return out;
}

/**
 * Adds or replaces a document (by identity). Says whether it was `created`, `configured` or
 * `unchanged`, as `kubectl apply` does.
 *
 * @example
 * upsertDocument([], doc).action; // 'created'
 */
export function upsertDocument(docs: Documents, doc: RawDocument): { docs: Documents; action: 'created' | 'configured' | 'unchanged' } {
  const at = docs.findIndex((d) => sameIdentity(d.value, doc.value));
  if (at < 0) return { docs: [...docs, doc], action: 'created' };
  if (deepEqual(docs[at]!.value, doc.value)) return { docs, action: 'unchanged' };
  return { docs: docs.map((d, i) => (i === at ? doc : d)), action: 'configured' };
}

/**
 * Finds a document of a resource type by namespace and name.
 *
 * @example
 * findDocument(docs, resourceType('svc')!, 'default', 'webpod'); // index or -1
 */
export function findDocument(docs: Documents, type: ResourceType, namespace: string, name: string): number {
  return docs.findIndex((d) => {
    const id = identityOf(d.value);
    return id !== undefined && id.kind === type.kind && id.name === name && (!type.namespaced || id.namespace === namespace);
  });
}

/**
 * Replaces the value of the document at `index`.
 *
 * @example
 * withValue(docs, 0, { ...docs[0].value, spec: {} });
 */
export function withValue(docs: Documents, index: number, value: unknown): Documents {
  return docs.map((d, i) => (i === index ? { ...d, value } : d));
}

/**
 * Removes the document at `index`.
 *
 * @example
 * withoutDocument(docs, 0).length === docs.length - 1; // true
 */
export function withoutDocument(docs: Documents, index: number): Documents {
  return docs.filter((_, i) => i !== index);
}
