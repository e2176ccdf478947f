import { describe, it, expect } from 'vitest';
import { loadLab } from '../helpers/lab.js';

describe('lab smoke', () => {
  it('loads', () => {
    const c = loadLab(['webpod-3.yaml', 'lb.yaml']);
    expect(c.scenario.nodes.map((n) => n.meta.name)).toEqual(['k8s-ctr', 'k8s-w0', 'k8s-w1']);
    expect(c.hosts.map((h) => h.meta.name)).toEqual(['k8s-ctr', 'k8s-w0', 'k8s-w1', 'router']);
    expect(c.endpointSlices[0]!.endpoints.length).toBe(3);
    expect(c.config.routingMode).toBe('native');
    expect(c.warnings).toEqual([]);
  });
});
