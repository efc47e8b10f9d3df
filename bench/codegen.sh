#!/usr/bin/env bash
# Benchmark: our whole codegen pipeline on one large public spec, against
# progenitor-impl + prettyplease alone on the same spec.
#
# What it measures, side by side in one hyperfine run (see bench/README.md):
#
# 1. full: the release-built `xtask --root <scratch> generate --check` on a
#    scratch root holding only the spec and a minimal settings file: load
#    (with line/column positions), validate (including the samples), version
#    decision, progenitor for the client and for its mocks, augment, format,
#    Cargo.toml and README, and the comparison with the files on disk (which
#    a first `generate` wrote, so that `--check` passes);
# 2. raw: `raw-progenitor SPEC` (workspace member bench/codegen): serde_json
#    into `openapiv3::OpenAPI`, `Generator::new(&GenerationSettings::default())
#    .generate_tokens(&spec)`, `prettyplease::unparse(&syn::parse2(tokens))`;
# 3. raw, builder: the same with the builder interface and merged tags, the
#    progenitor settings our pipeline uses, to separate the cost of that
#    choice from the cost of our stages;
# 4. raw, builder and mocks: also progenitor's `httpmock` helpers from the
#    same generator, parsed and formatted with the client: the same output
#    our pipeline ships, by progenitor alone.
#
# It prints both means and the ratio full / raw (and full / raw, builder).
# This is a benchmark, not a test: it exits non-zero only when a build, the
# download or a run fails; when our pipeline rejects the spec, it prints the
# error and stops.
#
# How to run:
#
#     bash bench/codegen.sh [SPEC]
#
# SPEC is a path or an http(s) URL of an OpenAPI 3.0 JSON document; the
# default is oxidecomputer/oxide.rs's oxide.json (the Oxide API). A URL is
# downloaded once into the cache dir (default target/bench-data/codegen/,
# ignored by git through /target) and reused. Settings, by environment
# variable:
#
#     BENCH_DATA=DIR   cache dir (default: <repo>/target/bench-data)
#     RUNS=N           measured runs per command (default 10)
#     WARMUP=N         unmeasured runs per command (default 1)
#     SKIP_BUILD=1     use the existing target/release/{xtask,raw-progenitor}
#
# Needs cargo, curl for a URL, jq, and hyperfine (`apt-get install -y
# hyperfine`; installed by the script when run as root).

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEFAULT_SPEC="https://raw.githubusercontent.com/oxidecomputer/oxide.rs/main/oxide.json"
SPEC_ARG="${1:-$DEFAULT_SPEC}"
CACHE="${BENCH_DATA:-$ROOT/target/bench-data}"
OUT="$CACHE/codegen"
RUNS="${RUNS:-10}"
WARMUP="${WARMUP:-1}"
SKIP_BUILD="${SKIP_BUILD:-0}"

log() { printf '==> %s\n' "$*" >&2; }
die() {
    printf 'error: %s\n' "$*" >&2
    exit 1
}

command -v cargo >/dev/null || die "\`cargo\` is needed but not installed"
command -v jq >/dev/null || die "\`jq\` is needed but not installed (apt-get install -y jq)"
if ! command -v hyperfine >/dev/null; then
    if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
        log "apt-get install -y hyperfine"
        apt-get install -y hyperfine >/dev/null || { apt-get update >/dev/null && apt-get install -y hyperfine >/dev/null; } ||
            die "could not install hyperfine"
    else
        die "\`hyperfine\` is needed (apt-get install -y hyperfine)"
    fi
fi
mkdir -p "$OUT/download"

# --- the spec ----------------------------------------------------------------

