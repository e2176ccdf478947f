/**
 * `kubectl` changes as pure functions on the scenario's documents, printing what kubectl
 * prints: `apply`, `create`, `replace`, `delete`, `patch` (strategic merge, JSON merge, JSON
 * patch), `label`, `annotate`, `scale`, `cordon`, `uncordon`, `taint`, `rollout restart`.
 *
 * Rules followed (kubectl 1.33 and the API server):
 * - `apply -f` replaces the object whole (the twin keeps no last-applied state, so fields
 *   another writer set are not kept); `created`, `configured` or `unchanged`.
 * - `label`/`annotate` refuse to change an existing key without `--overwrite`
 *   (`error: 'KEY' already has a value (VALUE), and --overwrite is false`); `KEY-` removes.
 * - `patch` defaults to strategic merge, which custom resources (Cilium's kinds) refuse.
 * - `rollout restart` sets the pod template's `kubectl.kubernetes.io/restartedAt` annotation,
 *   so the workload rules make new pods with new names. The time is the script step's number
 *   after a fixed epoch (a script has no clock).
 *
 * @module
 */
import { parseYamlFiles, type RawDocument } from '../input/decode.js';
import { type ChangeContext, type ChangeResult, done, refused, unsupported } from './change.js';
import {
  type Documents,
  type Obj,
  type ResourceType,
  clone,
  deepEqual,
  findDocument,
  identityOf,
  isObj,
  normalizeDocuments,
  objectRef,
  resourceType,
  upsertDocument,
  withValue,
  withoutDocument,
  RESOURCE_TYPES,
} from './documents.js';
import { jsonMergePatch, jsonPatch, strategicMergePatch } from './patch.js';

/** The kubectl verbs that change the cluster. */
export const KUBECTL_CHANGES: readonly string[] = ['apply', 'create', 'replace', 'delete', 'patch', 'label', 'annotate', 'scale', 'cordon', 'uncordon', 'taint', 'rollout', 'edit', 'set', 'drain', 'expose', 'run'];

/** Flags and positional words of a kubectl command line. */
interface KubectlArgs {
  readonly positional: string[];
  readonly namespace?: string;
  readonly files: string[];
  readonly patch?: string;
  readonly type?: string;
  readonly replicas?: string;
  readonly overwrite: boolean;
  readonly unknown: string[];
}

const VALUE_FLAGS: Record<string, string> = {
  '-n': 'namespace',
  '--namespace': 'namespace',
  '-f': 'file',
  '--filename': 'file',
  '-p': 'patch',
  '--patch': 'patch',
  '--type': 'type',
  '--replicas': 'replicas',
  '-o': 'ignore',
  '--output': 'ignore',
  '--field-manager': 'ignore',
  '--grace-period': 'ignore',
  '--timeout': 'ignore',
};
const BOOL_FLAGS = new Set(['--overwrite', '--server-side', '--force', '--wait', '--now', '-it', '-i', '-t', '--record']);

function readArgs(words: readonly string[]): KubectlArgs | string {
  const positional: string[] = [];
  const files: string[] = [];
  const unknown: string[] = [];
  let namespace: string | undefined;
  let patch: string | undefined;
  let type: string | undefined;
  let replicas: string | undefined;
  let overwrite = false;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const eq = w.startsWith('--') ? w.indexOf('=') : -1;
    const name = eq > 0 ? w.slice(0, eq) : w;
    const target = VALUE_FLAGS[name];
    if (target !== undefined) {
      const v = eq > 0 ? w.slice(eq + 1) : words[++i];
      if (v === undefined) return `error: flag needs an argument: ${name}`;
      if (target === 'namespace') namespace = v;
      else if (target === 'file') files.push(v);
      else if (target === 'patch') patch = v;
      else if (target === 'type') type = v;
      else if (target === 'replicas') replicas = v;
      continue;
    }
    if (/^-n[a-z0-9]/.test(w)) {
      namespace = w.slice(2);
      continue;
    }
    if (name === '--overwrite') {
      overwrite = eq < 0 || w.slice(eq + 1) === 'true';
      continue;
    }
    if (BOOL_FLAGS.has(name)) continue;
    if (w.startsWith('-') && w !== '-') {
      unknown.push(w);
      continue;
    }
    positional.push(w);
  }
  return {
    positional,
    files,
    overwrite,
    unknown,
    ...(namespace !== undefined ? { namespace } : {}),
    ...(patch !== undefined ? { patch } : {}),
    ...(type !== undefined ? { type } : {}),
    ...(replicas !== undefined ? { replicas } : {}),
  };
}

