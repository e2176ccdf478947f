/**
 * Lab sessions as scripts, and what-if. A script is a lab's notes as text: commands in the
 * lab's words with the output expected under each, and file sections its commands name
 * ({@link parseScript}); {@link runScript} runs it on a scenario's documents, every change a
 * pure function from documents to documents ({@link classify}), every question answered by the
 * CLI's own commands on the twin rebuilt after each change. {@link whatIf} compares two
 * scenarios stage by stage.
 *
 * ```ts
 * import { parseScript, runScript } from 'cilium-twin/script';
 * const p = parseScript('etp.script', text);
 * if (p.ok) runScript(p.script, documents, env).exitCode; // 0 when every expectation held
 * ```
 *
 * @module
 */
export { parseScript, formatScriptError, textLines, type Script, type ScriptStep, type ExpectedLine, type ScriptError } from './parse.js';
export { splitPipeline, shellQuote, type Pipeline } from './shell.js';
export { parseFilter, type Filter } from './filters.js';
export { unifiedDiff, type DiffOptions } from './diff-text.js';
export {
  type Documents,
  type Obj,
  type ResourceType,
  RESOURCE_TYPES,
  resourceType,
  identityOf,
  objectRef,
  normalizeDocuments,
  upsertDocument,
  findDocument,
  withValue,
  withoutDocument,
  isObj,
  clone,
  deepEqual,
} from './documents.js';
export { jsonMergePatch, strategicMergePatch, jsonPatch } from './patch.js';
export { type ChangeContext, type ChangeResult, done, refused, unsupported } from './change.js';
export { kubectlChange, KUBECTL_CHANGES, restartTime } from './kubectl.js';
export { hostChange, frrConfigure, readSysctl, SYSCTL_KEYS } from './host.js';
export { ciliumConfigChange, helmChange } from './config.js';
export { runScript, classify, type ScriptEnv, type RunOptions, type ScriptResult, type StepOutcome, type Output } from './run.js';
export {
  whatIf,
  whatIfFacts,
  diffFacts,
  defaultFlows,
  parseFlows,
  renderWhatIf,
  WHATIF_STAGES,
  type WhatIfStage,
  type WhatIfChange,
  type Fact,
  type Flow,
} from './whatif.js';
