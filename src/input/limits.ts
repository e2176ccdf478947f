/**
 * The input's limits: how much text, how many documents, aliases and errors, and how deep a
 * document may nest. Inside these limits reading a scenario costs time and memory linear in
 * its size; past them the input is refused with a located, one-line error (never a hang, a
 * crash or a stack trace). The README's "Input limits" section lists them for users.
 *
 * - {@link MAX_INPUT_BYTES}: all scenario text together (files, folders, standard input).
 * - {@link MAX_LIBRARY_CHARS}: the text that the fast YAML reader hands to the `yaml`
 *   package (YAML beyond the fast reader's subset: anchors, tags, multi-line flow collections, …),
 *   which reads about 1.5 MB/s.
 * - {@link MAX_DEPTH}: collections inside collections.
 * - {@link MAX_ALIAS_COUNT}: aliases per document, and expansions of any one anchor.
 * - {@link MAX_DOCUMENTS}, {@link MAX_ERRORS}.
 *
 * @module
 */

/**
 * Most bytes of scenario text read in all (64 MiB): a file larger than this is refused before
 * it is opened, standard input is refused once it goes past it, and so are several inputs
 * whose sizes add up past it. In characters, the library accepts the same number.
 *
 * @example
 * if (total > MAX_INPUT_BYTES) refuse(); // 67108864
 */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

/**
 * Most characters of YAML handed to the `yaml` package in all (1 MiB): the documents the
 * fast reader leaves to it (anchors and aliases, tags, multi-line flow collections or quoted
 * scalars, folded scalars, …). Beyond this the input is refused, naming the document and the
 * line where the fast reader stopped.
 *
 * @example
 * if (handedOver > MAX_LIBRARY_CHARS) refuse();
 */
export const MAX_LIBRARY_CHARS = 1024 * 1024;

/**
 * Deepest nesting of collections accepted (64 levels, counted from the text: indentation
 * levels, block indicators on a line, and open flow brackets). A deeper document is refused
 * with the line and column where it goes past the limit.
 *
 * @example
 * if (depth > MAX_DEPTH) refuse();
 */
export const MAX_DEPTH = 64;

/**
 * Most aliases (`*name`) in one document, and most expansions of one anchor's aliases
 * (billion-laughs documents are refused).
 *
 * @example
 * doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
 */
export const MAX_ALIAS_COUNT = 100;

/**
 * Most documents accepted over all files.
 *
 * @example
 * docs.length <= MAX_DOCUMENTS; // true for any scenario decodeScenario accepts
 */
export const MAX_DOCUMENTS = 2_000_000;

/**
 * Most errors reported for one scenario: decoding stops after this many (a line says so), so
 * that a broken input of millions of documents gets a short answer.
 *
 * @example
 * errors.length <= MAX_ERRORS + 1; // the last line says decoding stopped
 */
export const MAX_ERRORS = 1000;

/**
 * Longest rendering of an input value inside an error message; longer values are cut
 * (with `...`).
 *
 * @example
 * clip('x'.repeat(500)).length <= MAX_ECHO_CHARS; // true
 */
export const MAX_ECHO_CHARS = 120;

/**
 * Renders text for an error message on one line: line breaks and other control characters
 * (C0, DEL, C1, and the Unicode line and paragraph separators) are shown as escapes (`\n`,
 * `\r`, `\t`, `\u0007`), so that an error stays one line.
 *
 * @example
 * oneLine('a\nb\u0007'); // 'a\\nb\\u0007'
 */
export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    switch (c) {
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      case '\t':
        return '\\t';
      default:
        return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
    }
  });
}

/**
 * Longest error message part echoed from a check (the text after the location); longer ones
 * are cut (with `...`).
 *
 * @example
 * clipMessage('x'.repeat(5000)).length; // 1000
 */
export const MAX_MESSAGE_CHARS = 1000;

/**
 * A message for one error line: {@link oneLine}, and at most {@link MAX_MESSAGE_CHARS}
 * characters.
 *
 * @example
 * clipMessage('expected a string,\ngot 1'); // 'expected a string,\\ngot 1'
 */
export function clipMessage(text: string): string {
  const s = oneLine(text.length > MAX_MESSAGE_CHARS * 2 ? text.slice(0, MAX_MESSAGE_CHARS * 2) : text);
  return s.length > MAX_MESSAGE_CHARS ? `${s.slice(0, MAX_MESSAGE_CHARS - 3)}...` : s;
}

/**
 * An input value (a name, a kind, a key) for an error message: on one line ({@link oneLine})
 * and at most {@link MAX_ECHO_CHARS} characters.
 *
 * @example
 * clip('web\npod'); // 'web\\npod'
 */
export function clip(text: string): string {
  const s = oneLine(text.length > MAX_ECHO_CHARS * 2 ? text.slice(0, MAX_ECHO_CHARS * 2) : text);
  return s.length > MAX_ECHO_CHARS ? `${s.slice(0, MAX_ECHO_CHARS - 3)}...` : s;
}