if [[ "$SPEC_ARG" =~ ^https?:// ]]; then
    SPEC="$OUT/download/$(basename "${SPEC_ARG%%\?*}")"
    if [[ ! -s "$SPEC" ]]; then
        command -v curl >/dev/null || die "\`curl\` is needed to download $SPEC_ARG"
        log "curl $SPEC_ARG"
        curl -fsSL --retry 2 -o "$SPEC.part" "$SPEC_ARG" || die "cannot download $SPEC_ARG (give a local copy as the argument)"
        mv "$SPEC.part" "$SPEC"
    fi
else
    SPEC="$(cd "$(dirname "$SPEC_ARG")" && pwd)/$(basename "$SPEC_ARG")"
    [[ -s "$SPEC" ]] || die "$SPEC_ARG: no such file"
fi
[[ "$SPEC" == *.json ]] || die "$SPEC: the baseline reads JSON only; convert the spec to .json first"
OPERATIONS="$(jq '[.paths[] | to_entries[] | select(.key | IN("get","put","post","delete","options","head","patch","trace"))] | length' "$SPEC")" ||
    die "$SPEC is not JSON"
log "spec: $SPEC ($(wc -c <"$SPEC") bytes, openapi $(jq -r .openapi "$SPEC"), $OPERATIONS operations)"

# --- the binaries --------------------------------------------------------------

if [[ "$SKIP_BUILD" != 1 ]]; then
    log "cargo build --release -p xtask -p codegen-bench"
    (cd "$ROOT" && cargo build --release -p xtask -p codegen-bench) || die "cargo build --release failed"
fi
BIN_DIR="${CARGO_TARGET_DIR:-$ROOT/target}/release"
XTASK="$BIN_DIR/xtask"
RAW="$BIN_DIR/raw-progenitor"
[[ -x "$XTASK" && -x "$RAW" ]] || die "$XTASK or $RAW not found (cargo build --release -p xtask -p codegen-bench)"

# --- the scratch root ------------------------------------------------------------

# One spec and the least settings file our pipeline accepts; the crate name
# is the spec's file name made into a package name.
STEM="$(basename "$SPEC" .json)"
NAME="bench-$(printf '%s' "$STEM" | tr -c 'A-Za-z0-9\n' '-' | tr 'A-Z' 'a-z')"
SCRATCH="$OUT/root"
rm -rf "$SCRATCH"
mkdir -p "$SCRATCH/specs"
cp "$SPEC" "$SCRATCH/specs/$STEM.json"
cat >"$SCRATCH/specs/$STEM.settings.toml" <<TOML
# Written by bench/codegen.sh: the least settings our pipeline needs.
[crate]
name = "$NAME"
version = "0.1.0"
description = "Benchmark crate generated from $STEM.json"
TOML

log "xtask --root $SCRATCH generate (once, so that --check then passes)"
if ! "$XTASK" --root "$SCRATCH" generate >"$OUT/first-generate.txt" 2>&1; then
    cat "$OUT/first-generate.txt" >&2
    die "our pipeline rejects $SPEC (above); nothing was timed"
fi
"$XTASK" --root "$SCRATCH" generate --check >/dev/null 2>"$OUT/check.txt" ||
    { cat "$OUT/check.txt" >&2; die "generate --check fails right after generate"; }
"$RAW" "$SPEC" >"$OUT/raw.txt" 2>&1 || { cat "$OUT/raw.txt" >&2; die "raw progenitor fails on $SPEC"; }
log "generated: $(wc -c <"$SCRATCH/generated/$NAME/src/generated.rs") bytes (ours, with mocks); raw: $(cat "$OUT/raw.txt")"

# --- timing --------------------------------------------------------------------

hyperfine --warmup "$WARMUP" --runs "$RUNS" --export-json "$OUT/hyperfine.json" --export-markdown "$OUT/hyperfine.md" \
    -n full "$XTASK --root '$SCRATCH' generate --check" \
    -n raw "$RAW '$SPEC'" \
    -n raw-builder "$RAW '$SPEC' --builder" \
    -n raw-builder-mocks "$RAW '$SPEC' --builder --mocks"

# Mean and σ of a command, and a ratio with its propagated σ.
stat() { jq -r --arg n "$1" '.results[] | select(.command == $n) | "\(.mean) \(.stddev // 0)"' "$OUT/hyperfine.json"; }
read -r FULL FULL_SD <<<"$(stat full)"
read -r RAW_MEAN RAW_SD <<<"$(stat raw)"
read -r RAWB RAWB_SD <<<"$(stat raw-builder)"
read -r RAWM RAWM_SD <<<"$(stat raw-builder-mocks)"
ratio() { awk -v a="$1" -v sa="$2" -v b="$3" -v sb="$4" \
    'BEGIN { r = a / b; printf "%.2f ± %.2f", r, r * sqrt((sa / a) ^ 2 + (sb / b) ^ 2) }'; }
ms() { awk -v m="$1" -v s="$2" 'BEGIN { printf "%.0f ms ± %.0f ms", m * 1000, s * 1000 }'; }
{
    echo "spec: $SPEC_ARG ($OPERATIONS operations)"
    echo "commit: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet 2>/dev/null || echo ' (with uncommitted changes)')"
    echo "rustc: $(rustc --version 2>/dev/null || echo unknown)"
    echo "full (xtask generate --check): $(ms "$FULL" "$FULL_SD")"
    echo "raw (progenitor-impl default + prettyplease): $(ms "$RAW_MEAN" "$RAW_SD")"
    echo "raw, builder interface: $(ms "$RAWB" "$RAWB_SD")"
    echo "ratio full / raw: $(ratio "$FULL" "$FULL_SD" "$RAW_MEAN" "$RAW_SD")"
    echo "raw, builder interface and mock helpers: $(ms "$RAWM" "$RAWM_SD")"
    echo "ratio full / raw, builder: $(ratio "$FULL" "$FULL_SD" "$RAWB" "$RAWB_SD")"
    echo "ratio full / raw, builder and mocks (the same output as ours): $(ratio "$FULL" "$FULL_SD" "$RAWM" "$RAWM_SD")"
} | tee "$OUT/summary.txt"
log "results in $OUT (summary.txt, hyperfine.json, hyperfine.md)"
