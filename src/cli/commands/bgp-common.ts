/**
 * Shared pieces of the Cilium BGP commands: the stage's result computed with the pipeline's
 * LB IPAM and FIB lookups, the session states (from the session stage once it is wired in),
 * and `-o json` flag parsing.
 *
 * @module
 */
import type { CiliumBgpResult } from '../../bgp/cilium/types.js';
import type { SessionStateLookup } from '../../views/bgp/cilium-bgp.js';
import { ciliumPeerState } from '../../bgp/network/pipeline.js';
import type { Twin } from '../../twin/twin.js';

/**
 * The Cilium BGP state of the cluster (LB IPs from LB IPAM, session local addresses from the
 * hosts' routing tables).
 *
 * @example
 * ```ts
 * bgpOf(twinOf(ctx)).nodes.length;
 * ```
 */
export function bgpOf(twin: Twin): CiliumBgpResult {
  return twin.ciliumBgp();
}

/**
 * Session states for the views, from the session stage (`src/bgp/network/`: Cilium's sessions
 * paired with the FRR routers): state, uptime, Received/Advertised per family.
 *
 * @example
 * ```ts
 * renderCiliumBgpPeers(bgpOf(twin), sessionStatesOf(twin));
 * ```
 */
export function sessionStatesOf(twin: Twin): SessionStateLookup | undefined {
  return (node, peerAddress) => ciliumPeerState(twin.bgp(), node, peerAddress);
}

/**
 * Splits `-o json` / `--output json` / `-ojson` / `--output=json` (and `-o yaml` where
 * allowed) off the arguments.
 *
 * @example
 * ```ts
 * parseOutput(['advertised', '-o', 'json']); // { rest: ['advertised'], output: 'json' }
 * ```
 */
export function parseOutput(args: readonly string[]): { rest: string[]; output?: string } | string {
  const rest: string[] = [];
  let output: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '-o' || a === '--output') {
      const v = args[++i];
      if (v === undefined) return `Error: flag needs an argument: ${a}`;
      output = v;
    } else if (a.startsWith('--output=')) output = a.slice('--output='.length);
    else if (a.startsWith('-o') && a.length > 2) output = a.slice(2).replace(/^=/, '');
    else rest.push(a);
  }
  return output === undefined ? { rest } : { rest, output };
}
