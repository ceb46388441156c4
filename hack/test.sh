#!/usr/bin/env bash
# Runs the test suites:
#   hack/test.sh unit          the tests beside the code
#   hack/test.sh integration   the integration and end-to-end suites in test/
#   hack/test.sh browser       the dashboard's suites in test/ui/ (real Chromium), a part of the above
#   hack/test.sh api           the suites in test/ that need no container engine (API_SUITES below:
#                              in-process servers, the CLI, PostgreSQL, the registry), a part of
#                              integration
#   hack/test.sh checks        tsc --noEmit (server and ui/), eslint and prettier
#   hack/test.sh all           all of the above in two lanes side by side, so the lanes end near
#                              each other: the engine lane runs the integration suites that deploy
#                              to Docker, SSH, the Nomad and ECS fakes and the routers (mostly
#                              waiting on Docker, registries and timers, one file at a time, so they
#                              never share the engine's port ranges); the other lane runs the
#                              checks, the unit tests (mostly CPU), the browser suites and the API
#                              suites. The engine lane streams to stdout (and to
#                              .test-logs/integration.log); the other lane's output is kept in
#                              .test-logs/checks-and-unit.log and printed when both are done. Last
#                              come the failures of both lanes with their errors, so the tail of a
#                              CI log says what broke.
# Node 20's test runner takes no globs, so the files are found here. TEST_CONCURRENCY (default 1)
# runs that many test files of one lane at once.
set -euo pipefail
cd "$(dirname "$0")/.."

# The suites of test/ that start no unit on a container engine: the API server, its clients (the
# stella CLI among them), storage and the registry. They run beside the engine lane; a new
# directory of test/ joins the engine lane unless it is listed here.
API_SUITES="test/api test/approvals test/audit test/auth test/bench test/cli test/clients test/evidence
test/governance test/release test/runtime test/sdk test/security test/storage"

# run_files DIRS [EXCLUDED_DIRS]: every *.test.ts under DIRS, except under EXCLUDED_DIRS.
run_files() {
  local dirs=$1 excluded=${2:-} existing files pattern
  existing=$(for d in $dirs; do if [ -d "$d" ]; then echo "$d"; fi; done)
  pattern=$(for d in $excluded; do printf '^%s/\n' "$d"; done)
  files=$(find $existing -name '*.test.ts' | { if [ -n "$excluded" ]; then grep -v -e "$pattern"; else cat; fi; } | sort)
  [ -n "$files" ] || { echo "no test files in $dirs" >&2; return 1; }
  node --import tsx --test --test-concurrency="${TEST_CONCURRENCY:-1}" --test-timeout="${TEST_TIMEOUT:-600000}" $files
}

checks() {
  npm run --silent typecheck
  npx eslint .
  npx prettier --check --log-level warn .
}

# Each failing test of the TAP logs given, with its error block (at most 60 lines each, 600 in all).
failures() {
  awk '
    /^ *not ok [0-9]+ - / { on = 1; n = 0; print FILENAME ": " $0; next }
    on && /^ *\.\.\.$/ { on = 0; print ""; next }
    on && n++ < 60 { print }
  ' "$@" | head -n 600
}

lane_started=$SECONDS
elapsed() { echo "$((SECONDS - lane_started))s"; }

case "${1:-}" in
  unit) run_files "crds apiserver sdk controllers agent cli ui" ;;
  integration) run_files "test" ;;
  browser) run_files "test/ui" ;;
  api) run_files "$API_SUITES" ;;
  checks) checks ;;
  all)
    mkdir -p .test-logs
    log=.test-logs/checks-and-unit.log
    (
      c=0 u=0 b=0 a=0
      checks || c=$?
      run_files "crds apiserver sdk controllers agent cli ui" || u=$?
      run_files "test/ui" || b=$?
      run_files "$API_SUITES" || a=$?
      [ "$c" -eq 0 ] && [ "$u" -eq 0 ] && [ "$b" -eq 0 ] && [ "$a" -eq 0 ]
    ) >"$log" 2>&1 &
    side=$!
    echo "test.sh: checks, unit tests, the browser suites (test/ui) and the API suites run beside the engine suites; their output goes to $log"
    integration=0
    run_files "test" "test/ui $API_SUITES" | tee .test-logs/integration.log || integration=$?
    side_status=0
    wait "$side" || side_status=$?
    echo
    echo "test.sh: ---- checks, unit tests, browser and API suites ($log) ----"
    cat "$log"
    echo "test.sh: ---- failures ----"
    failures .test-logs/integration.log "$log"
    echo "test.sh: engine lane exit $integration, checks-unit-browser-api lane exit $side_status, $(elapsed) in all"
    [ "$integration" -eq 0 ] && [ "$side_status" -eq 0 ]
    ;;
  *) echo "usage: hack/test.sh unit|integration|browser|api|checks|all" >&2; exit 2 ;;
esac
