#!/bin/sh
# Runs the designer's vitest suite with a JSON reporter and prints "PASSED FAILED SKIPPED" on the last line
# (build.sh writes that line into $results/designer.counts). Usage: scripts/test.sh [JSON_OUT]
# Exit code: vitest's (non-zero when a test failed or the run broke).
set -u
cd "$(dirname "$0")/.."
out="${1:-test-results/vitest.json}"
mkdir -p "$(dirname "$out")"
rm -f "$out"
npx --no-install vitest run --reporter=default --reporter=json --outputFile.json="$out"
rc=$?
if [ -f "$out" ]; then
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
    console.log(`${r.numPassedTests} ${r.numFailedTests} ${skipped}`);
  ' "$out"
else
  echo "0 1 0"
  [ $rc -eq 0 ] && rc=1
fi
exit $rc
