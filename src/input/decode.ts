/**
 * The input stage: YAML files → one typed, merged, validated {@link Scenario}.
 *
 * 1. {@link parseYamlFiles} reads each file's documents (safely: size limits, a bounded alias
 *    count, no prototype pollution); broken YAML is reported with file, line and column.
 * 2. {@link decodeDocuments} decodes each document by kind, merges documents by identity
 *    (API group, kind, namespace, name; a later document replaces an earlier one whole), applies
 *    `--set` overrides to the `cilium-config` data and checks the values the model reads.
 *
 * Cost: linear in the text and the documents (O(D) decodes, then O(D log D) to sort each kind
 * by namespace and name). The metadata of every object, and a Pod's and a Service's fields, are
 * read by hand-written fast paths (`decodeMeta`, `decodePodDoc`, `decodeServiceDoc`; a common Pod
 * straight into its `Pod`, `fastPod`) that give the codecs' value and hand anything unusual to
 * io-ts, so errors are exactly io-ts's (properties check both agree); about 3.5 times faster than
 * io-ts for the generated 100,000 pods. Documents are merged by nested maps (kind → namespace →
 * name: no identity string per document), and values equal to the previous document's (a label
 * map, a Pod's containers, a Host's routes) are shared (`share.ts`): fewer objects kept, less
 * copying by the collector.
 *
 * Documents are numbered from 1 within their file (`lab/10-bgp.yaml#3` is the third document).
 * Nothing is decoded from a scenario with an error: the result is every error found.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import type { Gateway, GatewayClass, HTTPRoute, IgnoredDocument, IngressClass, IpMasqAgentConfig, LocalRedirectPolicy, Meta, PodIPPool, Scenario, Service, ServiceCIDR, StringMap, Traffic } from './types.js';
import { clusterServiceFamilies, serviceFamilyIssues } from './ip-families.js';
import { formatIp, formatPrefix } from '../net/addr.js';
import { type Issue, andThen, decodeWith, describeValue, emptyMap, fastStringMap, isRecord, joinPath, nonEmpty, own, str, stringMap, struct } from './codec.js';
import { checkConfigValue, configKeyOf } from './cilium-config.js';
import { decodeIpMasqAgentConfig } from './ip-masq-agent.js';
import { KINDS, type KindSpec, groupOf } from './kinds/index.js';
import { type LibraryBudget, type YamlError, libraryBudget, readYaml } from './yaml.js';
import { MAX_DOCUMENTS as DOCUMENTS_LIMIT, MAX_ERRORS, MAX_INPUT_BYTES, clip, clipMessage, oneLine } from './limits.js';
import { compareStrings } from '../net/compare.js';
import { type DecodeShare, newDecodeShare, sharedStringMap } from './share.js';

/**
 * An error in the input, located as precisely as possible, with the whole line in `message`.
 *
 * @example
 * if (r._tag === 'Left') for (const e of r.left) console.error(e.message); // e.path: 'spec.ports[0].port'
 */
export interface DecodeError {
  /** The file (as given), or `--set` for a command-line override. */
  file: string;
  /** Document number within the file, from 1. */
  document?: number;
  /** The document's kind, when known. */
  kind?: string;
  /** The document's `metadata.name`, when known. */
  name?: string;
  /** Path of the offending field, e.g. `spec.bgpInstances[0].localASN`. */
  path?: string;
  /** Line (1-based) for YAML syntax errors. */
  line?: number;
  /** Column (1-based) for YAML syntax errors. */
  column?: number;
  /**
   * The full human-readable line, e.g.
   * `lab/bgp.yaml#3 CiliumBGPClusterConfig/cilium-bgp: spec.bgpInstances[0].localASN: expected integer 1..4294967295, got "abc"`.
   */
  message: string;
}

/**
 * One parsed YAML document: its file, its number in the file (from 1) and its value.
 *
 * @example
 * const doc: RawDocument = { file: 'lab.yaml', index: 1, value: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } } };
 */
export interface RawDocument {
  /** The file it came from. */
  file: string;
  /** Document number within the file, from 1. */
  index: number;
  /** The document's value as plain data (objects, arrays, strings, numbers, booleans, null). */
  value: unknown;
}

