/**
 * io-ts building blocks for the input codecs: objects with required and optional fields, lists,
 * string maps, numbers in ranges, addresses and prefixes (decoded to ip-num values), label
 * selectors, metadata, JSON; and the reporter that turns io-ts errors into a field path and a
 * sentence a user understands (`spec.ports[0].port: expected integer 1..65535, got "http"`).
 *
 * The combinators here read only own properties and build fresh objects holding only the known
 * fields, so keys such as `__proto__` or `constructor` in the input cannot reach a prototype.
 *
 * @module
 */
import * as t from 'io-ts';
import * as E from 'fp-ts/lib/Either.js';
import type {
  IpAddress,
  IpPrefix,
  JsonObject,
  JsonValue,
  LabelSelector,
  LabelSelectorRequirement,
  StringMap,
} from './types.js';
import { parseIp, parsePrefix } from '../net/addr.js';
import { oneLine } from './limits.js';

/**
 * A problem found in one document: where (a field path, empty for the document) and what.
 *
 * @example
 * const issue: Issue = { path: 'spec.ports[0].port', message: 'expected integer 1..65535, got "http"' };
 */
export interface Issue {
  /** Field path such as `spec.bgpInstances[0].localASN` (empty: the whole document). */
  readonly path: string;
  /** What is wrong, e.g. `expected integer 1..4294967295, got "abc"`. */
  readonly message: string;
}

/**
 * A codec from an unknown YAML value to a decoded value.
 *
 * @example
 * const port: Codec<number> = int(1, 65535);
 */
export type Codec<A> = t.Type<A, unknown, unknown>;

/**
 * Makes a primitive codec from a parse function returning the value or an error text.
 *
 * @example
 * const even = primitive('even number', (u) => (typeof u === 'number' && u % 2 === 0 ? E.right(u) : E.left('expected an even number')));
 */
export function primitive<A>(name: string, parse: (u: unknown) => E.Either<string, A>): Codec<A> {
  return new t.Type<A, unknown, unknown>(
    name,
    (u): u is A => E.isRight(parse(u)),
    (u, c) => {
      const r = parse(u);
      // a Right is already what t.success would make: returned as is (one allocation less per field)
      return E.isRight(r) ? r : t.failure(u, c, r.left);
    },
    (a) => a,
  );
}

/**
 * A short, safe rendering of an input value for messages (`"abc"`, `12`, `an object`).
 *
 * @example
 * describeValue('abc'); // '"abc"'
 */
export function describeValue(u: unknown): string {
  if (u === undefined) return 'nothing';
  if (u === null) return 'null';
  if (typeof u === 'string') {
    return oneLine(JSON.stringify(u.length > 60 ? `${u.slice(0, 57)}...` : u));
  }
  if (typeof u === 'number' || typeof u === 'boolean' || typeof u === 'bigint') return String(u);
  if (Array.isArray(u)) return 'a list';
  if (typeof u === 'object') return 'an object';
  return typeof u;
}

/**
 * True for a plain (non-array, non-null) object.
 *
 * @example
 * isRecord({ a: 1 }); // true; isRecord([1]) is false
 */
export function isRecord(u: unknown): u is Readonly<Record<string, unknown>> {
  return typeof u === 'object' && u !== null && !Array.isArray(u);
}

/**
 * Own property of an object, never one inherited from a prototype.
 *
 * @example
 * own({}, 'constructor'); // undefined (not Object.prototype.constructor)
 */
export function own(o: Readonly<Record<string, unknown>>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(o, key) ? o[key] : undefined;
}

