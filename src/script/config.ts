/**
 * Cilium configuration changes: `cilium config set KEY VALUE`, `cilium config delete KEY` (the
 * cilium CLI patches the `cilium-config` ConfigMap and restarts the agents) and
 * `helm upgrade RELEASE CHART … --set NAME=VALUE` (Helm names mapped to `cilium-config` keys as
 * `--set` maps them). The agents' restart is a no-op in time: the twin has no time, and every
 * answer after the change is computed from the new configuration. (Helm alone does not restart
 * the agents; the lab notes restart them with `kubectl -n kube-system rollout restart ds/cilium`,
 * which the twin accepts as a no-op.)
 *
 * @module
 */
import { configKeyOf } from '../input/cilium-config.js';
import { type ChangeResult, done, refused, unsupported } from './change.js';
import { type Documents, type Obj, clone, findDocument, isObj, resourceType, withValue } from './documents.js';

const CM = resourceType('configmap')!;

function setData(docs: Documents, edits: readonly { key: string; value?: string }[]): Documents {
  const at = findDocument(docs, CM, 'kube-system', 'cilium-config');
  const value: Obj =
    at >= 0 && isObj(docs[at]!.value)
      ? clone(docs[at]!.value as Obj)
      : { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cilium-config', namespace: 'kube-system' }, data: {} };
  const data: Obj = isObj(value.data) ? { ...(value.data as Obj) } : {};
  for (const e of edits) {
    if (e.value === undefined) delete data[e.key];
    else data[e.key] = e.value;
  }
  value.data = data;
  return at >= 0 ? withValue(docs, at, value) : [...docs, { file: '<script>', index: docs.length + 1, value }];
}

/**
 * `cilium config set|delete …` (words after `cilium config`), or `undefined` for `view`.
 *
 * @example
 * ```ts
 * ciliumConfigChange(docs, ['set', 'bpf-lb-mode', 'dsr']);
 * // stdout: '✨ Patching ConfigMap cilium-config with bpf-lb-mode=dsr...\n♻️  Restarted Cilium pods\n'
 * ```
 */
export function ciliumConfigChange(docs: Documents, words: readonly string[]): ChangeResult | undefined {
  const [verb, ...rest] = words;
  const args = rest.filter((w) => !w.startsWith('--restart'));
  const restart = !rest.includes('--restart=false');
  const tail = restart ? '♻️  Restarted Cilium pods\n' : '⚠️  Restart Cilium pods for configmap changes to take effect\n';
  if (verb === 'set') {
    if (args.length !== 2) return refused(docs, 'Error: accepts 2 arg(s), received ' + args.length);
    const [key, value] = args as [string, string];
    return done(setData(docs, [{ key, value }]), `✨ Patching ConfigMap cilium-config with ${key}=${value}...\n${tail}`);
  }
  if (verb === 'delete') {
    if (args.length !== 1) return refused(docs, 'Error: accepts 1 arg(s), received ' + args.length);
    return done(setData(docs, [{ key: args[0]! }]), `✨ Removing key ${args[0]} from ConfigMap cilium-config...\n${tail}`);
  }
  return undefined;
}

/**
 * `helm upgrade RELEASE CHART [--version V] [--namespace NS] [--reuse-values] --set NAME=VALUE…`
 * (words after `helm`): each `--set` (or `--set-string`) name mapped to its `cilium-config` key.
 *
 * @example
 * ```ts
 * helmChange(docs, ['upgrade', 'cilium', 'cilium/cilium', '--reuse-values', '--set', 'bpf.lbExternalClusterIP=true']);
 * // cilium-config data gains bpf-lb-external-clusterip: "true"
 * ```
 */
export function helmChange(docs: Documents, words: readonly string[]): ChangeResult | undefined {
  const [verb, ...rest] = words;
  if (verb !== 'upgrade' && verb !== 'install') return verb === 'list' || verb === 'get' || verb === 'status' ? undefined : unsupported(`helm ${verb ?? ''}: only helm upgrade --set is modelled`);
  const edits: { key: string; value: string }[] = [];
  const positional: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const w = rest[i]!;
    const eq = w.indexOf('=');
    const name = w.startsWith('--') && eq > 0 ? w.slice(0, eq) : w;
    const inline = w.startsWith('--') && eq > 0 ? w.slice(eq + 1) : undefined;
    if (name === '--set' || name === '--set-string') {
      const v = inline ?? rest[++i];
      if (v === undefined) return refused(docs, `Error: flag needs an argument: --set`);
      for (const setting of v.split(/,(?=[A-Za-z0-9_.-]+=)/)) {
        const at = setting.indexOf('=');
        if (at <= 0) return refused(docs, `Error: failed parsing --set data: key "${setting}" has no value`);
        const key = configKeyOf(setting.slice(0, at));
        if (key._tag === 'Left') return unsupported(`helm --set ${setting.slice(0, at)}: ${key.left}`);
        edits.push({ key: key.right, value: setting.slice(at + 1) });
      }
    } else if (['--version', '--namespace', '-n', '--kube-context', '--timeout'].includes(name)) {
      if (inline === undefined) i++;
    } else if (name === '-f' || name === '--values') return unsupported('helm upgrade -f VALUES: give the settings with --set');
    else if (name.startsWith('-')) continue; // --reuse-values, --install, --wait, …
    else positional.push(w);
  }
  if (positional.length < 2) return refused(docs, `Error: "helm ${verb}" requires 2 arguments`);
  const release = positional[0]!;
  return done(setData(docs, edits), `Release "${release}" has been upgraded. Happy Helming!\n`);
}
