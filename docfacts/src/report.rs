//! What `docs check` and `docs diff` print: text, markdown or JSON, the
//! same three formats as `cargo xtask diff`.

use serde::Serialize;

use crate::diff::Change;
use crate::facts::Problem;

/// Whether a finding fails the check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    /// The spec and the page disagree.
    Difference,
    /// They disagree, and the spec records why (`x-doc-decisions`).
    Decided,
    /// They disagree, and the difference is in the known-differences file:
    /// open work, reported but not failing.
    Known,
}

/// One difference between a spec and its pages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The rule, e.g. `parameter-missing`.
    pub rule: String,
    /// Whether it is decided.
    pub state: State,
    /// The operation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    /// What it is about (a parameter, field, header, scope, status).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub subject: String,
    /// The page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<String>,
    /// The page line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_line: Option<usize>,
    /// The spec file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spec: Option<String>,
    /// The spec line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spec_line: Option<usize>,
    /// The JSON pointer into the spec.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
    /// What differs.
    pub message: String,
    /// The decision's reason, for decided findings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Shared spec elements the finding also concerns (a component schema
    /// or parameter reached through `$ref`); decisions there apply too.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<String>,
}

/// The rule of a place on a page the reader could not read.
pub const UNREADABLE: &str = "page-unreadable";

/// A page that could not be fully read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unreadable {
    /// The page.
    pub page: String,
    /// What could not be read.
    pub problems: Vec<Problem>,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One line per finding.
    Text,
    /// A markdown report for an issue or pull request.
    Markdown,
    /// JSON with a versioned shape.
    Json,
}

fn place(page: Option<&str>, line: Option<usize>) -> String {
    match (page, line) {
        (Some(p), Some(l)) => format!("{p}:{l}"),
        (Some(p), None) => p.to_string(),
        _ => "-".to_string(),
    }
}

fn spec_place(f: &Finding) -> String {
    let file = place(f.spec.as_deref(), f.spec_line);
    match &f.pointer {
        Some(p) => format!("{file} #{p}"),
        None => file,
    }
}

/// The report of a check.
pub fn check_report(
    findings: &[Finding],
    stale: &[crate::known::Known],
    format: Format,
    all: bool,
) -> String {
    let listed: Vec<&Finding> = findings
        .iter()
        .filter(|f| all || f.state == State::Difference)
        .collect();
    let count = |s: State| findings.iter().filter(|f| f.state == s).count();
    let (open, decided, known) = (
        count(State::Difference),
        count(State::Decided),
        count(State::Known),
    );
    // Places a page could not be read are findings too (rule
    // `page-unreadable`), listed with the others; the open ones are counted
    // and, in JSON, also grouped by page.
    let open_unreadable: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.rule == UNREADABLE && f.state == State::Difference)
        .collect();
    let problems = open_unreadable.len();
    let mut unreadable: Vec<Unreadable> = Vec::new();
    for f in &open_unreadable {
        let page = f.page.clone().unwrap_or_default();
        let problem = Problem {
            line: f.page_line.unwrap_or(0),
            message: f.message.clone(),
        };
        match unreadable.iter_mut().find(|u| u.page == page) {
            Some(u) => u.problems.push(problem),
            None => unreadable.push(Unreadable {
                page,
                problems: vec![problem],
            }),
        }
    }
    match format {
        Format::Json => {
            #[derive(Serialize)]
            struct Out<'a> {
                version: u32,
                differences: usize,
                decided: usize,
                known: usize,
                unreadable: &'a [Unreadable],
                no_longer_found: &'a [crate::known::Known],
                findings: &'a [&'a Finding],
            }
            let out = Out {
                version: 1,
                differences: open,
                decided,
                known,
                unreadable: &unreadable,
                no_longer_found: stale,
                findings: &listed,
            };
            let mut text = serde_json::to_string_pretty(&out).unwrap_or_default();
            text.push('\n');
            text
        }
        Format::Text => {
            let mut text = String::new();
            for f in &listed {
                let state = match f.state {
                    State::Difference => "difference",
                    State::Decided => "decided",
                    State::Known => "known",
                };
                text.push_str(&format!(
                    "{state} [{}] {}: {}\n    page {}\n    spec {}\n",
                    f.rule,
                    f.operation.as_deref().unwrap_or("-"),
                    f.message,
                    place(f.page.as_deref(), f.page_line),
                    spec_place(f),
                ));
                if let Some(r) = &f.reason {
                    text.push_str(&format!("    reason: {}\n", one_line(r)));
                }
            }
            for k in stale {
                text.push_str(&format!(
                    "no longer found [{}] {} {} {}: remove it from the known differences (`--update-known`)\n",
                    k.rule, k.operation, k.subject, k.page
                ));
            }
            text.push_str(&format!(
                "{open} difference(s), {decided} decided, {known} known, {} no longer found, {problems} unreadable place(s)\n",
                stale.len()
            ));
            text
        }
        Format::Markdown => {
            let mut text = format!(
                "## Docs check\n\n{open} difference(s), {decided} decided, {known} known, {} no longer found, {problems} unreadable place(s).\n\n",
                stale.len()
            );
            if !listed.is_empty() {
                text.push_str("| state | rule | operation | page | spec | difference |\n| --- | --- | --- | --- | --- | --- |\n");
                for f in &listed {
                    let state = match f.state {
                        State::Difference => "**difference**",
                        State::Decided => "decided",
                        State::Known => "known",
                    };
                    text.push_str(&format!(
                        "| {state} | `{}` | {} | `{}` | `{}` | {} |\n",
                        f.rule,
                        f.operation.as_deref().unwrap_or("-"),
                        place(f.page.as_deref(), f.page_line),
                        spec_place(f),
                        cell(&f.message),
                    ));
                }
            }
            text
        }
    }
}

