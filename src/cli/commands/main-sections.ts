/**
 * The sections of the main job (`npm start` = `cilium-twin main` on the embedded bgp-lab).
 * Each pipeline stage adds one section: a title and a function of the loaded lab variants.
 * Keep one line per stage in `mainSections`, in pipeline order.
 *
 * @module
 */
import type { Cluster } from '../../cluster/types.js';
import { bgpMainSection } from './bgp-main-section.js';
import { ipRouteMainSection } from './ip-main-section.js';
import { lbMainSection } from './lb-main-section.js';
import { traceMainSection } from './trace-main-section.js';
import { vtyshMainSection } from './vtysh-main-section.js';
import { workloadsMainSection } from './workloads-main-section.js';

/** One section of the main job's report. */
export interface MainSection {
  /** Heading printed above the section. */
  readonly title: string;
  /**
   * Renders the section. `load` builds the cluster of the embedded lab with the given variant
   * file names (e.g. `['webpod-3.yaml', 'lb.yaml']`, relative to `examples/bgp-lab/variants/`).
   */
  render(load: (variants: readonly string[]) => Cluster): string;
}

/** The sections, in pipeline order. */
export const mainSections: readonly MainSection[] = [
  workloadsMainSection,
  bgpMainSection,
  vtyshMainSection,
  ipRouteMainSection,
  lbMainSection,
  traceMainSection,
];
