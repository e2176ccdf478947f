/**
 * Scripts at scale (issue 17) on the scale benchmark's cluster (`bench/cluster.ts`): the
 * documents of 5,000 nodes (10,000 services, 100,000 pods), then a script of one change
 * (`kubectl patch` of a service's externalTrafficPolicy) and one question on the rebuilt twin
 * (`kubectl get svc -n ns-0`). The change itself is a scan of the documents; the rebuild after it
 * is one decode of the whole scenario (the runner validates every change), which dominates.
 */
import * as E from 'fp-ts/lib/Either.js';
import type { Benchmark } from './benchmark.js';
import { scaleScenario } from './cluster.js';
import { parseYamlFiles } from '../src/input/decode.js';
import { normalizeDocuments } from '../src/script/documents.js';
import { parseScript } from '../src/script/parse.js';
import { runScript } from '../src/script/run.js';
import { askTwin, loadDocuments } from '../src/cli/commands/script.js';
import { commands } from '../src/cli/commands/index.js';

/** The script benchmark. */
export const scriptBenchmark: Benchmark = {
  name: 'scripts: a change and a question (5,000 nodes)',
  run(report) {
    for (const n of [500, 5000]) {
      const t0 = performance.now();
      const parsed = parseYamlFiles(scaleScenario(n));
      if (E.isLeft(parsed)) throw new Error(parsed.left[0]!.message);
      const docs = normalizeDocuments(parsed.right);
      const t1 = performance.now();
      const script = parseScript(
        'bench.script',
        `$ kubectl patch svc svc-0 -n ns-0 -p '{"spec":{"externalTrafficPolicy":"Local"}}'\nservice/svc-0 patched\n$ kubectl get svc -n ns-0 | wc -l\n`,
      );
      if (!script.ok) throw new Error(script.error.message);
      const env = { load: (d: typeof docs) => loadDocuments(d, {}), ask: (c: Parameters<typeof askTwin>[0], w: readonly string[]) => askTwin(c, w, commands) };
      const t2 = performance.now();
      const r = runScript(script.script, docs, env);
      const t3 = performance.now();
      if (r.exitCode !== 0) throw new Error(r.stderr);
      report(`${n} nodes, ${docs.length} documents: read+normalize ${(t1 - t0).toFixed(0)} ms; script (load, change, reload, question) ${(t3 - t2).toFixed(0)} ms`);
    }
  },
};