/** The plural resource name kubectl uses in server errors: `services`, `deployments.apps`. */
function pluralRef(type: ResourceType): string {
  return `${type.names[0]}${type.group !== '' ? `.${type.group}` : ''}`;
}

/** `TYPE NAME...` or `TYPE/NAME ...` into (type, names). */
function targets(positional: readonly string[]): { type: ResourceType; names: string[] }[] | string {
  if (positional.length === 0) return 'error: you must specify the type of resource to get';
  const out: { type: ResourceType; names: string[] }[] = [];
  if (positional[0]!.includes('/')) {
    for (const p of positional) {
      const slash = p.indexOf('/');
      if (slash < 0) return `error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form`;
      const type = resourceType(p.slice(0, slash));
      if (!type) return `error: the server doesn't have a resource type "${p.slice(0, slash)}"`;
      out.push({ type, names: [p.slice(slash + 1)] });
    }
    return out;
  }
  const type = resourceType(positional[0]!);
  if (!type) return `error: the server doesn't have a resource type "${positional[0]}"`;
  return [{ type, names: positional.slice(1) }];
}

/** Reads `-f` names: script sections first, then files through the context. */
function readManifests(names: readonly string[], ctx: ChangeContext): { ok: true; docs: RawDocument[] } | { ok: false; error: string } {
  const files: { file: string; text: string }[] = [];
  for (const n of names) {
    const section = ctx.files.get(n);
    if (section !== undefined) {
      files.push({ file: n, text: section });
      continue;
    }
    if (n === '-') return { ok: false, error: 'error: -f - (standard input) is not available in a script; put the manifest in a "-- NAME --" section' };
    if (!ctx.readFile) return { ok: false, error: `error: the path "${n}" does not exist` };
    const r = ctx.readFile(n);
    if (!r.ok) return { ok: false, error: `error: ${r.error}` };
    files.push(...r.files);
  }
  const parsed = parseYamlFiles(files);
  if (parsed._tag === 'Left') {
    // an error in a section is located in the script: SCRIPT:LINE (section NAME)
    const where = (e: { file: string; line?: number; message: string }): string => {
      const o = ctx.files.has(e.file) ? ctx.fileOrigin?.(e.file) : undefined;
      if (o === undefined || e.line === undefined) return e.message;
      const rest = e.message.replace(/^[^:]*:\d+:\d+: /, '');
      return `${o.script}:${o.line + e.line - 1}: section ${e.file}: ${rest}`;
    };
    return { ok: false, error: `error: ${parsed.left.map(where).join('\n')}` };
  }
  const docs = normalizeDocuments(parsed.right);
  for (const d of docs) {
    if (identityOf(d.value) === undefined) return { ok: false, error: `error: ${d.file}#${d.index}: a Kubernetes object needs apiVersion, kind and metadata.name` };
  }
  return { ok: true, docs: [...docs] };
}

function withNamespace(doc: RawDocument, namespace: string | undefined): RawDocument {
  if (namespace === undefined || !isObj(doc.value)) return doc;
  const id = identityOf(doc.value);
  const type = id ? RESOURCE_TYPES.find((r) => r.kind === id.kind) : undefined;
  if (!type?.namespaced) return doc;
  const v = clone(doc.value) as Obj;
  const meta = v.metadata as Obj;
  if (meta.namespace === undefined) meta.namespace = namespace;
  return { ...doc, value: v };
}

function apply(docs: Documents, a: KubectlArgs, ctx: ChangeContext, verb: 'apply' | 'create' | 'replace'): ChangeResult {
  if (a.files.length === 0) return refused(docs, `error: must specify one of -f and -k`);
  const m = readManifests(a.files, ctx);
  if (!m.ok) return refused(docs, m.error);
  let cur = docs;
  const out: string[] = [];
  for (const raw of m.docs) {
    const d = withNamespace(raw, a.namespace);
    const id = identityOf(d.value)!;
    const type = RESOURCE_TYPES.find((r) => r.kind === id.kind);
    const exists = type ? findDocument(cur, type, id.namespace, id.name) >= 0 : false;
    if (verb === 'create' && exists) {
      return { kind: 'done', docs: cur, stdout: joinLines(out), stderr: `Error from server (AlreadyExists): error when creating "${d.file}": ${type ? pluralRef(type) : id.kind} "${id.name}" already exists\n`, exitCode: 1 };
    }
    if (verb === 'replace' && !exists) {
      return { kind: 'done', docs: cur, stdout: joinLines(out), stderr: `Error from server (NotFound): error when replacing "${d.file}": ${type ? pluralRef(type) : id.kind} "${id.name}" not found\n`, exitCode: 1 };
    }
    const r = upsertDocument(cur, d);
    cur = r.docs;
    out.push(`${objectRef(d.value)} ${verb === 'replace' ? 'replaced' : r.action}`);
  }
  return done(cur, joinLines(out));
}