/**
 * Options of decoding.
 *
 * @example
 * decodeScenario(files, { set: { 'loadBalancer.algorithm': 'maglev', 'bpf-lb-mode': 'dsr' } });
 */
export interface DecodeOptions {
  /**
   * `--set KEY=VALUE` overrides of the `cilium-config` data, applied before validation. KEY is a
   * `cilium-config` key or a Helm value name (mapped to its key).
   */
  readonly set?: Readonly<Record<string, string>>;
}

/**
 * Largest input accepted (characters): one file, and all files together (the CLI refuses
 * more than as many bytes before reading them). See `limits.ts` for every limit.
 *
 * @example
 * if (text.length > MAX_FILE_CHARS) throw new Error('too large');
 */
export const MAX_FILE_CHARS = MAX_INPUT_BYTES;
/**
 * Most documents accepted over all files.
 *
 * @example
 * docs.length <= MAX_DOCUMENTS; // true for any scenario decodeScenario accepts
 */
export const MAX_DOCUMENTS = DOCUMENTS_LIMIT;

/**
 * Parses YAML files into documents. Refuses files over {@link MAX_FILE_CHARS} (in all),
 * nesting, aliases and YAML beyond the fast reader's subset past the limits of `limits.ts`,
 * and reports syntax errors with file, line and column. Keys such as `__proto__` become
 * ordinary own keys.
 *
 * @example
 * ```ts
 * const docs = parseYamlFiles([{ file: 'a.yaml', text: 'kind: Node\nmetadata: {name: n1}\n' }]);
 * // right([{ file: 'a.yaml', index: 1, value: { kind: 'Node', metadata: { name: 'n1' } } }])
 * ```
 */
export function parseYamlFiles(
  files: readonly { file: string; text: string }[],
): E.Either<readonly DecodeError[], readonly RawDocument[]> {
  const errors: DecodeError[] = [];
  const docs: RawDocument[] = [];
  readFiles(files, (file, index, value) => {
    docs.push({ file, index, value });
    return true;
  }, errors);
  return errors.length > 0 ? E.left(errors) : E.right(docs);
}

/**
 * Reads the files' documents in order into `visit` (which returns false to stop), within the
 * limits: characters in all, documents in all, the `yaml` package's budget; YAML errors go to
 * `errors`. Stops once `errors` (with `extra` more counted elsewhere) reaches {@link MAX_ERRORS}.
 */
function readFiles(
  files: readonly { file: string; text: string }[],
  visit: (file: string, index: number, value: unknown) => boolean,
  errors: DecodeError[],
  extra: () => number = () => 0,
  budget: LibraryBudget = libraryBudget(),
): void {
  let chars = 0;
  let count = 0;
  let stopped = false;
  for (const { file, text } of files) {
    chars += text.length;
    if (chars > MAX_FILE_CHARS) {
      errors.push(tooLarge(file, text.length));
      return;
    }
    const yamlErrors = readYaml(
      text,
      (value, index) => {
        if (++count > MAX_DOCUMENTS) {
          errors.push(tooMany(file));
          stopped = true;
          return false;
        }
        if (!visit(file, index, value) || errors.length + extra() >= MAX_ERRORS) {
          stopped = true;
          return false;
        }
        return true;
      },
      budget,
    );
    for (const e of yamlErrors) errors.push(yamlError(file, e));
    if (stopped || errors.length + extra() >= MAX_ERRORS) return;
  }
}

function tooLarge(file: string, size: number): DecodeError {
  return { file, message: `${clip(file)}: too large (${size} characters; at most ${MAX_FILE_CHARS} in all)` };
}

function tooMany(file: string): DecodeError {
  return { file, message: `${clip(file)}: too many documents (at most ${MAX_DOCUMENTS} in all)` };
}

