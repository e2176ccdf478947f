/**
 * Runs a script: each command in turn on the scenario's documents. A change (see
 * {@link classify}) makes new documents and the twin is rebuilt from them; a question is
 * answered by the injected {@link ScriptEnv} (the CLI's own commands on the current twin). The
 * output, after the `|` filters, is compared with the expected lines; the first difference is a
 * unified diff headed `SCRIPT:LINE` and stops the run. With `update`, every block is rewritten
 * with what the twin printed instead.
 *
 * Errors (malformed script, unknown filter, unsupported change, a change that leaves the
 * scenario broken) stop the run with `SCRIPT:LINE: message`; nothing after them runs.
 *
 * Cost: one twin build per change; a question costs what the command costs.
 *
 * @module
 */
import { ciliumConfigChange, helmChange } from './config.js';
import type { ChangeContext, ChangeResult } from './change.js';
import { unifiedDiff } from './diff-text.js';
import type { Documents } from './documents.js';
import { parseFilter } from './filters.js';
import { hostChange, readSysctl } from './host.js';
import { kubectlChange } from './kubectl.js';
import { type ExpectedLine, type Script, formatScriptError, textLines } from './parse.js';
import { splitPipeline } from './shell.js';

/**
 * What a command prints and its exit code.
 *
 * @example
 * const r: Output = { stdout: 'service/webpod patched\n', stderr: '', exitCode: 0 };
 */
export interface Output {
  /** Standard output. */
  readonly stdout: string;
  /** Standard error. */
  readonly stderr?: string;
  /** Exit code. */
  readonly exitCode: number;
}

/**
 * What the runner needs from outside: building the twin of documents and answering questions
 * on it (the CLI gives its own command table), and reading files that are not sections.
 *
 * @example
 * ```ts
 * const env: ScriptEnv<Cluster> = {
 *   load: (docs) => { const r = decodeDocuments(docs); return r._tag === 'Right' ? { ok: true, state: buildCluster(r.right) } : { ok: false, errors: '…' }; },
 *   ask: (cluster, words) => runQuestion(cluster, words),
 * };
 * ```
 */
export interface ScriptEnv<S> {
  /** Builds the twin of the documents, or says why the scenario is refused. */
  load(docs: Documents): { ok: true; state: S } | { ok: false; errors: string };
  /** Answers a question: the words of the command (`kubectl get svc`, `exec router -- ip route`). */
  ask(state: S, words: readonly string[]): Output;
  /** Reads a file named by `kubectl apply -f PATH` that is not a section of the script. */
  readonly readFile?: ChangeContext['readFile'];
}

/**
 * Options of a run.
 *
 * @example
 * runScript(script, docs, env, { update: true }).updated; // the script with new outputs
 */
export interface RunOptions {
  /** Rewrite the expected outputs with what the twin prints. */
  readonly update?: boolean;
}

/**
 * What one step did.
 *
 * @example
 * const s: StepOutcome = { line: 3, command: 'kubectl get svc', kind: 'question', output: 'NAME …\n', exitCode: 0, passed: true };
 */
export interface StepOutcome {
  /** The command's line. */
  readonly line: number;
  /** The command. */
  readonly command: string;
  /** A change to the scenario or a question about it. */
  readonly kind: 'change' | 'question';
  /** What it printed (filtered standard output, then standard error). */
  readonly output: string;
  /** Its exit code. */
  readonly exitCode: number;
  /** Whether its expectations held (true when it had none). */
  readonly passed: boolean;
}

/**
 * The result of a run.
 *
 * @example
 * const r = runScript(script, docs, env);
 * // the CLI prints r.stdout and exits with r.exitCode
 */
export interface ScriptResult {
  /** 0 when every expectation held, 1 otherwise (a difference or an error). */
  readonly exitCode: 0 | 1;
  /** Outputs of commands without expected lines (each after its `$ COMMAND` line). */
  readonly stdout: string;
  /** The difference or the error, located `SCRIPT:LINE`. */
  readonly stderr: string;
  /** With `update`: the script's new text (undefined when the run stopped on an error). */
  readonly updated?: string;
  /** What each step that ran did. */
  readonly steps: readonly StepOutcome[];
  /** The documents after the last step that ran. */
  readonly documents: Documents;
}