function joinLines(l: readonly string[]): string {
  return l.length === 0 ? '' : `${l.join('\n')}\n`;
}

function ns(a: KubectlArgs): string {
  return a.namespace ?? 'default';
}

function notFound(docs: Documents, type: ResourceType, name: string): ChangeResult {
  return refused(docs, `Error from server (NotFound): ${pluralRef(type)} "${name}" not found`);
}

function del(docs: Documents, a: KubectlArgs, ctx: ChangeContext): ChangeResult {
  let cur = docs;
  const out: string[] = [];
  if (a.files.length > 0) {
    const m = readManifests(a.files, ctx);
    if (!m.ok) return refused(docs, m.error);
    for (const raw of m.docs) {
      const d = withNamespace(raw, a.namespace);
      const id = identityOf(d.value)!;
      const type = RESOURCE_TYPES.find((r) => r.kind === id.kind);
      const at = type ? findDocument(cur, type, id.namespace, id.name) : -1;
      if (!type || at < 0) return { kind: 'done', docs: cur, stdout: joinLines(out), stderr: `Error from server (NotFound): error when deleting "${d.file}": ${type ? pluralRef(type) : id.kind} "${id.name}" not found\n`, exitCode: 1 };
      cur = withoutDocument(cur, at);
      out.push(`${objectRef(d.value).replace(/\/(.*)$/, ' "$1"')} deleted`);
    }
    return done(cur, joinLines(out));
  }
  const t = targets(a.positional);
  if (typeof t === 'string') return refused(docs, t);
  for (const { type, names } of t) {
    if (names.length === 0) return refused(docs, 'error: resource(s) were provided, but no name was specified');
    for (const name of names) {
      const at = findDocument(cur, type, ns(a), name);
      if (at < 0) return { kind: 'done', docs: cur, stdout: joinLines(out), stderr: `Error from server (NotFound): ${pluralRef(type)} "${name}" not found\n`, exitCode: 1 };
      cur = withoutDocument(cur, at);
      out.push(`${type.kind.toLowerCase()}${type.group !== '' ? `.${type.group}` : ''} "${name}" deleted`);
    }
  }
  return done(cur, joinLines(out));
}

const BUILT_IN_GROUPS = new Set(['', 'apps', 'discovery.k8s.io', 'networking.k8s.io', 'batch', 'policy']);

function patch(docs: Documents, a: KubectlArgs): ChangeResult {
  const t = targets(a.positional);
  if (typeof t === 'string') return refused(docs, t);
  if (a.patch === undefined) return refused(docs, 'error: must specify -p to patch');
  let body: unknown;
  try {
    body = JSON.parse(a.patch);
  } catch {
    // kubectl accepts YAML too; JSON is what lab notes write
    const y = parseYamlFiles([{ file: '-p', text: a.patch }]);
    if (y._tag === 'Left' || y.right.length !== 1) return refused(docs, `error: unable to parse "${a.patch}": not JSON or YAML`);
    body = y.right[0]!.value;
  }
  const kind = a.type ?? 'strategic';
  if (!['strategic', 'merge', 'json'].includes(kind)) return refused(docs, `error: --type must be one of [json merge strategic], not "${kind}"`);
  let cur = docs;
  const out: string[] = [];
  for (const { type, names } of t) {
    for (const name of names) {
      const at = findDocument(cur, type, ns(a), name);
      if (at < 0) return notFound(cur, type, name);
      const before = cur[at]!.value;
      let after: unknown;
      if (kind === 'json') {
        const r = jsonPatch(before, body);
        if (!r.ok) return refused(cur, `The request is invalid: the server rejected our request due to an error in our request: ${r.error}`);
        after = r.value;
      } else if (kind === 'merge') {
        if (!isObj(body)) return refused(cur, 'error: a merge patch must be a JSON object');
        after = jsonMergePatch(before, body);
      } else {
        if (!BUILT_IN_GROUPS.has(type.group)) {
          return refused(
            cur,
            `error: application/strategic-merge-patch+json is not supported by ${type.group}/v2, Kind=${type.kind}: the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`,
          );
        }
        if (!isObj(body)) return refused(cur, 'error: a strategic merge patch must be a JSON object');
        after = strategicMergePatch(before, body);
      }
      const idBefore = identityOf(before);
      const idAfter = identityOf(after);
      if (!idAfter || idBefore?.name !== idAfter.name || idBefore.kind !== idAfter.kind || idBefore.namespace !== idAfter.namespace) {
        return refused(cur, `The request is invalid: the patch changes the object's kind, name or namespace`);
      }
      const same = deepEqual(before, after);
      cur = withValue(cur, at, after);
      out.push(`${type.kind.toLowerCase()}${type.group !== '' ? `.${type.group}` : ''}/${name} patched${same ? ' (no change)' : ''}`);
    }
  }
  return done(cur, joinLines(out));
}

