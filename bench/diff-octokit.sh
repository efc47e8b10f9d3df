#!/usr/bin/env bash
# Benchmark: `cargo xtask diff` on two real, large OpenAPI 3.0 documents.
#
# What it measures: the end-to-end wall time (hyperfine, with warmup) and the
# peak memory (max RSS, from `/usr/bin/time -v`) of the release xtask binary
# diffing GitHub's REST description as shipped in the npm package
# `@octokit/openapi` 22.0.0 and 23.0.2 (`generated/api.github.com.json`, the
# OpenAPI 3.0.3 flavour, about 12 MB each), once per output format, side by
# side (every format by default: json, text, markdown, github, changelog,
# junit):
#
#     target/release/xtask --root <repo> diff old.json new.json --format FORMAT > /dev/null
#
# In the same run it measures the alternative, api-smart-diff's
# `apiDiff(before, after)` under node (bench/api-smart-diff.cjs), for a ratio.
# It then prints a summary: a table of mean ± stddev and peak RSS per format,
# the ratio (against the json format), and the number of changes found
# (`specs[0].changes`, also counted by compat level). The targets are under
# 1 s and under 500 MB for every format; missing them is reported, not
# fatal: this is a benchmark, not a test. The script exits non-zero only when
# the run itself fails (download, build, the diff erroring, hyperfine failing
# on our binary). A failing or slow (> ALT_TIMEOUT s) alternative is reported.
#
# How to run (from anywhere; needs network access to the npm registry on the
# first run, node/npm, cargo, hyperfine and GNU time):
#
#     bash bench/diff-octokit.sh
#
# Downloads, extracted specs and results go to the cache dir (default
# target/bench-data/, ignored by git through /target); nothing there is
# fetched again when present. Settings, by environment variable:
#
#     BENCH_DATA=DIR     cache dir (default: <repo>/target/bench-data)
#     RUNS=N WARMUP=N    hyperfine runs/warmups for our binary (default 20, 3)
#     ALT_RUNS=N         hyperfine runs for api-smart-diff (default 5)
#     ALT_WARMUP=N       hyperfine warmups for api-smart-diff (default 1)
#     ALT_TIMEOUT=S      give api-smart-diff up to S seconds a run (default 60)
#     SKIP_ALT=1         do not run api-smart-diff at all
#     SKIP_BUILD=1       use the existing target/release/xtask
#     XTASK=PATH         the xtask binary to measure (implies SKIP_BUILD=1)
#     FORMATS="F ..."    the formats to measure (default: all six; json is
#                        always run once, for the change count)
#     OLD_SPEC=FILE NEW_SPEC=FILE
#                        diff these two files instead of downloading the
#                        octokit pair (for a quick offline check of the
#                        script, e.g. specs/released/partner-center.yaml and
#                        specs/partner-center.yaml; pair them with SKIP_ALT=1)
#     ASD_VERSION=V      api-smart-diff version to install (default 1.0.6)
#
# A quick offline check that the script works (seconds, not a measurement):
#
#     cargo build -p xtask && XTASK=target/debug/xtask SKIP_ALT=1 RUNS=2 WARMUP=0 \
#         OLD_SPEC=specs/released/partner-center.yaml NEW_SPEC=specs/partner-center.yaml \
#         bash bench/diff-octokit.sh
#
# Missing tools: `apt-get install -y hyperfine time` (the script does this
# itself when run as root).

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${BENCH_DATA:-$ROOT/target/bench-data}"
OUT="$CACHE/results"
RUNS="${RUNS:-20}"
WARMUP="${WARMUP:-3}"
ALT_RUNS="${ALT_RUNS:-5}"
ALT_WARMUP="${ALT_WARMUP:-1}"
ALT_TIMEOUT="${ALT_TIMEOUT:-60}"
SKIP_ALT="${SKIP_ALT:-0}"
SKIP_BUILD="${SKIP_BUILD:-0}"
FORMATS="${FORMATS:-json text markdown github changelog junit}"
ASD_VERSION="${ASD_VERSION:-1.0.6}"
OLD_VERSION="22.0.0"
NEW_VERSION="23.0.2"
TARGET_SECONDS="1"
TARGET_MB="500"

