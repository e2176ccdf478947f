/**
 * A fast reader for the part of YAML that manifests use. Placeholder: always defers.
 *
 * @module
 */

/**
 * Parses `text` when it stays within the supported subset, else returns `undefined`.
 *
 * @example
 * fastParseYaml('a: 1'); // [{ a: 1 }] or undefined
 */
export function fastParseYaml(_text: string): unknown[] | undefined {
  return undefined;
}
