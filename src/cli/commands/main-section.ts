/**
 * What a section of the main job is: a title and a renderer of the embedded lab's variants, and
 * the loader it is given. Sections import this module; `main-sections.ts` lists them (so no
 * import circle).
 *
 * @module
 */
import type { Cluster } from '../../cluster/types.js';
import { createTwin, type Twin } from '../../twin/twin.js';

/**
 * Loads the embedded lab with variant file names (e.g. `['webpod-3.yaml', 'lb.yaml']`, relative
 * to `examples/bgp-lab/variants/`): `load(variants)` gives its cluster, `labTwin(load, variants)` its
 * twin (the main job keeps one twin per variant list, so sections share their stages).
 *
 * @example
 * const twin = labTwin(load, ['webpod-3.yaml', 'lb.yaml']);
 * twin.fib('router')?.main.length;
 */
export interface LabLoader {
  /** The cluster of the lab with these variants (`twin(variants).cluster`). */
  (variants: readonly string[]): Cluster;
  /** The twin of the lab with these variants (read it with {@link labTwin}). */
  readonly twin?: (variants: readonly string[]) => Twin;
}

/**
 * The twin of the lab with these variants: `load.twin(variants)`, or for a bare cluster loader
 * (tests), a twin of `load(variants)`.
 *
 * @example
 * const twin = labTwin(load, ['webpod-3.yaml', 'lb.yaml']);
 */
export function labTwin(load: LabLoader, variants: readonly string[]): Twin {
  return load.twin !== undefined ? load.twin(variants) : createTwin(load(variants));
}

/** One section of the main job's report. */
export interface MainSection {
  /** Heading printed above the section. */
  readonly title: string;
  /** Renders the section from the embedded lab's variants (ask `labTwin(load, variants)` for their stages). */
  render(load: LabLoader): string;
}