log() { printf '==> %s\n' "$*" >&2; }
die() {
    printf 'error: %s\n' "$*" >&2
    exit 1
}

# --- tools -----------------------------------------------------------------

APT_UPDATED=0
apt_install() {
    # apt_install PACKAGE: installs a Debian package when running as root.
    if [[ "$(id -u)" != 0 ]] || ! command -v apt-get >/dev/null; then
        return 1
    fi
    if [[ "$APT_UPDATED" == 0 ]]; then
        apt-get update -qq >&2 || true
        APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >&2
}

for tool in node npm cargo tar timeout; do
    command -v "$tool" >/dev/null || die "\`$tool\` is needed but not installed"
done
if ! command -v hyperfine >/dev/null; then
    log "hyperfine is missing; trying \`apt-get install -y hyperfine\`"
    apt_install hyperfine || die "hyperfine is missing: install it with \`apt-get install -y hyperfine\`"
fi
TIME_BIN=/usr/bin/time
if ! "$TIME_BIN" -v true >/dev/null 2>&1; then
    log "GNU time is missing; trying \`apt-get install -y time\`"
    apt_install time || true
fi
HAVE_TIME=1
"$TIME_BIN" -v true >/dev/null 2>&1 || {
    HAVE_TIME=0
    log "no GNU time (\`apt-get install -y time\`): peak memory will not be measured"
}

mkdir -p "$CACHE" "$OUT"

# --- the two specs -----------------------------------------------------------

# is_openapi_30 FILE: the document's `openapi` field is 3.0.x.
is_openapi_30() {
    node -e '
        const v = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).openapi;
        process.exit(typeof v === "string" && v.startsWith("3.0.") ? 0 : 1);
    ' "$1"
}

# fetch_spec VERSION: prints the path of the OpenAPI 3.0 api.github.com JSON
# of @octokit/openapi@VERSION, downloading and extracting it when needed.
fetch_spec() {
    local version="$1"
    local spec="$CACHE/octokit-openapi-$version.api.github.com.json"
    if [[ -s "$spec" ]]; then
        printf '%s\n' "$spec"
        return
    fi
    local tarball="$CACHE/octokit-openapi-$version.tgz"
    if [[ ! -s "$tarball" ]]; then
        log "npm pack @octokit/openapi@$version"
        (cd "$CACHE" && npm pack --silent "@octokit/openapi@$version" >/dev/null) ||
            die "npm pack @octokit/openapi@$version failed"
        [[ -s "$tarball" ]] || die "npm pack did not produce $tarball"
    fi
    # The 3.0 description of api.github.com; never the 3.1 or deref variants.
    local member="package/generated/api.github.com.json"
    local members
    members="$(tar -tzf "$tarball")"
    # (Not `tar | grep -q`: grep quitting early would fail the pipe.)
    grep -qx "$member" <<<"$members" ||
        die "$tarball has no $member (it has: $(grep api.github.com <<<"$members" | tr '\n' ' '))"
    local tmp
    tmp="$(mktemp -d "$CACHE/extract.XXXXXX")"
    tar -xzf "$tarball" -C "$tmp" "$member"
    if ! is_openapi_30 "$tmp/$member"; then
        rm -rf "$tmp"
        die "$member in $tarball is not OpenAPI 3.0.x"
    fi
    mv "$tmp/$member" "$spec"
    rm -rf "$tmp"
    printf '%s\n' "$spec"
}

