/**
 * The input stage's properties (issue 2), each over generated scenarios:
 * decoding never throws, YAML round trip, document order, and honest generators.
 */
import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import * as E from 'fp-ts/lib/Either.js';
import { decodeDocuments, decodeScenario, type RawDocument } from '../../src/input/decode.js';
import {
  scenarioArbitrary,
  toFiles,
  toYaml,
  type GeneratedScenario,
  type ManifestDocument,
} from '../../src/arbitraries/index.js';
import { canonical } from '../arbitraries/canonical.js';

const FILE = 'scenario.yaml';

/** Documents as the parser hands them over: one file, numbered from 1. */
function raw(documents: readonly unknown[], file = FILE): RawDocument[] {
  return documents.map((value, i) => ({ file, index: i + 1, value }));
}

/** Small scenarios, cheap enough for many runs. */
const small = scenarioArbitrary({ nodes: { min: 1, max: 4 }, services: { min: 0, max: 4 }, podsPerService: { min: 0, max: 3 } });

/** Every kind the decoder reads, plus one it does not, for fuzzing heads. */
const KINDS: readonly [string, string][] = [
  ['v1', 'Node'], ['v1', 'Namespace'], ['v1', 'Pod'], ['v1', 'Service'], ['v1', 'ConfigMap'], ['v1', 'List'],
  ['discovery.k8s.io/v1', 'EndpointSlice'], ['networking.k8s.io/v1', 'Ingress'], ['networking.k8s.io/v1', 'NetworkPolicy'],
  ['cilium.io/v2', 'CiliumNode'], ['cilium.io/v2', 'CiliumBGPClusterConfig'], ['cilium.io/v2', 'CiliumBGPPeerConfig'],
  ['cilium.io/v2', 'CiliumBGPAdvertisement'], ['cilium.io/v2', 'CiliumBGPNodeConfigOverride'],
  ['cilium.io/v2', 'CiliumLoadBalancerIPPool'], ['cilium.io/v2alpha1', 'CiliumL2AnnouncementPolicy'],
  ['cilium.io/v2', 'CiliumEgressGatewayPolicy'], ['isovalent.com/v1', 'IsovalentEgressGatewayPolicy'],
  ['cilium.io/v2', 'CiliumNetworkPolicy'], ['cilium.io/v2', 'CiliumClusterwideNetworkPolicy'],
  ['cilium-twin/v1alpha1', 'Host'], ['apps/v1', 'Deployment'],
];

/** A document with a real head (so the kind's decoder runs) and arbitrary fields. */
const fuzzedObject = fc
  .tuple(
    fc.constantFrom(...KINDS),
    fc.oneof(fc.record({ name: fc.string(), namespace: fc.string(), labels: fc.jsonValue() }, { requiredKeys: [] }), fc.jsonValue()),
    fc.dictionary(fc.constantFrom('spec', 'status', 'data', 'items', 'addressType', 'endpoints', 'ports', '__proto__', 'constructor'), fc.jsonValue()),
  )
  .map(([[apiVersion, kind], metadata, rest]) => {
    const o: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    o['apiVersion'] = apiVersion;
    o['kind'] = kind;
    o['metadata'] = metadata;
    for (const [k, v] of Object.entries(rest)) o[k] = v;
    return o;
  });

/** All paths of fields (object keys and list items) inside a JSON value. */
function paths(v: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [];
  if (Array.isArray(v)) v.forEach((x, i) => out.push([...prefix, i], ...paths(x, [...prefix, i])));
  else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) out.push([...prefix, k], ...paths(x, [...prefix, k]));
  }
  return out;
}

