/**
 * No user input ever crashes a command: over generated scenarios, every registered command
 * (cluster ones directly, host ones through `exec HOST --` on a node and on a router, with
 * typical arguments and `-o json` variants) ends with an exit code other than 70 (the
 * dispatcher's "internal error", i.e. an exception escaped) and `runCli` itself never throws.
 * A fuzz of random argv words after each command path must give 0/1/2 or the tool's own exit
 * code (curl's 3, 6, 7, 28, 45; 127 for a tool the host lacks), never 70.
 *
 * Small scenarios by default (~10 s); CLI_ROBUST_RUNS / CLI_ROBUST_FUZZ_RUNS raise the run counts
 * and CLI_ROBUST_BIG=1 draws scenarios of the generator's default sizes (a longer hunt).
 */
import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import * as E from 'fp-ts/lib/Either.js';
import { runCli, EXIT_INTERNAL, type CliEnv } from '../../src/cli/run.js';
import { commands } from '../../src/cli/commands/index.js';
import { readEmbeddedLab } from '../../src/cli/files.js';
import { scenarioArbitrary, toFiles, type GeneratedScenario } from '../../src/arbitraries/index.js';

/** 0 fine, 1 scenario or tool failure, 2 usage; curl's own 3, 6, 7, 28, 45; 127 a tool the host lacks. */
const TOOL_CODES = [0, 1, 2, 3, 6, 7, 28, 45, 127];

const RUNS = Number(process.env.CLI_ROBUST_RUNS ?? 20);
const FUZZ_RUNS = Number(process.env.CLI_ROBUST_FUZZ_RUNS ?? 300);

/** An environment whose scenario files are given in memory. */
function memory(files: readonly { file: string; text: string }[]): CliEnv {
  return {
    version: '9.9.9',
    readFiles: (paths) => {
      const out = files.filter((f) => paths.some((p) => f.file === p || f.file.startsWith(p)));
      return out.length === 0 ? E.left(`the path "${paths[0] ?? ''}" does not exist`) : E.right(out);
    },
    readDefault: () => readEmbeddedLab(),
    defaultName: 'bgp-lab',
  };
}

const small = {
  nodes: { min: 1, max: 3 },
  subnets: { min: 1, max: 2 },
  routers: { min: 1, max: 2 },
  services: { min: 1, max: 3 },
  podsPerService: { min: 0, max: 3 },
  clients: { min: 0, max: 1 },
} as const;

/** The scenario's facts a command line needs: hosts, addresses, ports. */
interface Targets {
  readonly node: string;
  readonly router?: string;
  readonly pod?: string;
  readonly podIP?: string;
  readonly vips: readonly { ip: string; port: number }[];
}

function lbIPs(env: CliEnv): string[] {
  const r = runCli(['-f', 'lab/', '-o', 'json', 'kubectl', 'get', 'svc', '-A'], env, commands);
  if (r.exitCode !== 0) return [];
  try {
    const list = JSON.parse(r.stdout) as { items?: { status?: { loadBalancer?: { ingress?: { ip?: string }[] } } }[] };
    return (list.items ?? []).flatMap((s) => (s.status?.loadBalancer?.ingress ?? []).flatMap((i) => (i.ip !== undefined ? [i.ip] : [])));
  } catch {
    return [];
  }
}

function targets(s: GeneratedScenario, env: CliEnv): Targets {
  const f = s.facts;
  const port = (sv: (typeof f.services)[number]): number => sv.ports[0]?.port ?? 80;
  const vips = [
    ...f.services.flatMap((sv) => (sv.clusterIP !== undefined && sv.clusterIP !== 'None' ? [{ ip: sv.clusterIP, port: port(sv) }] : [])),
    ...f.services.flatMap((sv) => sv.externalIPs.map((ip) => ({ ip, port: port(sv) }))),
    ...f.services.flatMap((sv) =>
      sv.ports.flatMap((p) => (p.nodePort !== undefined && f.nodes[0] !== undefined ? [{ ip: f.nodes[0].internalIP, port: p.nodePort }] : [])),
    ),
    ...lbIPs(env).map((ip) => ({ ip, port: f.services.find((sv) => sv.type === 'LoadBalancer')?.ports[0]?.port ?? 80 })),
  ];
  const pod = f.pods[0];
  return {
    node: f.nodes[0]?.name ?? 'k8s-ctr',
    ...(f.routers[0] !== undefined ? { router: f.routers[0].name } : {}),
    ...(pod !== undefined ? { pod: `${pod.namespace}/${pod.name}`, podIP: pod.ip } : {}),
    vips,
  };
}