if [[ -n "${OLD_SPEC:-}" || -n "${NEW_SPEC:-}" ]]; then
    [[ -s "${OLD_SPEC:-}" && -s "${NEW_SPEC:-}" ]] || die "OLD_SPEC and NEW_SPEC must both name files"
    OLD_SPEC="$(cd "$(dirname "$OLD_SPEC")" && pwd)/$(basename "$OLD_SPEC")"
    NEW_SPEC="$(cd "$(dirname "$NEW_SPEC")" && pwd)/$(basename "$NEW_SPEC")"
    PAIR="$OLD_SPEC -> $NEW_SPEC"
else
    OLD_SPEC="$(fetch_spec "$OLD_VERSION")"
    NEW_SPEC="$(fetch_spec "$NEW_VERSION")"
    PAIR="@octokit/openapi $OLD_VERSION -> $NEW_VERSION, api.github.com.json (OpenAPI 3.0)"
fi
log "old: $OLD_SPEC ($(du -h "$OLD_SPEC" | cut -f1))"
log "new: $NEW_SPEC ($(du -h "$NEW_SPEC" | cut -f1))"

# --- our binary ----------------------------------------------------------------

if [[ -n "${XTASK:-}" ]]; then
    SKIP_BUILD=1
    XTASK="$(cd "$(dirname "$XTASK")" && pwd)/$(basename "$XTASK")"
elif [[ "$SKIP_BUILD" != 1 ]]; then
    log "cargo build --release -p xtask"
    (cd "$ROOT" && cargo build --release -p xtask) || die "cargo build --release -p xtask failed"
fi
XTASK="${XTASK:-${CARGO_TARGET_DIR:-$ROOT/target}/release/xtask}"
[[ -x "$XTASK" ]] || die "$XTASK not found (build it with \`cargo build --release -p xtask\`)"

# xtask_cmd FORMAT: the measured command line.
xtask_cmd() { printf '%s' "$XTASK --root $ROOT diff $OLD_SPEC $NEW_SPEC --format $1"; }
XTASK_CMD="$(xtask_cmd FORMAT)"

# One checked run per format first (json always, for the change count):
# GNU time gives its peak RSS, kept in xtask-rss.txt as `FORMAT KB` lines.
XTASK_JSON="$OUT/xtask-diff.json"
RSS_FILE="$OUT/xtask-rss.txt"
: >"$RSS_FILE"
CHECKED_FORMATS="json"
for format in $FORMATS; do
    [[ "$format" == json ]] || CHECKED_FORMATS="$CHECKED_FORMATS $format"
done
for format in $CHECKED_FORMATS; do
    log "$(xtask_cmd "$format")"
    output="$OUT/xtask-diff.$format"
    [[ "$format" == json ]] && output="$XTASK_JSON"
    status=0
    if [[ "$HAVE_TIME" == 1 ]]; then
        "$TIME_BIN" -v -o "$OUT/xtask-time.$format.txt" \
            "$XTASK" --root "$ROOT" diff "$OLD_SPEC" "$NEW_SPEC" --format "$format" \
            >"$output" 2>"$OUT/xtask-stderr.$format.txt" || status=$?
        rss="$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "$OUT/xtask-time.$format.txt")"
        printf '%s %s\n' "$format" "$rss" >>"$RSS_FILE"
    else
        "$XTASK" --root "$ROOT" diff "$OLD_SPEC" "$NEW_SPEC" --format "$format" \
            >"$output" 2>"$OUT/xtask-stderr.$format.txt" || status=$?
    fi
    if [[ "$status" != 0 ]]; then
        cat "$OUT/xtask-stderr.$format.txt" >&2
        die "the diff (--format $format) failed with exit status $status"
    fi
done

# --- the alternative -------------------------------------------------------------

