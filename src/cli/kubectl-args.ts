/**
 * The arguments every `kubectl get KIND` command shares: names, `-n NS` / `-nNS` /
 * `--namespace NS` / `--namespace=NS`, `-A` / `--all-namespaces`, and (when the command reads it
 * itself) `-o FORMAT` / `-oFORMAT` / `-o=FORMAT` / `--output FORMAT` / `--output=FORMAT`, read as
 * kubectl reads them, with kubectl's messages for a missing value or an unknown flag.
 *
 * @module
 */

/**
 * A `kubectl get` command line, read.
 * For example `-n kube-system cilium-ingress` reads as `{ namespace: 'kube-system', allNamespaces:
 * false, names: ['cilium-ingress'] }`.
 */
export interface KubectlGetArgs {
  /** `-n` value, or the default namespace. */
  readonly namespace: string;
  /** `-A` / `--all-namespaces` was given. */
  readonly allNamespaces: boolean;
  /** Object names, in order. */
  readonly names: readonly string[];
  /** `-o` value when the command reads `-o` itself (see {@link KubectlGetOptions.output}). */
  readonly output?: string;
}

/**
 * How {@link parseKubectlGetArgs} reads a command line.
 */
export interface KubectlGetOptions {
  /** The namespace when `-n` is not given (default `default`). */
  readonly namespace?: string;
  /** Read `-o`/`--output` here (commands whose `-o` is parsed by the CLI's output layer leave it off). */
  readonly output?: boolean;
}

/**
 * Reads a `kubectl get` command line; a string is kubectl's usage error.
 * For example `['-n']` gives `"error: flag needs an argument: 'n' in -n"`.
 */
export function parseKubectlGetArgs(args: readonly string[], options: KubectlGetOptions = {}): KubectlGetArgs | string {
  let namespace = options.namespace ?? 'default';
  let allNamespaces = false;
  let output: string | undefined;
  const names: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-A' || a === '--all-namespaces') allNamespaces = true;
    else if (a === '-n' || a === '--namespace') {
      const v = args[++i];
      if (v === undefined) return `error: flag needs an argument: '${a.replace(/^-+/, '')}' in ${a}`;
      namespace = v;
    } else if (a.startsWith('--namespace=')) namespace = a.slice('--namespace='.length);
    else if (options.output === true && (a === '-o' || a === '--output')) {
      const v = args[++i];
      if (v === undefined) return `error: flag needs an argument: 'o' in -o`;
      output = v;
    } else if (options.output === true && a.startsWith('--output=')) output = a.slice('--output='.length);
    else if (options.output === true && a.startsWith('-o')) output = a.slice(2).replace(/^=/, '');
    else if (a.startsWith('-n') && a.length > 2) namespace = a.slice(2);
    else if (a.startsWith('-')) return `error: unknown flag: ${a}`;
    else names.push(a);
  }
  return { namespace, allNamespaces, names, ...(output !== undefined ? { output } : {}) };
}