function yamlError(file: string, e: YamlError): DecodeError {
  const name = clip(file);
  const where = e.line !== undefined ? `${name}:${e.line}:${e.column ?? 1}` : name;
  return {
    file,
    ...(e.document !== undefined ? { document: e.document } : {}),
    ...(e.line !== undefined ? { line: e.line, column: e.column ?? 1 } : {}),
    message: `${where}: ${e.document !== undefined && e.line === undefined ? `document ${e.document}: ` : ''}${clipMessage(e.message)}`,
  };
}

/** Where a document came from, for messages. */
interface Origin {
  readonly file: string;
  readonly index: number;
  /** Path prefix inside the document (`items[2]` for an item of a `List`). */
  readonly prefix: string;
}

function locate(o: Origin, kind: string | undefined, name: string | undefined, issue: Issue): DecodeError {
  const path = joinPath(o.prefix, issue.path);
  const who = kind !== undefined ? ` ${clip(kind)}/${name !== undefined && name !== '' ? clip(name) : '?'}` : '';
  return {
    file: o.file,
    document: o.index,
    ...(kind !== undefined ? { kind } : {}),
    ...(name !== undefined ? { name } : {}),
    ...(path !== '' ? { path } : {}),
    message: `${clip(o.file)}#${o.index}${who}: ${path !== '' ? `${clip(path)}: ` : ''}${clipMessage(issue.message)}`,
  };
}

const metaCodec = struct(
  { name: nonEmpty },
  { namespace: str, labels: stringMap, annotations: stringMap, creationTimestamp: str, uid: str },
  'object metadata',
);
/**
 * An object's metadata as read from a document, before the kind's defaults (namespace `default`).
 */
export type RawMeta = { readonly name: string; readonly namespace?: string; readonly labels?: StringMap; readonly annotations?: StringMap; readonly creationTimestamp?: string; readonly uid?: string };

/**
 * Decodes a document's `metadata` (errors under `metadata.`). With `fast` (the default) the
 * common case is read without io-ts: the same value, and anything unusual (a field of another
 * type, a missing name) goes to the codec, so errors are exactly its own. The two agree on
 * every input (test/properties/fast-decode.test.ts). Cost: linear in the labels and annotations.
 */
export function decodeMeta(raw: unknown, fast = true, share?: DecodeShare): E.Either<Issue[], RawMeta> {
  const m = fast ? fastMeta(raw, share) : undefined;
  return m !== undefined ? E.right(m) : decodeWith(metaCodec, raw ?? {}, 'metadata');
}

/**
 * {@link metaCodec}'s value for `u`, or `undefined` when anything is unusual. With a share, labels
 * equal to the previous document's are that same map (`share.ts`).
 */
function fastMeta(u: unknown, share: DecodeShare | undefined): RawMeta | undefined {
  if (!isRecord(u)) return undefined;
  const name = own(u, 'name');
  if (typeof name !== 'string' || name === '') return undefined;
  const out: { -readonly [K in keyof RawMeta]: RawMeta[K] } = { name };
  const namespace = own(u, 'namespace');
  if (namespace !== undefined && namespace !== null) {
    if (typeof namespace !== 'string') return undefined;
    out.namespace = namespace;
  }
  const labels = own(u, 'labels');
  if (labels !== undefined && labels !== null) {
    const m = share !== undefined ? sharedStringMap(labels, share) : fastStringMap(labels);
    if (m === undefined) return undefined;
    out.labels = m;
  }
  const annotations = own(u, 'annotations');
  if (annotations !== undefined && annotations !== null) {
    const m = fastStringMap(annotations);
    if (m === undefined) return undefined;
    out.annotations = m;
  }
  const creationTimestamp = own(u, 'creationTimestamp');
  if (creationTimestamp !== undefined && creationTimestamp !== null) {
    if (typeof creationTimestamp !== 'string') return undefined;
    out.creationTimestamp = creationTimestamp;
  }
  const uid = own(u, 'uid');
  if (uid !== undefined && uid !== null) {
    if (typeof uid !== 'string') return undefined;
    out.uid = uid;
  }
  return out;
}

const headCodec = struct({ apiVersion: nonEmpty, kind: nonEmpty }, {}, 'a Kubernetes object (apiVersion, kind, metadata)');
const configMapCodec = struct({}, { data: stringMap });

