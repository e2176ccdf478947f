/**
 * `node dist/bench/question.js CLI-ARGS…`: runs the CLI as its own process would (the same
 * `main` module, same arguments) and, at exit, writes one JSON line to standard error with the
 * process's CPU time, peak RSS and time since the process started. The scale benchmark spawns
 * it once per question so that every question is a fresh process.
 */
process.on('exit', () => {
  const u = process.resourceUsage();
  process.stderr.write(
    `\n@@bench ${JSON.stringify({ ms: performance.now(), cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000, maxRssKiB: u.maxRSS, exitCode: process.exitCode ?? 0 })}\n`,
  );
});
await import('../src/cli/main.js');
