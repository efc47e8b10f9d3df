//! Output formats for a diff: text for people, Markdown for a pull-request
//! comment, JSON with a stable shape for tools, GitHub Actions
//! annotations, release notes and JUnit XML.

use std::fmt::Write as _;

use serde::Serialize;

use super::{required_semver, worst_compat, Change, Compat, Side};
use crate::semver::Semver;

/// The diff of one spec, as the renderers take it.
#[derive(Debug, Clone, Serialize)]
pub struct SpecDiff {
    /// The spec path in the revision (or the base, if it was deleted).
    pub spec: String,
    /// Where the base came from, e.g. `HEAD~1:specs/x.yaml` or a file path.
    pub base: String,
    /// Where the revision came from.
    pub revision: String,
    /// The worst wire verdict, `none` when nothing changed.
    pub compat: Option<Compat>,
    /// The SemVer level the generated crate needs.
    pub semver: Semver,
    /// The changes, sorted.
    pub changes: Vec<Change>,
}

impl SpecDiff {
    /// Wraps the changes of one spec with their verdicts.
    pub fn new(spec: String, base: String, revision: String, changes: Vec<Change>) -> Self {
        Self {
            compat: worst_compat(&changes),
            semver: required_semver(&changes),
            spec,
            base,
            revision,
            changes,
        }
    }
}

/// The JSON document `--format json` prints; its shape is versioned by
/// `format_version`.
#[derive(Debug, Serialize)]
pub struct JsonReport<'a> {
    /// Bumped on any incompatible change of this shape; currently 1 (new
    /// fields, such as a change's `id` and `accepted`, are compatible).
    pub format_version: u32,
    /// The worst wire verdict over all specs.
    pub compat: Option<Compat>,
    /// The highest SemVer level over all specs.
    pub semver: Semver,
    /// One entry per spec compared.
    pub specs: &'a [SpecDiff],
}

/// `--format json`.
pub fn json(diffs: &[SpecDiff]) -> String {
    let report = JsonReport {
        format_version: 1,
        compat: diffs.iter().filter_map(|d| d.compat).max(),
        semver: diffs
            .iter()
            .map(|d| d.semver)
            .max()
            .unwrap_or(Semver::Patch),
        specs: diffs,
    };
    let mut text =
        serde_json::to_string_pretty(&report).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}

fn verdict(diff: &SpecDiff) -> String {
    match diff.compat {
        None => "no changes".to_owned(),
        Some(compat) => format!(
            "{} change(s): {compat} on the wire, {} for the crate",
            diff.changes.len(),
            diff.semver
        ),
    }
}

fn place(change: &Change) -> String {
    match &change.operation {
        Some(op) => op.to_string(),
        None => "document".to_owned(),
    }
}

/// Human-readable text (the default).
pub fn text(diffs: &[SpecDiff]) -> String {
    let mut out = String::new();
    for diff in diffs {
        let _ = writeln!(
            out,
            "{} ({} → {}): {}",
            diff.spec,
            diff.base,
            diff.revision,
            verdict(diff)
        );
        for change in &diff.changes {
            let _ = writeln!(
                out,
                "  [{}/{}]{} {} — {} ({}{}, {} {})",
                change.compat,
                change.semver,
                if change.accepted.is_some() {
                    " (accepted)"
                } else {
                    ""
                },
                place(change),
                change.message,
                change.rule,
                if change.direction == super::Direction::None {
                    String::new()
                } else {
                    format!(", {:?}", change.direction).to_lowercase()
                },
                match change.side {
                    Side::Base => "was at",
                    Side::Revision => "at",
                },
                change.pointer,
            );
        }
    }
    out
}

/// Markdown for a pull-request comment.
pub fn markdown(diffs: &[SpecDiff]) -> String {
    let mut out = String::from(
        "## API spec changes\n\n| spec | changes | wire | crate |\n| --- | --- | --- | --- |\n",
    );
    for diff in diffs {
        let wire = diff
            .compat
            .map(|c| c.to_string())
            .unwrap_or_else(|| "-".to_owned());
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} |",
            diff.spec,
            diff.changes.len(),
            wire,
            diff.semver
        );
    }
    for diff in diffs.iter().filter(|d| !d.changes.is_empty()) {
        let _ = writeln!(out, "\n### `{}`\n\n| wire | crate | where | change | rule |\n| --- | --- | --- | --- | --- |", diff.spec);
        for change in &diff.changes {
            let icon = match change.compat {
                Compat::Breaking => "❌",
                Compat::PossiblyBreaking => "⚠️",
                Compat::NonBreaking => "✅",
            };
            let _ = writeln!(
                out,
                "| {icon} {} | {} | {} | {} | `{}` |",
                change.compat,
                change.semver,
                place(change).replace('|', "\\|"),
                change.message.replace('|', "\\|"),
                change.rule
            );
        }
    }
    out
}