/**
 * A decoded document waiting for the merge, and where it came from (it is its own
 * {@link Origin}: one object kept per document until the merge ends, not two).
 */
interface Entry extends Origin {
  readonly spec: KindSpec;
  readonly value: unknown;
  /** The document's kind as written (for errors found across documents). */
  readonly kind: string;
}

/** A key that cannot collide between parts (group, kind, namespace, name). */
function identity(group: string, kind: string, namespace: string, name: string): string {
  // NUL cannot occur in a Kubernetes name, kind or group
  return `${group}\u0000${kind}\u0000${namespace}\u0000${name}`;
}

const KIND_BY_NAME = new Map<string, KindSpec[]>();
for (const k of KINDS) KIND_BY_NAME.set(k.kind, [...(KIND_BY_NAME.get(k.kind) ?? []), k]);
/** Kind → API group → its spec (every group a kind is served in), for the lookup per document. */
const SPEC_BY_KIND_GROUP = new Map<string, Map<string, KindSpec>>();
for (const [kind, specs] of KIND_BY_NAME) {
  const byGroup = new Map<string, KindSpec>();
  for (const k of specs) for (const g of k.groups) if (!byGroup.has(g)) byGroup.set(g, k);
  SPEC_BY_KIND_GROUP.set(kind, byGroup);
}

/** The first spec of `kind` served in `group` (as `KIND_BY_NAME.get(kind)?.find(…includes(group))`). */
function specOf(kind: string, group: string): KindSpec | undefined {
  return SPEC_BY_KIND_GROUP.get(kind)?.get(group);
}

function compareMeta(a: { meta: Meta }, b: { meta: Meta }): number {
  const na = a.meta.namespace ?? '';
  const nb = b.meta.namespace ?? '';
  if (na !== nb) return na < nb ? -1 : 1;
  return compareStrings(a.meta.name, b.meta.name);
}

/**
 * Cycles of controller owner references among the scenario's objects (A owned by B owned by A),
 * each reported once at its first member (by kind, namespace, name) on `metadata.ownerReferences`.
 * The real API server accepts such objects (it checks each reference alone) and the garbage
 * collector never collects them on its own (each has an owner that exists); the twin refuses them (docs/decisions.md). Each object has at
 * most one controller reference (checked when decoded), so following them is O(objects).
 */
function ownerCycles(entries: Iterable<Entry>): DecodeError[] {
  type Node = { kind: string; ns: string; name: string; entry: Entry; owner: string | undefined };
  const nodes = new Map<string, Node>();
  const key = (kind: string, ns: string, name: string) => `${kind}\u0000${ns}\u0000${name}`;
  for (const entry of entries) {
    const v = entry.value as { meta?: Meta; ownerReferences?: readonly { kind: string; name: string; controller: boolean }[] };
    if (v.meta === undefined) continue;
    const ns = v.meta.namespace ?? 'default';
    const c = v.ownerReferences?.find((r) => r.controller);
    // An object without a controller ends every chain that reaches it, as an absent one does:
    // only owned objects are kept (most objects have no owner, and sorting them all was costly).
    if (c === undefined) {
      if (nodes.size > 0) nodes.delete(key(entry.kind, ns, v.meta.name));
      continue;
    }
    nodes.set(key(entry.kind, ns, v.meta.name), { kind: entry.kind, ns, name: v.meta.name, entry, owner: key(c.kind, ns, c.name) });
  }
  const errors: DecodeError[] = [];
  const state = new Map<string, number>(); // 1: on the current path, 2: done
  for (const start of [...nodes.keys()].sort(compareStrings)) {
    if (state.has(start)) continue;
    const path: string[] = [];
    let k: string | undefined = start;
    while (k !== undefined && nodes.has(k) && !state.has(k)) {
      state.set(k, 1);
      path.push(k);
      k = nodes.get(k)!.owner;
    }
    if (k !== undefined && state.get(k) === 1) {
      const cycle = path.slice(path.indexOf(k));
      const first = [...cycle].sort(compareStrings)[0]!;
      const at = cycle.indexOf(first);
      const ordered = [...cycle.slice(at), ...cycle.slice(0, at), first].map((x) => nodes.get(x)!);
      const n = ordered[0]!;
      const names = ordered.map((o) => `${o.kind}/${o.name}`).join(' -> ');
      errors.push(
        locate(n.entry, n.kind, n.name, {
          path: 'metadata.ownerReferences',
          message: `owner reference cycle in namespace ${n.ns}: ${names} (the API server accepts it, but the garbage collector never collects these objects on its own; the twin refuses it)`,
        }),
      );
    }
    for (const x of path) state.set(x, 2);
  }
  return errors;
}

