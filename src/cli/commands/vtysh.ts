/**
 * `exec ROUTER -- vtysh -c 'COMMAND' [-c 'COMMAND' …]`: FRR's shell on a router (a Host with an
 * `frr:` configuration). Each `-c` command runs in turn; their outputs are concatenated.
 *
 * @module
 */
import type { Command, CommandContext, CommandResult } from '../command.js';
import { ok, twinOf, usageError } from '../command.js';
import { runVtysh, vtyshCommandLines } from '../../views/vtysh/vtysh.js';

const help = `Usage: exec ROUTER -- vtysh -c 'COMMAND' [-c 'COMMAND' ...]

FRR's integrated shell on a router (a Host with an frr: configuration). Commands:
  show running-config
  show ip bgp [summary | A.B.C.D | A.B.C.D/M]
  show bgp [ipv4 unicast] [summary | A.B.C.D | A.B.C.D/M]
  show ip route [bgp | connected | kernel | static]
Keywords may be abbreviated (show run, sh ip b su).

Example:
  cilium-twin -f lab/ -f variants/lb.yaml exec router -- vtysh -c 'show ip bgp 172.16.1.1/32'`;

/**
 * The `vtysh` command (host scope).
 *
 * @example
 * ```ts
 * vtyshCommand.run({ cluster, args: ['-c', 'show ip bgp'], json: false, host: 'router' }).stdout;
 * ```
 */
export const vtyshCommand: Command = {
  path: ['vtysh'],
  formats: [],
  scope: 'host',
  summary: "FRR's shell on a router: show ip bgp [summary|PREFIX], show ip route [bgp], show running-config",
  help,
  run(ctx: CommandContext): CommandResult {
    const host = ctx.host;
    if (host === undefined) return usageError('vtysh: run it inside a router: exec ROUTER -- vtysh -c ...');
    const h = ctx.cluster.hosts.find((x) => x.meta.name === host);
    if (!h) return usageError(`vtysh: unknown host "${host}"`);
    if (h.frr === undefined) return { stdout: '', stderr: 'bash: vtysh: command not found\n', exitCode: 127 };
    const lines = vtyshCommandLines(ctx.args);
    if (typeof lines === 'string') return usageError(lines);
    if (lines.length === 0) return usageError(`vtysh: interactive mode is not modelled; give commands with -c\n\n${help}`);
    const twin = twinOf(ctx);
    const router = twin.bgp().routers.get(host);
    if (!router) return usageError(`vtysh: ${host} runs no FRR`);
    const table = twin.baseTable(host);
    let out = '';
    let failed = false;
    for (const line of lines) {
      const r = runVtysh({ router, ...(table ? { table } : {}), host: h }, line);
      out += r.output;
      if (!r.ok) failed = true;
    }
    return failed ? { stdout: out, exitCode: 1 } : ok(out);
  },
};