/** Sets `key` on `o` as an own data property, even when the key is `__proto__`. */
function put(o: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    o[key] = value;
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
/**
 * Validates a child value. The context (which io-ts copies on every append) is built only when
 * the child fails, by validating it again with its full path: decoding is pure, and most values
 * are valid, so clusters of 100,000 pods decode without allocating a context per field.
 */
function child<A>(codec: Codec<A>, v: unknown, c: t.Context, key: string): t.Validation<A> {
  const r = codec.validate(v, c);
  return E.isRight(r) ? r : codec.validate(v, t.appendContext(c, key, codec, v));
}

type Props = Readonly<Record<string, Codec<any>>>;
type Required<R extends Props> = { readonly [K in keyof R]: t.TypeOf<R[K]> };
type Optional<O extends Props> = { readonly [K in keyof O]?: t.TypeOf<O[K]> };

/**
 * An object with required and optional fields. Unknown fields are dropped; `null` counts as
 * absent for an optional field (as Kubernetes reads it); a missing required field is reported.
 *
 * @example
 * const port = struct({ port: int(1, 65535) }, { name: str });
 */
export function struct<R extends Props, O extends Props>(
  required: R,
  optional: O,
  name = 'an object',
): Codec<Required<R> & Optional<O>> {
  const req = Object.entries(required);
  const opt = Object.entries(optional);
  return new t.Type<Required<R> & Optional<O>, unknown, unknown>(
    name,
    (u): u is Required<R> & Optional<O> => isRecord(u),
    (u, c) => {
      if (!isRecord(u)) return t.failure(u, c, `expected ${name}`);
      const out: Record<string, unknown> = {};
      let errors: t.ValidationError[] | undefined; // allocated on the first error only
      for (const [k, codec] of req) {
        const v = own(u, k);
        if (v === undefined || v === null) {
          (errors ??= []).push({ value: v, context: t.appendContext(c, k, codec, v), message: 'required field missing' });
          continue;
        }
        const r = child(codec, v, c, k);
        if (E.isLeft(r)) (errors ??= []).push(...r.left);
        else put(out, k, r.right);
      }
      for (const [k, codec] of opt) {
        const v = own(u, k);
        if (v === undefined || v === null) continue;
        const r = child(codec, v, c, k);
        if (E.isLeft(r)) (errors ??= []).push(...r.left);
        else put(out, k, r.right);
      }
      return errors !== undefined ? t.failures(errors) : t.success(out as Required<R> & Optional<O>);
    },
    (a) => a,
  );
}

/**
 * A list of items, each decoded by `item`.
 *
 * @example
 * const cidrs = list(prefix);
 */
export function list<A>(item: Codec<A>, limits: { min?: number; max?: number } = {}): Codec<readonly A[]> {
  const { min = 0, max = Infinity } = limits;
  const name = `a list of ${item.name}`;
  return new t.Type<readonly A[], unknown, unknown>(
    name,
    (u): u is readonly A[] => Array.isArray(u),
    (u, c) => {
      if (!Array.isArray(u)) return t.failure(u, c, `expected ${name}`);
      if (u.length < min) return t.failure(u, c, `expected at least ${min} item${min === 1 ? '' : 's'}`);
      if (u.length > max) return t.failure(u, c, `expected at most ${max} items`);
      const out: A[] = [];
      let errors: t.ValidationError[] | undefined; // allocated on the first error only
      for (let i = 0; i < u.length; i++) {
        const v: unknown = u[i];
        const r = child(item, v, c, String(i));
        if (E.isLeft(r)) (errors ??= []).push(...r.left);
        else out.push(r.right);
      }
      return errors !== undefined ? t.failures(errors) : t.success(out);
    },
    (a) => a,
  );
}

/**
 * A map from string keys to values decoded by `value`, as a null-prototype object.
 *
 * @example
 * const labels = record(str);
 */
export function record<A>(value: Codec<A>): Codec<Readonly<Record<string, A>>> {
  const name = `a map of ${value.name}`;
  return new t.Type<Readonly<Record<string, A>>, unknown, unknown>(
    name,
    (u): u is Readonly<Record<string, A>> => isRecord(u),
    (u, c) => {
      if (!isRecord(u)) return t.failure(u, c, `expected ${name}`);
      const out: Record<string, A> = Object.create(null) as Record<string, A>;
      let errors: t.ValidationError[] | undefined; // allocated on the first error only
      for (const k of Object.keys(u)) {
        const v = own(u, k);
        const r = child(value, v, c, k);
        if (E.isLeft(r)) (errors ??= []).push(...r.left);
        else put(out, k, r.right);
      }
      return errors !== undefined ? t.failures(errors) : t.success(out);
    },
    (a) => a,
  );
}

/**
 * `stringMap`'s value for `u` without io-ts (a null-prototype copy), or `undefined` when
 * `u` is not an object whose values are all strings: the caller then decodes it with the codec,
 * which reports the error. Used by the fast paths of the common kinds.
 */
export function fastStringMap(u: unknown): StringMap | undefined {
  if (!isRecord(u)) return undefined;
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const k of Object.keys(u)) {
    const v = own(u, k);
    if (typeof v !== 'string') return undefined;
    put(out, k, v);
  }
  return out;
}

