/**
 * The shell words of a script command: quoting as `sh` reads it (single quotes, double quotes
 * with `\"` and `\\`, backslash escapes outside quotes) and the pipeline split on unquoted `|`.
 * No variables, globbing, redirections or command substitution: a script line is a lab
 * command, not a program.
 *
 * Cost: linear in the line's length.
 *
 * @module
 */

/**
 * A command line split into pipeline stages, each a list of words.
 *
 * @example
 * const p: Pipeline = [['exec', 'router', '--', 'ip', 'route'], ['grep', '172.16']];
 */
export type Pipeline = readonly (readonly string[])[];

/**
 * Splits a command line into pipeline stages of words, or says what is wrong (an unclosed
 * quote, an empty stage).
 *
 * @example
 * ```ts
 * splitPipeline(`exec router -- vtysh -c 'show ip bgp' | grep -c 65001`);
 * // right: [['exec', 'router', '--', 'vtysh', '-c', 'show ip bgp'], ['grep', '-c', '65001']]
 * ```
 */
export function splitPipeline(line: string): { ok: true; pipeline: Pipeline } | { ok: false; error: string } {
  const stages: string[][] = [];
  let words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  const endWord = (): void => {
    if (inWord) words.push(word);
    word = '';
    inWord = false;
  };
  while (i < line.length) {
    const c = line[i]!;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) return { ok: false, error: 'unclosed single quote' };
      word += line.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      let j = i + 1;
      let closed = false;
      while (j < line.length) {
        const d = line[j]!;
        if (d === '\\' && j + 1 < line.length && '"\\$`'.includes(line[j + 1]!)) {
          word += line[j + 1];
          j += 2;
        } else if (d === '"') {
          closed = true;
          break;
        } else {
          word += d;
          j++;
        }
      }
      if (!closed) return { ok: false, error: 'unclosed double quote' };
      inWord = true;
      i = j + 1;
    } else if (c === '\\') {
      if (i + 1 < line.length) word += line[i + 1];
      inWord = true;
      i += 2;
    } else if (c === ' ' || c === '\t') {
      endWord();
      i++;
    } else if (c === '|') {
      endWord();
      if (words.length === 0) return { ok: false, error: 'empty command before |' };
      stages.push(words);
      words = [];
      i++;
    } else {
      word += c;
      inWord = true;
      i++;
    }
  }
  endWord();
  if (words.length === 0) return { ok: false, error: stages.length > 0 ? 'empty command after |' : 'empty command' };
  stages.push(words);
  return { ok: true, pipeline: stages };
}

/**
 * Quotes a word for a shell line when it needs it (single quotes).
 *
 * @example
 * shellQuote('show ip bgp'); // "'show ip bgp'"
 */
export function shellQuote(word: string): string {
  if (word !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