function metaMap(value: unknown, field: 'labels' | 'annotations'): Record<string, string> {
  const meta = isObj(value) && isObj(value.metadata) ? value.metadata : {};
  const m = meta[field];
  return isObj(m) ? ({ ...m } as Record<string, string>) : {};
}

function setMetaMap(value: unknown, field: 'labels' | 'annotations', map: Record<string, string>): unknown {
  const v = clone(value) as Obj;
  const meta = (isObj(v.metadata) ? v.metadata : {}) as Obj;
  if (Object.keys(map).length === 0) delete meta[field];
  else meta[field] = map;
  v.metadata = meta;
  return v;
}

function labelOrAnnotate(docs: Documents, a: KubectlArgs, field: 'labels' | 'annotations'): ChangeResult {
  const changes: { key: string; value?: string }[] = [];
  const rest: string[] = [];
  for (const p of a.positional) {
    if (p.includes('=')) changes.push({ key: p.slice(0, p.indexOf('=')), value: p.slice(p.indexOf('=') + 1) });
    else if (p.endsWith('-') && rest.length > 0 && !p.includes('=')) changes.push({ key: p.slice(0, -1) });
    else rest.push(p);
  }
  if (changes.length === 0) return refused(docs, `error: at least one ${field === 'labels' ? 'label' : 'annotation'} update is required`);
  const t = targets(rest);
  if (typeof t === 'string') return refused(docs, t);
  let cur = docs;
  const out: string[] = [];
  for (const { type, names } of t) {
    if (names.length === 0) return refused(docs, 'error: resource(s) were provided, but no name was specified');
    for (const name of names) {
      const at = findDocument(cur, type, ns(a), name);
      if (at < 0) return notFound(cur, type, name);
      const map = metaMap(cur[at]!.value, field);
      for (const c of changes) {
        if (c.value !== undefined && map[c.key] !== undefined && !a.overwrite) {
          return refused(cur, `error: '${c.key}' already has a value (${map[c.key]}), and --overwrite is false`);
        }
      }
      for (const c of changes) {
        if (c.value === undefined) delete map[c.key];
        else map[c.key] = c.value;
      }
      cur = withValue(cur, at, setMetaMap(cur[at]!.value, field, map));
      const verb = field === 'labels' ? (changes.every((c) => c.value === undefined) ? 'unlabeled' : 'labeled') : changes.every((c) => c.value === undefined) ? 'unannotated' : 'annotated';
      out.push(`${type.kind.toLowerCase()}${type.group !== '' ? `.${type.group}` : ''}/${name} ${verb}`);
    }
  }
  return done(cur, joinLines(out));
}

const SCALABLE = new Set(['Deployment', 'ReplicaSet', 'StatefulSet']);

function scale(docs: Documents, a: KubectlArgs): ChangeResult {
  if (a.replicas === undefined || !/^\d+$/.test(a.replicas)) return refused(docs, 'error: --replicas=COUNT is required, and COUNT must be greater than or equal to 0');
  const t = targets(a.positional);
  if (typeof t === 'string') return refused(docs, t);
  let cur = docs;
  const out: string[] = [];
  for (const { type, names } of t) {
    if (!SCALABLE.has(type.kind)) return refused(docs, `error: cannot scale ${type.names[0]}: only deployments, replicasets and statefulsets`);
    for (const name of names) {
      const at = findDocument(cur, type, ns(a), name);
      if (at < 0) return notFound(cur, type, name);
      const v = clone(cur[at]!.value) as Obj;
      const spec = (isObj(v.spec) ? v.spec : {}) as Obj;
      spec.replicas = Number(a.replicas);
      v.spec = spec;
      cur = withValue(cur, at, v);
      out.push(`${type.kind.toLowerCase()}.${type.group}/${name} scaled`);
    }
  }
  return done(cur, joinLines(out));
}