/**
 * One of the given strings.
 *
 * @example
 * const protocol = oneOf(['TCP', 'UDP', 'SCTP'] as const);
 */
export function oneOf<const L extends readonly string[]>(values: L): Codec<L[number]> {
  const set = new Set<string>(values);
  const words = values.length === 2 ? `${values[0]} or ${values[1]}` : `one of ${values.join(', ')}`;
  return primitive(words, (u) =>
    typeof u === 'string' && set.has(u) ? E.right(u as L[number]) : E.left(`expected ${words}`),
  );
}

/**
 * A string (any YAML scalar that is not text is refused, as Kubernetes refuses it).
 *
 * @example
 * struct({ name: str }, {});
 */
export const str: Codec<string> = primitive('a string', (u) =>
  typeof u === 'string' ? E.right(u) : E.left(typeof u === 'number' || typeof u === 'boolean' ? 'expected a string (quote it)' : 'expected a string'),
);

/**
 * A non-empty string.
 *
 * @example
 * struct({ name: nonEmpty }, {});
 */
export const nonEmpty: Codec<string> = primitive('a non-empty string', (u) =>
  typeof u === 'string' && u.length > 0 ? E.right(u) : E.left(typeof u === 'string' ? 'expected a non-empty string' : 'expected a string'),
);

/**
 * A boolean (`true`/`false`).
 *
 * @example
 * struct({}, { hostNetwork: bool });
 */
export const bool: Codec<boolean> = primitive('a boolean', (u) =>
  typeof u === 'boolean' ? E.right(u) : E.left('expected true or false'),
);

/**
 * An integer in `[min, max]`.
 *
 * @example
 * const port = int(1, 65535);
 */
export function int(min: number, max: number): Codec<number> {
  const words = `integer ${min}..${max}`;
  return primitive(words, (u) =>
    typeof u === 'number' && Number.isInteger(u) && u >= min && u <= max ? E.right(u) : E.left(`expected ${words}`),
  );
}

/**
 * A TCP/UDP port 1..65535.
 *
 * @example
 * struct({ port }, {});
 */
export const port: Codec<number> = int(1, 65535);

/**
 * An integer or a string (Kubernetes `IntOrString`, e.g. `targetPort: 80` or `targetPort: http`).
 *
 * @example
 * struct({}, { targetPort: intOrString(1, 65535) });
 */
export function intOrString(min: number, max: number): Codec<number | string> {
  const words = `integer ${min}..${max} or a name`;
  return primitive(words, (u) => {
    if (typeof u === 'number' && Number.isInteger(u) && u >= min && u <= max) return E.right(u);
    if (typeof u === 'string' && u.length > 0) {
      if (/^[0-9]+$/.test(u)) {
        const n = Number(u);
        return n >= min && n <= max ? E.right(n) : E.left(`expected ${words}`);
      }
      return E.right(u);
    }
    return E.left(`expected ${words}`);
  });
}

/**
 * An IPv4 or IPv6 address, decoded to an ip-num value.
 *
 * @example
 * struct({ address: ip }, {});
 */
