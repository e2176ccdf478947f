/**
 * Several clusters in one scenario: `-f NAME=PATH`, `--context`, the mesh rules with Cilium's
 * messages located, and `cilium clustermesh status`.
 */
import { describe, it, expect } from 'vitest';
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { loadScenario } from '../../src/twin/load.js';
import { splitClusterPath } from '../../src/cli/files.js';
import { parseArgs, takeContext } from '../../src/cli/args.js';
import { cli, config, mesh, node } from './helpers.js';

const WEST = node('w1', '172.19.0.2', '10.0.1.0/24') + '---\n' + config({ 'cluster-name': 'west', 'cluster-id': '1', 'routing-mode': 'native' });
const EAST = node('e1', '172.19.0.5', '10.1.1.0/24') + '---\n' + config({ 'cluster-name': 'east', 'cluster-id': '2', 'routing-mode': 'native' });

function load(west: string, east: string) {
  return loadScenario([
    { file: 'west.yaml', text: west, cluster: 'kind-west' },
    { file: 'east.yaml', text: east, cluster: 'kind-east' },
  ]);
}

function messages(west: string, east: string): string[] {
  const r = load(west, east);
  return isLeft(r) ? r.left.map((e) => e.message) : [];
}

describe('-f NAME=PATH and --context', () => {
  it('splits NAME=PATH, and keeps a path that exists or has no name before =', () => {
    expect(splitClusterPath('kind-west=lab/west/')).toEqual({ cluster: 'kind-west', path: 'lab/west/' });
    expect(splitClusterPath('lab/shared/')).toEqual({ path: 'lab/shared/' });
    expect(splitClusterPath('a=b.yaml', (p) => p === 'a=b.yaml')).toEqual({ path: 'a=b.yaml' });
    expect(splitClusterPath('./x=y')).toEqual({ path: './x=y' });
  });

  it('reads --context before the command and among its words, up to --', () => {
    expect(takeContext(['kubectl', '--context', 'kind-west', 'get', 'pods'])).toEqual({ _tag: 'Right', right: { words: ['kubectl', 'get', 'pods'], context: 'kind-west' } });
    expect(takeContext(['exec', 'p', '--', 'curl', '--context', 'x'])).toEqual({ _tag: 'Right', right: { words: ['exec', 'p', '--', 'curl', '--context', 'x'] } });
    const a = parseArgs(['-f', 'x', '--context=kind-east', 'cilium', 'status']);
    expect(isRight(a) && a.right.context).toBe('kind-east');
    const b = parseArgs(['exec', 'curl-pod', '--context', 'kind-west', '--', 'curl', 'webpod']);
    expect(isRight(b) && [b.right.host, b.right.context, b.right.words.join(' ')]).toEqual(['curl-pod', 'kind-west', 'curl webpod']);
    expect(isLeft(takeContext(['kubectl', '--context']))).toBe(true);
  });

  it('loads one twin per context, in load order, each knowing the others', () => {
    const r = load(WEST, EAST);
    expect(isRight(r)).toBe(true);
    if (!isRight(r)) return;
    const west = r.right;
    expect(west.contexts()).toEqual(['kind-west', 'kind-east']);
    expect(west.contextName).toBe('kind-west');
    const east = west.inContext('kind-east')!;
    expect(east.cluster.config.clusterName).toBe('east');
    expect(east.cluster.mesh?.remotes.map((x) => x.name)).toEqual(['west']);
    expect(west.clusterMesh()?.clusters.map((c) => c.connected)).toEqual([['kind-east'], ['kind-west']]);
  });

  it('a single cluster has no contexts and refuses --context', () => {
    const r = cli('-f', 'examples/bgp-lab/lab', '--context', 'kind-west', 'kubectl', 'get', 'nodes');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('error: context "kind-west" does not exist');
  });

  it('directs kubectl at the context, and defaults to the first cluster named', () => {
    const east = mesh('kubectl', '--context', 'kind-east', 'get', 'nodes');
    expect(east.stdout).toContain('east-control-plane');
    expect(east.stdout).not.toContain('west-');
    const current = mesh('kubectl', 'get', 'nodes');
    expect(current.stdout).toContain('west-worker');
    expect(current.stdout).not.toContain('east-');
    expect(mesh('--context', 'kind-east', 'cilium', 'config', 'view').stdout).toMatch(/cluster-name\s+east/);
  });

  it('exec finds the cluster of a node by its name, and asks for a context when a pod name is in two', () => {
    const r = mesh('exec', 'east-worker', '--', 'ip', 'route');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('10.1.1.0/24 via 10.1.1.');
    const amb = mesh('exec', 'curl-pod', '--', 'ip', 'route');
    expect(amb.exitCode).toBe(2);
    expect(amb.stderr).toContain('"curl-pod" is in contexts kind-west, kind-east: give --context NAME');
    expect(mesh('--context', 'nope', 'kubectl', 'get', 'pods').stderr).toContain('error: context "nope" does not exist; contexts: kind-west, kind-east');
  });
});