/**
 * Whether a command's words are a change, and which: the change's result, or `undefined` for a
 * question.
 *
 * @example
 * classify(docs, ['kubectl', 'get', 'svc'], ctx); // undefined (a question)
 */
export function classify(docs: Documents, words: readonly string[], ctx: ChangeContext): ChangeResult | undefined {
  const ws = words[0] === 'sudo' ? words.slice(1) : words;
  const [tool, ...rest] = ws;
  if (tool === 'kubectl' || tool === 'k') {
    // global flags before the verb (kubectl -n kube-system rollout restart ds/cilium)
    const moved: string[] = [];
    let i = 0;
    while (i < rest.length && (rest[i] === '-n' || rest[i] === '--namespace')) {
      moved.push(rest[i]!, rest[i + 1] ?? '');
      i += 2;
    }
    return kubectlChange(docs, [...rest.slice(i), ...moved], ctx);
  }
  if (tool === 'exec' && rest[0] !== undefined) {
    const host = rest[0];
    const inside = rest[1] === '--' ? rest.slice(2) : rest.slice(1);
    return hostChange(docs, host, inside);
  }
  if (tool === 'cilium' && rest[0] === 'config') return ciliumConfigChange(docs, rest.slice(1));
  if (tool === 'helm') return helmChange(docs, rest);
  return undefined;
}

function matches(e: ExpectedLine, got: string): boolean {
  return e.kind === 'literal' ? e.text.trimEnd() === got : new RegExp(`^(?:${e.text})$`).test(got);
}

