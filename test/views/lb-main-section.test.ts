import { describe, it, expect } from 'vitest';
import { lbMainSection } from '../../src/cli/commands/lb-main-section.js';
import { loadLab } from '../helpers/lab.js';

describe('main job: LB section', () => {
  it("shows the lab service's LB IP, the pool and k8s-ctr's bpf lb list", () => {
    const out = lbMainSection.render((v) => loadLab(v));
    expect(out).toMatch(/^default\/webpod gets 172\.16\.1\.1 from pool cilium-pool \(cilium\.io\/IPAMRequestSatisfied: True, satisfied\)\n/);
    expect(out).toMatch(/cilium-pool   false      False         253 /);
    expect(out).toMatch(/172\.16\.1\.1:80\/TCP \(0\) +0\.0\.0\.0:0 \(\d+\) \(0\) \[LoadBalancer\]/);
  });
});