export const ip: Codec<IpAddress> = primitive('an IP address', (u) => {
  if (typeof u !== 'string') return E.left('expected an IP address');
  const a = parseIp(u);
  return a === undefined ? E.left('expected an IP address') : E.right(a);
});

/**
 * An IPv4 or IPv6 prefix `address/length`, decoded to an ip-num range (host bits cleared).
 *
 * @example
 * struct({ cidr: prefix }, {});
 */
export const prefix: Codec<IpPrefix> = primitive('a CIDR prefix', (u) => {
  if (typeof u !== 'string') return E.left('expected a CIDR prefix such as 10.0.0.0/24');
  const p = parsePrefix(u);
  return p === undefined ? E.left('expected a CIDR prefix such as 10.0.0.0/24') : E.right(p);
});

/**
 * Labels or annotations: a map of strings (null-prototype).
 *
 * @example
 * struct({}, { labels: stringMap });
 */
export const stringMap: Codec<StringMap> = record(str);

const requirement: Codec<LabelSelectorRequirement> = new t.Type<LabelSelectorRequirement, unknown, unknown>(
  'a label selector requirement',
  (u): u is LabelSelectorRequirement => isRecord(u),
  (u, c) => {
    const raw = struct(
      { key: nonEmpty, operator: oneOf(['In', 'NotIn', 'Exists', 'DoesNotExist'] as const) },
      { values: list(str) },
    ).validate(u, c);
    if (E.isLeft(raw)) return raw;
    const { key, operator } = raw.right;
    const values = raw.right.values ?? [];
    if ((operator === 'In' || operator === 'NotIn') && values.length === 0) {
      return t.failure(u, c, `operator ${operator} needs at least one value`);
    }
    if ((operator === 'Exists' || operator === 'DoesNotExist') && values.length > 0) {
      return t.failure(u, c, `operator ${operator} takes no values`);
    }
    return t.success({ key, operator, values });
  },
  (a) => a,
);

/**
 * A Kubernetes label selector (`matchLabels`, `matchExpressions`).
 *
 * @example
 * struct({}, { nodeSelector: labelSelector });
 */
export const labelSelector: Codec<LabelSelector> = new t.Type<LabelSelector, unknown, unknown>(
  'a label selector',
  (u): u is LabelSelector => isRecord(u),
  (u, c) => {
    const raw = struct({}, { matchLabels: stringMap, matchExpressions: list(requirement) }, 'a label selector').validate(u, c);
    if (E.isLeft(raw)) return raw;
    return t.success({
      matchLabels: raw.right.matchLabels ?? emptyMap(),
      matchExpressions: raw.right.matchExpressions ?? [],
    });
  },
  (a) => a,
);

const EMPTY_MAP: StringMap = Object.freeze(Object.create(null) as Record<string, string>);

/**
 * The empty string map: null prototype, frozen and shared (absent labels and annotations of
 * 100,000 objects need not be 100,000 objects).
 *
 * @example
 * const labels: StringMap = emptyMap();
 */
export function emptyMap(): StringMap {
  return EMPTY_MAP;
}

const MAX_JSON_DEPTH = 64;

function checkJson(u: unknown, depth: number): string | undefined {
  if (depth > MAX_JSON_DEPTH) return `nested deeper than ${MAX_JSON_DEPTH} levels`;
  if (u === null || typeof u === 'string' || typeof u === 'boolean') return undefined;
  if (typeof u === 'number') return Number.isFinite(u) ? undefined : 'numbers must be finite';
  if (Array.isArray(u)) {
    for (const v of u) {
      const e = checkJson(v, depth + 1);
      if (e !== undefined) return e;
    }
    return undefined;
  }
  if (isRecord(u)) {
    for (const k of Object.keys(u)) {
      const e = checkJson(own(u, k), depth + 1);
      if (e !== undefined) return e;
    }
    return undefined;
  }
  return 'expected JSON data';
}

