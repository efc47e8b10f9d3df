//! The differ's settings for CI, read from a TOML file (by default
//! `diff.toml` at the repository root):
//!
//! ```toml
//! # Grade a rule differently from oasdiff's default.
//! [levels]
//! response-property-enum-value-added = "breaking"
//! api-security-removed = "possibly-breaking"
//!
//! # Changes reviewed and accepted: they are still reported, marked as
//! # accepted, but no longer count for `--fail-on`.
//! [[accepted]]
//! rule = "request-parameter-removed"
//! operation = "GET /orders"      # optional: METHOD and path (parameter names do not matter)
//! path = "filter"                # optional: the property path or parameter name
//! id = "3f9c0a1b2c3d4e5f"        # optional: the change's fingerprint instead
//! reason = "nobody sends it"     # optional
//! expires = "2026-12-31"         # optional: after this date it no longer applies
//!
//! # oasdiff's deprecation policy: the minimum number of days between
//! # deprecating something and its sunset date, by the operation's
//! # stability level (default 0: no minimum).
//! [deprecation]
//! beta_days = 30
//! stable_days = 90
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::lifecycle::Date;
use super::operations::path_shape;
use super::{rules, Change, Compat, DeprecationPolicy};

/// What is wrong with a settings file.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file cannot be read.
    #[error("{}: cannot read: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not valid TOML of the expected shape.
    #[error("{}: {message}", path.display())]
    Parse {
        /// The file.
        path: PathBuf,
        /// What is wrong, with the line.
        message: String,
    },
    /// An entry names a rule the differ does not have, or a bad value.
    #[error("{}: {what}", path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong, naming the key.
        what: String,
    },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    levels: BTreeMap<String, String>,
    #[serde(default)]
    accepted: Vec<Accepted>,
    #[serde(default)]
    deprecation: RawDeprecation,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDeprecation {
    #[serde(default)]
    beta_days: u32,
    #[serde(default)]
    stable_days: u32,
}

/// One reviewed and accepted change.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Accepted {
    /// The rule id.
    pub rule: String,
    /// `METHOD /path`, matched ignoring path parameter names.
    #[serde(default)]
    pub operation: Option<String>,
    /// The property path or parameter name the change concerns.
    #[serde(default)]
    pub path: Option<String>,
    /// The change's fingerprint.
    #[serde(default)]
    pub id: Option<String>,
    /// Why it was accepted.
    #[serde(default)]
    pub reason: Option<String>,
    /// The last day the acceptance applies (`YYYY-MM-DD`).
    #[serde(default)]
    pub expires: Option<String>,
}

impl Accepted {
    /// Whether this entry covers `change`.
    pub fn matches(&self, change: &Change) -> bool {
        if self.rule != change.rule {
            return false;
        }
        if let Some(id) = &self.id {
            if *id != change.id {
                return false;
            }
        }
        if let Some(op) = &self.operation {
            let Some(actual) = &change.operation else {
                return false;
            };
            let Some((method, path)) = op.trim().split_once(' ') else {
                return false;
            };
            if !method.eq_ignore_ascii_case(&actual.method)
                || path_shape(path.trim()) != path_shape(&actual.path)
            {
                return false;
            }
        }
        if let Some(path) = &self.path {
            let in_message = change.message.contains(&format!("`{path}`"));
            if change.path != *path && !in_message {
                return false;
            }
        }
        true
    }

    /// Whether the entry has expired by `today`.
    fn expired(&self, today: Date) -> bool {
        self.expires
            .as_deref()
            .and_then(Date::parse)
            .is_some_and(|last| last < today)
    }
}

/// The differ's CI settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DiffConfig {
    /// Rule levels that differ from the default.
    pub levels: BTreeMap<String, Compat>,
    /// Reviewed and accepted changes.
    pub accepted: Vec<Accepted>,
    /// The deprecation policy, which the differ applies while comparing
    /// (see [`DiffOptions::deprecation`](super::DiffOptions::deprecation)).
    pub deprecation: DeprecationPolicy,
}