/** A copy of `v` with the field at `path` dropped (or replaced by `replacement`). */
function mutate(v: unknown, path: readonly (string | number)[], replacement: { value: unknown } | undefined): unknown {
  if (path.length === 0) return replacement?.value;
  const [head, ...rest] = path;
  if (Array.isArray(v)) {
    const copy = [...v];
    if (rest.length === 0 && replacement === undefined) copy.splice(head as number, 1);
    else copy[head as number] = mutate(copy[head as number], rest, replacement);
    return copy;
  }
  const copy = { ...(v as Record<string, unknown>) };
  if (rest.length === 0 && replacement === undefined) delete copy[head as string];
  else copy[head as string] = mutate(copy[head as string], rest, replacement);
  return copy;
}

/** Decoding must return an Either, whatever it is given. */
function mustNotThrow(run: () => E.Either<unknown, unknown>): void {
  const r = run();
  expect(E.isLeft(r) || E.isRight(r)).toBe(true);
}

/** Identity the decoder merges by. */
function identity(d: ManifestDocument): string {
  const apiVersion = String(d['apiVersion']);
  const m = d['metadata'] as { name: string; namespace?: string };
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '';
  return JSON.stringify([group, d['kind'], m.namespace ?? '', m.name]);
}

describe('decoding never throws', () => {
  test.prop([fc.array(fc.jsonValue(), { maxLength: 4 })], { numRuns: 1000 })('any JSON values as documents', (values) => {
    mustNotThrow(() => decodeDocuments(raw(values)));
  });

  test.prop([fc.array(fuzzedObject, { minLength: 1, maxLength: 3 })], { numRuns: 1000 })(
    'objects of every kind with arbitrary fields',
    (values) => {
      mustNotThrow(() => decodeDocuments(raw(values)));
    },
  );

  test.prop([fc.string({ unit: 'binary', maxLength: 300 })], { numRuns: 1000 })('any string as YAML text', (text) => {
    mustNotThrow(() => decodeScenario([{ file: FILE, text }]));
  });

  test.prop([fc.uint8Array({ maxLength: 300 })], { numRuns: 1000 })('any bytes as YAML text', (bytes) => {
    mustNotThrow(() => decodeScenario([{ file: FILE, text: new TextDecoder('utf-8', { fatal: false }).decode(bytes) }]));
  });

  test.prop(
    [small, fc.nat(), fc.nat(), fc.option(fc.jsonValue({ maxDepth: 2 }), { nil: undefined })],
    { numRuns: 300 },
  )('valid documents with a field dropped or replaced', (s, which, where, replacement) => {
    const i = which % s.documents.length;
    const doc = s.documents[i]!;
    const all = paths(doc);
    const path = all[where % all.length]!;
    const mutated = mutate(doc, path, replacement === undefined ? undefined : { value: replacement });
    const docs = s.documents.map((d, k) => (k === i ? mutated : d));
    mustNotThrow(() => decodeDocuments(raw(docs)));
  });

  test.prop([small, fc.array(fc.tuple(fc.nat(), fc.nat({ max: 3 }), fc.string({ unit: 'binary', maxLength: 4 })), { minLength: 1, maxLength: 5 })], {
    numRuns: 60,
  })('valid YAML text with characters inserted, deleted or replaced', (s, edits) => {
    let text = toYaml(s.documents);
    for (const [at, op, chars] of edits) {
      const p = at % (text.length + 1);
      if (op === 0) text = text.slice(0, p) + chars + text.slice(p);
      else if (op === 1) text = text.slice(0, p) + text.slice(p + chars.length + 1);
      else text = text.slice(0, p) + chars + text.slice(p + chars.length);
    }
    mustNotThrow(() => decodeScenario([{ file: FILE, text }]));
  });
});

