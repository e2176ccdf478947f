/**
 * The hand-written fast paths of decoding (issue 10: a Pod's and a Service's fields, any object's metadata) give
 * exactly what io-ts gives: the same value for the common documents, and for anything unusual
 * (wrong types, out-of-range ports, bad addresses, owner references, scheduling fields,
 * conditions, `__proto__` keys, nulls) the same value or the same errors, because the fast path
 * hands such documents to the codec.
 */
import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { decodeMeta } from '../../src/input/decode.js';
import { decodeNode, decodeNodeSlow, decodePod, decodePodDoc, decodePodSlow, decodeServiceDoc, fastNode, fastPod } from '../../src/input/kinds/kubernetes.js';
import { fastStringMap } from '../../src/input/codec.js';
import { newDecodeShare, sharedStringMap } from '../../src/input/share.js';
import { decodeHost } from '../../src/input/kinds/host.js';
import type { Meta } from '../../src/input/types.js';

/** Values of the wrong type or out of range, and absent ones. */
const odd = fc.constantFrom<unknown>(null, undefined, 0, 1, -1, 70000, 1.5, '', 'x', 'TCP', 'Running', true, false, [], {}, ['a'], { a: 1 }, '10.0.0.256', '10.0.0.1');
/**
 * Pod documents (and their metadata) whose fields are odd one time in `oddOneIn`: mostly the
 * common shape, with odd fields mixed in at every level, and rarely the fields that send a
 * document to io-ts.
 */
