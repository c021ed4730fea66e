#!/usr/bin/env bash
# Every test: types, build, size budgets, unit and integration tests (node:test over
# real HTTP and SQLite), the tests that touch the store again on PostgreSQL, then
# browser tests (Playwright on Debian's Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-chromium.sh
bash scripts/ensure-php.sh
echo "== typecheck"; npx tsc --noEmit -p .
echo "== format, lint and dependency rules"; npm run --silent lint
echo "== build (widget, embed loader, the service compiled)"; npm run --silent build >/dev/null
if [ -f scripts/size.ts ]; then echo "== size budgets"; node --import tsx scripts/size.ts; fi
echo "== embed loader size"; node --import tsx scripts/embed-size.ts

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
  grep -E '\.service\.test\.ts$|^tests/engine/sandbox\.test\.ts$|^tests/providers/bank131(-journal)?\.test\.ts$|^server/db/' |
  grep -vE 'php-webhook|one-process|instances')
PAYEE_TEST_STORE=postgres node --import tsx --test --test-concurrency=2 --test-timeout=600000 --test-reporter=spec "${pgfiles[@]}"
echo "== production install (npm ci, build, prune --omit=dev, start) in a temporary copy"
bash scripts/production-install.sh

echo "== browser tests"
npx playwright test
