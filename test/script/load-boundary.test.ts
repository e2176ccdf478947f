import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { parseYamlFiles } from '../../src/input/decode.js';
import { normalizeDocuments } from '../../src/script/documents.js';
import { loadDocuments } from '../../src/cli/commands/script.js';
import { loadScenario } from '../../src/twin/load.js';
import { labFiles } from '../helpers/lab.js';

/** The lab's files with the router's `router bgp 65000` made unparsable. */
function brokenFrrFiles() {
  return labFiles([]).map((f) => ({ ...f, text: f.text.replace(/router bgp 65000/, 'router bgp abc') }));
}

describe("the script runner's twin goes through the loading boundary", () => {
  it('a broken frr.conf is refused by a script as by loadScenario, with the same message', () => {
    const files = brokenFrrFiles();
    expect(files.some((f) => f.text.includes('router bgp abc'))).toBe(true);
    const parsed = parseYamlFiles(files);
    if (E.isLeft(parsed)) throw new Error('lab files parse');
    const scripted = loadDocuments(normalizeDocuments(parsed.right), {});
    const loaded = loadScenario(files);
    expect(scripted.ok).toBe(false);
    expect(E.isLeft(loaded)).toBe(true);
    if (!scripted.ok && E.isLeft(loaded)) {
      expect(scripted.errors).toBe(loaded.left.map((e) => e.message).join('\n'));
      expect(scripted.errors).toContain('router: frr line');
    }
  });

  it('the unbroken lab loads the same twin answers both ways', () => {
    const parsed = parseYamlFiles(labFiles([]));
    if (E.isLeft(parsed)) throw new Error('lab files parse');
    const scripted = loadDocuments(normalizeDocuments(parsed.right), {});
    const loaded = loadScenario(labFiles([]));
    expect(scripted.ok && E.isRight(loaded)).toBe(true);
    if (scripted.ok && E.isRight(loaded)) {
      expect(scripted.state.hostNames()).toEqual(loaded.right.hostNames());
      expect(scripted.state.lbIpam()).toEqual(loaded.right.lbIpam());
    }
  });
});
