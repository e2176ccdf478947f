/**
 * Policies across the cluster mesh: remote identities carry their cluster's name, a selector can
 * pick them by `io.cilium.k8s.policy.cluster`, a packet delivered to a pod of another cluster
 * meets that cluster's ingress policies (its own policy engine) and leaves under its own cluster's
 * egress policies, and `policy-default-local-cluster` (off in 1.18) narrows unlabelled selectors.
 */
import { describe, it, expect } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { mesh, MESH, cli } from './helpers.js';

const ALLOW_WEST_CURL = ['-f', 'kind-east=examples/cluster-mesh/variants/east-allow-west-curl.yaml'];
const EAST_WEBPOD = '10.1.1.179:80';
const WEST_WEBPOD = 'default/webpod-7c8f9d5b4-2xkqp';

/** A CNP in east allowing `app: curl` from any cluster (no cluster label). */
const ALLOW_CURL = `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: allow-curl, namespace: default}
spec:
  endpointSelector: {matchLabels: {app: webpod}}
  ingress:
    - fromEndpoints: [{matchLabels: {app: curl}}]
`;

function tmpFile(name: string, text: string): string {
  const d = mkdtempSync(join(tmpdir(), 'mesh-policy-'));
  const f = join(d, name);
  writeFileSync(f, text);
  return f;
}

/** The east folder with extra cilium-config keys. */
function eastWith(data: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'mesh-east-'));
  cpSync('examples/cluster-mesh/east', d, { recursive: true });
  const f = join(d, '01-cilium-config.yaml');
  const extra = Object.entries(data).map(([k, v]) => `  ${k}: "${v}"`).join('\n');
  writeFileSync(f, readFileSync(f, 'utf8').replace('  cluster-id: "2"\n', `  cluster-id: "2"\n${extra}\n`));
  return d;
}

describe('identities carry the cluster name', () => {
  it('cilium-dbg identity list shows io.cilium.k8s.policy.cluster=<cluster-name> in each cluster', () => {
    const west = mesh('exec', 'west-worker', '--', 'cilium-dbg', 'identity', 'list').stdout;
    const east = mesh('exec', 'east-worker', '--', 'cilium-dbg', 'identity', 'list').stdout;
    expect(west).toMatch(/\n65536 +k8s:app=curl\n/);
    expect(west).toContain('k8s:io.cilium.k8s.policy.cluster=west');
    expect(east).toMatch(/\n131072 +k8s:app=curl\n/);
    expect(east).toContain('k8s:io.cilium.k8s.policy.cluster=east');
  });

  it('a single cluster names itself default, as before', () => {
    const out = cli('exec', 'k8s-ctr', '--', 'cilium-dbg', 'identity', 'list').stdout;
    expect(out).toContain('k8s:io.cilium.k8s.policy.cluster=default');
  });
});

describe('ingress at the destination cluster, selected by cluster label', () => {
  it('west curl-pod reaches east webpod: east\'s policy allows app=curl from cluster west', () => {
    const r = mesh(...ALLOW_WEST_CURL, '--context', 'kind-west', 'trace', '--from', 'default/curl-pod', '--to', EAST_WEBPOD);
    expect(r.stdout).toContain('policy-verdict:L3-L4 INGRESS ALLOWED (TCP Flags: SYN) [CiliumNetworkPolicy default/allow-west-curl]');
    expect(r.stdout).toContain('verdict:         FORWARDED');
    const c = mesh(...ALLOW_WEST_CURL, 'exec', 'curl-pod', '--context', 'kind-west', '--', 'curl', '-s', '10.1.1.179');
    expect(c.exitCode).toBe(0);
    expect(c.stdout).toContain('RemoteAddr: 10.0.1.188:40000');
  });

  it('another west pod is dropped at east-worker by east\'s policy, with Hubble\'s drop line', () => {
    const r = mesh(...ALLOW_WEST_CURL, '--context', 'kind-west', 'trace', '--from', WEST_WEBPOD, '--to', EAST_WEBPOD);
    expect(r.stdout).toContain(
      'east-worker                     drop          default/webpod-7c8f9d5b4-2xkqp:40000 (ID:65537) -> default/webpod-5f6d8c7b9-4hjtn:80 (ID:131073) Policy denied DROPPED (TCP Flags: SYN)',
    );
    expect(r.stdout).toContain('verdict:         DROPPED (Policy denied)');
    const c = mesh(...ALLOW_WEST_CURL, 'exec', WEST_WEBPOD.slice(8), '--context', 'kind-west', '--', 'curl', '-s', '--connect-timeout', '1', '10.1.1.179');
    expect(c.exitCode).toBe(28);
  });

  it('east\'s own curl-pod has app=curl but cluster east: denied', () => {
    const r = mesh(...ALLOW_WEST_CURL, '--context', 'kind-east', 'trace', '--from', 'default/curl-pod', '--to', EAST_WEBPOD);
    expect(r.stdout).toContain('policy-verdict:none INGRESS DENIED');
  });

  it('without the policy, the same flows pass (west has no policy; east neither)', () => {
    const r = mesh('--context', 'kind-west', 'trace', '--from', WEST_WEBPOD, '--to', EAST_WEBPOD);
    expect(r.stdout).toContain('verdict:         FORWARDED');
    expect(r.stdout).not.toContain('policy ');
  });
});

describe('egress at the source cluster', () => {
  it('a west egress deny drops at west-worker before the packet leaves; east\'s policies are not consulted', () => {
    const deny = tmpFile('deny.yaml', `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: no-east, namespace: default}
spec:
  endpointSelector: {matchLabels: {app: curl}}
  egressDeny:
    - toEndpoints: [{matchLabels: {io.cilium.k8s.policy.cluster: east}}]
`);
    const r = mesh('-f', `kind-west=${deny}`, '--context', 'kind-west', 'trace', '--from', 'default/curl-pod', '--to', EAST_WEBPOD);
    expect(r.stdout).toMatch(/west-worker\s+policy\s+.*EGRESS DENIED.*\[CiliumNetworkPolicy default\/no-east\]/);
    expect(r.stdout).toContain('Policy denied by denylist DROPPED');
    expect(r.stdout).not.toContain('east-worker');
  });
});

describe('policy-default-local-cluster (1.18: off by default)', () => {
  it('off: a selector without a cluster label selects the remote cluster\'s pods too', () => {
    const f = tmpFile('allow-curl.yaml', ALLOW_CURL);
    const r = mesh('-f', `kind-east=${f}`, '--context', 'kind-west', 'trace', '--from', 'default/curl-pod', '--to', EAST_WEBPOD);
    expect(r.stdout).toContain('INGRESS ALLOWED');
  });

  it('"true": the same selector selects east\'s own pods only', () => {
    const f = tmpFile('allow-curl.yaml', ALLOW_CURL);
    const east = eastWith({ 'policy-default-local-cluster': 'true' });
    const args = ['-f', 'kind-west=examples/cluster-mesh/west', '-f', `kind-east=${east}`, '-f', 'examples/cluster-mesh/shared', '-f', `kind-east=${f}`];
    const west = cli(...args, '--context', 'kind-west', 'trace', '--from', 'default/curl-pod', '--to', EAST_WEBPOD);
    expect(west.stdout).toContain('policy-verdict:none INGRESS DENIED');
    const local = cli(...args, '--context', 'kind-east', 'trace', '--from', 'default/curl-pod', '--to', EAST_WEBPOD);
    expect(local.stdout).toContain('INGRESS ALLOWED');
  });
});

void MESH;