function trimTrailingBlank(lines: string[]): string[] {
  const out = [...lines];
  while (out.length > 0 && out[out.length - 1]!.trim() === '') out.pop();
  return out;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** An output line as an expected line: literal unless the script would read it as something else. */
function asExpectedLine(line: string): string {
  if (line.startsWith('#') || line.startsWith('$ ') || line === '$' || /^-- \S(.*\S)? --$/.test(line)) return `# match: ${escapeRegExp(line)}`;
  return line;
}

/**
 * Runs a parsed script from the given documents.
 *
 * @example
 * ```ts
 * const p = parseScript('etp.script', text);
 * if (p.ok) {
 *   const r = runScript(p.script, docs, env);
 *   r.exitCode; // 0 when every expectation held
 * }
 * ```
 */
export function runScript<S>(script: Script, initial: Documents, env: ScriptEnv<S>, options: RunOptions = {}): ScriptResult {
  let docs = initial;
  const steps: StepOutcome[] = [];
  let stdout = '';
  const replacements: { start: number; end: number; lines: string[] }[] = [];
  const stop = (line: number, message: string): ScriptResult => ({
    exitCode: 1,
    stdout,
    stderr: `${formatScriptError({ file: script.name, line, message })}\n`,
    steps,
    documents: docs,
  });
  const first = env.load(docs);
  if (!first.ok) return stop(1, `the scenario given with -f is refused:\n${first.errors}`);
  let state = first.state;
  let failed = false;
  let firstDiff = '';
  for (const [n, step] of script.steps.entries()) {
    const p = splitPipeline(step.command);
    if (!p.ok) return stop(step.line, p.error);
    const [words, ...filterWords] = p.pipeline;
    const filters = [];
    for (const f of filterWords) {
      const parsed = parseFilter(f);
      if (typeof parsed === 'string') return stop(step.line, parsed);
      filters.push(parsed);
    }
    const ctx: ChangeContext = {
      files: script.files,
      fileOrigin: (name) => {
        const line = script.fileLines.get(name);
        return line === undefined ? undefined : { script: script.name, line };
      },
      step: n + 1,
      ...(env.readFile ? { readFile: env.readFile } : {}),
    };
    const change = classify(docs, words!, ctx);
    let out: Output;
    let kind: 'change' | 'question';
    if (change !== undefined) {
      kind = 'change';
      if (change.kind === 'unsupported') return stop(step.line, `unsupported change: ${change.message}`);
      out = change;
      if (change.exitCode === 0 && change.docs !== docs) {
        const loaded = env.load(change.docs);
        if (!loaded.ok) return stop(step.line, `the change leaves the scenario broken; nothing after it runs:\n${loaded.errors}`);
        docs = change.docs;
        state = loaded.state;
      }
    } else {
      kind = 'question';
      const ws = words![0] === 'sudo' ? words!.slice(1) : words!;
      const sysctlRead = ws[0] === 'exec' && ws[1] !== undefined ? (ws[2] === '--' ? ws.slice(3) : ws.slice(2)) : undefined;
      if (sysctlRead?.[0] === 'sysctl') {
        const r = readSysctl(docs, ws[1]!, sysctlRead.slice(1));
        if (!r.ok) return stop(step.line, r.error);
        out = { stdout: r.text, exitCode: 0 };
      } else out = env.ask(state, ws);
      if (out.exitCode === 2 && /unknown command|which command|unknown option|runs inside a host/.test(out.stderr ?? '')) {
        return stop(step.line, (out.stderr ?? '').trim().split('\n')[0]!.replace(/^cilium-twin: /, ''));
      }
    }
    let text = out.stdout;
    for (const f of filters) text = f(text);
    const output = `${text}${out.stderr ?? ''}`;
    // trailing white space is invisible and editors drop it: lines compare without it
    const got = trimTrailingBlank(textLines(output).map((l) => l.trimEnd()));
    const exitOk = step.negate ? out.exitCode !== 0 : out.exitCode === 0;
    const expected = step.expected;
    const same = expected.length === got.length && expected.every((e, i) => matches(e, got[i]!));
    const passed = exitOk && (expected.length === 0 || same);
    steps.push({ line: step.line, command: step.command, kind, output, exitCode: out.exitCode, passed });
    if (expected.length === 0 && !options.update && output !== '' && exitOk) stdout += `$ ${step.negate ? '! ' : ''}${step.command}\n${output}`;
    if (options.update) {
      if (!same) replacements.push({ start: step.blockStart, end: step.blockEnd, lines: got.map(asExpectedLine) });
      if (!exitOk) return stop(step.line, exitMessage(step.negate, out, output));
      continue;
    }
    if (!exitOk) {
      return { ...stop(step.line, exitMessage(step.negate, out, output)) };
    }
    if (expected.length > 0 && !same && !failed) {
      failed = true;
      firstDiff =
        `${script.name}:${step.line}: output differs: $ ${step.command}\n` +
        unifiedDiff(
          expected.map((e) => (e.kind === 'match' ? `# match: ${e.text}` : e.text)),
          got,
          (i, j) => matches(expected[i]!, got[j]!),
          { from: `${script.name}:${step.line} (expected)`, to: `${script.name}:${step.line} (got)`, fromStart: step.blockStart + 1 },
        );
      return { exitCode: 1, stdout, stderr: firstDiff, steps, documents: docs };
    }
  }
  if (options.update) {
    const lines = [...script.lines];
    for (const r of [...replacements].sort((a, b) => b.start - a.start)) lines.splice(r.start, r.end - r.start, ...r.lines);
    return { exitCode: 0, stdout, stderr: '', updated: lines.length === 0 ? '' : `${lines.join('\n')}\n`, steps, documents: docs };
  }
  return { exitCode: failed ? 1 : 0, stdout, stderr: firstDiff, steps, documents: docs };
}

function exitMessage(negate: boolean, out: Output, output: string): string {
  const shown = output.trimEnd();
  if (negate) return `the command succeeded, but "$ !" expects it to fail${shown !== '' ? `:\n${shown}` : ''}`;
  return `the command exited ${out.exitCode}${shown !== '' ? `:\n${shown}` : ''}\n(write "$ ! COMMAND" when a failure is what the lab shows)`;
}
