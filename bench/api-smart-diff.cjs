// The alternative that bench/diff-octokit.sh compares `cargo xtask diff` with:
// reads and parses two OpenAPI documents and runs api-smart-diff's
// `apiDiff(before, after)` on them, end to end like our binary does.
//
// Usage: node bench/api-smart-diff.cjs <api-smart-diff package dir> <old.json> <new.json>
// Prints one JSON line to stdout: the number of diffs, a count by type, and
// the milliseconds spent parsing and diffing.
"use strict";

const fs = require("fs");

const [packageDir, beforePath, afterPath] = process.argv.slice(2);
if (!packageDir || !beforePath || !afterPath) {
  process.stderr.write("usage: node api-smart-diff.cjs <package dir> <old.json> <new.json>\n");
  process.exit(2);
}

const { apiDiff } = require(packageDir);

const start = process.hrtime.bigint();
const before = JSON.parse(fs.readFileSync(beforePath, "utf8"));
const after = JSON.parse(fs.readFileSync(afterPath, "utf8"));
const parsed = process.hrtime.bigint();
// 1.x returns the diff array; 0.x returned `{ diffs, merged }`.
const result = apiDiff(before, after);
const diffs = Array.isArray(result) ? result : result.diffs;
const done = process.hrtime.bigint();

const byType = {};
for (const d of diffs) byType[d.type] = (byType[d.type] || 0) + 1;
process.stdout.write(
  JSON.stringify({
    diffs: diffs.length,
    by_type: byType,
    parse_ms: Number(parsed - start) / 1e6,
    diff_ms: Number(done - parsed) / 1e6,
  }) + "\n",
);