/** Typical command lines for every registered command, on the scenario's hosts. */
function typicalLines(t: Targets): string[][] {
  const ip = t.podIP ?? '10.0.0.1';
  const vip = t.vips[0] ?? { ip: '10.96.0.1', port: 443 };
  const lines: string[][] = [
    ['validate'],
    ['-o', 'json', 'validate'],
    ['cilium', 'bgp', 'peers'],
    ['-o', 'json', 'cilium', 'bgp', 'peers'],
    ['cilium', 'bgp', 'peers', '--node', t.node],
    ['cilium', 'bgp', 'routes'],
    ['cilium', 'bgp', 'routes', 'advertised', 'ipv4', 'unicast'],
    ['-o', 'json', 'cilium', 'bgp', 'routes', 'advertised'],
    ['cilium', 'bgp', 'routes', 'available', 'ipv6', 'unicast', '--node', t.node],
    ['kubectl', 'get', 'svc', '-A'],
    ['kubectl', 'get', 'svc', '-A', '-o', 'wide'],
    ['-o', 'json', 'kubectl', 'get', 'svc'],
    ['kubectl', 'get', 'ippools'],
    ['-o', 'json', 'kubectl', 'get', 'ippools'],
    ['kubectl', 'get', 'ciliumbgpnodeconfigs'],
    ['kubectl', 'get', 'ciliumbgpnodeconfigs', '-o', 'yaml'],
    ['-o', 'json', 'kubectl', 'get', 'ciliumbgpnodeconfigs'],
    ['kubectl', 'get', 'leases', '-A'],
    ['kubectl', '-n', 'kube-system', 'get', 'lease', '-o', 'yaml'],
    ['-o', 'json', 'kubectl', 'get', 'leases', '-n', 'kube-system'],
    ['kubectl', 'get', 'l2announcement'],
    ['-o', 'json', 'kubectl', 'get', 'ciliuml2announcementpolicies'],
  ];
  const sources = [t.node, ...(t.router !== undefined ? [t.router] : []), ...(t.pod !== undefined ? [t.pod] : [])];
  for (const v of t.vips.slice(0, 5)) {
    for (const from of sources) {
      lines.push(['trace', '--from', from, '--to', `${v.ip}:${v.port}`]);
      lines.push(['-o', 'json', 'trace', '--from', from, '--to', `${v.ip}:${v.port}/tcp`, '--sport', '40001']);
    }
  }
  if (t.podIP !== undefined) lines.push(['trace', '--from', t.node, '--to', `${t.podIP}:80`]);
  if (t.pod !== undefined) {
    lines.push(['kubectl', 'exec', '-it', '-n', t.pod.split('/')[0]!, t.pod.split('/')[1]!, '--', 'curl', '-s', '--connect-timeout', '1', `${vip.ip}:${vip.port}`]);
  }
  for (const host of [t.node, ...(t.router !== undefined ? [t.router] : [])]) {
    const host_ = (words: string[]): string[] => ['exec', host, '--', ...words];
    lines.push(
      host_(['ip', 'route']),
      host_(['ip', '-j', 'route']),
      host_(['ip', 'route', 'show', 'table', 'all']),
      host_(['ip', 'route', 'get', ip]),
      host_(['ip', '-j', 'route', 'get', vip.ip, 'ipproto', 'tcp', 'sport', '40000', 'dport', String(vip.port)]),
      host_(['ip', 'route', 'get', vip.ip, 'fibmatch']),
      host_(['ip', '-br', 'address']),
      host_(['vtysh', '-c', 'show ip bgp']),
      host_(['vtysh', '-c', 'show ip bgp summary', '-c', 'show running-config']),
      host_(['vtysh', '-c', `show ip bgp ${vip.ip}/32`]),
      host_(['vtysh', '-c', 'show ip route']),
      host_(['cilium-dbg', 'bgp', 'peers']),
      host_(['cilium-dbg', 'bgp', 'route-policies']),
      host_(['cilium-dbg', 'bpf', 'endpoint', 'list']),
      host_(['cilium-dbg', 'bpf', 'ipcache', 'list']),
      host_(['cilium-dbg', 'bpf', 'lb', 'list']),
      host_(['cilium-dbg', 'bpf', 'lb', 'list', '--frontends']),
      host_(['cilium-dbg', 'bpf', 'lb', 'list', '--backends']),
      host_(['cilium-dbg', 'bpf', 'lb', 'list', '--revnat']),
      host_(['cilium-dbg', 'bpf', 'lb', 'maglev', 'get', '1']),
      host_(['cilium-dbg', 'bpf', 'lb', 'maglev', 'get', '2', '--rle']),
      host_(['cilium-dbg', 'bpf', 'lb', 'maglev', 'get', '5', '--rle']),
      host_(['cilium-dbg', 'service', 'list']),
      host_(['curl', '-s', `${vip.ip}:${vip.port}`]),
      host_(['curl', '-s', '--connect-timeout', '1', '--repeat', '5', `http://${vip.ip}:${vip.port}/`]),
      host_(['arping', '-c', '1', vip.ip]),
      host_(['ip', 'neigh']),
      host_(['sh', '-c', `curl -s --connect-timeout 1 ${vip.ip}:${vip.port}; echo "exit $?"; ip neigh show`]),
      host_(['cilium-dbg', 'shell', '--', 'db/show', 'l2-announce']),
      host_(['bpftool', 'map', 'dump', 'name', 'cilium_l2_responder_v4']),
      ['-o', 'json', ...host_(['cilium-dbg', 'bgp', 'peers'])],
      ['-o', 'json', ...host_(['cilium-dbg', 'bpf', 'lb', 'list'])],
      ['-o', 'json', ...host_(['cilium-dbg', 'bpf', 'lb', 'maglev', 'get', '1'])],
      ['-o', 'json', ...host_(['cilium-dbg', 'service', 'list'])],
      ['-o', 'json', ...host_(['cilium-dbg', 'bpf', 'endpoint', 'list'])],
      ['-o', 'json', ...host_(['cilium-dbg', 'bpf', 'ipcache', 'list'])],
      ['-o', 'json', ...host_(['cilium-dbg', 'bgp', 'route-policies'])],
    );
  }
  if (t.pod !== undefined) lines.push(['exec', t.pod, '--', 'curl', '-s', `${vip.ip}:${vip.port}`]);
  return lines;
}