/**
 * ipv6 (issue 18): the rules across documents of the address families: Cilium refuses to start
 * with both families off; a Service's families and cluster IPs must be families the API server
 * serves (the ServiceCIDRs', else cilium-config's; see `ip-families.ts`).
 */
function familyErrors(entries: Iterable<Entry>, data: StringMap | undefined, configOrigin: Origin | undefined): DecodeError[] {
  const errors: DecodeError[] = [];
  if (data !== undefined && configOrigin !== undefined && data['enable-ipv4'] === 'false' && data['enable-ipv6'] !== 'true') {
    errors.push(locate(configOrigin, 'ConfigMap', 'cilium-config', { path: 'data.enable-ipv4', message: 'Either IPv4 or IPv6 addressing must be enabled (the agent exits: enable-ipv4 and enable-ipv6 are both false)' }));
  }
  const all = [...entries];
  const cidrs = all
    .filter((e) => e.kind === 'ServiceCIDR')
    .map((e) => e.value as ServiceCIDR)
    .sort(compareMeta)
    .map((c) => ({ name: c.meta.name, cidrs: c.cidrs.map((p) => formatPrefix(p)) }));
  const configured = clusterServiceFamilies(cidrs, data);
  for (const e of all) {
    if (e.kind !== 'Service') continue;
    const svc = e.value as Service;
    const ips = svc.headless ? ['None'] : svc.clusterIPs.map((a) => formatIp(a));
    // absent fields as undefined (the rules read values, never presence): no spreads per service
    const issues = serviceFamilyIssues(
      {
        type: svc.type,
        clusterIPs: ips.length > 0 ? ips : undefined,
        clusterIP: ips.length > 0 ? ips[0]! : undefined,
        ipFamilies: svc.ipFamilies.length > 0 ? svc.ipFamilies : undefined,
        ipFamilyPolicy: svc.ipFamilyPolicy,
        hasSelector: svc.selector !== undefined,
      },
      configured,
    );
    for (const issue of issues) errors.push(locate(e, e.kind, svc.meta.name, issue));
  }
  return errors;
}

/**
 * Decodes documents one by one and merges them: the state of {@link decodeDocuments} and
 * {@link decodeScenario}, which feeds it each document as soon as it is read (so that the raw
 * values die young instead of filling the heap).
 */
class Merger {
  readonly errors: DecodeError[] = [];
  /**
   * The decoded documents in the order their identity first appeared (a later document of the
   * same identity takes its predecessor's place), and where each identity is in it: kind spec →
   * namespace → name (nested maps: no identity string made and hashed per document).
   */
  private readonly entries: Entry[] = [];
  private readonly positions = new Map<KindSpec, Map<string, Map<string, number>>>();
  /** Values shared between documents (`share.ts`). */
  private readonly share: DecodeShare = newDecodeShare();
  private readonly ignored = new Map<string, IgnoredDocument>();
  private config: { data: StringMap; origin: Origin } | undefined;
  private ipMasqAgent: IpMasqAgentConfig | undefined;
  /** What the `yaml` package may still read, shared with the files' reading (YAML inside values). */
  readonly budget: LibraryBudget = libraryBudget();

