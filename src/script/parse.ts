/**
 * The script format: a lab session as text, archive-like (Go's txtar, Cilium's script tests).
 *
 * ```text
 * # comment lines start with '#'
 * $ kubectl apply -f lb.yaml          <- a command, in the lab's words
 * service/webpod configured           <- the output the user expects, line by line
 * # match: webpod-[a-z0-9]+-[a-z0-9]{5}   <- an expected line given as a regular expression
 *
 * $ ! exec router -- curl -s -m 1 10.96.252.129    <- '!': the command is expected to fail
 *
 * -- lb.yaml --                       <- a file section, named by commands (kubectl apply -f lb.yaml)
 * apiVersion: v1
 * ...
 * ```
 *
 * Rules:
 * - A `$ ` line is a command; a command ending in ` \` continues on the next line.
 * - The lines under a command, up to the next command, section header or comment line, are its
 *   expected output; trailing blank lines do not count. Blank lines inside the block do. Lines
 *   compare without their trailing white space (invisible, and editors drop it).
 *   `# match: REGEXP` is an expected line that matches any output line the whole of which
 *   `REGEXP` matches; any other `#` line is a comment and ends the block.
 * - `-- NAME --` starts a file section; it runs to the next section header or command line.
 *   Sections are visible to every command of the script, wherever they are.
 * - Any other line outside a block or section is an error (a malformed script).
 *
 * Cost: linear in the script's length.
 *
 * @module
 */

/**
 * One expected line: literal text, or a regular expression (`# match: REGEXP`).
 *
 * @example
 * const e: ExpectedLine = { kind: 'match', text: 'webpod-[a-z0-9-]+', line: 7 };
 */
export interface ExpectedLine {
  /** `literal`: compared exactly; `match`: a regular expression matched against the whole line. */
  readonly kind: 'literal' | 'match';
  /** The text, or the regular expression's source. */
  readonly text: string;
  /** Line number in the script (from 1). */
  readonly line: number;
}

/**
 * One command of a script with its expected output.
 *
 * @example
 * const s: ScriptStep = { line: 3, command: 'kubectl get svc', negate: false, expected: [], blockStart: 4, blockEnd: 4 };
 */
export interface ScriptStep {
  /** Line number of the `$` line (from 1). */
  readonly line: number;
  /** The command text (continuations joined, without `$ ` and `!`). */
  readonly command: string;
  /** `$ ! COMMAND`: the command is expected to exit non-zero. */
  readonly negate: boolean;
  /** Expected output lines (empty: the output is printed, not compared). */
  readonly expected: readonly ExpectedLine[];
  /** Line index (from 0) where the expected block starts (the line after the command). */
  readonly blockStart: number;
  /** Line index (from 0) one past the expected block's last non-blank line. */
  readonly blockEnd: number;
}

/**
 * A parsed script: its lines, steps and file sections.
 *
 * @example
 * const s = parseScript('lab.script', text);
 * if (s.ok) s.script.steps.length;
 */
export interface Script {
  /** The script's name (for messages). */
  readonly name: string;
  /** The script's lines (without line terminators). */
  readonly lines: readonly string[];
  /** The commands in order. */
  readonly steps: readonly ScriptStep[];
  /** File sections by name. */
  readonly files: ReadonlyMap<string, string>;
  /** Line (from 1) of each file section's first content line, for messages. */
  readonly fileLines: ReadonlyMap<string, number>;
}

/**
 * A located error in a script: `SCRIPT:LINE: message`.
 *
 * @example
 * const e: ScriptError = { file: 'lab.script', line: 4, message: 'unknown command "kubectl frob"' };
 */
export interface ScriptError {
  /** The script's name. */
  readonly file: string;
  /** The line (from 1). */
  readonly line: number;
  /** What is wrong. */
  readonly message: string;
}

/**
 * Formats a script error as one line.
 *
 * @example
 * formatScriptError({ file: 'a.script', line: 3, message: 'unclosed single quote' }); // 'a.script:3: unclosed single quote'
 */