/** Runs a command line; returns a description of the crash, or undefined. */
function crash(argv: readonly string[], env: CliEnv): string | undefined {
  try {
    const r = runCli(argv, env, commands);
    return r.exitCode === EXIT_INTERNAL ? `${JSON.stringify(argv)} -> ${r.stderr ?? ''}` : undefined;
  } catch (e) {
    return `${JSON.stringify(argv)} threw ${String(e)}`;
  }
}

/** `--set` overrides a user might add. */
const SETS = [
  [],
  ['--set', 'bpf-lb-algorithm=maglev'],
  ['--set', 'bpf-lb-mode=dsr'],
  ['--set', 'loadBalancer.mode=hybrid,loadBalancer.algorithm=maglev'],
  ['--set', 'routing-mode=tunnel'],
  ['--set', 'kube-proxy-replacement=false'],
  ['--set', 'bpf-lb-external-clusterip=true'],
  ['--set', 'routing-mode=tunnel,tunnel-protocol=geneve,bpf-lb-mode=dsr'],
  ['--set', 'ipv4-native-routing-cidr=0.0.0.0/0'],
  ['--set', 'enable-bgp-control-plane=false'],
  ['--set', 'bpf-lb-maglev-table-size=7'],
  ['--set', 'nonsense=1'],
  ['--set', 'enable-l2-announcements=true,l2-announcements-lease-duration=3s'],
] as const;

