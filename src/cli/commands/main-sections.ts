/**
 * The sections of the main job (`npm start` = `cilium-twin main` on the embedded bgp-lab).
 * Each pipeline stage adds one section (a {@link MainSection}, defined in `main-section.ts`): a
 * title and a function of the loaded lab variants.
 * Keep one line per stage in `mainSections`, in pipeline order.
 *
 * @module
 */
import type { MainSection } from './main-section.js';
import { bgpMainSection } from './bgp-main-section.js';
import { ipRouteMainSection } from './ip-main-section.js';
import { lbMainSection } from './lb-main-section.js';
import { policyMainSection } from './policy-main-section.js';
import { traceMainSection } from './trace-main-section.js';
import { vtyshMainSection } from './vtysh-main-section.js';
import { workloadsMainSection } from './workloads-main-section.js';

export { labTwin, type LabLoader, type MainSection } from './main-section.js';

/** The sections, in pipeline order. */
export const mainSections: readonly MainSection[] = [
  workloadsMainSection,
  bgpMainSection,
  vtyshMainSection,
  ipRouteMainSection,
  lbMainSection,
  traceMainSection,
  policyMainSection,
];