function cordon(docs: Documents, a: KubectlArgs, on: boolean): ChangeResult {
  const nodeType = resourceType('node')!;
  const names = a.positional[0] !== undefined && resourceType(a.positional[0]) === nodeType ? a.positional.slice(1) : a.positional;
  if (names.length === 0) return refused(docs, `error: USAGE: ${on ? 'cordon' : 'uncordon'} NODE [flags]`);
  let cur = docs;
  const out: string[] = [];
  for (const name of names) {
    const at = findDocument(cur, nodeType, '', name);
    if (at < 0) return notFound(cur, nodeType, name);
    const v = clone(cur[at]!.value) as Obj;
    const spec = (isObj(v.spec) ? v.spec : {}) as Obj;
    const was = spec.unschedulable === true;
    if (was === on) {
      out.push(`node/${name} already ${on ? 'cordoned' : 'uncordoned'}`);
      continue;
    }
    if (on) spec.unschedulable = true;
    else delete spec.unschedulable;
    v.spec = spec;
    cur = withValue(cur, at, v);
    out.push(`node/${name} ${on ? 'cordoned' : 'uncordoned'}`);
  }
  return done(cur, joinLines(out));
}

const EFFECTS = new Set(['NoSchedule', 'PreferNoSchedule', 'NoExecute']);

function taint(docs: Documents, a: KubectlArgs): ChangeResult {
  const nodeType = resourceType('node')!;
  const [typeWord, ...rest] = a.positional;
  if (typeWord === undefined || resourceType(typeWord) !== nodeType) return refused(docs, 'error: taint only applies to nodes: kubectl taint nodes NODE KEY[=VALUE]:EFFECT');
  const names: string[] = [];
  const specs: string[] = [];
  for (const w of rest) (w.includes(':') || w.endsWith('-') || w.includes('=') ? specs : names).push(w);
  if (names.length === 0 || specs.length === 0) return refused(docs, 'error: at least one taint update is required');
  const add: { key: string; value?: string; effect: string }[] = [];
  const remove: { key: string; effect?: string }[] = [];
  for (const s of specs) {
    if (s.endsWith('-')) {
      const body = s.slice(0, -1);
      const colon = body.indexOf(':');
      remove.push(colon < 0 ? { key: body } : { key: body.slice(0, colon), effect: body.slice(colon + 1) });
      continue;
    }
    const colon = s.lastIndexOf(':');
    if (colon < 0) return refused(docs, `error: invalid taint spec: ${s}, unknown taint spec: ${s}`);
    const effect = s.slice(colon + 1);
    if (!EFFECTS.has(effect)) return refused(docs, `error: invalid taint effect: ${effect}, unsupported taint effect`);
    const kv = s.slice(0, colon);
    const eq = kv.indexOf('=');
    add.push(eq < 0 ? { key: kv, effect } : { key: kv.slice(0, eq), value: kv.slice(eq + 1), effect });
  }
  let cur = docs;
  const out: string[] = [];
  for (const name of names) {
    const at = findDocument(cur, nodeType, '', name);
    if (at < 0) return notFound(cur, nodeType, name);
    const v = clone(cur[at]!.value) as Obj;
    const spec = (isObj(v.spec) ? v.spec : {}) as Obj;
    let taints = (Array.isArray(spec.taints) ? spec.taints : []) as Obj[];
    for (const r of remove) {
      const before = taints.length;
      taints = taints.filter((t) => !(t.key === r.key && (r.effect === undefined || t.effect === r.effect)));
      if (taints.length === before) return refused(cur, `error: taint "${r.key}${r.effect !== undefined ? `:${r.effect}` : ''}" not found`);
    }
    for (const t of add) {
      const at2 = taints.findIndex((x) => x.key === t.key && x.effect === t.effect);
      if (at2 >= 0 && !a.overwrite) return refused(cur, `error: node ${name} already has ${t.key} taint(s) with same effect(s) and --overwrite is false`);
      const taintObj: Obj = { key: t.key, ...(t.value !== undefined ? { value: t.value } : {}), effect: t.effect };
      if (at2 >= 0) taints[at2] = taintObj;
      else taints.push(taintObj);
    }
    if (taints.length === 0) delete spec.taints;
    else spec.taints = taints;
    v.spec = spec;
    cur = withValue(cur, at, v);
    out.push(`node/${name} ${add.length > 0 ? 'tainted' : 'untainted'}`);
  }
  return done(cur, joinLines(out));
}

