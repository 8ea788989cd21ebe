#!/usr/bin/env bash
# `make bench-api`: load three URLs of the API under gunicorn with wrk and compare each
# with a bare Django view served by the same gunicorn (the stack's own ceiling).
#
# Settings (environment): BENCH_DURATION (s, default 10), BENCH_CONNECTIONS (4),
# BENCH_WRK_THREADS (2), BENCH_WARMUP (s, 2), BENCH_WORKERS (2), BENCH_WORKER_CLASS
# (gthread), BENCH_THREADS (2), BENCH_AUTH_HEADER (sent as "Authorization: <value>"
# by curl and wrk when set), BENCH_GATE (on; "off" serves the two archive endpoints
# without authentication, throttle or plan gates, to measure what the gate costs: see
# bench/settings.py), BENCH_RATE_LIMITS (raised: every plan's limits are out of reach,
# requests are still counted; "plan" keeps the real limits, whose 429s void a run),
# BENCH_DB (clausewatch_bench_import).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

DURATION=${BENCH_DURATION:-10}
CONNECTIONS=${BENCH_CONNECTIONS:-4}
WRK_THREADS=${BENCH_WRK_THREADS:-2}
WARMUP=${BENCH_WARMUP:-2}
WORKERS=${BENCH_WORKERS:-2}
# gthread, not sync: sync workers close the connection after every response, so wrk
# would measure a TCP handshake per request and half of the 4 connections would sit in
# the listen backlog; gthread keeps connections alive (as a proxy's upstream pool does)
# and lets one thread run Python while another waits on PostgreSQL.
# 2 workers x 2 threads = 4 slots, one per connection, on this 2-CPU machine.
WORKER_CLASS=${BENCH_WORKER_CLASS:-gthread}
THREADS=${BENCH_THREADS:-2}
DB=${BENCH_DB:-clausewatch_bench_import}
case $DB in clausewatch_bench*) ;; *) echo "BENCH_DB must start with clausewatch_bench" >&2; exit 2 ;; esac
AUTH=${BENCH_AUTH_HEADER:-}
export BENCH_AUTH_HEADER=$AUTH   # bench/wrk_report.lua reads it
export BENCH_GATE=${BENCH_GATE:-on} BENCH_RATE_LIMITS=${BENCH_RATE_LIMITS:-raised}
case $BENCH_GATE in on | off) ;; *) echo "BENCH_GATE must be on or off" >&2; exit 2 ;; esac

# Forced like bench/import_bench.py: never the caller's database, Redis db 14 only.
# The pepper is bench/import_bench.py's, so keys made in the bench database stay valid.
export API_KEY_PEPPER=bench-api-key-pepper-not-a-secret-0123456789
export SECRET_KEY=bench DJANGO_DEBUG=0 SECURE_SSL_REDIRECT=0 ALLOWED_HOSTS=127.0.0.1
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB"
export CLAUSEWATCH_VAR_DIR="$ROOT/var/bench" REDIS_URL=redis://127.0.0.1:6379/14
export DJANGO_SETTINGS_MODULE=bench.settings   # the project's settings + /bench/bare/
unset SNAPSHOT_ROOT
PY=.venv/bin/python
mkdir -p var/bench
# Every step is bounded. `timeout --foreground` keeps the child in this process group,
# so the Makefile's outer timeout (or Ctrl-C) reaches it as well.

if ! command -v wrk >/dev/null; then
  echo "wrk missing: installing the Debian package"
  apt() { timeout --foreground 300 apt-get -q "$@" >/dev/null; }
  apt install -y wrk || { apt update && apt install -y wrk; }
fi

# The corpus imported once by bench-import is reused; import only when it is missing.
versions=$(psql -h 127.0.0.1 -U postgres -d "$DB" -tAc 'select count(*) from governance_version' \
  2>/dev/null || echo 0)
if [ "${versions:-0}" -eq 0 ]; then
  echo "no imported corpus in $DB: running bench/import_bench.py first"
  BENCH_DB=$DB timeout --foreground 900 $PY bench/import_bench.py
fi
# The code moves on after the import; bring the reused database up to date (no-op if it is).
timeout --foreground 300 $PY manage.py migrate --no-input -v 0

