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
import { decodeScenario, type DecodeError, type DecodeOptions } from '../input/decode.js';
import { createTwin, type Twin } from './twin.js';

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
  | { readonly source: 'frr'; readonly message: string; readonly diagnostic: FrrDiagnostic };

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
 * const loaded = loadScenario([{ file: 'lab.yaml', text }], { set: { 'bpf-lb-algorithm': 'maglev' } });
 * if (isLeft(loaded)) for (const e of loaded.left) console.error(e.message);
 * else loaded.right.maps('k8s-ctr');
 * ```
 */
export function loadScenario(files: readonly ScenarioFile[], options: DecodeOptions = {}): E.Either<readonly LoadError[], Twin> {
  const decoded = decodeScenario(files, options);
  if (E.isLeft(decoded)) return E.left(decoded.left.map((error) => ({ source: 'input' as const, message: error.message, error })));
  const twin = createTwin(buildIngress(buildWorkloadCluster(decoded.right)));
  // A line of a Host's frr.conf that the model reads but cannot parse (`router bgp abc`) breaks
  // the scenario like a bad field does; lines it does not model are only reported by validate.
  const frr = twin.frrDiagnostics().filter((d) => d.severity === 'error');
  if (frr.length > 0) return E.left(frr.map((diagnostic) => ({ source: 'frr' as const, message: formatFrrDiagnostic(diagnostic), diagnostic })));
  return E.right(twin);
}
