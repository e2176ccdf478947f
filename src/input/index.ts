/**
 * The input stage (`cilium-twin/input`): YAML documents → a typed, merged scenario; the shared address helpers.
 *
 * @module
 */
export type * from './types.js';
export {
  parseYamlFiles,
  decodeDocuments,
  decodeScenario,
  MAX_FILE_CHARS,
  MAX_DOCUMENTS,
  type DecodeError,
  type RawDocument,
  type DecodeOptions,
} from './decode.js';
export { parseIproute2Routes, type RouteLineError } from './iproute2.js';
export { HELM_KEYS, MAGLEV_TABLE_SIZES, configKeyOf } from './cilium-config.js';
