/**
 * cilium-twin: a digital twin of a Kubernetes cluster networked by Cilium.
 *
 * The pipeline, one stage per folder: input → cluster → ipam → bgp → fib → datapath → packet,
 * and views that render each stage in the real tools' formats.
 *
 * @packageDocumentation
 */

// input: YAML documents → a typed, merged scenario
export type * from './input/types.js';

// cluster: derived facts and configuration defaults
export type * from './cluster/types.js';
