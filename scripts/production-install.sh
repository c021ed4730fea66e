#!/usr/bin/env bash
# The production install, as an operator runs it, in a temporary copy of the project:
#   npm ci && npm run build && npm prune --omit=dev && npm start
# (`npm ci` is the project's installed packages copied in: no network). Then: the build tools
# are gone, npm start does not build again and serves the page from the compiled service,
# /readyz is ready, the commands answer, and SIGTERM stops it all. Prints the times it took.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/payee-production-XXXXXX")"
APP="$WORK/app"
SERVER=""
cleanup() {
  if [ -n "$SERVER" ] && kill -0 "$SERVER" 2>/dev/null; then kill -KILL -- "-$SERVER" 2>/dev/null || true; fi
  [ -n "${KEEP:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT
fail() {
  echo "production install: $*" >&2
  [ -f "$WORK/out" ] && sed 's/^/  | /' "$WORK/out" >&2
  exit 1
}
ms() { echo $(($(date +%s%N) / 1000000)); }

# The project as a checkout has it: tracked and new files; no build, no data.
mkdir "$APP"
(cd "$ROOT" && git ls-files -co --exclude-standard -z | xargs -0 cp --parents -t "$APP")
# npm ci: the installed packages, hard-linked where possible (npm prune only unlinks), except
# npm's own record of them, which it rewrites.
cp -al "$ROOT/node_modules" "$APP/node_modules" 2>/dev/null || cp -a "$ROOT/node_modules" "$APP/node_modules"
rm -f "$APP/node_modules/.package-lock.json"
cp "$ROOT/node_modules/.package-lock.json" "$APP/node_modules/.package-lock.json"
cd "$APP"

# As on a fresh machine after `npm install`: a command builds what is missing, and its answer
# stays alone on stdout.
npm run --silent merchant -- list >"$WORK/first" 2>"$WORK/build.log" || fail "the first command failed: $(cat "$WORK/build.log")"
grep -q 'Building Payee (the build is missing' "$WORK/build.log" || fail "the first command did not build: $(cat "$WORK/build.log")"
[ ! -s "$WORK/first" ] || fail "the build wrote to the command's stdout: $(cat "$WORK/first")"
# A changed source makes the build stale.
echo '// changed' >>server/paths.ts
node -e "import('./scripts/build-state.mjs').then((m) => process.exit(m.buildState().reason === 'stale' ? 0 : 1))" ||
  fail "a changed source did not make the build stale"

npm run --silent build >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; fail "npm run build failed"; }
npm prune --omit=dev --offline --no-audit --no-fund --loglevel=error >/dev/null
for tool in vite esbuild tsx; do
  [ ! -e "node_modules/$tool" ] || fail "$tool is still installed after npm prune --omit=dev"
done

# No development tool on the PATH either.
export PATH="$(dirname "$(command -v node)"):/usr/bin:/bin"
export DATA_DIR="$WORK/data" PORT=0 HOST=127.0.0.1 LOG_LEVEL=info
t0=$(ms)
setsid npm start >"$WORK/out" 2>&1 &
SERVER=$!
for _ in $(seq 1 1200); do
  grep -q '"msg":"listening"' "$WORK/out" && break
  kill -0 "$SERVER" 2>/dev/null || fail "npm start exited"
  sleep 0.1
done
grep -q '"msg":"listening"' "$WORK/out" || fail "npm start did not listen within 120 s"
listening_ms=$(($(ms) - t0))
! grep -q 'Building Payee' "$WORK/out" || fail "npm start built again although the build was fresh"
URL=$(grep -o '"url":"[^"]*"' "$WORK/out" | head -1 | cut -d'"' -f4)
PUBLIC=$(grep -o '"publicUrl":"[^"]*"' "$WORK/out" | head -1 | cut -d'"' -f4)
START_MS=$(grep -o '"startMs":[0-9]*' "$WORK/out" | head -1 | cut -d: -f2)
TOKEN=$(grep -o 'API token: [^ ]*' "$WORK/out" | head -1 | cut -d' ' -f3)

ready=$(curl -sS -o "$WORK/ready" -w '%{http_code}' "$URL/readyz")
[ "$ready" = 200 ] || fail "/readyz answered $ready: $(cat "$WORK/ready")"
created=$(curl -sS -X POST "$URL/api/v1/createPayout" -H "Authorization: Bearer $TOKEN" \
  -H 'Content-Type: application/json; charset=UTF-8' \
  -d '{"orderNumber":"PROD-1","amount":150000,"type":"card","urls":{"returnUrl":"'"$PUBLIC"'/demo/return"}}')
PAGE=$(echo "$created" | grep -o '"payoutUrl":"[^"]*"' | cut -d'"' -f4 | sed "s#^$PUBLIC#$URL#" || true)
[ -n "$PAGE" ] || fail "createPayout answered $created"
page=$(curl -sS -o "$WORK/page" -w '%{http_code}' "$PAGE")
[ "$page" = 200 ] || fail "the recipient page answered $page"
grep -q '<script' "$WORK/page" || fail "the recipient page has no script"
script=$(grep -o 'src="/assets/[^"]*\.js"' "$WORK/page" | head -1 | cut -d'"' -f2 || true)
[ "$(curl -sS -o /dev/null -w '%{http_code}' "$URL$script")" = 200 ] || fail "the widget script $script is not served"

t1=$(ms)
npm run --silent merchant -- list >"$WORK/merchants" 2>&1 || fail "npm run merchant -- list failed: $(cat "$WORK/merchants")"
cli_ms=$(($(ms) - t1))
grep -q 'Demo shop\|"id"' "$WORK/merchants" || fail "npm run merchant -- list printed: $(cat "$WORK/merchants")"
for cli in vault webhooks payouts; do
  npm run --silent "$cli" -- help >/dev/null 2>&1 || fail "npm run $cli -- help failed"
done

kill -TERM "$SERVER"
for _ in $(seq 1 300); do kill -0 -- "-$SERVER" 2>/dev/null || break; sleep 0.1; done
! kill -0 -- "-$SERVER" 2>/dev/null || fail "npm start still running 30 s after SIGTERM"
grep -q '"msg":"stopped"' "$WORK/out" || fail "no graceful stop"
SERVER=""
echo "production install: served from the compiled build; process start to listening ${START_MS} ms," \
  "npm start to listening ${listening_ms} ms, npm run merchant -- list ${cli_ms} ms"
