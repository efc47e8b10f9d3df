//! Known differences: findings the team has seen and not yet fixed or
//! decided, kept in a committed file so that `docs check` fails only on
//! new ones while the specs grow toward their pages. Each entry is keyed
//! by rule, operation, subject and page (not by line, so edits elsewhere
//! do not disturb it). An entry that no longer matches a finding is
//! reported, so the file shrinks as work lands.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::report::{Finding, State};

/// One known difference.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Known {
    /// The rule.
    pub rule: String,
    /// The operation, if the finding has one.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub operation: String,
    /// The subject (parameter, field, header…).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub subject: String,
    /// The page.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub page: String,
    /// The JSON pointer, for findings without operation or subject.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub pointer: String,
}

impl Known {
    /// The key of a finding.
    pub fn of(f: &Finding) -> Known {
        let keyed = f.operation.is_some() || !f.subject.is_empty();
        Known {
            rule: f.rule.clone(),
            operation: f.operation.clone().unwrap_or_default(),
            subject: f.subject.clone(),
            page: f.page.clone().unwrap_or_default(),
            pointer: if keyed {
                String::new()
            } else {
                f.pointer.clone().unwrap_or_default()
            },
        }
    }
}

/// Marks findings that are known, and returns the known entries that no
/// finding matched.
pub fn apply(findings: &mut [Finding], known: &BTreeSet<Known>) -> Vec<Known> {
    let mut used = BTreeSet::new();
    for f in findings.iter_mut().filter(|f| f.state == State::Difference) {
        let key = Known::of(f);
        if known.contains(&key) {
            f.state = State::Known;
            used.insert(key);
        }
    }
    known.difference(&used).cloned().collect()
}

/// The known file's text for a set of findings: their undecided
/// differences, sorted, one JSON object per line.
pub fn to_text(findings: &[Finding]) -> String {
    let keys: BTreeSet<Known> = findings
        .iter()
        .filter(|f| matches!(f.state, State::Difference | State::Known))
        .map(Known::of)
        .collect();
    let mut text = String::from("[\n");
    let n = keys.len();
    for (i, k) in keys.iter().enumerate() {
        text.push_str("  ");
        text.push_str(&serde_json::to_string(k).unwrap_or_default());
        if i + 1 < n {
            text.push(',');
        }
        text.push('\n');
    }
    text.push_str("]\n");
    text
}