/// The result of applying the settings to changes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applied {
    /// For each change, in order, the accepted entry that covers it.
    pub accepted: Vec<Option<Accepted>>,
    /// Warnings: expired entries, entries that matched nothing.
    pub warnings: Vec<String>,
}

fn parse_level(text: &str) -> Option<Compat> {
    match text {
        "breaking" | "ERR" | "error" => Some(Compat::Breaking),
        "possibly-breaking" | "WARN" | "warning" => Some(Compat::PossiblyBreaking),
        "non-breaking" | "INFO" | "info" => Some(Compat::NonBreaking),
        _ => None,
    }
}

impl DiffConfig {
    /// Reads the settings file at `path`.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_owned(),
            source,
        })?;
        Self::parse(path, &text)
    }

    /// Parses settings text; `path` is for messages.
    pub fn parse(path: &Path, text: &str) -> Result<Self, ConfigError> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| ConfigError::Parse {
            path: path.to_owned(),
            message: e.to_string().trim_end().to_owned(),
        })?;
        let invalid = |what: String| ConfigError::Invalid {
            path: path.to_owned(),
            what,
        };
        let mut levels = BTreeMap::new();
        for (id, level) in raw.levels {
            if rules::find(&id).is_none() {
                return Err(invalid(format!("[levels]: unknown rule `{id}`")));
            }
            let level = parse_level(&level).ok_or_else(|| {
                invalid(format!(
                    "[levels] {id}: `{level}` is not breaking, possibly-breaking or non-breaking"
                ))
            })?;
            levels.insert(id, level);
        }
        for (i, entry) in raw.accepted.iter().enumerate() {
            if rules::find(&entry.rule).is_none() {
                return Err(invalid(format!(
                    "accepted[{i}]: unknown rule `{}`",
                    entry.rule
                )));
            }
            if let Some(expires) = &entry.expires {
                if Date::parse(expires).is_none() {
                    return Err(invalid(format!(
                        "accepted[{i}].expires: `{expires}` is not a date (YYYY-MM-DD)"
                    )));
                }
            }
            if let Some(op) = &entry.operation {
                if !op.trim().contains(' ') {
                    return Err(invalid(format!(
                        "accepted[{i}].operation: `{op}` is not `METHOD /path`"
                    )));
                }
            }
        }
        Ok(Self {
            levels,
            accepted: raw.accepted,
            deprecation: DeprecationPolicy {
                beta_days: raw.deprecation.beta_days,
                stable_days: raw.deprecation.stable_days,
            },
        })
    }

    /// Applies the level overrides to `changes` and finds which are
    /// accepted.
    pub fn apply(&self, changes: &mut [Change]) -> Applied {
        let today = Date::today();
        for change in changes.iter_mut() {
            if let Some(level) = self.levels.get(change.rule) {
                change.compat = *level;
            }
        }
        let mut used = vec![false; self.accepted.len()];
        let accepted = changes
            .iter()
            .map(|change| {
                self.accepted.iter().enumerate().find_map(|(i, entry)| {
                    if entry.expired(today) || !entry.matches(change) {
                        return None;
                    }
                    used[i] = true;
                    Some(entry.clone())
                })
            })
            .collect();
        let warnings = self
            .accepted
            .iter()
            .zip(used)
            .filter_map(|(entry, used)| {
                let what = describe(entry);
                if entry.expired(today) {
                    Some(format!(
                        "accepted change {what} expired on {}",
                        entry.expires.as_deref().unwrap_or_default()
                    ))
                } else if !used {
                    Some(format!(
                        "accepted change {what} matches no change (remove it?)"
                    ))
                } else {
                    None
                }
            })
            .collect();
        Applied { accepted, warnings }
    }
}

fn describe(entry: &Accepted) -> String {
    let mut out = format!("`{}`", entry.rule);
    if let Some(op) = &entry.operation {
        out.push_str(&format!(" at `{op}`"));
    }
    if let Some(path) = &entry.path {
        out.push_str(&format!(" on `{path}`"));
    }
    out
}
