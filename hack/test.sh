#!/usr/bin/env bash
# Runs the test suites: `hack/test.sh unit` (tests beside the code) or `hack/test.sh integration`
# (test/). Node 20's test runner takes no globs, so the files are found here.
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-all}" in
  unit) dirs="crds apiserver sdk controllers agent cli" ;;
  integration) dirs="test" ;;
  *) echo "usage: hack/test.sh unit|integration" >&2; exit 2 ;;
esac
existing=$(for d in $dirs; do if [ -d "$d" ]; then echo "$d"; fi; done)
files=$(find $existing -name '*.test.ts' | sort)
[ -n "$files" ] || { echo "no test files for $1" >&2; exit 1; }
exec node --import tsx --test --test-concurrency="${TEST_CONCURRENCY:-1}" --test-timeout="${TEST_TIMEOUT:-600000}" $files