  /** Decodes one document (or the items of a `List`) and merges it. */
  visit(value: unknown, origin: Origin): void {
    const errors = this.errors;
    if (value === null || value === undefined) return;
    const doc = value as Readonly<Record<string, unknown>>;
    const rawApiVersion = isRecord(value) ? own(doc, 'apiVersion') : undefined;
    const rawKind = isRecord(value) ? own(doc, 'kind') : undefined;
    let apiVersion: string;
    let kind: string;
    if (typeof rawApiVersion === 'string' && rawApiVersion !== '' && typeof rawKind === 'string' && rawKind !== '') {
      apiVersion = rawApiVersion;
      kind = rawKind;
    } else {
      const head = decodeWith(headCodec, value);
      if (E.isLeft(head)) {
        for (const issue of head.left) errors.push(locate(origin, undefined, undefined, issue));
        return;
      }
      ({ apiVersion, kind } = head.right);
    }
    const group = groupOf(apiVersion);
    if (kind === 'List' && group === '') {
      const items = own(doc, 'items');
      if (!Array.isArray(items)) {
        errors.push(locate(origin, kind, undefined, { path: 'items', message: 'expected a list of objects' }));
        return;
      }
      items.forEach((item, i) => this.visit(item, { ...origin, prefix: joinPath(origin.prefix, `items[${i}]`) }));
      return;
    }
    const rawMeta = own(doc, 'metadata');
    const meta0 = decodeMeta(rawMeta, true, this.share);
    const rawName = isRecord(rawMeta) && typeof own(rawMeta, 'name') === 'string' ? (own(rawMeta, 'name') as string) : undefined;
    if (E.isLeft(meta0)) {
      for (const issue of meta0.left) errors.push(locate(origin, kind, rawName, issue));
      return;
    }
    const m = meta0.right;
    const spec = specOf(kind, group);
    const isConfigMap = kind === 'ConfigMap' && group === '';
    if (spec === undefined && !isConfigMap) {
      const ns = m.namespace;
      this.ignored.set(identity(group, kind, ns ?? '', m.name), {
        source: `${origin.file}#${origin.index}`,
        apiVersion,
        kind,
        name: m.name,
        ...(ns !== undefined ? { namespace: ns } : {}),
      });
      return;
    }
    const namespaced = spec?.namespaced ?? true;
    const namespace = namespaced ? (m.namespace !== undefined && m.namespace !== '' ? m.namespace : 'default') : undefined;
    const labels = m.labels ?? emptyMap();
    const annotations = m.annotations ?? emptyMap();
    // built without spreads: this runs once per document, 100,000 times for a large cluster
    const meta: { -readonly [K in keyof Meta]: Meta[K] } =
      namespace !== undefined ? { name: m.name, namespace, labels, annotations } : { name: m.name, labels, annotations };
    if (m.creationTimestamp !== undefined) meta.creationTimestamp = m.creationTimestamp;
    if (m.uid !== undefined && m.uid !== '') meta.uid = m.uid;
    if (isConfigMap) {
      if (namespace === 'kube-system' && m.name === 'cilium-config') {
        const d = decodeWith(configMapCodec, doc);
        if (E.isLeft(d)) for (const issue of d.left) errors.push(locate(origin, kind, m.name, issue));
        else this.config = { data: d.right.data ?? emptyMap(), origin };
      } else if (namespace === 'kube-system' && m.name === 'ip-masq-agent') {
        // egress: the ip-masq-agent configuration (`data.config`, YAML or JSON)
        const d = andThen(decodeWith(configMapCodec, doc), (c) => decodeIpMasqAgentConfig(c.data?.['config'], this.budget));
        if (E.isLeft(d)) for (const issue of d.left) errors.push(locate(origin, kind, m.name, issue));
        else this.ipMasqAgent = d.right;
      } else {
        this.ignored.set(identity(group, kind, namespace ?? '', m.name), {
          source: `${origin.file}#${origin.index}`,
          apiVersion,
          kind,
          name: m.name,
          ...(namespace !== undefined ? { namespace } : {}),
        });
      }
      return;
    }
    const s = spec!;
    const decoded = s.decode(doc, meta, this.share);
    if (E.isLeft(decoded)) {
      for (const issue of decoded.left) errors.push(locate(origin, kind, m.name, issue));
      return;
    }
    // the identity (API group, kind, namespace, name): a spec is one group and kind (KINDS)
    let byNs = this.positions.get(s);
    if (byNs === undefined) this.positions.set(s, (byNs = new Map()));
    const ns = namespace ?? '';
    let byName = byNs.get(ns);
    if (byName === undefined) byNs.set(ns, (byName = new Map()));
    const entry: Entry = { file: origin.file, index: origin.index, prefix: origin.prefix, spec: s, value: decoded.right, kind };
    const at = byName.get(m.name);
    if (at === undefined) {
      byName.set(m.name, this.entries.length);
      this.entries.push(entry);
    } else this.entries[at] = entry;
  }

