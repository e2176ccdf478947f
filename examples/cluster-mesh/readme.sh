#!/usr/bin/env bash
# Regenerates README.md from the CLI's real outputs: bash readme.sh (after npm run build).
# Each "run" line prints a command and what it prints, as the README shows it.
set -u
cd "$(dirname "$0")"
T="node ../../dist/src/cli/main.js"
M="-f kind-west=west -f kind-east=east -f shared"
run() { echo '```console'; echo "\$ cilium-twin $*"; $T "$@" 2>&1; echo '```'; }
{
cat header.md
echo
echo '## 1. The two clusters, and the mesh between them'
echo
echo 'Each cluster answers in its own context; the first named (`kind-west`) is the current one.'
echo
run $M kubectl get nodes -o wide --context kind-east
echo
run $M --context kind-east cilium config view
echo
echo 'After `cilium clustermesh connect` (every named cluster is connected to every other):'
echo
run $M cilium clustermesh status --context kind-west --wait
echo
run $M cilium clustermesh status --context kind-east
[ -f body.sh ] && . ./body.sh
} > README.md