describe('honest generators: every generated scenario validates with no error', () => {
  const ok = (s: GeneratedScenario, files: { file: string; text: string }[]): void => {
    const r = decodeScenario(files);
    if (E.isLeft(r)) expect(r.left.map((e) => e.message)).toEqual([]);
    expect(E.isRight(r)).toBe(true);
    if (E.isRight(r)) {
      expect(r.right.ignored).toEqual([]);
      expect(r.right.nodes.map((n) => n.meta.name).sort()).toEqual(s.facts.nodes.map((n) => n.name).sort());
      expect(r.right.services).toHaveLength(s.facts.services.length);
      expect(r.right.pods).toHaveLength(s.facts.pods.length);
      expect(r.right.lbIpPools).toHaveLength(s.facts.pools.length);
      expect({ ...r.right.ciliumConfig }).toEqual(s.facts.config.data);
    }
  };

  test.prop([small], { numRuns: 100 })('small scenarios, one file', (s) => ok(s, toFiles(s.documents)));

  test.prop([scenarioArbitrary({ bgp: true, lbIpam: true, withEndpointSlices: true, serviceTypes: ['ClusterIP', 'NodePort', 'LoadBalancer', 'Headless', 'ExternalName'] })], {
    numRuns: 50,
  })('every feature, files by kind', (s) => ok(s, toFiles(s.documents, { layout: 'by-kind', dir: 'lab/' })));

  test.prop([scenarioArbitrary({ nodes: { min: 30, max: 50 }, services: { min: 10, max: 30 }, podsPerService: { min: 3, max: 10 } })], {
    numRuns: 10,
  })('large scenarios', (s) => ok(s, toFiles(s.documents)));
});

describe('round trip: generated → YAML → decoded equals the documents decoded directly', () => {
  test.prop([small], { numRuns: 200 })('one file', (s) => {
    const viaText = decodeScenario([{ file: FILE, text: toYaml(s.documents) }]);
    const direct = decodeDocuments(raw(s.documents));
    expect(E.isRight(direct)).toBe(true);
    expect(canonical(viaText)).toBe(canonical(direct));
  });

  test.prop([small], { numRuns: 100 })('files by kind decode to the same scenario as one file', (s) => {
    const byKind = decodeScenario(toFiles(s.documents, { layout: 'by-kind' }));
    const single = decodeScenario(toFiles(s.documents));
    expect(E.isRight(single)).toBe(true);
    expect(canonical(byKind)).toBe(canonical(single));
  });
});

describe('order', () => {
  const shuffled = small.chain((s) =>
    fc.shuffledSubarray([...s.documents], { minLength: s.documents.length, maxLength: s.documents.length }).map((docs) => ({ s, docs })),
  );

  test.prop([shuffled], { numRuns: 300 })('distinct identities give the same scenario in any order', ({ s, docs }) => {
    expect(new Set(s.documents.map(identity)).size).toBe(s.documents.length);
    const a = decodeDocuments(raw(s.documents));
    const b = decodeDocuments(raw(docs));
    expect(E.isRight(a)).toBe(true);
    expect(canonical(b)).toBe(canonical(a));
  });

  test.prop([small, fc.nat(), fc.nat(), fc.boolean()], { numRuns: 300 })(
    'a repeated identity resolves to the last one',
    (s, which, where, later) => {
      const i = which % s.documents.length;
      const original = s.documents[i]!;
      const m = original['metadata'] as Record<string, unknown>;
      // Same identity, different content: a new label (the ConfigMap: a new data key too).
      const changed: ManifestDocument = {
        ...original,
        metadata: { ...m, labels: { ...((m['labels'] as Record<string, string> | undefined) ?? {}), 'twin.test/version': 'v2' } },
        ...(original['kind'] === 'ConfigMap'
          ? { data: { ...(original['data'] as Record<string, string>), 'twin-test-key': 'v2' } }
          : {}),
      };
      // Insert the copy after the original (later) or before it (earlier).
      const docs = [...s.documents];
      const pos = later ? i + 1 + (where % (docs.length - i)) : where % (i + 1);
      docs.splice(pos, 0, changed);
      const replaced = s.documents.map((d, k) => (k === i ? changed : d));
      const got = decodeDocuments(raw(docs));
      expect(E.isRight(got)).toBe(true);
      expect(canonical(got)).toBe(canonical(decodeDocuments(raw(later ? replaced : s.documents))));
      expect(canonical(got)).not.toBe(canonical(decodeDocuments(raw(later ? s.documents : replaced))));
    },
  );
});