VERSION_ID=$(timeout --foreground 60 $PY manage.py shell -v 0 -c "
from governance.models import Version
v = Version.objects.filter(document__platform__slug='chatgpt', document__kind='privacy-policy')
v = v.order_by('-captured_at', '-id').first()
print(v.pk if v else '')")
[ -n "$VERSION_ID" ] || { echo "no chatgpt privacy-policy version in $DB" >&2; exit 1; }

# A free loopback port: the kernel picks one; the tiny race before gunicorn binds is harmless here.
PORT=$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
LOG=var/bench/gunicorn.log

.venv/bin/gunicorn config.wsgi --bind "127.0.0.1:$PORT" --workers "$WORKERS" \
  --worker-class "$WORKER_CLASS" --threads "$THREADS" --timeout 30 >"$LOG" 2>&1 &
GUNICORN_PID=$!
stop() {
  # SIGTERM is gunicorn's graceful stop; SIGKILL only if it is still there after 10 s.
  kill "$GUNICORN_PID" 2>/dev/null || return 0
  for _ in $(seq 100); do kill -0 "$GUNICORN_PID" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$GUNICORN_PID" 2>/dev/null || true
}
trap stop EXIT
trap 'exit 130' INT TERM   # exit runs the EXIT trap

# curl reads the header from a file descriptor (printf is a builtin): the key stays out of `ps`.
curl_auth() {
  if [ -n "$AUTH" ]; then curl -H @<(printf 'Authorization: %s\n' "$AUTH") "$@"; else curl "$@"; fi
}

for _ in $(seq 150); do   # up to 30 s for the workers to boot
  curl -s -o /dev/null --max-time 1 "$BASE/bench/bare/" && break
  kill -0 "$GUNICORN_PID" 2>/dev/null || { echo "gunicorn exited; see $LOG" >&2; exit 1; }
  sleep 0.2
done

names=(bare documents/versions version-detail)
paths=(/bench/bare/ /api/v1/platforms/chatgpt/documents/privacy-policy/versions/
  "/api/v1/versions/$VERSION_ID/")

# Every URL must answer 200 before it is loaded, or the figures would be for error pages.
for path in "${paths[@]}"; do
  code=$(curl_auth -s -o /dev/null -w '%{http_code}' --max-time 10 "$BASE$path")
  if [ "$code" != 200 ]; then
    echo "GET $path answered $code, not 200; see $LOG" >&2
    case $code in 401 | 403) echo "the API wants a key: BENCH_AUTH_HEADER='Bearer <key>'" \
      "(manage.py create_organization NAME --plan enterprise --owner EMAIL, same env)" >&2 ;; esac
    exit 1
  fi
done

echo "gunicorn $WORKERS x $WORKER_CLASS (threads $THREADS) on $BASE;" \
  "wrk $DURATION s, $CONNECTIONS connections, $WRK_THREADS threads, warm-up $WARMUP s;" \
  "auth header: $([ -n "$AUTH" ] && echo sent || echo none); gate: $BENCH_GATE;" \
  "rate limits: $BENCH_RATE_LIMITS; version id $VERSION_ID"

load() {  # load SECONDS URL -> prints the WRKRESULT fields
  timeout --foreground $(($1 + 30)) wrk -t "$WRK_THREADS" -c "$CONNECTIONS" -d "${1}s" \
    --timeout 5s -s bench/wrk_report.lua "$2" | awk '/^WRKRESULT/ {$1 = ""; print}'
}

echo "load average (1 min) before: $(cut -d' ' -f1 /proc/loadavg) on $(nproc) CPUs"
declare -a rps p50 p99 reqs bad
for i in "${!paths[@]}"; do
  [ "$WARMUP" -gt 0 ] && load "$WARMUP" "$BASE${paths[$i]}" >/dev/null
  read -r rps[i] p50[i] p99[i] reqs[i] status errors < <(load "$DURATION" "$BASE${paths[$i]}") \
    || { echo "wrk gave no result for ${paths[$i]}" >&2; exit 1; }
  bad[i]=$((status + errors))
done

# errors: responses other than 2xx/3xx (a 429 from throttling, say) plus socket errors;
# any of them voids the endpoint's targets.
printf '\n%-18s %10s %8s %8s %8s %9s %6s\n' endpoint "requests/s" "p50 ms" "p99 ms" "vs bare" requests errors
for i in "${!paths[@]}"; do
  ratio=$(awk -v a="${rps[i]}" -v b="${rps[0]}" 'BEGIN {printf "%.0f%%", 100 * a / b}')
  printf '%-18s %10s %8s %8s %8s %9s %6s\n' "${names[i]}" "${rps[i]}" "${p50[i]}" "${p99[i]}" \
    "$ratio" "${reqs[i]}" "${bad[i]}"
done
# The machine is shared (and wrk runs on it too): say how busy it was.
echo "load average (1 min) after: $(cut -d' ' -f1 /proc/loadavg) on $(nproc) CPUs"
echo
for i in 1 2; do
  latency=$(awk -v p="${p99[i]}" 'BEGIN {print (p < 50) ? "met" : "not met"}')
  share=$(awk -v a="${rps[i]}" -v b="${rps[0]}" 'BEGIN {print (a >= 0.5 * b) ? "met" : "not met"}')
  [ "${bad[i]}" -eq 0 ] || { latency="not met (${bad[i]} errors)"; share=$latency; }
  echo "${names[i]}: target p99 < 50 ms: $latency; target ≥ 50% of bare requests/s: $share"
done
