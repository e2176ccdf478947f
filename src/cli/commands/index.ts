/**
 * The registry of CLI commands. Adding a command = writing a module under `src/cli/commands/`
 * that exports a {@link Command}, and adding it to this list (one line each; keep alphabetical
 * by file name to avoid merge conflicts).
 *
 * @module
 */
import type { Command } from '../command.js';
import { ciliumBgpPeersCommand, ciliumBgpRoutesCommand, ciliumDbgBgpPeersCommand, ciliumDbgBgpRoutePoliciesCommand } from './cilium-bgp.js';
import { bpfEndpointListCommand } from './cilium-dbg-bpf-endpoint.js';
import { bpfIpcacheListCommand } from './cilium-dbg-bpf-ipcache.js';
import { bpfLbListCommand, bpfLbMaglevGetCommand } from './cilium-dbg-bpf-lb.js';
import { serviceListCommand } from './cilium-dbg-service-list.js';
import { clusterMeshStatusCommand } from './clustermesh.js';
import { curlCommand, kubectlExecCommand } from './curl.js';
import { bpfEgressListCommand, bpfNatListCommand, kubectlGetIegpCommand } from './egress.js';
import { ipCommand } from './ip-command.js';
import { kubectlGetIpPoolsCommand, kubectlGetSvcCommand } from './kubectl-get.js';
import { kubectlGetIngressCommand } from './ingress.js';
import { kubectlGetBgpNodeConfigsCommand } from './kubectl-get-bgp.js';
import { arpingCommand, bpftoolMapDumpCommand, ciliumDbgShellCommand, ipNeighCommand, kubectlGetL2PoliciesCommand, kubectlGetLeasesCommand, kubectlNsGetLeasesCommand, shCommand } from './l2.js';
import { mainCommand } from './main.js';
import { bpfPolicyGetCommand, hubbleObserveCommand, hubbleObserveNodeCommand, identityListCommand, policyMatrixCommand } from './policy.js';
import { diffCommand, runCommand } from './script.js';
import { traceCommand } from './trace.js';
import { validateCommand } from './validate.js';
import { vtyshCommand } from './vtysh.js';
import {
  agentStatusCommand,
  ciliumConfigViewCommand,
  ciliumStatusCommand,
  endpointListCommand,
  kubectlDescribePodCommand,
  kubectlGetCommand,
} from './workloads.js';

/** Every command the CLI knows. */
export const commands: readonly Command[] = [
  ciliumBgpPeersCommand,
  ciliumBgpRoutesCommand,
  ciliumDbgBgpPeersCommand,
  ciliumDbgBgpRoutePoliciesCommand,
  bpfEndpointListCommand,
  bpfIpcacheListCommand,
  bpfLbListCommand,
  bpfLbMaglevGetCommand,
  serviceListCommand,
  clusterMeshStatusCommand,
  curlCommand,
  kubectlExecCommand,
  bpfEgressListCommand,
  bpfNatListCommand,
  kubectlGetIegpCommand,
  ipCommand,
  kubectlGetSvcCommand,
  kubectlGetIngressCommand,
  kubectlGetIpPoolsCommand,
  kubectlGetBgpNodeConfigsCommand,
  arpingCommand,
  bpftoolMapDumpCommand,
  ciliumDbgShellCommand,
  ipNeighCommand,
  kubectlGetL2PoliciesCommand,
  kubectlGetLeasesCommand,
  kubectlNsGetLeasesCommand,
  shCommand,
  mainCommand,
  bpfPolicyGetCommand,
  hubbleObserveCommand,
  hubbleObserveNodeCommand,
  identityListCommand,
  policyMatrixCommand,
  runCommand,
  diffCommand,
  traceCommand,
  validateCommand,
  vtyshCommand,
  agentStatusCommand,
  ciliumConfigViewCommand,
  ciliumStatusCommand,
  endpointListCommand,
  kubectlDescribePodCommand,
  kubectlGetCommand,
];