ASD_DIR="$CACHE/api-smart-diff-$ASD_VERSION"
ASD_PKG="$ASD_DIR/node_modules/api-smart-diff"
ASD_SCRIPT="$ROOT/bench/api-smart-diff.cjs"
ALT_STATUS="skipped (SKIP_ALT=1)"
ALT_RSS_KB=""
ALT_RESULT=""
if [[ "$SKIP_ALT" != 1 ]]; then
    ALT_STATUS=""
    if [[ ! -f "$ASD_PKG/package.json" ]]; then
        log "npm install --prefix $ASD_DIR api-smart-diff@$ASD_VERSION"
        npm install --silent --no-audit --no-fund --prefix "$ASD_DIR" "api-smart-diff@$ASD_VERSION" >&2 ||
            ALT_STATUS="failed: npm install api-smart-diff@$ASD_VERSION"
    fi
fi
ALT_CMD="timeout $ALT_TIMEOUT node $ASD_SCRIPT $ASD_PKG $OLD_SPEC $NEW_SPEC"
if [[ -z "$ALT_STATUS" ]]; then
    # A probe run, bounded by `timeout`, so that a failing or hanging
    # alternative is reported and skipped rather than stalling hyperfine.
    log "$ALT_CMD"
    status=0
    if [[ "$HAVE_TIME" == 1 ]]; then
        timeout "$ALT_TIMEOUT" "$TIME_BIN" -v -o "$OUT/alt-time.txt" \
            node "$ASD_SCRIPT" "$ASD_PKG" "$OLD_SPEC" "$NEW_SPEC" \
            >"$OUT/alt-result.json" 2>"$OUT/alt-stderr.txt" || status=$?
    else
        timeout "$ALT_TIMEOUT" node "$ASD_SCRIPT" "$ASD_PKG" "$OLD_SPEC" "$NEW_SPEC" \
            >"$OUT/alt-result.json" 2>"$OUT/alt-stderr.txt" || status=$?
    fi
    if [[ "$status" == 124 ]]; then
        ALT_STATUS="timed out after ${ALT_TIMEOUT} s"
    elif [[ "$status" != 0 ]]; then
        ALT_STATUS="failed with exit status $status: $(tail -n 3 "$OUT/alt-stderr.txt" | tr '\n' ' ')"
    else
        ALT_RESULT="$(cat "$OUT/alt-result.json")"
        if [[ "$HAVE_TIME" == 1 ]]; then
            ALT_RSS_KB="$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "$OUT/alt-time.txt")"
        fi
    fi
fi

# --- wall time ---------------------------------------------------------------

# One hyperfine run over every format, so they are measured side by side
# under the same conditions; each result is named after its format.
HYPERFINE_ARGS=()
for format in $FORMATS; do
    HYPERFINE_ARGS+=(-n "$format" "$(xtask_cmd "$format") > /dev/null")
done
log "hyperfine: xtask diff, formats $FORMATS ($WARMUP warmup, $RUNS runs each)"
hyperfine --style basic --warmup "$WARMUP" --runs "$RUNS" \
    --export-json "$OUT/hyperfine-xtask.json" \
    "${HYPERFINE_ARGS[@]}" >&2 ||
    die "hyperfine failed on our binary"

rm -f "$OUT/hyperfine-alt.json"
if [[ -z "$ALT_STATUS" ]]; then
    log "hyperfine: api-smart-diff ($ALT_WARMUP warmup, $ALT_RUNS runs)"
    if ! hyperfine --style basic --warmup "$ALT_WARMUP" --runs "$ALT_RUNS" \
        --export-json "$OUT/hyperfine-alt.json" \
        -n "api-smart-diff" "$ALT_CMD > /dev/null" >&2; then
        ALT_STATUS="failed or timed out (> ${ALT_TIMEOUT} s) under hyperfine"
        rm -f "$OUT/hyperfine-alt.json"
    fi
fi

# --- summary -------------------------------------------------------------------

SUMMARY="$OUT/summary.txt"
node - "$OUT" "$XTASK_JSON" "$RSS_FILE" "${ALT_RSS_KB:-}" "${ALT_STATUS:-ok}" \
    "$TARGET_SECONDS" "$TARGET_MB" "$PAIR" "$XTASK_CMD" "$ALT_CMD" \
    "$ALT_RESULT" <<'EOF' | tee "$SUMMARY"
