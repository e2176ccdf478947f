/**
 * Test helper: load the embedded bgp-lab (examples/bgp-lab) with variants, as the CLI would
 * with `-f examples/bgp-lab/lab -f examples/bgp-lab/variants/<v>...`.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import { decodeScenario } from '../../src/input/decode.js';
import { buildWorkloadCluster } from '../../src/workloads/index.js';
import { buildIngress } from '../../src/ingress/controller.js';
import type { Cluster } from '../../src/cluster/types.js';

const root = join(import.meta.dirname, '..', '..', 'examples', 'bgp-lab');

/** Reads the lab's base files and the given variants (file names under variants/). */
export function labFiles(variants: readonly string[] = []): { file: string; text: string }[] {
  const base = readdirSync(join(root, 'lab'))
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => join('lab', f));
  return [...base, ...variants.map((v) => join('variants', v))].map((f) => ({
    file: f,
    text: readFileSync(join(root, f), 'utf8'),
  }));
}

/** Decodes and builds the lab cluster with variants; throws on a decode error (tests only). */
export function loadLab(variants: readonly string[] = [], set: Record<string, string> = {}): Cluster {
  const decoded = decodeScenario(labFiles(variants), { set });
  if (isLeft(decoded)) throw new Error(decoded.left.map((e) => e.message).join('\n'));
  return buildIngress(buildWorkloadCluster(decoded.right));
}

/**
 * The lab's webpod Service as YAML (type LoadBalancer, eTP=Cluster), with the ClusterIP and the
 * internalTrafficPolicy the seeds' ClusterIP-advertisement runs used.
 */
export function webpodServiceYaml(clusterIP: string, itp: 'Cluster' | 'Local'): string {
  return `apiVersion: v1
kind: Service
metadata: {name: webpod, namespace: default, labels: {app: webpod}}
spec:
  type: LoadBalancer
  clusterIP: ${clusterIP}
  clusterIPs: [${clusterIP}]
  externalTrafficPolicy: Cluster
  internalTrafficPolicy: ${itp}
  selector: {app: webpod}
  ports:
    - {name: http, port: 80, targetPort: 80, nodePort: 31726, protocol: TCP}
`;
}
