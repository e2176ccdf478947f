import { describe, expect, it } from 'vitest';
import { run, labDocuments } from './helpers.js';

const base = labDocuments(['webpod-2.yaml', 'pod-routes.yaml', 'lb.yaml']);

describe('runScript', () => {
  it('passes when every expectation holds, exact or by # match:', () => {
    const r = run(
      [
        '$ kubectl patch service webpod -p \'{"spec":{"externalTrafficPolicy":"Local"}}\'',
        'service/webpod patched',
        '$ exec router -- ip route | grep -A2 \'^172.16.1.1\'',
        '# match: 172\\.16\\.1\\.1 nhid \\d+ proto bgp metric 20',
        '	nexthop via 192.168.10.101 dev eth1 weight 1',
        '	nexthop via 192.168.20.100 dev eth2 weight 1',
        '$ exec router -- curl -s 172.16.1.1 | grep RemoteAddr | awk \'{print $2}\'',
        '192.168.10.200:40000',
      ].join('\n'),
      base,
    );
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.steps.map((s) => s.kind)).toEqual(['change', 'question', 'question']);
  });

  it('shows the first difference as a unified diff headed SCRIPT:LINE and stops there', () => {
    const r = run(
      ['# eTP Cluster', '$ exec router -- curl -s 172.16.1.1 | grep -E "Hostname|RemoteAddr"', 'Hostname: webpod-697b545f57-hhjqw', 'RemoteAddr: 192.168.10.200:40000', '$ kubectl get svc'].join('\n'),
      base,
      {},
      'etp.script',
    );
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe(
      [
        'etp.script:2: output differs: $ exec router -- curl -s 172.16.1.1 | grep -E "Hostname|RemoteAddr"',
        '--- etp.script:2 (expected)',
        '+++ etp.script:2 (got)',
        '@@ -3,2 +1,2 @@',
        ' Hostname: webpod-697b545f57-hhjqw',
        '-RemoteAddr: 192.168.10.200:40000',
        '+RemoteAddr: 192.168.10.100:40000',
        '',
      ].join('\n'),
    );
    expect(r.steps).toHaveLength(1);
  });

  it('prints commands without expected lines', () => {
    const r = run('$ kubectl get svc webpod | awk \'{print $4}\'\n', base);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe("$ kubectl get svc webpod | awk '{print $4}'\nEXTERNAL-IP\n172.16.1.1\n");
  });

  it('checks exit codes: a failure needs "$ !", and "$ !" needs a failure', () => {
    const noBackend = '$ kubectl delete pod webpod-697b545f57-hhjqw webpod-697b545f57-8d2xs\n';
    expect(run(`${noBackend}$ ! exec router -- curl -s -m 1 172.16.1.1\n`, base).exitCode).toBe(0);
    const r = run(`${noBackend}$ exec router -- curl -s -m 1 172.16.1.1\n$ kubectl get svc\n`, base, {}, 's');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/^s:2: the command exited \d+/);
    expect(r.steps).toHaveLength(2);
    expect(run('$ ! kubectl get svc\n', base, {}, 's').stderr).toMatch(/^s:1: the command succeeded, but "\$ !" expects it to fail/);
  });

  it('stops on bad input with the file and line; nothing after it runs', () => {
    const cases: [string, RegExp][] = [
      ['$ kubectl get svc\n$ kubectl frobnicate svc\n$ kubectl get svc\n', /^t:2: unknown command "kubectl frobnicate svc"/],
      ['$ kubectl get svc\n$ kubectl get svc | sed s/a/b/\n', /^t:2: unknown filter "sed"/],
      ['$ kubectl get svc\n$ exec router -- ip link set eth1 down\n$ kubectl get svc\n', /^t:2: unsupported change: ip link set: the model has no link state/],
      ['$ kubectl patch svc webpod -p \'{"spec":{"ports":[{"port":80,"protocol":"FOO"}]}}\'\n$ kubectl get svc\n', /^t:1: the change leaves the scenario broken; nothing after it runs:\n.*protocol/],
      ['$ exec router -- vtysh -c "conf t" -c "router bgp 65000" -c "bgp frobnicate"\n', /^t:1: unsupported change: FRR line "bgp frobnicate" is not modelled/],
      ["$ kubectl get svc 'x\n", /^t:1: unclosed single quote/],
    ];
    for (const [text, message] of cases) {
      const r = run(text, base, {}, 't');
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.steps.length).toBeLessThan(text.split('\n').filter((l) => l.startsWith('$')).length);
    }
  });

  it('a malformed section: the script line inside the section, and nothing after it runs', () => {
    const r = run(['$ kubectl apply -f bad.yaml', '$ kubectl get svc', '', '-- bad.yaml --', 'apiVersion: v1', 'kind: Service', 'metadata: {name: x', ''].join('\n'), base, {}, 'm.script');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/^m\.script:1: the command exited 1:\nerror: m\.script:\d+: section bad\.yaml: /);
    expect(r.steps).toHaveLength(1);
  });

  it('--update rewrites blocks that do not hold, keeps those that do, then the script passes', () => {
    const text = [
      '# lab',
      '$ kubectl label nodes k8s-w0 enable-bgp-',
      'stale line',
      '',
      '$ exec router -- vtysh -c "show ip bgp 172.16.1.1/32" | grep Paths',
      '# match: Paths: \\(\\d available, best #1, table default\\)',
      '$ kubectl get svc webpod',
      '# the end',
    ].join('\n');
    const u = run(text, base, { update: true });
    expect(u.exitCode).toBe(0);
    expect(u.updated).toBe(
      [
        '# lab',
        '$ kubectl label nodes k8s-w0 enable-bgp-',
        'node/k8s-w0 unlabeled',
        '',
        '$ exec router -- vtysh -c "show ip bgp 172.16.1.1/32" | grep Paths',
        '# match: Paths: \\(\\d available, best #1, table default\\)',
        '$ kubectl get svc webpod',
        'NAME     TYPE           CLUSTER-IP      EXTERNAL-IP   PORT(S)        AGE',
        'webpod   LoadBalancer   10.96.252.129   172.16.1.1    80:31726/TCP   <unknown>',
        '# the end',
        '',
      ].join('\n'),
    );
    expect(run(u.updated!, base).exitCode).toBe(0);
  });

  it('reads file sections and sysctl from the documents', () => {
    const r = run(
      [
        '$ kubectl apply -f pool.yaml',
        'ciliumloadbalancerippool.cilium.io/pool-2 created',
        '$ kubectl get ippools | awk \'{print $1, $4}\'',
        'NAME IPS',
        'cilium-pool 253',
        'pool-2 16',
        '$ exec router -- sysctl net.ipv4.fib_multipath_hash_policy',
        'net.ipv4.fib_multipath_hash_policy = 0',
        '-- pool.yaml --',
        'apiVersion: cilium.io/v2',
        'kind: CiliumLoadBalancerIPPool',
        'metadata: {name: pool-2}',
        'spec:',
        '  blocks: [{cidr: 172.16.2.0/28}]',
      ].join('\n'),
      base,
    );
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
  });
});
