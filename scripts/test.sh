#!/usr/bin/env bash
# Every test: types, build, size budgets, unit and integration tests (node:test over
# real HTTP and SQLite), then browser tests (Playwright on Debian's Chromium).
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

echo "== production install (npm ci, build, prune --omit=dev, start) in a temporary copy"
bash scripts/production-install.sh

echo "== browser tests"
npx playwright test
