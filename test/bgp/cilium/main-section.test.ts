import { describe, it, expect } from 'vitest';
import { loadLab } from '../../helpers/lab.js';
import { bgpMainSection } from '../../../src/cli/commands/bgp-main-section.js';

describe('main job: Cilium BGP section', () => {
  it('shows every node advertising its pod CIDR and 172.16.1.1/32 to the router', () => {
    const out = bgpMainSection.render((v) => loadLab([...v]));
    for (const [node, cidr, nh] of [
      ['k8s-ctr', '172.20.0.0/24', '192.168.10.100'],
      ['k8s-w0', '172.20.2.0/24', '192.168.20.100'],
      ['k8s-w1', '172.20.1.0/24', '192.168.10.101'],
    ] as const) {
      expect(out).toMatch(new RegExp(`${node}\\s+65001\\s+192\\.168\\.10\\.200\\s+172\\.16\\.1\\.1/32\\s+${nh.replaceAll('.', '\\.')}`));
      expect(out).toContain(`${cidr}   ${nh}`);
    }
    expect(out).toContain('tor-switch-ipv4-Service-webpod-default-LoadBalancerIP');
  });
});