const scenarioWithFiles = fc
  .oneof(scenarioArbitrary(process.env.CLI_ROBUST_BIG ? {} : small), scenarioArbitrary({ ...small, bgp: true, lbIpam: true, lbAlgorithm: 'maglev', maglevTableSizes: [251] }))
  .map((s) => ({ s, files: toFiles(s.documents, { dir: 'lab/' }) }));

describe('the CLI never crashes on a valid scenario', () => {
  test.prop([scenarioWithFiles, fc.constantFrom(...SETS)], { numRuns: RUNS })('typical command lines of every command', ({ s, files }, set) => {
    const env = memory(files);
    const t = targets(s, env);
    const crashes = typicalLines(t)
      .map((line) => crash(['-f', 'lab/', ...set, ...line], env))
      .filter((c): c is string => c !== undefined);
    expect(crashes).toEqual([]);
  });
});

/** Words a user might type (or mistype) after a command. */
const WORDS = [
  '', '-', '--', '-o', 'json', 'yaml', 'wide', '-j', '-p', '-4', '-6', '-br', '-n', '-A', '--node', '-c', '-s', '-it',
  '--rle', '--revnat', '--frontends', '--backends', '--source-ranges', '--repeat', '--interface', '--local-port',
  '--connect-timeout', '--sport', '--from', '--to', '--help-me', 'x', 'abc', '0', '1', '-1', '65536', '4294967296',
  '99999999999999999999', 'NaN', '1e3', '0x10', '1.5', 'route', 'get', 'show', 'list', 'table', 'all', 'local', 'main',
  'from', 'dport', 'sport', 'ipproto', 'fibmatch', 'exact', 'root', 'match', 'dev', 'proto', 'scope', 'type', 'address',
  'addr', 'link', 'neigh', 'peer', 'neighbor', 'vrouter', 'available', 'advertised', 'ipv4', 'ipv6', 'unicast',
  'multicast', 'show ip bgp', 'show ip bgp summary', 'show ip bgp 1.2.3.4', 'show ip bgp 300.1.1.1/40', 'show bgp ipv6',
  'sh ip b su', 'show ip route bgp', 'show', 'show ip', 'show run', 'conf t', 'show ip bgp x/y', '1.2.3.4', '10.0.0.0/8',
  '0.0.0.0/0', '1.2.3.4/33', '256.1.1.1', '::1', '2001:db8::/129', '1.2.3.4:80', '1.2.3.4:0', '1.2.3.4:99999',
  '1.2.3.4:80/sctp', ':80', 'http://', 'http://1.2.3.4:80/x', 'https://[::1]:8080', 'webpod', 'default/webpod',
  'k8s-ctr', 'router', 'eth0', 'lo', 'bgp', 'kernel', 'static', 'connected', 'unreachable', 'blackhole', 'tcp', 'udp',
  'icmp', '17',
];

const word = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...WORDS) },
  { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
  { weight: 1, arbitrary: fc.ipV4() },
  { weight: 1, arbitrary: fc.integer({ min: -5, max: 70000 }).map(String) },
);

/** Deeper prefixes (a command with its first arguments), so the fuzz reaches the argument parsers' inner branches. */
const clusterPrefixes = (host: string, pod: string): string[][] => [
  ['trace', '--from', host, '--to'],
  ['trace', '--from', pod, '--to', '10.96.0.10:53'],
  ['trace', '--to', '1.2.3.4:80', '--from'],
  ['kubectl', 'exec', pod, '--', 'curl'],
  ['kubectl', 'exec', '-n', 'default', pod, '--'],
  ['cilium', 'bgp', 'routes', 'advertised', 'ipv4', 'unicast'],
];
const hostPrefixes: string[][] = [
  ['ip', 'route', 'get'],
  ['ip', '-j', 'route', 'get', '10.10.1.1'],
  ['ip', 'route', 'show'],
  ['ip', 'route', 'list', 'table'],
  ['ip', '-br', 'address', 'show'],
  ['ip', '-4'],
  ['curl', '-s'],
  ['curl', '--repeat'],
  ['cilium-dbg', 'bpf', 'lb', 'maglev', 'get', '1'],
  ['vtysh', '-c'],
];