const fs = require("fs");
const [out, diffJson, rssFile, altRssKb, altStatus, targetS, targetMb, pair, cmd, altCmd, altResult] =
  process.argv.slice(2);
const readResults = (file) => {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")).results;
  } catch {
    return [];
  }
};
// Peak RSS in KB by format.
const rssKb = Object.fromEntries(
  fs.readFileSync(rssFile, "utf8").split("\n").filter(Boolean).map((l) => l.split(" "))
);
const oursAll = readResults(`${out}/hyperfine-xtask.json`);
const ours = oursAll.find((r) => r.command === "json") || oursAll[0];
const alt = readResults(`${out}/hyperfine-alt.json`)[0] || null;
const ms = (s) => `${(s * 1000).toFixed(1)} ms`;
const mb = (kb) => (kb ? `${(Number(kb) / 1024).toFixed(1)} MB` : "not measured");
const line = (label, text) => console.log(`${label.padEnd(24)} ${text}`);

const doc = JSON.parse(fs.readFileSync(diffJson, "utf8"));
const changes = doc.specs[0].changes;
const count = (key) => {
  const c = {};
  for (const ch of changes) c[ch[key]] = (c[ch[key]] || 0) + 1;
  return Object.entries(c)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} ${n}`)
    .join(", ");
};

console.log(pair);
console.log(`command: ${cmd} > /dev/null`);
const timeOk = (r) => r.mean < Number(targetS);
const memOk = (kb) => (kb ? Number(kb) / 1024 < Number(targetMb) : null);
const verdict = (ok) => (ok === null ? "not measured" : ok ? "met" : "MISSED");
console.log(`${"format".padEnd(10)} ${"wall time".padEnd(34)} ${"peak RSS".padEnd(14)} < ${targetS} s   < ${targetMb} MB`);
for (const r of oursAll) {
  const wall = `${ms(r.mean)} ± ${ms(r.stddev || 0)} (min ${ms(r.min)})`;
  console.log(
    `${r.command.padEnd(10)} ${wall.padEnd(34)} ${mb(rssKb[r.command]).padEnd(14)} ${verdict(timeOk(r)).padEnd(7)} ${verdict(memOk(rssKb[r.command]))}`
  );
}
line("changes found", `${changes.length} (worst: ${doc.compat}, semver: ${doc.semver})`);
line("  by compat", count("compat"));
line("  by semver", count("semver"));
if (alt) {
  const ratio = alt.mean / ours.mean;
  const err = ratio * Math.sqrt((alt.stddev / alt.mean) ** 2 + (ours.stddev / ours.mean) ** 2);
  line("api-smart-diff wall time", `${ms(alt.mean)} ± ${ms(alt.stddev || 0)} (${alt.times.length} runs)`);
  line("api-smart-diff peak RSS", mb(altRssKb));
  if (altResult) {
    const r = JSON.parse(altResult);
    line("api-smart-diff diffs", `${r.diffs} (${Object.entries(r.by_type).map(([k, n]) => `${k} ${n}`).join(", ")})`);
  }
  line("ratio", `xtask diff (${ours.command}) is ${ratio.toFixed(1)} ± ${err.toFixed(1)} times faster than api-smart-diff`);
} else {
  line("api-smart-diff", altStatus);
}
const allTime = oursAll.every(timeOk);
const mems = oursAll.map((r) => memOk(rssKb[r.command]));
const allMem = mems.includes(null) ? null : mems.every(Boolean);
line(`target < ${targetS} s`, `${verdict(allTime)} (every format)`);
line(`target < ${targetMb} MB`, `${verdict(allMem)} (every format)`);
EOF
log "results in $OUT (summary.txt, hyperfine-*.json, xtask-diff.*, xtask-rss.txt)"
