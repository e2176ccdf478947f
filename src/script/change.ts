/**
 * What a change command is given and what it returns. A change is a pure function from the
 * scenario's documents to new documents, with the text the real tool prints.
 *
 * @module
 */
import type { Documents } from './documents.js';

/**
 * What a change is given besides its words.
 *
 * @example
 * const ctx: ChangeContext = { files: new Map([['lb.yaml', '...']]), step: 3 };
 */
export interface ChangeContext {
  /** The script's file sections by name (what `kubectl apply -f NAME` reads first). */
  readonly files: ReadonlyMap<string, string>;
  /** Where each section starts in the script (`SCRIPT:LINE` of its first line), for messages. */
  readonly fileOrigin?: (name: string) => { readonly script: string; readonly line: number } | undefined;
  /** Reads a file that is not a section (a path relative to the script), or says why it cannot. */
  readonly readFile?: (path: string) => { ok: true; files: readonly { file: string; text: string }[] } | { ok: false; error: string };
  /** The step's number in the script (from 1): deterministic stand-in for the clock. */
  readonly step: number;
}

/**
 * The result of a change: new documents and the tool's output (`exitCode` non-zero when the
 * tool itself refused, e.g. `Error from server (NotFound)`: the documents are then unchanged),
 * or `unsupported` when the twin cannot model the change (the script stops).
 *
 * @example
 * const r: ChangeResult = { kind: 'done', docs, stdout: 'service/webpod patched\n', stderr: '', exitCode: 0 };
 */
export type ChangeResult =
  | { readonly kind: 'done'; readonly docs: Documents; readonly stdout: string; readonly stderr: string; readonly exitCode: number }
  | { readonly kind: 'unsupported'; readonly message: string };

/**
 * A successful change.
 *
 * @example
 * done(docs, 'node/k8s-w0 labeled\n');
 */
export function done(docs: Documents, stdout: string): ChangeResult {
  return { kind: 'done', docs, stdout, stderr: '', exitCode: 0 };
}

/**
 * A change the tool refuses (documents unchanged).
 *
 * @example
 * refused(docs, 'Error from server (NotFound): services "x" not found', 1);
 */
export function refused(docs: Documents, stderr: string, exitCode = 1): ChangeResult {
  return { kind: 'done', docs, stdout: '', stderr: stderr.endsWith('\n') ? stderr : `${stderr}\n`, exitCode };
}

/**
 * A change the twin does not model.
 *
 * @example
 * unsupported('ip link set: the model has no link state');
 */
export function unsupported(message: string): ChangeResult {
  return { kind: 'unsupported', message };
}