  /** Applies `--set`, checks the cilium-config values, and gives the scenario or every error. */
  finish(options: DecodeOptions): E.Either<readonly DecodeError[], Scenario> {
    const errors = this.errors;
    const config = this.config;
    // cilium-config: --set overrides, then the values the model reads are checked.
    const sources = new Map<string, string>();
    let data: Record<string, string> | undefined;
    if (config !== undefined) data = Object.assign(Object.create(null) as Record<string, string>, config.data);
    for (const [name, value] of Object.entries(options.set ?? {}).sort(([x], [y]) => compareStrings(x, y))) {
      const key = configKeyOf(name);
      if (E.isLeft(key)) {
        errors.push({ file: '--set', message: `--set ${clip(name)}=${clip(value)}: ${oneLine(key.left)}` });
        continue;
      }
      data ??= Object.create(null) as Record<string, string>;
      data[key.right] = value;
      sources.set(key.right, `--set ${clip(name)}=${clip(value)}`);
    }
    if (data !== undefined) {
      for (const key of Object.keys(data).sort()) {
        const problem = checkConfigValue(key, data[key]!);
        if (problem === undefined) continue;
        const issue = { path: `data.${key}`, message: `${problem}, got ${describeValue(data[key])}` };
        const from = sources.get(key);
        if (from !== undefined) errors.push({ file: '--set', path: issue.path, message: `${from}: ${clip(issue.path)}: ${oneLine(issue.message)}` });
        else if (config !== undefined) errors.push(locate(config.origin, 'ConfigMap', 'cilium-config', issue));
      }
    }
    errors.push(...ownerCycles(this.entries));
    if (errors.length === 0) errors.push(...familyErrors(this.entries, data, config?.origin)); // ipv6 (issue 18)
    if (errors.length > 0) return E.left(errors);

    const lists = new Map<string, { meta: Meta }[]>();
    for (const { spec, value } of this.entries) {
      const l = lists.get(spec.slot);
      if (l === undefined) lists.set(spec.slot, [value as { meta: Meta }]);
      else l.push(value as { meta: Meta });
    }
    const get = <A>(slot: string): readonly A[] => (lists.get(slot) ?? []).sort(compareMeta) as unknown as readonly A[];
    const scenario: Scenario = {
      nodes: get('nodes'),
      namespaces: get('namespaces'),
      pods: get('pods'),
      services: get('services'),
      endpointSlices: get('endpointSlices'),
      ingresses: get('ingresses'),
      ...(lists.has('ingressClasses') ? { ingressClasses: get<IngressClass>('ingressClasses') } : {}),
      ...(lists.has('gatewayClasses') ? { gatewayClasses: get<GatewayClass>('gatewayClasses') } : {}),
      ...(lists.has('gateways') ? { gateways: get<Gateway>('gateways') } : {}),
      ...(lists.has('httpRoutes') ? { httpRoutes: get<HTTPRoute>('httpRoutes') } : {}),
      networkPolicies: get('networkPolicies'),
      ...(data !== undefined ? { ciliumConfig: data } : {}),
      ...(this.ipMasqAgent !== undefined ? { ipMasqAgent: this.ipMasqAgent } : {}),
      ciliumNodes: get('ciliumNodes'),
      bgpClusterConfigs: get('bgpClusterConfigs'),
      bgpPeerConfigs: get('bgpPeerConfigs'),
      bgpAdvertisements: get('bgpAdvertisements'),
      bgpNodeConfigOverrides: get('bgpNodeConfigOverrides'),
      lbIpPools: get('lbIpPools'),
      l2AnnouncementPolicies: get('l2AnnouncementPolicies'),
      egressGatewayPolicies: [...get<{ meta: Meta; flavour: string }>('egressGatewayPolicies')].sort(
        (x, y) => compareMeta(x, y) || compareStrings(x.flavour, y.flavour),
      ) as unknown as Scenario['egressGatewayPolicies'],
      ciliumNetworkPolicies: get('ciliumNetworkPolicies'),
      ciliumClusterwideNetworkPolicies: get('ciliumClusterwideNetworkPolicies'),
      ...(lists.has('traffic') ? { traffic: get<Traffic>('traffic') } : {}),
      hosts: get('hosts'),
      controllers: [...get<{ meta: Meta; kind: string }>('controllers')].sort(
        (x, y) => compareMeta(x, y) || compareStrings(x.kind, y.kind),
      ) as unknown as Scenario['controllers'],
      serviceCIDRs: get('serviceCIDRs'),
      ...(lists.has('podIPPools') ? { podIPPools: get<PodIPPool>('podIPPools') } : {}),
      ...(lists.has('localRedirectPolicies') ? { localRedirectPolicies: get<LocalRedirectPolicy>('localRedirectPolicies') } : {}),
      ignored: [...this.ignored.values()].sort(
        (x, y) => compareStrings(x.kind, y.kind) || compareStrings(x.namespace ?? '', y.namespace ?? '') || compareStrings(x.name, y.name) || compareStrings(x.apiVersion, y.apiVersion),
      ),
    };
    return E.right(scenario);
  }
}