/// GitHub Actions workflow commands: one annotation per change, on the
/// spec file and line, `error` for breaking, `warning` for possibly
/// breaking and `notice` otherwise.
pub fn github(diffs: &[SpecDiff]) -> String {
    let mut out = String::new();
    for diff in diffs {
        for change in &diff.changes {
            let level = match change.compat {
                _ if change.accepted.is_some() => "notice",
                Compat::Breaking => "error",
                Compat::PossiblyBreaking => "warning",
                Compat::NonBreaking => "notice",
            };
            let line = change
                .line
                .map(|l| format!(",line={l}"))
                .unwrap_or_default();
            let message = format!(
                "{} — {} [{}; crate: {}]",
                place(change),
                change.message,
                change.rule,
                change.semver
            );
            let _ = writeln!(
                out,
                "::{level} file={}{line},title={}::{}",
                escape_property(&diff.spec),
                escape_property(change.rule),
                escape_data(&message)
            );
        }
    }
    out
}

fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// Release notes from the changes, grouped by operation (document-level
/// changes first), breaking changes first within each group, as Markdown.
/// `title` is the heading, e.g. `## 0.3.0`.
pub fn changelog(title: &str, diffs: &[SpecDiff]) -> String {
    let mut out = format!("{title}\n");
    let changes: Vec<&Change> = diffs.iter().flat_map(|d| &d.changes).collect();
    if changes.is_empty() {
        out.push_str("\nNo API changes.\n");
        return out;
    }
    let mut groups: Vec<(String, Vec<&Change>)> = Vec::new();
    for change in changes {
        let key = match &change.operation {
            Some(op) => op.to_string(),
            None => String::new(),
        };
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, list)) => list.push(change),
            None => groups.push((key, vec![change])),
        }
    }
    groups.sort_by(|a, b| a.0.cmp(&b.0));
    for (operation, mut list) in groups {
        list.sort_by(|a, b| {
            b.compat
                .cmp(&a.compat)
                .then_with(|| a.message.cmp(&b.message))
        });
        let heading = if operation.is_empty() {
            "The API as a whole".to_owned()
        } else {
            format!("`{operation}`")
        };
        let _ = writeln!(out, "\n### {heading}\n");
        for change in list {
            let tag = match change.compat {
                Compat::Breaking => "**Breaking:** ",
                Compat::PossiblyBreaking => "**Possibly breaking:** ",
                Compat::NonBreaking => "",
            };
            let _ = writeln!(out, "- {tag}{}", capitalize(&change.message));
        }
    }
    out
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// JUnit XML: a test suite per spec and a test case per change; a change
/// at or above `fail_on` (and not accepted) is a failure, so CI systems
/// that read test reports show it.
pub fn junit(diffs: &[SpecDiff], fail_on: Option<Compat>) -> String {
    let failing =
        |c: &Change| c.accepted.is_none() && fail_on.is_some_and(|level| c.compat >= level);
    let total: usize = diffs.iter().map(|d| d.changes.len()).sum();
    let failures: usize = diffs
        .iter()
        .flat_map(|d| &d.changes)
        .filter(|c| failing(c))
        .count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"cargo xtask diff\" tests=\"{total}\" failures=\"{failures}\">"
    );
    for diff in diffs {
        let suite_failures = diff.changes.iter().filter(|c| failing(c)).count();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{suite_failures}\">",
            xml(&diff.spec),
            diff.changes.len()
        );
        for change in &diff.changes {
            let _ = write!(
                out,
                "    <testcase classname=\"{}\" name=\"{} {}\"",
                xml(&diff.spec),
                xml(change.rule),
                xml(&format!("{} [{}]", place(change), change.id))
            );
            let detail = format!(
                "{} — {} ({} on the wire, {} for the crate; at {})",
                place(change),
                change.message,
                change.compat,
                change.semver,
                change.pointer
            );
            if failing(change) {
                let _ = writeln!(
                    out,
                    ">\n      <failure type=\"{}\" message=\"{}\">{}</failure>\n    </testcase>",
                    change.compat,
                    xml(&change.message),
                    xml(&detail)
                );
            } else {
                let _ = writeln!(
                    out,
                    ">\n      <system-out>{}</system-out>\n    </testcase>",
                    xml(&detail)
                );
            }
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

/// Text escaped for XML attributes and content.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\t' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}
