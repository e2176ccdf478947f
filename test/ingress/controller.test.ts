import { describe, expect, it } from 'vitest';
import { ingressTwin } from './helpers.js';
import { buildIngress, ingressState, PLACEHOLDER_ENDPOINT } from '../../src/ingress/index.js';
import { loadLab } from '../helpers/lab.js';
import { renderGetIngress } from '../../src/views/ingress.js';

const svc = (t: ReturnType<typeof ingressTwin>, ns: string, name: string) => t.cluster.scenario.services.find((s) => s.meta.namespace === ns && s.meta.name === name);

describe('ingress controller: Services and EndpointSlices', () => {
  const t = ingressTwin();

  it('makes the shared kube-system/cilium-ingress and a dedicated cilium-ingress-<name> in the Ingress namespace', () => {
    const shared = svc(t, 'kube-system', 'cilium-ingress')!;
    const dedicated = svc(t, 'default', 'cilium-ingress-reviews-dedicated')!;
    for (const s of [shared, dedicated]) {
      expect(s.type).toBe('LoadBalancer');
      expect(s.selector).toBeUndefined();
      expect(s.meta.labels['cilium.io/ingress']).toBe('true');
      expect(s.ports.map((p) => `${p.name} ${p.port}/${p.protocol}`)).toEqual(['http 80/TCP', 'https 443/TCP']);
      expect(s.clusterIPs.length).toBe(1);
      expect(s.ports.every((p) => p.nodePort !== undefined && p.nodePort >= 30000)).toBe(true);
    }
  });

  it('gives each the placeholder endpoint 192.192.192.192:9999 in a mirrored EndpointSlice', () => {
    for (const name of ['cilium-ingress', 'cilium-ingress-reviews-dedicated']) {
      const slices = t.cluster.endpointSlices.filter((s) => s.serviceName === name);
      expect(slices).toHaveLength(1);
      const s = slices[0]!;
      expect(s.meta.name).toMatch(new RegExp(`^${name}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
      expect(s.meta.labels['endpointslice.kubernetes.io/managed-by']).toBe('endpointslicemirroring-controller.k8s.io');
      expect(s.endpoints.map((e) => e.addresses.map(String).join())).toEqual([PLACEHOLDER_ENDPOINT.address]);
      expect(new Set(s.ports.map((p) => p.port))).toEqual(new Set([9999]));
    }
  });

  it('LB IPAM allocates their addresses like any other Service', () => {
    expect(t.lbIps('kube-system', 'cilium-ingress').map(String)).toEqual(['172.16.1.2']);
    expect(t.lbIps('default', 'cilium-ingress-reviews-dedicated').map(String)).toEqual(['172.16.1.1']);
  });

  it('is the identity when the controller is off (outputs unchanged)', () => {
    const c = loadLab(['lb.yaml']);
    expect(buildIngress(c)).toBe(c);
    expect(ingressState(c).settings.enabled).toBe(false);
  });

  it('copies annotations with the LB prefixes to a dedicated Service (lbipam.cilium.io/ips picks the address)', () => {
    const t2 = ingressTwin([], [
      `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: pinned
  namespace: default
  annotations: {lbipam.cilium.io/ips: 172.16.1.50, other.example.com/x: "y"}
  labels: {service.kubernetes.io/topology: "z", team: a}
spec:
  ingressClassName: cilium
  defaultBackend: {service: {name: details, port: {number: 9080}}}
`,
    ]);
    const s = svc(t2, 'default', 'cilium-ingress-pinned')!;
    expect(s.meta.annotations['lbipam.cilium.io/ips']).toBe('172.16.1.50');
    expect(s.meta.annotations['other.example.com/x']).toBeUndefined();
    expect(s.meta.labels['service.kubernetes.io/topology']).toBe('z');
    expect(s.meta.labels.team).toBeUndefined();
    expect(t2.lbIps('default', 'cilium-ingress-pinned').map(String)).toEqual(['172.16.1.50']);
  });
});

describe('ingress controller: classes and modes', () => {
  const ing = (name: string, extra: string) => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${name}
  namespace: default
${extra}
  rules:
  - http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: details, port: {number: 9080}}}}
`;

  it('ignores another class with a warning; the kubernetes.io/ingress.class annotation is read first', () => {
    const t = ingressTwin([], [
      ing('a', 'spec:\n  ingressClassName: nginx'),
      ing('b', '  annotations: {kubernetes.io/ingress.class: cilium}\nspec:\n  ingressClassName: nginx'),
    ]);
    const s = t.ingress();
    expect(s.ingresses.map((i) => i.key)).toContain('default/b');
    expect(s.ingresses.map((i) => i.key)).not.toContain('default/a');
    expect(s.warnings).toContain('Ingress default/a: ingress class "nginx" is not cilium: ignored by Cilium\'s ingress controller');
    expect(t.cluster.warnings).toContain('Ingress default/a: ingress class "nginx" is not cilium: ignored by Cilium\'s ingress controller');
  });

  it('manages an Ingress without class only when cilium is the default IngressClass', () => {
    const withDefault = ingressTwin([], [ing('c', 'spec: {}').replace('spec: {}\n  rules', 'spec:\n  rules')]);
    expect(withDefault.ingress().ingresses.map((i) => i.key)).toContain('default/c');
    const noDefault = ingressTwin([], [
      ing('c', 'spec:').replace('spec:\n', 'spec:\n'),
      'apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: {name: cilium}\nspec: {controller: cilium.io/ingress-controller}\n',
    ]);
    expect(noDefault.ingress().ingresses.map((i) => i.key)).not.toContain('default/c');
    expect(noDefault.ingress().warnings.some((w) => w.startsWith('Ingress default/c: no ingress class'))).toBe(true);
  });

  it('mode: the annotation, else ingress-default-lb-mode; a bad value warns and falls back', () => {
    const t = ingressTwin([], [ing('d', '  annotations: {ingress.cilium.io/loadbalancer-mode: both}\nspec:\n  ingressClassName: cilium')], {
      'ingress-default-lb-mode': 'shared',
    });
    const d = t.ingress().ingresses.find((i) => i.key === 'default/d')!;
    expect(d.mode).toBe('shared');
    expect(d.service).toBe('kube-system/cilium-ingress');
    expect(t.ingress().warnings.some((w) => w.includes('"both" is neither dedicated nor shared'))).toBe(true);
  });

  it('warns about a backend Service or port that does not exist (validate)', () => {
    const t = ingressTwin(['bad']);
    expect(t.cluster.warnings).toContain('Ingress default/broken: backend service default/ratings does not exist: Envoy answers 503 on broken.example.com/ratings');
    expect(t.cluster.warnings).toContain('Ingress default/broken: service default/details has no port 8080: Envoy answers 503 on broken.example.com/details');
  });
});

describe('kubectl get ingress', () => {
  it('prints CLASS, HOSTS, ADDRESS (the Service LB IP) and PORTS (80, 443 with TLS)', () => {
    const t = ingressTwin(['bad'], [
      `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: tls, namespace: default}
spec:
  ingressClassName: cilium
  tls: [{hosts: [secure.example.com], secretName: s}]
  rules:
  - host: secure.example.com
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: details, port: {number: 9080}}}}]}
  - host: a.example.com
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: details, port: {number: 9080}}}}]}
`,
    ]);
    const text = renderGetIngress(t.cluster, t.ingress(), t.lbIpam(), { namespace: 'default', allNamespaces: false, wide: false, names: [] })!;
    expect(text.split('\n')[0]).toMatch(/^NAME +CLASS +HOSTS +ADDRESS +PORTS +AGE$/);
    expect(text).toMatch(/\nbookinfo +cilium +\* +172\.16\.1\.\d+ +80 +<unknown>\n/);
    expect(text).toMatch(/\nnginx-owned +nginx +\* +80 +<unknown>\n/);
    expect(text).toMatch(/\ntls +cilium +secure\.example\.com,a\.example\.com +172\.16\.1\.\d+ +80, 443 +<unknown>\n/);
    expect(renderGetIngress(t.cluster, t.ingress(), t.lbIpam(), { namespace: 'x', allNamespaces: false, wide: false, names: [] })).toBeUndefined();
  });
});
