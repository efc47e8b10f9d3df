#!/usr/bin/env bash
# Benchmark: the generated clients against a hand-written reqwest + serde
# client, on loopback, and the memory of a paging stream.
#
# What it measures (the binary is the workspace member bench/clients,
# package `client-bench`; see bench/README.md):
#
# 1. `client-bench requests`: Partner Center `getCustomer` through the
#    generated client with every layer on (token cache in front of a
#    client-credentials source, MS-RequestId/MS-CorrelationId filled per
#    call, default retry policy, path check, typed decode), through a
#    hand-written reqwest + serde client sending the same headers and
#    decoding into structs of the same shape, and through a second,
#    identical hand-written client (the A/A control: what the machine alone
#    does to a ratio). All run in one process against the same loopback
#    hyper server, in 600 short alternating rounds, at concurrency 1 and 32,
#    with the client and server threads pinned (same CPU at concurrency 1,
#    one each at 32; PIN=off leaves them to the scheduler). It reports
#    req/s, p50/p99 latency, the client thread's CPU time per request and
#    the ratios generated/hand-written: over all rounds and outside stalls
#    (round indices where any client's round took over twice its median
#    are set aside for every client; see bench/README.md), each with a
#    block-bootstrap 95 % interval, and as the median of the per-round
#    ratios with its 95 % interval; the noise (the A/A ratios, stalls per
#    client, preempted rounds, CPU pressure, other processes' CPU, steal,
#    load average); and per level a verdict: met, MISSED, or TOO NOISY TO
#    JUDGE when the A/A control strays by more than 1.5 % or an interval
#    is wider than +-2 %. The targets: generated/hand-written req/s >= 0.98
#    outside stalls (over all rounds when the generated client stalls
#    more often than chance allows) and by the per-round median, p99 <=
#    1.1x. With
#    LAYERS=1 also the generated client with one layer off at a time.
# 2. `client-bench memory`: 100,000 AvePoint managed customers through
#    the generated client's `get_customers_batch().page_size(100).stream()`,
#    with the peak RSS (VmHWM) after 1,000 / 10,000 / 100,000 customers,
#    against collecting them all into a Vec (each in its own process).
# 3. When GNU time is there, the maximum RSS of the two streaming runs as
#    `/usr/bin/time -v` sees it, as a cross-check of VmHWM.
#
# A missed target is printed as MISSED, a run that cannot tell as TOO NOISY
# TO JUDGE: this is a benchmark, not a test. The script exits non-zero only
# when the build or a run fails. Run it on a quiet machine; the load
# average before and after goes into summary.txt.
#
# How to run (from anywhere; needs cargo, and nothing from the network once
# the workspace's dependencies are fetched):
#
#     bash bench/clients.sh
#
# Results go to the cache dir (default target/bench-data/clients/, ignored
# by git through /target): requests.md, rounds.csv (every round of every
# client), memory.md, time-*.txt, summary.txt.
# Settings, by environment variable:
#
#     BENCH_DATA=DIR     cache dir (default: <repo>/target/bench-data)
#     REQUESTS=N         measured requests per client and concurrency (default 120000)
#     ROUNDS=N           alternating rounds they are split into (default 600, i.e. 200
#                        requests a round)
#     WARMUP=N           unmeasured requests per client and concurrency (default 2000)
#     CONCURRENCY=LIST   comma-separated concurrency levels (default 1,32)
#     PIN=auto|off|C,S   thread placement (default auto, see above)
#     LAYERS=1           also the one-layer-off variants (default 0: they
#                        lengthen each round, which spreads the pairs apart)
#     ITEMS=N            customers to stream (default 100000)
#     PAGE_SIZE=N        customers per page (default 100, the API's maximum)
#     SKIP_BUILD=1       use the existing target/release/client-bench

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${BENCH_DATA:-$ROOT/target/bench-data}"
OUT="$CACHE/clients"
REQUESTS="${REQUESTS:-120000}"
ROUNDS="${ROUNDS:-600}"
WARMUP="${WARMUP:-2000}"
CONCURRENCY="${CONCURRENCY:-1,32}"
LAYERS="${LAYERS:-0}"
PIN="${PIN:-auto}"
ITEMS="${ITEMS:-100000}"
PAGE_SIZE="${PAGE_SIZE:-100}"
SKIP_BUILD="${SKIP_BUILD:-0}"

