/**
 * The loading boundary: scenario files (YAML text) → a {@link Twin}, or every error found, each
 * located (YAML syntax with line and column; a field with file, document, kind, name and path; an
 * iproute2 route line of a Host; a line of a Host's `frr:` text that the model reads but cannot
 * parse). Nothing is computed from a broken scenario: the CLI adds only file reading to this.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { formatFrrDiagnostic, type FrrDiagnostic } from '../bgp/frr/diagnostics.js';
import { buildWorkloadCluster } from '../workloads/index.js';
import { buildIngress } from '../ingress/controller.js';
import { decodeDocuments, decodeScenario, type DecodeError, type DecodeOptions, type RawDocument } from '../input/decode.js';
import type { Scenario } from '../input/types.js';
import { createMeshTwins, createTwin, type Twin } from './twin.js';
import { validateMesh, type MeshIssue } from '../mesh/mesh.js';
import { parseYamlFiles } from '../input/decode.js';
import type { Cluster } from '../cluster/types.js';

/**
 * One error of a scenario: from decoding (YAML, io-ts fields, iproute2 routes: `input`) or from a
 * Host's FRR configuration (`frr`). `message` is the line to show a user.
 *
 * @example
 * ```ts
 * const e: LoadError = { source: 'frr', message: 'router: frr line 1: % Invalid AS number: abc', diagnostic };
 * ```
 */
export type LoadError =
  | { readonly source: 'input'; readonly message: string; readonly error: DecodeError }
  | { readonly source: 'frr'; readonly message: string; readonly diagnostic: FrrDiagnostic }
  | { readonly source: 'mesh'; readonly message: string; readonly issue: MeshIssue };

/**
 * A scenario file: its name (as given, for messages) and its text.
 *
 * @example
 * ```ts
 * const f: ScenarioFile = { file: 'lab/nodes.yaml', text: 'apiVersion: v1\nkind: Node\n...' };
 * ```
 */
export interface ScenarioFile {
  /** The file's name as the user gave it (`-` for standard input). */
  readonly file: string;
  /** Its text: one or more YAML documents. */
  readonly text: string;
  /**
   * The cluster (kubectl context) it belongs to, from `-f NAME=PATH`; absent: shared by every
   * cluster (hosts, routers), or the only cluster when no file names one.
   */
  readonly cluster?: string;
}

/**
 * Decodes scenario files (documents of every file, in order; a later document replaces an earlier
 * one of the same identity) and returns the twin, or every error located. FRR errors are checked
 * once the input decodes (a Host's `frr:` text is read from a decoded Host).
 *
 * @example
 * ```ts
 * import { loadScenario } from 'cilium-twin';
 * import { isLeft } from 'fp-ts/lib/Either.js';
 * declare const text: string; // the lab's YAML
 * const loaded = loadScenario([{ file: 'lab.yaml', text }], { set: { 'bpf-lb-algorithm': 'maglev' } });
 * if (isLeft(loaded)) for (const e of loaded.left) console.error(e.message);
 * else loaded.right.maps('k8s-ctr');
 * ```
 */
export function loadScenario(files: readonly ScenarioFile[], options: DecodeOptions = {}): E.Either<readonly LoadError[], Twin> {
  if (files.some((f) => f.cluster !== undefined)) return loadMesh(files, options);
  return twinOfDecoded(decodeScenario(files, options));
}

/**
 * {@link loadScenario} for documents already parsed from YAML (what a script holds after
 * `kubectl apply -f` or `cilium config set`): the same decoding, workloads, FRR check and twin.
 *
 * @example
 * ```ts
 * import { loadScenarioDocuments } from 'cilium-twin/twin';
 * import type { RawDocument } from 'cilium-twin/input';
 * declare const docs: readonly RawDocument[];
 * const loaded = loadScenarioDocuments(docs, { set: { 'bpf-lb-algorithm': 'maglev' } });
 * ```
 */
export function loadScenarioDocuments(docs: readonly RawDocument[], options: DecodeOptions = {}): E.Either<readonly LoadError[], Twin> {
  return twinOfDecoded(decodeDocuments(docs, options));
}

