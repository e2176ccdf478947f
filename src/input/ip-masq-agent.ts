/**
 * The `kube-system/ip-masq-agent` ConfigMap that Cilium's BPF ip-masq-agent reads (the Helm
 * chart writes it from `ipMasqAgent.config`): its `config` key holds YAML (or JSON) with
 * `nonMasqueradeCIDRs`, `masqLinkLocal` and `masqLinkLocalIPv6`. Decoded once here; the egress
 * stage applies Cilium's defaults (`pkg/ipmasq`).
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import type { IpMasqAgentConfig } from './types.js';
import { type Issue, bool, decodeWith, list, prefix, struct } from './codec.js';
import { type LibraryBudget, libraryBudget, parseYamlText } from './yaml.js';

const configDoc = struct({}, { nonMasqueradeCIDRs: list(prefix), masqLinkLocal: bool, masqLinkLocalIPv6: bool });

/**
 * Decodes the `config` text of the ip-masq-agent ConfigMap (YAML or JSON; empty text = defaults).
 * Issues carry the path under `data.config`. `budget` is what the `yaml` package may still read
 * (shared with the scenario's files; see `limits.ts`).
 *
 * @example
 * decodeIpMasqAgentConfig('nonMasqueradeCIDRs: [10.0.0.0/8]\nmasqLinkLocal: true\n');
 * // right({ nonMasqueradeCIDRs: [10.0.0.0/8], masqLinkLocal: true, masqLinkLocalIPv6: false })
 */
export function decodeIpMasqAgentConfig(text: string | undefined, budget: LibraryBudget = libraryBudget()): E.Either<Issue[], IpMasqAgentConfig> {
  const empty: IpMasqAgentConfig = { nonMasqueradeCIDRs: [], masqLinkLocal: false, masqLinkLocalIPv6: false };
  if (text === undefined || text.trim() === '') return E.right(empty);
  const parsed = parseYamlText(text, budget);
  if (E.isLeft(parsed)) {
    return E.left(parsed.left.map((e) => ({ path: 'data.config', message: `${e.line !== undefined ? `line ${e.line}: ` : ''}${e.message}` })));
  }
  const value = parsed.right[0];
  if (value === null || value === undefined) return E.right(empty);
  const d = decodeWith(configDoc, value, 'data.config');
  if (E.isLeft(d)) return d;
  return E.right({
    nonMasqueradeCIDRs: d.right.nonMasqueradeCIDRs ?? [],
    masqLinkLocal: d.right.masqLinkLocal ?? false,
    masqLinkLocalIPv6: d.right.masqLinkLocalIPv6 ?? false,
  });
}