/**
 * The time `rollout restart` writes at script step N: this day, N seconds after midnight UTC
 * (a script has no clock).
 *
 * @example
 * restartTime(61); // '2025-08-15T00:01:01Z'
 */
export function restartTime(step: number): string {
  const s = Math.max(0, Math.floor(step)) % 86400;
  const two = (n: number): string => String(n).padStart(2, '0');
  return `2025-08-15T${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}Z`;
}

/** Cilium's own workloads, which scenarios do not describe: restarting them is a no-op. */
const CILIUM_WORKLOADS = new Set(['cilium', 'cilium-operator', 'cilium-envoy']);

function rolloutRestart(docs: Documents, a: KubectlArgs, ctx: ChangeContext): ChangeResult {
  const [sub, ...rest] = a.positional;
  if (sub !== 'restart') return unsupported(`kubectl rollout ${sub ?? ''}: only "rollout restart" changes the cluster`);
  const t = targets(rest);
  if (typeof t === 'string') return refused(docs, t);
  let cur = docs;
  const out: string[] = [];
  const when = restartTime(ctx.step);
  for (const { type, names } of t) {
    if (!['Deployment', 'DaemonSet', 'StatefulSet'].includes(type.kind)) return refused(docs, `error: ${type.names[0]} "${names[0] ?? ''}" restarting is not supported`);
    for (const name of names) {
      const at = findDocument(cur, type, ns(a), name);
      if (at < 0 && ns(a) === 'kube-system' && CILIUM_WORKLOADS.has(name)) {
        // Cilium's own agents and operator: a restart takes no time in the twin
        out.push(`${type.kind.toLowerCase()}.${type.group}/${name} restarted`);
        continue;
      }
      if (at < 0) return notFound(cur, type, name);
      const v = clone(cur[at]!.value) as Obj;
      const spec = (isObj(v.spec) ? v.spec : {}) as Obj;
      const template = (isObj(spec.template) ? spec.template : {}) as Obj;
      const meta = (isObj(template.metadata) ? template.metadata : {}) as Obj;
      const ann = (isObj(meta.annotations) ? meta.annotations : {}) as Obj;
      ann['kubectl.kubernetes.io/restartedAt'] = when;
      meta.annotations = ann;
      template.metadata = meta;
      spec.template = template;
      v.spec = spec;
      cur = withValue(cur, at, v);
      out.push(`${type.kind.toLowerCase()}.${type.group}/${name} restarted`);
    }
  }
  return done(cur, joinLines(out));
}

/**
 * Runs a kubectl change (`words` start after `kubectl`), or `undefined` when the words are not
 * a change (a question such as `kubectl get svc`).
 *
 * @example
 * ```ts
 * kubectlChange(docs, ['label', 'nodes', 'k8s-w0', 'enable-bgp-'], { files: new Map(), step: 1 });
 * // { kind: 'done', stdout: 'node/k8s-w0 unlabeled\n', exitCode: 0, docs: [...] }
 * ```
 */
export function kubectlChange(docs: Documents, words: readonly string[], ctx: ChangeContext): ChangeResult | undefined {
  const [verb, ...rest] = words;
  if (verb === undefined || !KUBECTL_CHANGES.includes(verb)) return undefined;
  const a = readArgs(rest);
  if (typeof a === 'string') return refused(docs, a);
  if (a.unknown.length > 0) return unsupported(`kubectl ${verb}: option ${a.unknown[0]} is not modelled`);
  switch (verb) {
    case 'apply':
    case 'create':
    case 'replace':
      if (verb === 'create' && a.files.length === 0) return unsupported(`kubectl create ${a.positional[0] ?? ''}: only "kubectl create -f" is modelled`);
      return apply(docs, a, ctx, verb);
    case 'delete':
      return del(docs, a, ctx);
    case 'patch':
      return patch(docs, a);
    case 'label':
      return labelOrAnnotate(docs, a, 'labels');
    case 'annotate':
      return labelOrAnnotate(docs, a, 'annotations');
    case 'scale':
      return scale(docs, a);
    case 'cordon':
      return cordon(docs, a, true);
    case 'uncordon':
      return cordon(docs, a, false);
    case 'taint':
      return taint(docs, a);
    case 'rollout':
      return rolloutRestart(docs, a, ctx);
    default:
      return unsupported(`kubectl ${verb} is not modelled (interactive or imperative); write the change as kubectl apply -f, patch, label, scale…`);
  }
}
