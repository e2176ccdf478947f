/**
 * The twin: the composition root of the pipeline. `loadScenario(files)` decodes a scenario into a
 * {@link Twin} (or every located error); the twin computes each stage on first use and keeps it.
 *
 * ```ts
 * import { loadScenario } from 'cilium-twin/twin';
 * ```
 *
 * @module
 */
export { createTwin, createMeshTwins, type Twin } from './twin.js';
export { loadScenario, loadScenarioDocuments, type LoadError, type ScenarioFile } from './load.js';
export { memoKey, type MemoKey } from './memo.js';
export { LazyMap } from './lazy.js';