export function formatScriptError(e: ScriptError): string {
  return `${e.file}:${e.line}: ${e.message}`;
}

const SECTION = /^-- (\S(?:.*\S)?) --$/;
const MATCH = /^# match: ?(.*)$/;

/**
 * Splits text into lines (`\n` or `\r\n`); a final newline does not start another line.
 *
 * @example
 * textLines('a\nb\n'); // ['a', 'b']
 */
export function textLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * Parses a script. Regular expressions of `# match:` lines are checked here.
 *
 * @example
 * ```ts
 * const r = parseScript('etp.script', '$ kubectl get svc\nNAME ...\n');
 * if (r.ok) r.script.steps[0]?.command; // 'kubectl get svc'
 * ```
 */
export function parseScript(name: string, text: string): { ok: true; script: Script } | { ok: false; error: ScriptError } {
  const lines = textLines(text);
  const steps: ScriptStep[] = [];
  const files = new Map<string, string>();
  const fileLines = new Map<string, number>();
  const err = (i: number, message: string): { ok: false; error: ScriptError } => ({ ok: false, error: { file: name, line: i + 1, message } });
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    const section = SECTION.exec(line);
    if (section) {
      const fileName = section[1]!;
      if (files.has(fileName)) return err(i, `file section "${fileName}" is given twice`);
      let j = i + 1;
      while (j < lines.length && !SECTION.test(lines[j]!) && !lines[j]!.startsWith('$ ') && lines[j] !== '$') j++;
      files.set(fileName, lines.slice(i + 1, j).map((l) => `${l}\n`).join(''));
      fileLines.set(fileName, i + 2);
      i = j;
      continue;
    }
    if (line.startsWith('$')) {
      const start = i;
      let command = line.slice(1);
      if (command !== '' && !command.startsWith(' ')) return err(i, `expected "$ COMMAND", got ${JSON.stringify(line)}`);
      command = command.trim();
      while (command.endsWith('\\') && i + 1 < lines.length) {
        i++;
        command = `${command.slice(0, -1).trimEnd()} ${lines[i]!.trim()}`;
      }
      if (command.endsWith('\\')) return err(i, 'a continued command ends the script');
      let negate = false;
      if (command === '!' || command.startsWith('! ')) {
        negate = true;
        command = command.slice(1).trim();
      }
      if (command === '') return err(start, 'empty command');
      const blockStart = i + 1;
      let j = blockStart;
      const expected: ExpectedLine[] = [];
      let lastNonBlank = blockStart;
      while (j < lines.length) {
        const l = lines[j]!;
        if (l.startsWith('$ ') || l === '$' || SECTION.test(l)) break;
        const m = MATCH.exec(l);
        if (m) {
          try {
            new RegExp(m[1]!);
          } catch (e) {
            return err(j, `bad regular expression: ${e instanceof Error ? e.message : String(e)}`);
          }
          expected.push({ kind: 'match', text: m[1]!, line: j + 1 });
          lastNonBlank = j + 1;
        } else if (l.startsWith('#')) break;
        else {
          expected.push({ kind: 'literal', text: l, line: j + 1 });
          if (l.trim() !== '') lastNonBlank = j + 1;
        }
        j++;
      }
      // trailing blank lines are not expected output
      while (expected.length > 0 && expected[expected.length - 1]!.kind === 'literal' && expected[expected.length - 1]!.text.trim() === '') expected.pop();
      steps.push({ line: start + 1, command, negate, expected, blockStart, blockEnd: expected.length > 0 ? lastNonBlank : blockStart });
      i = j;
      continue;
    }
    if (line.startsWith('#') || line.trim() === '') {
      i++;
      continue;
    }
    return err(i, `expected a comment, "$ COMMAND" or "-- NAME --", got ${JSON.stringify(line)}`);
  }
  return { ok: true, script: { name, lines, steps, files, fileLines } };
}