const clusterPaths = commands.filter((c) => c.scope === 'cluster' && c.path[0] !== 'main').flatMap((c) => [c.path, ...(c.aliases ?? [])]);
const hostPaths = commands.filter((c) => c.scope === 'host').flatMap((c) => [c.path, ...(c.aliases ?? [])]);

describe('the CLI never crashes on random words after a command', () => {
  test.prop([scenarioWithFiles, fc.array(word, { maxLength: 6 }), fc.boolean(), fc.nat(), fc.constantFrom(...SETS)], { numRuns: FUZZ_RUNS })(
    'cluster and host commands with random arguments',
    ({ s, files }, words, json, pick, set) => {
      const env = memory(files);
      const f = s.facts;
      const hosts = [f.nodes[0]?.name ?? 'k8s-ctr', ...f.routers.slice(0, 1).map((r) => r.name), ...f.pods.slice(0, 1).map((p) => p.name), 'no-such-host'];
      const pod = f.pods[0] !== undefined ? `${f.pods[0].namespace}/${f.pods[0].name}` : 'no-pod';
      const pre = [...(json ? ['-f', 'lab/', '-o', 'json'] : ['-f', 'lab/']), ...set];
      const cp = clusterPaths[pick % clusterPaths.length]!;
      const hp = hostPaths[pick % hostPaths.length]!;
      const host = hosts[pick % hosts.length]!;
      const lines = [
        [...pre, ...cp, ...words],
        [...pre, 'exec', host, '--', ...hp, ...words],
        [...pre, 'exec', hosts[1]!, '--', 'vtysh', '-c', words.join(' ')],
        [...pre, ...clusterPrefixes(host, pod)[pick % 6]!, ...words],
        [...pre, 'exec', host, '--', ...hostPrefixes[pick % hostPrefixes.length]!, ...words],
      ];
      for (const l of lines) {
        let code: number;
        try {
          code = runCli(l, env, commands).exitCode;
        } catch (e) {
          throw new Error(`${JSON.stringify(l)} threw ${String(e)}`);
        }
        expect(TOOL_CODES, `${JSON.stringify(l)} exited ${code}: ${crash(l, env) ?? ''}`).toContain(code);
      }
    },
  );
});

/** Words of the global command line: options, command paths, hosts. */
const GLOBAL_WORDS = [
  '-f', '--filename', 'lab/', 'lab/scenario.yaml', 'missing.yaml', '-', '--set', 'bpf-lb-algorithm=maglev', 'a=b', '=', '-o', 'json',
  'yaml', '-h', '--help', 'help', '--version', 'exec', '--', 'k8s-ctr', 'router', 'nobody', 'main',
  ...new Set(commands.flatMap((c) => [c.path, ...(c.aliases ?? [])]).flat()),
];

describe('the CLI never crashes on a random command line', () => {
  test.prop([scenarioWithFiles, fc.array(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...GLOBAL_WORDS) }, { weight: 1, arbitrary: word }), { maxLength: 8 })], {
    numRuns: FUZZ_RUNS,
  })('any words, -f first or not', ({ files }, words) => {
    const env = memory(files);
    for (const argv of [words, ['-f', 'lab/', ...words]]) {
      if (argv.includes('main')) continue; // main runs the whole embedded lab: tested once below
      let code: number;
      try {
        code = runCli(argv, env, commands).exitCode;
      } catch (e) {
        throw new Error(`${JSON.stringify(argv)} threw ${String(e)}`);
      }
      expect(TOOL_CODES, `${JSON.stringify(argv)} exited ${code}: ${crash(argv, env) ?? ''}`).toContain(code);
    }
  });
});

describe('main', () => {
  test.prop([fc.constantFrom([] as string[], ['-o', 'json'], ['--set', 'bpf-lb-algorithm=maglev'])], { numRuns: 1 })(
    'runs on the embedded lab without crashing',
    (pre) => {
      const env = memory([]);
      expect(crash([...pre, 'main'], env)).toBeUndefined();
    },
  );
});