describe('the mesh rules, with Cilium\'s messages located', () => {
  it('two clusters with one ID: clusterID N is assigned to the local cluster', () => {
    const east = EAST.replace('"cluster-id": "2"', '').replace('cluster-id: "2"', 'cluster-id: "1"');
    expect(messages(WEST, east)).toEqual([
      'east.yaml#2 ConfigMap/cilium-config (context kind-east): data.cluster-id: clusterID 1 is assigned to the local cluster (context kind-west)',
    ]);
  });

  it('two clusters with one name: Cilium ignores the remote named like itself', () => {
    const east = EAST.replace('cluster-name: "east"', 'cluster-name: "west"');
    expect(messages(WEST, east)[0]).toMatch(/^east\.yaml#2 ConfigMap\/cilium-config \(context kind-east\): data\.cluster-name: cluster name "west" is also the name of context kind-west: .*Ignoring configuration for own cluster/);
  });

  it('overlapping pod CIDRs in native routing', () => {
    const east = EAST.replace('10.1.1.0/24', '10.0.0.0/16').replace('10.1.1.0/24', '10.0.0.0/16');
    expect(messages(WEST, east)).toEqual([
      'east.yaml#1 Node/e1 (context kind-east): spec.podCIDRs: pod CIDR 10.0.0.0/16 overlaps 10.0.1.0/24 of node w1 in context kind-west: PodCIDR ranges in all clusters and all nodes must be non-conflicting and unique IP addresses',
    ]);
  });

  it('a cluster ID past 255 without max-connected-clusters 511, ID 0 and the default name in a mesh', () => {
    expect(messages(WEST, EAST.replace('cluster-id: "2"', 'cluster-id: "300"'))).toEqual([
      'east.yaml#2 ConfigMap/cilium-config (context kind-east): data.cluster-id: invalid cluster id 300: must be in range 0..255',
    ]);
    expect(messages(WEST, EAST.replace('cluster-id: "2"', 'cluster-id: "0"'))[0]).toBe(
      'east.yaml#2 ConfigMap/cilium-config (context kind-east): data.cluster-id: ClusterID 0 is reserved',
    );
    expect(messages(WEST, EAST.replace('cluster-name: "east"', 'cluster-name: "default"'))[0]).toBe(
      'east.yaml#2 ConfigMap/cilium-config (context kind-east): data.cluster-name: cannot use default cluster name (default) with option cluster-id',
    );
    expect(isRight(load(WEST.replace('routing-mode', 'max-connected-clusters: "511"\n  routing-mode'), EAST.replace('cluster-id: "2"', 'cluster-id: "300"').replace('routing-mode', 'max-connected-clusters: "511"\n  routing-mode')))).toBe(true);
  });

  it('different routing modes, and max-connected-clusters that differ', () => {
    expect(messages(WEST, EAST.replace('routing-mode: "native"', 'routing-mode: "tunnel"'))[0]).toMatch(/data\.routing-mode: routing mode tunnel differs from native in context kind-west/);
    expect(messages(WEST, EAST.replace('routing-mode', 'max-connected-clusters: "511"\n  routing-mode'))[0]).toMatch(/data\.max-connected-clusters: mismatched MaxConnectedClusters; local=511, remote=255/);
  });

  it('a cluster with clustermesh-enabled "false" is loaded but connected to none', () => {
    const r = load(WEST, EAST.replace('routing-mode', 'clustermesh-enabled: "false"\n  routing-mode'));
    expect(isRight(r)).toBe(true);
    if (isRight(r)) {
      expect(r.right.cluster.mesh?.remotes).toEqual([]);
      expect(r.right.inContext('kind-east')?.cluster.mesh?.remotes).toEqual([]);
    }
  });

  it('an error of a shared file is reported once', () => {
    const r = loadScenario([
      { file: 'shared.yaml', text: 'apiVersion: v1\nkind: Node\nmetadata: {name: x}\nspec: {podCIDR: nope}\n' },
      { file: 'west.yaml', text: WEST, cluster: 'kind-west' },
      { file: 'east.yaml', text: EAST, cluster: 'kind-east' },
    ]);
    expect(isLeft(r) && r.left.length).toBe(1);
  });
});

describe('cilium clustermesh status (the lab of seeds 000 and 002)', () => {
  it('after connect and before any global service: both clusters, as the lab printed it', () => {
    const files = ['-f', 'kind-west=examples/cluster-mesh/west/00-nodes.yaml', '-f', 'kind-west=examples/cluster-mesh/west/01-cilium-config.yaml'];
    const east = ['-f', 'kind-east=examples/cluster-mesh/east/00-nodes.yaml', '-f', 'kind-east=examples/cluster-mesh/east/01-cilium-config.yaml'];
    const r = cli(...files, ...east, 'cilium', 'clustermesh', 'status', '--context', 'kind-west', '--wait');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(`⚠️  Service type NodePort detected! Service may fail when nodes are removed from the cluster!
✅ Service "clustermesh-apiserver" of type "NodePort" found
✅ Cluster access information is available:
  - 172.19.0.3:32379
✅ Deployment clustermesh-apiserver is ready
ℹ️  KVStoreMesh is disabled

✅ All 2 nodes are connected to all clusters [min:1 / avg:1.0 / max:1]

🔌 Cluster Connections:
  - east: 2/2 configured, 2/2 connected

🔀 Global services: [ min:0 / avg:0.0 / max:0 ]
`);
    const e = cli(...files, ...east, 'cilium', 'clustermesh', 'status', '--context', 'kind-east');
    expect(e.stdout).toContain('  - 172.19.0.4:32379');
    expect(e.stdout).toContain('  - west: 2/2 configured, 2/2 connected');
  });

  it('counts the global services the remote clusters share', () => {
    expect(mesh('cilium', 'clustermesh', 'status').stdout).toContain('🔀 Global services: [ min:1 / avg:1.0 / max:1 ]');
  });

  it('outside a mesh: the apiserver service is not found', () => {
    const r = cli('-f', 'examples/bgp-lab/lab', 'cilium', 'clustermesh', 'status');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('unable to get clustermesh service "clustermesh-apiserver"');
  });
});