log() { printf '==> %s\n' "$*" >&2; }
die() {
    printf 'error: %s\n' "$*" >&2
    exit 1
}

command -v cargo >/dev/null || die "\`cargo\` is needed but not installed"
mkdir -p "$OUT"

if [[ "$SKIP_BUILD" != 1 ]]; then
    log "cargo build --release -p client-bench"
    (cd "$ROOT" && cargo build --release -p client-bench) || die "cargo build --release -p client-bench failed"
fi
BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/client-bench"
[[ -x "$BIN" ]] || die "$BIN not found (build it with \`cargo build --release -p client-bench\`)"

# --- requests --------------------------------------------------------------

REQUESTS_ARGS=(requests --requests "$REQUESTS" --rounds "$ROUNDS" --warmup "$WARMUP" --concurrency "$CONCURRENCY" --pin "$PIN" --rounds-csv "$OUT/rounds.csv")
if [[ "$LAYERS" == 1 ]]; then
    REQUESTS_ARGS+=(--layers)
fi
LOAD_BEFORE="$(uptime)"
log "client-bench ${REQUESTS_ARGS[*]}"
"$BIN" "${REQUESTS_ARGS[@]}" | tee "$OUT/requests.md" || die "the request benchmark failed"
LOAD_AFTER="$(uptime)"

# --- memory ----------------------------------------------------------------

CHECKPOINTS="1000,10000,$ITEMS"
if ((ITEMS <= 10000)); then
    CHECKPOINTS="$ITEMS"
fi
echo
log "client-bench memory --items $ITEMS --page-size $PAGE_SIZE --checkpoints $CHECKPOINTS"
"$BIN" memory --items "$ITEMS" --page-size "$PAGE_SIZE" --checkpoints "$CHECKPOINTS" |
    tee "$OUT/memory.md" || die "the memory benchmark failed"

# Cross-check of VmHWM: the whole process's maximum RSS as GNU time sees it.
TIME_BIN=/usr/bin/time
TIME_LINES=()
if "$TIME_BIN" -v true >/dev/null 2>&1; then
    for mode in stream collect; do
        args=(stream --items "$ITEMS" --page-size "$PAGE_SIZE" --checkpoints "$ITEMS")
        if [[ "$mode" == collect ]]; then
            args+=(--collect)
        fi
        "$TIME_BIN" -v -o "$OUT/time-$mode.txt" "$BIN" "${args[@]}" >/dev/null ||
            die "client-bench ${args[*]} failed"
        kb="$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "$OUT/time-$mode.txt")"
        TIME_LINES+=("$(awk -v m="$mode" -v n="$ITEMS" -v kb="$kb" \
            'BEGIN { printf "/usr/bin/time -v, %s of %s customers: maximum RSS %.1f MiB", m, n, kb / 1024 }')")
    done
else
    TIME_LINES+=("no GNU time (\`apt-get install -y time\`): no cross-check of VmHWM")
fi
echo
printf '%s\n' "${TIME_LINES[@]}" | tee "$OUT/time.txt"

# --- summary -----------------------------------------------------------------

{
    echo "rustc: $(rustc --version 2>/dev/null || echo unknown)"
    echo "commit: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet 2>/dev/null || echo ' (with uncommitted changes)')"
    echo "load before the request benchmark:$LOAD_BEFORE"
    echo "load after it:$LOAD_AFTER"
    grep -E '^(target|noise):? ' "$OUT/requests.md" || true
    grep -E '^(stream|collect):' "$OUT/memory.md" || true
    printf '%s\n' "${TIME_LINES[@]}"
} | tee "$OUT/summary.txt"
log "results in $OUT (requests.md, memory.md, time-*.txt, summary.txt)"
