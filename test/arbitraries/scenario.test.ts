import { describe, it, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { parseAllDocuments } from 'yaml';
import {
  bgpConfigArbitrary,
  ciliumConfigArbitrary,
  hostArbitrary,
  nodeArbitrary,
  poolArbitrary,
  routerArbitrary,
  scenarioArbitrary,
  serviceArbitrary,
  toFiles,
  toYaml,
  type GeneratedScenario,
} from '../../src/arbitraries/index.js';
import { scenarioProblems } from './check.js';

describe('scenarioArbitrary: validity by construction', () => {
  test.prop([scenarioArbitrary()], { numRuns: 1000 })('default knobs give valid scenarios', (s) => {
    expect(scenarioProblems(s)).toEqual([]);
  });

  test.prop(
    [
      scenarioArbitrary({
        nodes: { min: 40, max: 50 },
        services: { min: 20, max: 40 },
        podsPerService: { min: 5, max: 20 },
        serviceTypes: ['ClusterIP', 'NodePort', 'LoadBalancer', 'Headless', 'ExternalName'],
      }),
    ],
    { numRuns: 20 },
  )('large scenarios with every service kind stay valid', (s) => {
    expect(s.facts.nodes.length).toBeGreaterThanOrEqual(40);
    expect(scenarioProblems(s)).toEqual([]);
  });

  test.prop([scenarioArbitrary({ bgp: true, lbIpam: true, routers: { min: 2, max: 2 }, subnets: { min: 3, max: 3 } })], {
    numRuns: 200,
  })('every feature on stays valid', (s) => {
    expect(s.facts.bgp).toBeDefined();
    expect(s.facts.pools.length).toBeGreaterThan(0);
    expect(s.facts.routers).toHaveLength(2);
    expect(s.facts.subnets).toHaveLength(3);
    expect(scenarioProblems(s)).toEqual([]);
  });

  it('shrinking never leaves the valid space', () => {
    // A property that fails on scenarios with 3+ services, 2+ routers or BGP: fast-check shrinks
    // the counterexample; every value it tries on the way must still be valid.
    let invalid: string[] = [];
    const result = fc.check(
      fc.property(scenarioArbitrary({ services: { min: 0, max: 8 } }), (s) => {
        const p = scenarioProblems(s);
        if (p.length > 0) invalid = p;
        return s.facts.services.length < 3 || s.facts.routers.length < 2 || s.facts.bgp === undefined;
      }),
      { numRuns: 2000, seed: 7 },
    );
    expect(result.failed).toBe(true);
    expect(invalid).toEqual([]);
    const shrunk = result.counterexample?.[0] as GeneratedScenario;
    // Shrunk to the minimum: 3 services, 2 routers, no pods, one node.
    expect(shrunk.facts.services).toHaveLength(3);
    expect(shrunk.facts.nodes).toHaveLength(1);
    expect(shrunk.facts.pods).toHaveLength(0);
  });
});

describe('scenarioArbitrary: knobs', () => {
  test.prop([scenarioArbitrary({ nodes: { min: 3, max: 3 }, subnets: { min: 1, max: 1 }, routers: { min: 1, max: 1 } })], {
    numRuns: 200,
  })('sizes are respected', (s) => {
    expect(s.facts.nodes.map((n) => n.name)).toEqual(['k8s-ctr', 'k8s-w1', 'k8s-w2']);
    expect(s.facts.subnets.map((x) => x.cidr)).toEqual(['192.168.10.0/24']);
    expect(s.facts.routers.map((r) => r.name)).toEqual(['router']);
    expect(s.facts.nodes.map((n) => n.internalIP)).toEqual(['192.168.10.100', '192.168.10.101', '192.168.10.102']);
  });

  test.prop([scenarioArbitrary({ bgp: false, lbIpam: false, withEndpointSlices: true, withNodeHosts: false })], {
    numRuns: 200,
  })('features off are off', (s) => {
    const kinds = new Set(s.documents.map((d) => d['kind']));
    expect([...kinds].filter((k) => String(k).startsWith('CiliumBGP'))).toEqual([]);
    expect(kinds.has('CiliumLoadBalancerIPPool')).toBe(false);
    expect(s.facts.routers.every((r) => r.frr === undefined)).toBe(true);
    expect(s.documents.filter((d) => d['kind'] === 'Host')).toHaveLength(s.facts.routers.length);
    expect(s.facts.config.data['enable-bgp-control-plane'] ?? 'false').toBe('false');
  });

  test.prop([scenarioArbitrary({ serviceTypes: ['LoadBalancer'], services: { min: 1, max: 4 }, lbIpam: true })], {
    numRuns: 200,
  })('service types are respected', (s) => {
    expect(s.facts.services.every((x) => x.type === 'LoadBalancer')).toBe(true);
    expect(s.facts.services.length).toBeGreaterThan(0);
  });

  test.prop([scenarioArbitrary({ routing: 'tunnel', lbMode: 'dsr' })], { numRuns: 200 })(
    'DSR in tunnel routing gets Geneve dispatch and a Geneve tunnel',
    (s) => {
      expect(s.facts.config).toMatchObject({
        routingMode: 'tunnel',
        lbMode: 'dsr',
        dsrDispatch: 'geneve',
        tunnelProtocol: 'geneve',
        kubeProxyReplacement: true,
      });
      expect(s.facts.config.data['bpf-lb-dsr-dispatch']).toBe('geneve');
    },
  );

  test.prop([scenarioArbitrary({ kubeProxyReplacement: false })], { numRuns: 200 })(
    'kube-proxy replacement off keeps SNAT and no external ClusterIP',
    (s) => {
      expect(s.facts.config).toMatchObject({
        kubeProxyReplacement: false, lbMode: 'snat', lbAlgorithm: 'random', externalClusterIP: false, bpfMasquerade: false,
      });
    },
  );

  test.prop([scenarioArbitrary({ lbAlgorithm: 'maglev', maglevTableSizes: [251] })], { numRuns: 100 })(
    'maglev table size from the list',
    (s) => {
      expect(s.facts.config.maglevTableSize).toBe(251);
      expect(s.facts.config.data['bpf-lb-maglev-table-size']).toBe('251');
      expect(Buffer.from(s.facts.config.maglevHashSeed, 'base64')).toHaveLength(12);
    },
  );

  test.prop([scenarioArbitrary({ minimalConfig: true, routing: 'tunnel', lbMode: 'snat', lbAlgorithm: 'random', kubeProxyReplacement: false, bgp: false, externalClusterIP: false })], { numRuns: 50 })(
    'a minimal config leaves Cilium defaults out',
    (s) => {
      const keys = Object.keys(s.facts.config.data);
      expect(keys).toContain('ipam');
      for (const k of ['routing-mode', 'bpf-lb-mode', 'bpf-lb-algorithm', 'kube-proxy-replacement', 'enable-bgp-control-plane', 'cluster-name']) {
        expect(keys).not.toContain(k);
      }
    },
  );

  test.prop([scenarioArbitrary({ hashPolicy: 1, bgp: true })], { numRuns: 50 })('hash policy on every router', (s) => {
    expect(s.facts.routers.every((r) => r.hashPolicy === 1)).toBe(true);
    for (const h of s.documents.filter((d) => d['kind'] === 'Host' && s.facts.routers.some((r) => r.name === (d['metadata'] as { name: string }).name))) {
      expect((h['spec'] as { sysctl: Record<string, string> }).sysctl['net.ipv4.fib_multipath_hash_policy']).toBe('1');
    }
  });

  it('rejects knobs out of bounds', () => {
    expect(() => scenarioArbitrary({ nodes: { min: 0, max: 3 } })).toThrow(RangeError);
    expect(() => scenarioArbitrary({ nodes: { min: 1, max: 51 } })).toThrow(RangeError);
    expect(() => scenarioArbitrary({ subnets: { min: 2, max: 1 } })).toThrow(RangeError);
    expect(() => scenarioArbitrary({ routers: { min: 3, max: 3 } })).toThrow(RangeError);
    expect(() => scenarioArbitrary({ serviceTypes: [] })).toThrow(RangeError);
    expect(() => scenarioArbitrary({ kubeProxyReplacement: false, lbMode: 'dsr' })).toThrow(RangeError);
    expect(() => scenarioArbitrary({ maglevTableSizes: [1000] })).toThrow(RangeError);
    expect(() => scenarioArbitrary({ kubeProxyReplacement: false, lbAlgorithm: 'maglev' })).toThrow(RangeError);
  });

  it('is deterministic for a seed', () => {
    const a = fc.sample(scenarioArbitrary(), { numRuns: 5, seed: 99 });
    const b = fc.sample(scenarioArbitrary(), { numRuns: 5, seed: 99 });
    expect(a).toEqual(b);
  });
});

describe('the lab shape', () => {
  it('can generate a scenario shaped like the bgp-lab', () => {
    const found = fc.sample(
      scenarioArbitrary({ nodes: { min: 3, max: 3 }, subnets: { min: 2, max: 2 }, routers: { min: 1, max: 1 }, bgp: true, uplink: 'nat', withNodeHosts: true }),
      { numRuns: 200, seed: 1 },
    ).find((s) => s.facts.nodes.filter((n) => n.subnet === 0).length === 2);
    expect(found).toBeDefined();
    const router = found!.facts.routers[0]!;
    expect(router.addresses).toEqual(['192.168.10.200', '192.168.20.200']);
    expect(router.frr).toContain('router bgp 65000');
    expect(router.frr).toContain(' bgp router-id 192.168.10.200');
    const host = found!.documents.find((d) => d['kind'] === 'Host' && (d['metadata'] as { name: string }).name === 'k8s-ctr');
    expect((host!['spec'] as { routes: string }).routes).toContain('default via 10.0.2.2 dev eth0 proto dhcp src 10.0.2.15 metric 100');
  });
});

describe('part arbitraries', () => {
  test.prop([ciliumConfigArbitrary({ lbMode: 'hybrid' })], { numRuns: 200 })('config: hybrid forces KPR', ({ document, facts }) => {
    expect(facts.kubeProxyReplacement).toBe(true);
    expect(document['kind']).toBe('ConfigMap');
    expect((document['data'] as Record<string, string>)['bpf-lb-mode']).toBe('hybrid');
  });

  test.prop([poolArbitrary({ index: 2 })], { numRuns: 200 })('pool', ({ document, facts }) => {
    expect(facts.name).toBe('cilium-pool-3');
    expect(facts.network).toBe('172.16.3.0/24');
    expect(document['kind']).toBe('CiliumLoadBalancerIPPool');
  });

  test.prop([bgpConfigArbitrary({ subnets: 2, routers: 2 })], { numRuns: 200 })('bgp', ({ documents, facts }) => {
    expect(documents.filter((d) => d['kind'] === 'CiliumBGPPeerConfig')).toHaveLength(1);
    expect(facts.peerNames).toEqual(['tor-switch', 'tor-switch-2']);
    expect(documents.filter((d) => d['kind'] === 'CiliumBGPClusterConfig')).toHaveLength(facts.peering === 'per-subnet' ? 2 : 1);
  });

  test.prop([nodeArbitrary(), hostArbitrary(), routerArbitrary(), serviceArbitrary()], { numRuns: 100 })(
    'node, host, router, service',
    (node, host, router, service) => {
      expect(node.document['kind']).toBe('Node');
      expect(host.document['kind']).toBe('Host');
      expect(router.document['kind']).toBe('Host');
      expect(router.facts.frr).toContain('no bgp ebgp-requires-policy');
      expect(service.service['kind']).toBe('Service');
      expect(service.pods).toHaveLength(service.facts.backends.length);
    },
  );
});

describe('toYaml / toFiles', () => {
  test.prop([scenarioArbitrary()], { numRuns: 40 })('YAML text parses back to the same documents', (s) => {
    const docs = parseAllDocuments(toYaml(s.documents));
    expect(Array.isArray(docs)).toBe(true);
    expect((docs as { toJS(): unknown }[]).map((d) => d.toJS())).toEqual(s.documents);
  });

  test.prop([scenarioArbitrary()], { numRuns: 30 })('YAML 1.1 readers see the same values', (s) => {
    const docs = parseAllDocuments(toYaml(s.documents), { version: '1.1' });
    expect((docs as { toJS(): unknown }[]).map((d) => d.toJS())).toEqual(s.documents);
  });

  test.prop([scenarioArbitrary()], { numRuns: 30 })('by-kind files keep every document, in lexical file order', (s) => {
    const files = toFiles(s.documents, { layout: 'by-kind', dir: 'lab/' });
    expect(files.map((f) => f.file)).toEqual([...files.map((f) => f.file)].sort());
    const all = files.flatMap((f) => (parseAllDocuments(f.text) as { toJS(): unknown }[]).map((d) => d.toJS()));
    expect(all).toHaveLength(s.documents.length);
    expect(new Set(all.map((d) => JSON.stringify(d)))).toEqual(new Set(s.documents.map((d) => JSON.stringify(d))));
  });

  const parseBoth = (text: string): [unknown[], unknown[]] => [
    (parseAllDocuments(text) as { toJS(): unknown }[]).map((d) => d.toJS()),
    (parseAllDocuments(text, { version: '1.1' }) as { toJS(): unknown }[]).map((d) => d.toJS()),
  ];

  test.prop([fc.array(fc.dictionary(fc.string(), fc.jsonValue()), { minLength: 1, maxLength: 3 })], { numRuns: 300 })(
    'any JSON objects read back the same with YAML 1.2 and 1.1 readers',
    (docs) => {
      const [v12, v11] = parseBoth(toYaml(docs));
      // Documents are JSON: compare as JSON sees them (-0 and 0 are the same JSON number).
      const asJson = JSON.parse(JSON.stringify(docs)) as unknown;
      expect(v12).toEqual(asJson);
      expect(v11).toEqual(asJson);
    },
  );

  test.prop(
    [fc.array(fc.oneof(fc.constantFrom('a', ' a', 'a ', '-', '#x', 'x: y', '', '\n', 'Yes', 'off', '~', '0x1F', '1e3', '2025-01-01', '.5', '|', '>'), fc.string({ unit: 'binary' })), { minLength: 1, maxLength: 6 })
      .map((parts) => parts.join('\n'))],
    { numRuns: 300 },
  )('multi-line and tricky strings read back the same', (text) => {
    const docs = [{ a: text, b: [text, { c: text }], [text]: 1 }];
    const [v12, v11] = parseBoth(toYaml(docs));
    expect(v12).toEqual(docs);
    expect(v11).toEqual(docs);
  });

  it('writes the lab style', () => {
    expect(toYaml([{ a: { b: ['x', { c: 1, d: 'true' }], e: [], f: {} }, frr: 'router bgp 65000\n bgp router-id 1.2.3.4\n' }])).toBe(
      'a:\n  b:\n    - x\n    - c: 1\n      d: "true"\n  e: []\n  f: {}\nfrr: |\n  router bgp 65000\n   bgp router-id 1.2.3.4\n',
    );
  });

  it('writes nothing for no documents', () => {
    expect(toYaml([])).toBe('');
    expect(toFiles([])).toEqual([]);
  });
});