/// The report of a page diff (or of a refresh: `page` names each page).
pub fn diff_report(
    changes: &[(String, Change)],
    unreadable: &[Unreadable],
    format: Format,
) -> String {
    let problems: usize = unreadable.iter().map(|u| u.problems.len()).sum();
    match format {
        Format::Json => {
            #[derive(Serialize)]
            struct Item<'a> {
                page: &'a str,
                #[serde(flatten)]
                change: &'a Change,
            }
            #[derive(Serialize)]
            struct Out<'a> {
                version: u32,
                changes: Vec<Item<'a>>,
                unreadable: &'a [Unreadable],
            }
            let out = Out {
                version: 1,
                changes: changes
                    .iter()
                    .map(|(page, change)| Item { page, change })
                    .collect(),
                unreadable,
            };
            let mut text = serde_json::to_string_pretty(&out).unwrap_or_default();
            text.push('\n');
            text
        }
        Format::Text => {
            let mut text = String::new();
            for u in unreadable {
                for p in &u.problems {
                    text.push_str(&format!(
                        "unreadable {}:{}: {}\n",
                        u.page, p.line, p.message
                    ));
                }
            }
            for (page, c) in changes {
                text.push_str(&format!(
                    "[{}] {}: {}{}\n",
                    c.rule,
                    page,
                    c.subject,
                    values(c)
                ));
            }
            text.push_str(&format!(
                "{} fact change(s), {problems} unreadable place(s)\n",
                changes.len()
            ));
            text
        }
        Format::Markdown => {
            let mut text = format!("## Docs changes\n\n{} fact change(s).\n\n", changes.len());
            if !changes.is_empty() {
                text.push_str(
                    "| page | change | what | old | new |\n| --- | --- | --- | --- | --- |\n",
                );
                for (page, c) in changes {
                    let line = |l: Option<usize>| l.map(|l| format!(":{l}")).unwrap_or_default();
                    text.push_str(&format!(
                        "| `{page}{}` | `{}` | {} | {} | {} |\n",
                        line(c.new_line.or(c.old_line)),
                        c.rule,
                        cell(&c.subject),
                        cell(c.old.as_deref().unwrap_or("")),
                        cell(c.new.as_deref().unwrap_or("")),
                    ));
                }
            }
            text
        }
    }
}

fn values(c: &Change) -> String {
    match (&c.old, &c.new) {
        (Some(a), Some(b)) => format!(" ({a} → {b})"),
        (Some(a), None) => format!(" (was {a})"),
        (None, Some(b)) => format!(" ({b})"),
        (None, None) => String::new(),
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn cell(s: &str) -> String {
    one_line(s).replace('|', "\\|")
}
