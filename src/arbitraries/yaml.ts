/**
 * Writing generated documents as YAML text, the way a user keeps a scenario in files.
 * Pure: returns text, never writes files.
 *
 * @module
 */
import type { ManifestDocument } from './types.js';

/** Words a YAML 1.1 reader (kubectl's) takes for booleans or null; quoted when they are strings. */
const RESERVED_WORDS = new Set(['y', 'n', 'yes', 'no', 'true', 'false', 'on', 'off', 'null']);

/** Strings written plain: names, paths, label keys, addresses and prefixes. */
function isPlainSafe(s: string): boolean {
  if (/^\d{1,3}(\.\d{1,3}){3}(\/\d{1,2})?$/.test(s)) return true;
  // `E0`, `e5`: some YAML 1.1 readers take an exponent without a mantissa for a number.
  return /^[A-Za-z_/][A-Za-z0-9_./-]*$/.test(s) && !RESERVED_WORDS.has(s.toLowerCase()) && !/^[eE][-+]?[0-9]/.test(s);
}

/** A double-quoted YAML scalar; every character outside printable ASCII is escaped. */
function quoted(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (cp >= 0x20 && cp <= 0x7e) out += ch;
    else if (cp <= 0xffff) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += `\\U${cp.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

/** A scalar (not a multi-line string) as YAML text. */
function scalar(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return v > 0 ? '.inf' : v < 0 ? '-.inf' : '.nan';
    const text = String(v);
    // YAML 1.1 reads an exponent without a dot as a string: write 1.0e+21, not 1e+21.
    return /e/.test(text) && !text.includes('.') ? text.replace('e', '.0e') : text;
  }
  if (typeof v === 'bigint') return String(v);
  const s = String(v);
  return isPlainSafe(s) ? s : quoted(s);
}

/**
 * True for strings written as block literals (`|`): several lines of printable text whose first
 * non-empty line does not start with a space (which would need an indentation indicator).
 */
function isBlock(v: unknown): v is string {
  if (typeof v !== 'string' || !v.includes('\n') || !/^[\n\x20-\x7e]*$/.test(v)) return false;
  const first = v.split('\n').find((l) => l !== '');
  return first !== undefined && !first.startsWith(' ') && first.trim() !== '';
}

/** The header (`|`, `|-` or `|+`) and lines of a block literal. */
function block(s: string, indent: string): string[] {
  const trailing = /\n*$/.exec(s)?.[0].length ?? 0;
  const chomp = trailing === 0 ? '-' : trailing === 1 ? '' : '+';
  const body = trailing === 0 ? s : s.slice(0, s.length - (trailing === 1 ? 1 : trailing));
  const lines = body.split('\n');
  if (trailing > 1) for (let i = 1; i < trailing; i += 1) lines.push('');
  return [`|${chomp}`, ...lines.map((l) => (l === '' ? '' : `${indent}${l}`))];
}

function isNonEmptyObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 0;
}

function isNonEmptyArray(v: unknown): v is unknown[] {
  return Array.isArray(v) && v.length > 0;
}

/** Lines of a value that goes after `key:` or `-` (inline part, then nested lines). */
function valueLines(v: unknown, indent: string): { inline: string; nested: string[] } {
  if (isNonEmptyObject(v)) return { inline: '', nested: mappingLines(v, `${indent}  `) };
  if (isNonEmptyArray(v)) return { inline: '', nested: sequenceLines(v, `${indent}  `) };
  if (Array.isArray(v)) return { inline: ' []', nested: [] };
  if (v !== null && typeof v === 'object') return { inline: ' {}', nested: [] };
  if (isBlock(v)) {
    const [header, ...lines] = block(v, `${indent}  `);
    return { inline: ` ${header ?? '|'}`, nested: lines };
  }
  return { inline: ` ${scalar(v)}`, nested: [] };
}

function mappingLines(o: Readonly<Record<string, unknown>>, indent: string): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined) continue;
    const { inline, nested } = valueLines(v, indent);
    out.push(`${indent}${scalar(k)}:${inline}`, ...nested);
  }
  return out;
}

function sequenceLines(a: readonly unknown[], indent: string): string[] {
  const out: string[] = [];
  for (const v of a) {
    if (isNonEmptyObject(v) || isNonEmptyArray(v)) {
      // The first nested line moves up beside the dash: `- key: value`.
      const nested = isNonEmptyObject(v) ? mappingLines(v, `${indent}  `) : sequenceLines(v, `${indent}  `);
      const [first, ...rest] = nested;
      out.push(`${indent}- ${(first ?? '').slice(indent.length + 2)}`, ...rest);
    } else {
      const { inline, nested } = valueLines(v, indent);
      out.push(`${indent}-${inline}`, ...nested);
    }
  }
  return out;
}

/** One document as YAML text (ending with a newline). */
function documentText(d: unknown): string {
  if (isNonEmptyObject(d)) return `${mappingLines(d, '').join('\n')}\n`;
  if (isNonEmptyArray(d)) return `${sequenceLines(d, '').join('\n')}\n`;
  const { inline, nested } = valueLines(d, '');
  return `${[inline.trimStart(), ...nested].join('\n')}\n`;
}

/**
 * Writes documents as one multi-document YAML text (documents joined with `---`), in block style
 * like kubectl's. Multi-line strings (a Host's `routes:` and `frr:`) become block literals; strings
 * that a YAML 1.1 or 1.2 reader (kubectl's, or this package's) could take for another type
 * (`"true"`, `"Yes"`, `"0"`, `""`, timestamps) are double-quoted, so the text means the same to both.
 * Written by hand rather than with a YAML library: generated scenarios are written in every
 * property run, and this is about a hundred times faster.
 *
 * @param documents - the manifests, in the order to write them (JSON-compatible values).
 * @returns the YAML text (empty for no documents).
 *
 * @example
 * ```ts
 * import { toYaml } from 'cilium-twin/arbitraries';
 * toYaml([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'prod' } }]);
 * // 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: prod\n'
 * ```
 */
export function toYaml(documents: readonly ManifestDocument[]): string {
  return documents.map(documentText).join('---\n');
}

/** Which file of {@link toFiles}' `by-kind` layout a document goes to (the lab's layout). */
function fileFor(doc: ManifestDocument): string {
  const kind = doc['kind'];
  switch (kind) {
    case 'Node':
    case 'Host':
    case 'CiliumNode':
      return '00-hosts.yaml';
    case 'ConfigMap':
      return '01-cilium-config.yaml';
    case 'CiliumBGPClusterConfig':
    case 'CiliumBGPPeerConfig':
    case 'CiliumBGPAdvertisement':
    case 'CiliumBGPNodeConfigOverride':
      return '10-bgp.yaml';
    case 'CiliumLoadBalancerIPPool':
    case 'CiliumL2AnnouncementPolicy':
      return '11-lb-ipam.yaml';
    default:
      return '20-workloads.yaml';
  }
}

/**
 * Splits documents into files as the CLI reads them (`-f DIR` takes `*.yaml` in lexical order).
 * Layout `single` (default) gives one `scenario.yaml`; `by-kind` follows the lab's files
 * (`00-hosts.yaml`, `01-cilium-config.yaml`, `10-bgp.yaml`, `11-lb-ipam.yaml`, `20-workloads.yaml`),
 * keeping each document's relative order. Files are returned in lexical order; none is empty.
 *
 * @param documents - the manifests.
 * @param options - `layout` (`single` or `by-kind`) and `dir`, a prefix for the file names (e.g. `lab/`).
 * @returns `{ file, text }` pairs, the input of `decodeScenario`.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { scenarioArbitrary, toFiles } from 'cilium-twin/arbitraries';
 * const [s] = fc.sample(scenarioArbitrary(), 1);
 * const files = toFiles(s!.documents, { layout: 'by-kind', dir: 'lab/' });
 * files.map((f) => f.file); // ['lab/00-hosts.yaml', 'lab/01-cilium-config.yaml', ...]
 * ```
 */
export function toFiles(
  documents: readonly ManifestDocument[],
  options: { readonly layout?: 'single' | 'by-kind'; readonly dir?: string } = {},
): { file: string; text: string }[] {
  const dir = options.dir ?? '';
  if ((options.layout ?? 'single') === 'single') {
    return documents.length === 0 ? [] : [{ file: `${dir}scenario.yaml`, text: toYaml(documents) }];
  }
  const groups = new Map<string, ManifestDocument[]>();
  for (const d of documents) {
    const f = fileFor(d);
    const list = groups.get(f) ?? [];
    list.push(d);
    groups.set(f, list);
  }
  return [...groups.keys()].sort().map((f) => ({ file: `${dir}${f}`, text: toYaml(groups.get(f) ?? []) }));
}