function copyJson(u: unknown): JsonValue {
  if (Array.isArray(u)) return u.map(copyJson);
  if (isRecord(u)) {
    const out: Record<string, JsonValue> = Object.create(null) as Record<string, JsonValue>;
    for (const k of Object.keys(u)) put(out, k, copyJson(own(u, k)));
    return out;
  }
  return u as JsonValue;
}

/**
 * A JSON object (kept as data), nested at most 64 levels.
 *
 * @example
 * struct({}, { spec: jsonObject });
 */
export const jsonObject: Codec<JsonObject> = primitive('a JSON object', (u) => {
  if (!isRecord(u)) return E.left('expected an object');
  const e = checkJson(u, 0);
  return e === undefined ? E.right(copyJson(u) as JsonObject) : E.left(e);
});

// ---------------------------------------------------------------------------------------------
// Reporting
// ---------------------------------------------------------------------------------------------

const SIMPLE_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * Formats an io-ts context as a field path (`spec.ports[0].port`, `metadata.labels["app.kubernetes.io/name"]`).
 *
 * @example
 * pathOf(error.context); // 'spec.bgpInstances[0].localASN'
 */
export function pathOf(context: t.Context): string {
  let path = '';
  for (let i = 1; i < context.length; i++) {
    const entry = context[i]!;
    const parent = context[i - 1]!;
    if (Array.isArray(parent.actual) && /^[0-9]+$/.test(entry.key)) path += `[${entry.key}]`;
    else if (SIMPLE_KEY.test(entry.key)) path += path === '' ? entry.key : `.${entry.key}`;
    else path += `[${JSON.stringify(entry.key)}]`;
  }
  return path;
}

/**
 * Joins a base path and a field (`spec` + `ports` → `spec.ports`).
 *
 * @example
 * joinPath('spec', 'ports[0]'); // 'spec.ports[0]'
 */
export function joinPath(base: string, field: string): string {
  if (base === '') return field;
  if (field === '' ) return base;
  return field.startsWith('[') ? `${base}${field}` : `${base}.${field}`;
}

/**
 * Turns io-ts errors into issues: one per field, with the path and what was expected and found.
 *
 * @example
 * report(errors, 'spec'); // [{ path: 'spec.ports[0].port', message: 'expected integer 1..65535, got "x"' }]
 */
export function report(errors: readonly t.ValidationError[], base = ''): Issue[] {
  const seen = new Set<string>();
  const out: Issue[] = [];
  for (const e of errors) {
    const path = joinPath(base, pathOf(e.context));
    const last = e.context[e.context.length - 1];
    const expected = e.message ?? `expected ${last?.type.name ?? 'something else'}`;
    const message = e.message === 'required field missing' ? expected : `${expected}, got ${describeValue(e.value)}`;
    const key = `${path}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ path, message });
  }
  return out;
}

/**
 * Decodes `u` with `codec`, returning the value or the issues (paths under `base`).
 *
 * @example
 * decodeWith(struct({ port }, {}), { port: 80 }); // right({ port: 80 })
 */
export function decodeWith<A>(codec: Codec<A>, u: unknown, base = ''): E.Either<Issue[], A> {
  const r = codec.validate(u, [{ key: '', type: codec, actual: u }]);
  return E.isLeft(r) ? E.left(report(r.left, base)) : E.right(r.right);
}

/**
 * Continues with `f` when `r` decoded (fp-ts `chain`, without its currying on the hot path).
 *
 * @example
 * andThen(decodeWith(codec, u), (d) => E.right(d.spec));
 */
export function andThen<A, B>(r: E.Either<Issue[], A>, f: (a: A) => E.Either<Issue[], B>): E.Either<Issue[], B> {
  return E.isLeft(r) ? r : f(r.right);
}

/**
 * Maps the decoded value (fp-ts `map`, without its currying on the hot path).
 *
 * @example
 * mapRight(decodeWith(codec, u), (d) => d.spec);
 */
export function mapRight<A, B>(r: E.Either<Issue[], A>, f: (a: A) => B): E.Either<Issue[], B> {
  return E.isLeft(r) ? r : E.right(f(r.right));
}
