/**
 * The three patch types `kubectl patch` sends, applied as the API server applies them:
 *
 * - **JSON merge patch** (RFC 7386, `--type merge`): objects merge key by key, `null` deletes a
 *   key, anything else (lists included) replaces.
 * - **Strategic merge patch** (the default for built-in kinds): a merge patch in which the
 *   lists that Kubernetes' types mark `patchStrategy: merge` merge item by item on their merge
 *   key (`spec.ports` by `port`, `containers` by `name`, `status.addresses` by `type`, …), and a
 *   list item `{$patch: delete}` removes the item with its key. Custom resources (Cilium's kinds)
 *   refuse it, as the API server does.
 * - **JSON patch** (RFC 6902, `--type json`): `add`, `remove`, `replace`, `test`, `move`, `copy`.
 *
 * Pure functions of plain data; inputs are never modified.
 *
 * @module
 */
import { clone, deepEqual, isObj, type Obj } from './documents.js';

/**
 * JSON merge patch (RFC 7386).
 *
 * @example
 * jsonMergePatch({ spec: { a: 1, b: 2 } }, { spec: { b: null, c: 3 } }); // { spec: { a: 1, c: 3 } }
 */
export function jsonMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObj(patch)) return clone(patch);
  const out: Obj = isObj(target) ? clone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = jsonMergePatch(out[k], v);
  }
  return out;
}

/**
 * The merge keys of the lists Kubernetes' built-in types merge (path pattern → key), as their
 * `patchMergeKey` tags say. `*` stands for a list item.
 */
const MERGE_KEYS: readonly [RegExp, string][] = [
  [/^spec\.ports$/, 'port'],
  [/^(spec\.template\.)?spec\.(init|ephemeral)?[cC]ontainers$/, 'name'],
  [/^(spec\.template\.)?spec\.(init|ephemeral)?[cC]ontainers\.\*\.ports$/, 'containerPort'],
  [/^(spec\.template\.)?spec\.(init|ephemeral)?[cC]ontainers\.\*\.env$/, 'name'],
  [/^(spec\.template\.)?spec\.(init|ephemeral)?[cC]ontainers\.\*\.volumeMounts$/, 'mountPath'],
  [/^(spec\.template\.)?spec\.volumes$/, 'name'],
  [/^(spec\.template\.)?spec\.imagePullSecrets$/, 'name'],
  [/^status\.addresses$/, 'type'],
  [/^status\.conditions$/, 'type'],
  [/^metadata\.ownerReferences$/, 'uid'],
];

function mergeKeyOf(path: string): string | undefined {
  for (const [re, key] of MERGE_KEYS) if (re.test(path)) return key;
  return undefined;
}

function strategic(target: unknown, patch: unknown, path: string): unknown {
  if (Array.isArray(patch)) {
    const key = mergeKeyOf(path);
    if (key === undefined || !Array.isArray(target)) return clone(patch.filter((p) => !(isObj(p) && p.$patch !== undefined)));
    let out = clone(target as unknown[]);
    for (const item of patch) {
      if (!isObj(item)) continue;
      const id = item[key];
      const at = out.findIndex((x) => isObj(x) && deepEqual(x[key], id));
      if (item.$patch === 'delete') {
        if (at >= 0) out = out.filter((_, i) => i !== at);
        continue;
      }
      if (item.$patch === 'replace') {
        const { $patch: _drop, ...rest } = item;
        if (at >= 0) out[at] = clone(rest);
        else out.push(clone(rest));
        continue;
      }
      if (at >= 0) out[at] = strategic(out[at], item, `${path}.*`);
      else out.push(strategic(undefined, item, `${path}.*`));
    }
    return out;
  }
  if (!isObj(patch)) return clone(patch);
  if (patch.$patch === 'replace') {
    const { $patch: _drop, ...rest } = patch;
    return clone(rest);
  }
  const out: Obj = isObj(target) ? clone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$patch' || k === '$retainKeys') continue;
    if (v === null) delete out[k];
    else out[k] = strategic(out[k], v, path === '' ? k : `${path}.${k}`);
  }
  return out;
}

/**
 * Strategic merge patch for a built-in kind.
 *
 * @example
 * ```ts
 * strategicMergePatch(
 *   { spec: { ports: [{ port: 80, targetPort: 80 }] } },
 *   { spec: { ports: [{ port: 80, targetPort: 8080 }] } },
 * ); // { spec: { ports: [{ port: 80, targetPort: 8080 }] } }
 * ```
 */
export function strategicMergePatch(target: unknown, patch: unknown): unknown {
  return strategic(target, patch, '');
}

/** One operation of a JSON patch. */
interface JsonPatchOp {
  readonly op: string;
  readonly path: string;
  readonly from?: string;
  readonly value?: unknown;
}