/** The boundary's last steps: decode errors located, else workloads, the twin and the FRR check. */
function twinOfDecoded(decoded: E.Either<readonly DecodeError[], Scenario>): E.Either<readonly LoadError[], Twin> {
  if (E.isLeft(decoded)) return E.left(decoded.left.map((error) => ({ source: 'input' as const, message: error.message, error })));
  const twin = createTwin(buildIngress(buildWorkloadCluster(decoded.right)));
  // A line of a Host's frr.conf that the model reads but cannot parse (`router bgp abc`) breaks
  // the scenario like a bad field does; lines it does not model are only reported by validate.
  const frr = twin.frrDiagnostics().filter((d) => d.severity === 'error');
  if (frr.length > 0) return E.left(frr.map((diagnostic) => ({ source: 'frr' as const, message: formatFrrDiagnostic(diagnostic), diagnostic })));
  return E.right(twin);
}

/** Keeps the first of equal messages (a shared file's error is found once per cluster). */
function distinct(errors: readonly LoadError[]): LoadError[] {
  const seen = new Set<string>();
  return errors.filter((e) => (seen.has(e.message) ? false : (seen.add(e.message), true)));
}

/**
 * Where a context's document was given (`file#document`), for mesh errors: its
 * `kube-system/cilium-config`, or a Node; the last such document wins, as in decoding.
 * `undefined` when none was given (a `--set` key, a derived object).
 */
function originOf(files: readonly ScenarioFile[], kind: string, name: string, namespace?: string): string | undefined {
  const docs = parseYamlFiles(files);
  let where: string | undefined;
  if (E.isLeft(docs)) return where;
  for (const d of docs.right) {
    const v = d.value as { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } } | null;
    if (v === null || typeof v !== 'object' || v.kind !== kind || v.metadata?.name !== name) continue;
    if (namespace !== undefined && (v.metadata.namespace ?? 'default') !== namespace) continue;
    where = `${d.file}#${d.index}`;
  }
  return where;
}

/**
 * Several clusters: each context's files (`-f NAME=PATH`) with the shared ones (files without a
 * name, read first) decode into one cluster; the FRR check runs per cluster; then the mesh rules
 * (`validateMesh`), each issue located at the context's `cilium-config`
 * (`c2/config.yaml#1 ConfigMap/cilium-config (context kind-east): data.cluster-id: clusterID 1 is …`).
 */
function loadMesh(files: readonly ScenarioFile[], options: DecodeOptions): E.Either<readonly LoadError[], Twin> {
  const shared = files.filter((f) => f.cluster === undefined);
  const contexts: string[] = [];
  for (const f of files) if (f.cluster !== undefined && !contexts.includes(f.cluster)) contexts.push(f.cluster);
  const errors: LoadError[] = [];
  const members: { context: string; cluster: Cluster }[] = [];
  for (const context of contexts) {
    const own = files.filter((f) => f.cluster === context);
    const decoded = decodeScenario([...shared, ...own], options);
    if (E.isLeft(decoded)) {
      errors.push(...decoded.left.map((error) => ({ source: 'input' as const, message: error.message, error })));
      continue;
    }
    const cluster = buildIngress(buildWorkloadCluster(decoded.right));
    const frr = createTwin(cluster)
      .frrDiagnostics()
      .filter((d) => d.severity === 'error');
    errors.push(...frr.map((diagnostic) => ({ source: 'frr' as const, message: formatFrrDiagnostic(diagnostic), diagnostic })));
    members.push({ context, cluster });
  }
  if (errors.length > 0) return E.left(distinct(errors));
  const issues = validateMesh(members);
  if (issues.length > 0) {
    return E.left(
      issues.map((issue) => {
        const own = [...shared, ...files.filter((f) => f.cluster === issue.context)];
        const [kind, name, field] = issue.node !== undefined ? ['Node', issue.node, issue.key] : ['ConfigMap', 'cilium-config', `data.${issue.key}`];
        const where = originOf(own, kind, name, kind === 'ConfigMap' ? 'kube-system' : undefined);
        const at = where === undefined ? `context ${issue.context} ${kind}/${name}` : `${where} ${kind}/${name} (context ${issue.context})`;
        return { source: 'mesh' as const, message: `${at}: ${field}: ${issue.message}`, issue };
      }),
    );
  }
  return E.right(createMeshTwins(members));
}
