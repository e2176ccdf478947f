/**
 * Writing generated documents as YAML text, the way a user keeps a scenario in files.
 * Pure: returns text, never writes files.
 *
 * @module
 */
import { stringify } from 'yaml';
import type { ManifestDocument } from './types.js';

/**
 * Writes documents as one multi-document YAML text (documents joined with `---`).
 * Multi-line strings (a Host's `routes:` and `frr:`) become block literals; strings that a YAML
 * 1.1 or 1.2 reader (kubectl's, or this package's) would take for another type (`"true"`, `"Yes"`,
 * `"0"`, `""`, timestamps) are quoted, so the text means the same to both.
 *
 * @param documents - the manifests, in the order to write them.
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
  return documents.map((d) => stringify(d, { lineWidth: 0, version: '1.1' })).join('---\n');
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
