#!/usr/bin/env bash
# Every test: types, build, size budgets, unit and integration tests (node:test over
# real HTTP and SQLite), the tests that touch the store again on PostgreSQL, the production
# install, and browser tests (Playwright on Debian's Chromium).
#
# After the build, two lanes run side by side, because neither keeps both cores busy on its
# own (much of a test is waiting for a server): the node tests (SQLite, then PostgreSQL,
# then the production install) print as they go; the browser tests print when they end.
# PAYEE_TEST_LANES=1 runs them one after the other instead.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-chromium.sh
bash scripts/ensure-php.sh
echo "== typecheck"; npx tsc --noEmit -p .
echo "== format, lint and dependency rules"; npm run --silent lint
echo "== build (widget, embed loader, the service compiled)"; npm run --silent build >/dev/null
if [ -f scripts/size.ts ]; then echo "== size budgets"; node --import tsx scripts/size.ts; fi
echo "== embed loader size"; node --import tsx scripts/embed-size.ts

node_lane() {
  echo "== unit and integration tests"
  mapfile -t files < <(find server src tests scripts -name '*.test.ts' -o -name '*.test.tsx' | grep -v node_modules | sort)
  # No single test may run for ever: ten minutes is far beyond any test on a loaded machine.
  node --import tsx --test --test-concurrency=2 --test-timeout=600000 --test-reporter=spec "${files[@]}"

  # The tests that touch the store again on PostgreSQL (a fresh database per data
  # directory: tests/helpers/store.ts): every service test, the sandbox's and Bank 131's
  # records. Left out: adapter tests against simulators (no store), the tests about
  # SQLite itself (one process per data directory, a read staged on one connection), the
  # PHP receiver test that reads the SQLite file, and the instances test (always PostgreSQL).
  echo "== store tests on PostgreSQL"
  mapfile -t pgfiles < <(printf '%s\n' "${files[@]}" |
    grep -E '\.service\.test\.ts$|^tests/engine/sandbox\.test\.ts$|^tests/providers/bank131(-journal)?\.test\.ts$|^server/db/|^server/limits/db-store' |
    grep -vE 'php-webhook|one-process|instances')
  PAYEE_TEST_STORE=postgres node --import tsx --test --test-concurrency=2 --test-timeout=600000 --test-reporter=spec "${pgfiles[@]}"

  echo "== production install (npm ci, build, prune --omit=dev, start) in a temporary copy"
  bash scripts/production-install.sh
}

browser_lane() {
  echo "== browser tests"
  npx playwright test
}

if [ "${PAYEE_TEST_LANES:-2}" = 1 ]; then
  node_lane
  browser_lane
  exit 0
fi

browser_log="$(mktemp "${TMPDIR:-/tmp}/payee-browser-tests-XXXXXX")"
trap 'rm -f "$browser_log"' EXIT
# Both in the background: a function run as `f || …` would ignore set -e inside it.
browser_lane >"$browser_log" 2>&1 &
browser=$!
node_lane &
node=$!
node_status=0
wait "$node" || node_status=$?
browser_status=0
wait "$browser" || browser_status=$?
cat "$browser_log"
[ "$node_status" = 0 ] || echo "node tests failed (exit $node_status)" >&2
[ "$browser_status" = 0 ] || echo "browser tests failed (exit $browser_status)" >&2
[ "$node_status" = 0 ] && [ "$browser_status" = 0 ]
