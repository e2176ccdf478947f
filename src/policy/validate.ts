/**
 * What `validate` says about the policies: rules that select no endpoint (fine, but worth
 * knowing), named ports no pod declares, and an unknown `policy-enforcement` mode.
 *
 * Cost: one pass over the rules × the distinct pod identities; with no rule, only the
 * `enable-policy` check (the identity table is not built: 0.45 s at 100,000 pods).
 *
 * @module
 */
import type { Cluster } from '../cluster/types.js';
import { identityTable, type IdentityTable } from '../datapath/endpoints/identity.js';
import { labelIndex, matchesIdentity } from './labels.js';
import { policyRules, policySourceText, type Rule } from './rules.js';

/**
 * Warnings about the cluster's policies.
 *
 * @example
 * ```ts
 * policyWarnings(cluster); // ['NetworkPolicy x/allow-b selects no endpoint']
 * ```
 */
export function policyWarnings(cluster: Cluster, given?: IdentityTable, rules: readonly Rule[] = policyRules(cluster)): string[] {
  const out: string[] = [];
  const mode = cluster.config.raw['enable-policy'];
  if (mode !== undefined && !['default', 'always', 'never'].includes(mode)) {
    out.push(`cilium-config enable-policy: "${mode}" is not one of default, always, never: the agent refuses to start`);
  }
  // nothing below reads the table, the nodes or the pods without a rule
  if (rules.length === 0) return out;
  const table = given ?? identityTable(cluster);
  const podIds = [...new Set(table.pods.values())].map((id) => labelIndex(table.byId.get(id)?.labels ?? []));
  const nodes = cluster.scenario.nodes.map((n) => labelIndex(Object.entries(n.meta.labels).map(([k, v]) => `k8s:${k}=${v}`)));
  const named = new Set<string>();
  for (const p of cluster.scenario.pods) for (const c of p.containers) for (const cp of c.ports) if (cp.name !== undefined) named.add(cp.name);
  const seen = new Set<string>();
  for (const r of rules) {
    const text = policySourceText(r.source);
    const candidates = r.subject.kind === 'nodes' ? nodes : podIds;
    if (!candidates.some((l) => matchesIdentity(r.subject.sel, l))) {
      const w = `${text} selects no ${r.subject.kind === 'nodes' ? 'node' : 'endpoint'}`;
      if (!seen.has(w)) out.push(w);
      seen.add(w);
    }
    for (const e of [...r.ingress, ...r.egress]) {
      for (const p of e.ports ?? []) {
        if (typeof p.port === 'string' && !named.has(p.port)) {
          const w = `${text}: named port "${p.port}" is declared by no pod: the rule allows nothing on it`;
          if (!seen.has(w)) out.push(w);
          seen.add(w);
        }
      }
    }
  }
  return out;
}