function pointer(path: string): string[] | string {
  if (path === '') return [];
  if (!path.startsWith('/')) return `bad JSON pointer ${JSON.stringify(path)}`;
  return path
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function getAt(doc: unknown, parts: readonly string[]): { found: boolean; value?: unknown } {
  let cur: unknown = doc;
  for (const p of parts) {
    if (Array.isArray(cur)) {
      if (!/^\d+$/.test(p) || Number(p) >= cur.length) return { found: false };
      cur = cur[Number(p)];
    } else if (isObj(cur)) {
      if (!Object.prototype.hasOwnProperty.call(cur, p)) return { found: false };
      cur = cur[p];
    } else return { found: false };
  }
  return { found: true, value: cur };
}

/** Applies one op in place on a deep copy; returns an error message or undefined. */
function applyOp(root: { doc: unknown }, op: JsonPatchOp): string | undefined {
  const parts = pointer(op.path);
  if (typeof parts === 'string') return parts;
  const where = `${op.op} ${op.path}`;
  const parentOf = (ps: readonly string[]): { parent: unknown; last: string } | string => {
    if (ps.length === 0) return `${where}: cannot address the root`;
    const p = getAt(root.doc, ps.slice(0, -1));
    if (!p.found) return `${where}: missing parent path`;
    return { parent: p.value, last: ps[ps.length - 1]! };
  };
  const remove = (ps: readonly string[]): { value: unknown } | string => {
    const pl = parentOf(ps);
    if (typeof pl === 'string') return pl;
    const { parent, last } = pl;
    if (Array.isArray(parent)) {
      if (!/^\d+$/.test(last) || Number(last) >= parent.length) return `${where}: no such index ${last}`;
      return { value: parent.splice(Number(last), 1)[0] };
    }
    if (isObj(parent) && Object.prototype.hasOwnProperty.call(parent, last)) {
      const value = parent[last];
      delete parent[last];
      return { value };
    }
    return `${where}: the path does not exist`;
  };
  const add = (ps: readonly string[], value: unknown): string | undefined => {
    if (ps.length === 0) {
      root.doc = clone(value);
      return undefined;
    }
    const pl = parentOf(ps);
    if (typeof pl === 'string') return pl;
    const { parent, last } = pl;
    if (Array.isArray(parent)) {
      if (last === '-') parent.push(clone(value));
      else if (/^\d+$/.test(last) && Number(last) <= parent.length) parent.splice(Number(last), 0, clone(value));
      else return `${where}: no such index ${last}`;
      return undefined;
    }
    if (isObj(parent)) {
      parent[last] = clone(value);
      return undefined;
    }
    return `${where}: the parent is not an object or a list`;
  };
  switch (op.op) {
    case 'add':
      return add(parts, op.value);
    case 'remove': {
      const r = remove(parts);
      return typeof r === 'string' ? r : undefined;
    }
    case 'replace': {
      const r = remove(parts);
      if (typeof r === 'string') return r;
      return add(parts, op.value);
    }
    case 'test': {
      const g = getAt(root.doc, parts);
      return g.found && deepEqual(g.value, op.value) ? undefined : `${where}: test failed`;
    }
    case 'move':
    case 'copy': {
      if (op.from === undefined) return `${where}: needs "from"`;
      const from = pointer(op.from);
      if (typeof from === 'string') return from;
      const g = getAt(root.doc, from);
      if (!g.found) return `${where}: "from" ${op.from} does not exist`;
      if (op.op === 'move') {
        const r = remove(from);
        if (typeof r === 'string') return r;
      }
      return add(parts, g.value);
    }
    default:
      return `unknown JSON patch op ${JSON.stringify(op.op)}`;
  }
}

/**
 * JSON patch (RFC 6902). Left: the first operation that does not apply.
 *
 * @example
 * ```ts
 * jsonPatch({ spec: { replicas: 1 } }, [{ op: 'replace', path: '/spec/replicas', value: 3 }]);
 * // { ok: true, value: { spec: { replicas: 3 } } }
 * ```
 */
export function jsonPatch(target: unknown, ops: unknown): { ok: true; value: unknown } | { ok: false; error: string } {
  if (!Array.isArray(ops)) return { ok: false, error: 'a JSON patch is a list of operations' };
  const root = { doc: clone(target) };
  for (const op of ops) {
    if (!isObj(op) || typeof op.op !== 'string' || typeof op.path !== 'string') return { ok: false, error: `bad JSON patch operation ${JSON.stringify(op)}` };
    const e = applyOp(root, op as unknown as JsonPatchOp);
    if (e !== undefined) return { ok: false, error: e };
  }
  return { ok: true, value: root.doc };
}