function documents(oddOneIn: number) {
  /** Mostly a good value, sometimes an odd one. */
  const maybe = <T,>(a: fc.Arbitrary<T>): fc.Arbitrary<unknown> => fc.oneof({ weight: oddOneIn - 1, arbitrary: a }, { weight: 1, arbitrary: odd });
  /** Mostly absent (or null), sometimes a value: fields that send a document to io-ts. */
  const rare = <T,>(a: fc.Arbitrary<T>): fc.Arbitrary<unknown> =>
    fc.oneof({ weight: 3 * oddOneIn, arbitrary: fc.constant(undefined) }, { weight: 2, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: a }, { weight: 1, arbitrary: odd });
  const ip = fc.oneof(fc.constantFrom('10.0.0.2', '10.0.1.2', 'fd00::2', '2001:db8::1', '010.0.0.1', '::ffff:10.0.0.1'), fc.ipV4(), fc.ipV6());
  const port = fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 1, max: 65535 }) }, { weight: 1, arbitrary: fc.constantFrom(0, 65536, 80.5) });
  const word = fc.constantFrom('web', 'node-0', 'http', 'a', 'default', 'ns-1');
  const labels = fc.dictionary(
    fc.oneof({ weight: 6, arbitrary: fc.constantFrom('app', 'app.kubernetes.io/name') }, fc.constantFrom('__proto__', 'constructor', 'toString'), fc.string({ maxLength: 4 })),
    maybe(fc.string({ maxLength: 4 })),
    { maxKeys: 4 },
  );
  const metadata = fc.record(
    {
      name: maybe(word),
      namespace: maybe(word),
      labels: maybe(labels),
      annotations: maybe(labels),
      creationTimestamp: maybe(fc.constant('2025-01-01T00:00:00Z')),
      uid: maybe(fc.constantFrom('', 'u-1')),
      deletionTimestamp: rare(fc.constant('2025-01-01T00:00:00Z')),
      ownerReferences: rare(fc.constant([{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u', controller: true }])),
    },
    { requiredKeys: [] },
  );
  const containerPort = fc.record(
    { containerPort: maybe(port), name: maybe(word), protocol: maybe(fc.constantFrom('TCP', 'UDP', 'SCTP', 'tcp')), hostPort: rare(port), hostIP: rare(ip) },
    { requiredKeys: ['containerPort'] },
  );
  const container = fc.record(
    { name: maybe(word), image: maybe(fc.constantFrom('traefik/whoami', '')), ports: maybe(fc.array(maybe(containerPort), { maxLength: 3 })), other: odd },
    { requiredKeys: ['name'] },
  );
  const spec = fc.record(
    {
      nodeName: maybe(word),
      hostNetwork: maybe(fc.boolean()),
      containers: maybe(fc.array(maybe(container), { maxLength: 3 })),
      serviceAccountName: maybe(word),
      nodeSelector: rare(fc.constant({ disk: 'ssd' })),
      tolerations: rare(fc.constant([{ key: 'a', operator: 'Exists' }])),
      affinity: rare(fc.constant({})),
      topologySpreadConstraints: rare(fc.constant([])),
      restartPolicy: odd,
    },
    { requiredKeys: [] },
  );
  const status = fc.record(
    {
      phase: maybe(fc.constantFrom('Pending', 'Running', 'Succeeded', 'Failed', 'Unknown', 'Bogus')),
      podIP: maybe(ip),
      podIPs: maybe(fc.array(maybe(fc.record({ ip: maybe(ip) }, { requiredKeys: [] })), { maxLength: 3 })),
      conditions: rare(fc.constant([{ type: 'Ready', status: 'True' }])),
      hostIP: odd,
    },
    { requiredKeys: [] },
  );
  const pod = fc.record({ metadata: maybe(metadata), spec: maybe(spec), status: maybe(status) }, { requiredKeys: [] });
  const servicePort = fc.record(
    {
      port: maybe(port),
      name: maybe(word),
      protocol: maybe(fc.constantFrom('TCP', 'UDP', 'SCTP')),
      targetPort: maybe(fc.oneof(port, fc.constantFrom('http', '8080', '0', ''))),
      nodePort: maybe(port),
    },
    { requiredKeys: ['port'] },
  );
  const serviceSpec = fc.record(
    {
      type: maybe(fc.constantFrom('ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName', 'Headless')),
      clusterIP: maybe(fc.oneof(ip, fc.constantFrom('None', ''))),
      clusterIPs: maybe(fc.array(maybe(ip), { maxLength: 3 })),
      ports: maybe(fc.array(maybe(servicePort), { maxLength: 3 })),
      selector: maybe(labels),
      externalTrafficPolicy: maybe(fc.constantFrom('Cluster', 'Local')),
      internalTrafficPolicy: maybe(fc.constantFrom('Cluster', 'Local')),
      externalIPs: rare(fc.array(ip, { maxLength: 2 })),
      loadBalancerClass: maybe(word),
      loadBalancerIP: maybe(ip),
      loadBalancerSourceRanges: rare(fc.constant(['10.0.0.0/8'])),
      sessionAffinity: maybe(fc.constantFrom('None', 'ClientIP')),
      trafficDistribution: maybe(fc.constantFrom('PreferClose', 'x')),
      sessionAffinityConfig: rare(fc.constant({ clientIP: { timeoutSeconds: 60 } })),
      healthCheckNodePort: maybe(port),
      ipFamilies: maybe(fc.array(maybe(fc.constantFrom('IPv4', 'IPv6')), { maxLength: 3 })),
      ipFamilyPolicy: maybe(fc.constantFrom('SingleStack', 'PreferDualStack', 'RequireDualStack')),
    },
    { requiredKeys: [] },
  );
  const serviceStatus = fc.record(
    { loadBalancer: maybe(fc.record({ ingress: rare(fc.constant([{ ip: '172.16.0.1' }])) }, { requiredKeys: [] })) },
    { requiredKeys: [] },
  );
  const service = fc.record({ metadata: maybe(metadata), spec: maybe(serviceSpec), status: maybe(serviceStatus) }, { requiredKeys: [] });
  const cidr = fc.constantFrom('10.0.0.0/24', '10.0.1.0/24', '10.0.0.1/24', 'fd00::/64', 'fd00:1::/64', '10.0.0.0/33', 'bad');
  const nodeAddress = fc.record(
    { type: maybe(fc.constantFrom('InternalIP', 'ExternalIP', 'Hostname', 'InternalDNS')), address: maybe(fc.oneof(ip, word)) },
    { requiredKeys: [] },
  );
  const nodeSpec = fc.record(
    {
      podCIDR: maybe(cidr),
      podCIDRs: maybe(fc.array(maybe(cidr), { maxLength: 3 })),
      taints: rare(fc.constant([{ key: 'a', effect: 'NoSchedule' }])),
      unschedulable: maybe(fc.boolean()),
      providerID: odd,
    },
    { requiredKeys: [] },
  );
  const nodeStatus = fc.record(
    { addresses: maybe(fc.array(maybe(nodeAddress), { maxLength: 4 })), conditions: rare(fc.constant([{ type: 'Ready', status: 'False' }])), capacity: odd },
    { requiredKeys: [] },
  );
  const node = fc.record({ metadata: maybe(metadata), spec: maybe(nodeSpec), status: maybe(nodeStatus) }, { requiredKeys: [] });
  return { metadata: maybe(metadata), pod, service, labels, node };
}

/**
 * A value with its key order made visible (toStrictEqual ignores it; JSON output does not):
 * objects become lists of [key, value] in their own key order, bigints strings.
 */
function ordered(v: unknown): unknown {
  if (typeof v === 'bigint') return `${v}n`;
  if (Array.isArray(v)) return v.map(ordered);
  if (typeof v === 'object' && v !== null) return Reflect.ownKeys(v).map((k) => [String(k), ordered((v as Record<string | symbol, unknown>)[k])]);
  return v;
}

/**
 * Sequences of documents drawn from a small pool (deep copies, so that no two are the same
 * object), some changed in one field: equal neighbours, near-equal ones and unequal ones, as a
 * decoding that shares values between documents meets them.
 */
function sequences<T>(pool: fc.Arbitrary<T>, tweak: fc.Arbitrary<(doc: T) => T>) {
  return fc
    .array(pool, { minLength: 1, maxLength: 3 })
    .chain((docs) => fc.array(fc.tuple(fc.nat(docs.length - 1), fc.option(tweak, { freq: 3 })), { minLength: 1, maxLength: 8 }).map((picks) => picks.map(([i, t]) => (t === null ? structuredClone(docs[i]!) : t(structuredClone(docs[i]!))))));
}

/** Changes one field of a pod's first container or its first port, to a value that may decode the same. */
const podTweak = fc
  .tuple(fc.constantFrom('image', 'name', 'protocol', 'containerPort', 'portName', 'hostPort', 'ports', 'hostIP'), fc.constantFrom<unknown>(undefined, null, '', 'TCP', 'UDP', 'web', 'http', 'traefik/whoami', 80, 81, [], '10.0.0.1'))
  .map(([what, value]) => (doc: unknown) => {
    const c = (doc as { spec?: { containers?: unknown[] } } | null)?.spec?.containers?.[0] as Record<string, unknown> | undefined;
    if (typeof c !== 'object' || c === null) return doc;
    const p = (Array.isArray(c['ports']) ? c['ports'][0] : undefined) as Record<string, unknown> | undefined;
    if (what === 'image' || what === 'name' || what === 'ports') c[what] = value;
    else if (typeof p === 'object' && p !== null) p[what === 'portName' ? 'name' : what] = value;
    return doc;
  });

/** Mostly common documents (the fast path's), and mostly odd ones. */
const common = documents(40);
const oddly = documents(4);

describe('fast decoding', () => {
  test.prop([fc.oneof(common.pod, oddly.pod)], { numRuns: 1000 })('a Pod document decodes as io-ts decodes it (value or errors)', (doc) => {
    expect(decodePodDoc(doc as Record<string, unknown>, true)).toStrictEqual(decodePodDoc(doc as Record<string, unknown>, false));
  });

  test.prop([fc.oneof(common.service, oddly.service)], { numRuns: 1000 })('a Service document decodes as io-ts decodes it (value or errors)', (doc) => {
    expect(decodeServiceDoc(doc as Record<string, unknown>, true)).toStrictEqual(decodeServiceDoc(doc as Record<string, unknown>, false));
  });

  test.prop([fc.oneof(common.metadata, oddly.metadata)], { numRuns: 1000 })('metadata decodes as io-ts decodes it (value or errors)', (raw) => {
    expect(decodeMeta(raw, true)).toStrictEqual(decodeMeta(raw, false));
  });

  const meta: Meta = { name: 'p', namespace: 'default', labels: Object.create(null) as Record<string, string>, annotations: Object.create(null) as Record<string, string> };

  /** Host documents whose `routes:` texts repeat, differ by a character, or do not parse. */
  const hosts = fc.array(
    fc.record(
      {
        spec: fc.record(
          {
            interfaces: fc.constantFrom<unknown>([{ name: 'eth0', addresses: ['192.168.0.10/16'] }], [{ name: 'eth0', addresses: ['bad'] }]),
            routes: fc.constantFrom<unknown>(
              undefined,
              null,
              '',
              'default via 192.168.255.254 dev eth0\n',
              'default via 192.168.255.254 dev eth0',
              'default via 192.168.255.253 dev eth0\n',
              '10.0.0.0/8 via 192.168.0.1 dev eth0\ndefault via 192.168.255.254 dev eth0\n',
              'default via nowhere\n',
              7,
            ),
          },
          { requiredKeys: ['interfaces'] },
        ),
      },
      { requiredKeys: ['spec'] },
    ),
    { minLength: 1, maxLength: 8 },
  );

  test.prop([hosts], { numRuns: 1000 })('a Host decoded with a share (routes shared with the previous host) is the Host decoded alone', (docs) => {
    const share = newDecodeShare();
    for (const doc of docs) expect(ordered(decodeHost(doc as Record<string, unknown>, meta, share))).toStrictEqual(ordered(decodeHost(doc as Record<string, unknown>, meta)));
  });

  test.prop([fc.oneof(common.node, oddly.node)], { numRuns: 1000 })('a Node read straight is the Node io-ts gives, in the same key order (or goes to io-ts)', (doc) => {
    const slow = decodeNodeSlow(doc as Record<string, unknown>, meta);
    const fast = fastNode(doc as Record<string, unknown>, meta);
    if (fast !== undefined) {
      expect(slow._tag).toBe('Right');
      expect(ordered(fast)).toStrictEqual(ordered(slow._tag === 'Right' ? slow.right : undefined));
    }
    expect(ordered(decodeNode(doc as Record<string, unknown>, meta))).toStrictEqual(ordered(slow));
  });

  test.prop([sequences(fc.oneof(common.pod, oddly.pod), podTweak)], { numRuns: 1000 })(
    'a Pod read straight (sharing containers with the previous pod) is the Pod the slow way gives, in the same key order',
    (docs) => {
      const share = newDecodeShare();
      for (const doc of docs) {
        const slow = decodePodSlow(doc as Record<string, unknown>, meta);
        const fast = fastPod(doc as Record<string, unknown>, meta, share);
        if (fast !== undefined) {
          expect(slow._tag).toBe('Right');
          expect(ordered(fast)).toStrictEqual(ordered(slow._tag === 'Right' ? slow.right : undefined));
        }
        expect(ordered(decodePod(doc as Record<string, unknown>, meta, share))).toStrictEqual(ordered(slow));
      }
    },
  );

  /** The same keys in reverse order, one value changed, or the first key dropped. */
  const mapTweak = fc.constantFrom(
    (m: unknown) => (typeof m === 'object' && m !== null ? Object.fromEntries(Object.entries(m).reverse()) : m),
    (m: unknown) => (typeof m === 'object' && m !== null ? Object.fromEntries(Object.entries(m).map(([k, v], i) => [k, i === 0 ? `${String(v)}x` : v])) : m),
    (m: unknown) => (typeof m === 'object' && m !== null ? Object.fromEntries(Object.entries(m).slice(1)) : m),
  );

  test.prop([sequences(fc.oneof(common.labels, oddly.labels), mapTweak)], { numRuns: 1000 })(
    'a label map shared with the previous document is the map fastStringMap gives, in the same key order',
    (maps) => {
      const share = newDecodeShare();
      for (const m of maps) expect(ordered(sharedStringMap(m, share))).toStrictEqual(ordered(fastStringMap(m)));
    },
  );

  test.prop([sequences(fc.oneof(common.metadata, oddly.metadata), fc.constant((m: unknown) => m))], { numRuns: 1000 })(
    'metadata decoded with a share (labels shared) decodes as io-ts decodes it',
    (raws) => {
      const share = newDecodeShare();
      for (const raw of raws) expect(ordered(decodeMeta(raw, true, share))).toStrictEqual(ordered(decodeMeta(raw, false)));
    },
  );

  test.prop([fc.constantFrom('__proto__', 'constructor', 'app')], { numRuns: 10 })('a label named like a prototype key stays an own data property', (key) => {
    const labels = JSON.parse(`{"${key}": "v"}`) as Record<string, unknown>;
    const m = decodeMeta({ name: 'a', labels }, true);
    expect(m._tag === 'Right' && Object.getOwnPropertyDescriptor(m.right.labels, key)?.value).toBe('v');
    expect(m).toStrictEqual(decodeMeta({ name: 'a', labels }, false));
  });
});