/**
 * Decodes parsed documents into a scenario: every known kind decoded and checked, documents
 * merged by identity (later wins), unknown kinds listed as ignored, `--set` overrides applied
 * to the `cilium-config` data, and the values the model reads checked
 * (e.g. `data.bpf-lb-algorithm: expected random or maglev, got "rr"`).
 *
 * @example
 * ```ts
 * const r = decodeDocuments(docs, { set: { 'loadBalancer.algorithm': 'maglev' } });
 * if (r._tag === 'Right') r.right.ciliumConfig?.['bpf-lb-algorithm']; // 'maglev'
 * ```
 */
export function decodeDocuments(
  docs: readonly RawDocument[],
  options: DecodeOptions = {},
): E.Either<readonly DecodeError[], Scenario> {
  const merger = new Merger();
  for (const d of docs) merger.visit(d.value, { file: d.file, index: d.index, prefix: '' });
  return merger.finish(options);
}


/**
 * Reads a scenario from YAML files: the same result as {@link parseYamlFiles} then
 * {@link decodeDocuments}, but each document is decoded as soon as it is read.
 *
 * @example
 * ```ts
 * import { decodeScenario } from 'cilium-twin';
 * declare const text: string; // a file's YAML
 * const r = decodeScenario([{ file: 'lab.yaml', text }], { set: { 'bpf-lb-algorithm': 'maglev' } });
 * if (r._tag === 'Left') for (const e of r.left) console.error(e.message);
 * ```
 */
export function decodeScenario(
  files: readonly { file: string; text: string }[],
  options: DecodeOptions = {},
): E.Either<readonly DecodeError[], Scenario> {
  const merger = new Merger();
  const yamlErrors: DecodeError[] = [];
  readFiles(
    files,
    (file, index, value) => {
      merger.visit(value, { file, index, prefix: '' });
      return true;
    },
    yamlErrors,
    () => merger.errors.length,
    merger.budget,
  );
  if (yamlErrors.length + merger.errors.length >= MAX_ERRORS) {
    const all = [...yamlErrors, ...merger.errors].slice(0, MAX_ERRORS);
    const last = all[all.length - 1];
    const file = last?.file ?? '';
    const where = last?.document !== undefined ? `${clip(file)}#${last.document}` : clip(file);
    all.push({ file, ...(last?.document !== undefined ? { document: last.document } : {}), message: `${where}: reading stopped after ${MAX_ERRORS} errors` });
    return E.left(all);
  }
  if (yamlErrors.length > 0) return E.left(yamlErrors);
  return merger.finish(options);
}
