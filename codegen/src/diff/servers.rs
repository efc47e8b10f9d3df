//! Servers: URLs added to or removed from the document's `servers`.

use serde_json::Value;

use super::engine::Differ;
use super::rules;
use super::{Direction, Side};
use crate::error::JsonPointer;
use crate::semver::Semver;

impl Differ<'_> {
    /// Compares the document's server URLs.
    pub(super) fn servers(&mut self) {
        let urls = |root: &Value| -> Vec<(String, usize)> {
            root.get("servers")
                .and_then(Value::as_array)
                .map(|list| {
                    list.iter()
                        .enumerate()
                        .filter_map(|(i, s)| {
                            s.get("url")
                                .and_then(Value::as_str)
                                .map(|u| (u.to_owned(), i))
                        })
                        .collect()
                })
                .unwrap_or_default()
        };
        let (ua, ub) = (urls(self.base), urls(self.rev));
        let servers = JsonPointer::root().join("servers");
        for (url, i) in &ua {
            if !ub.iter().any(|(u, _)| u == url) {
                self.emit(
                    &rules::SERVER_REMOVED,
                    None,
                    Direction::None,
                    &servers.join(i),
                    Side::Base,
                    Semver::Patch,
                    format!("server `{url}` removed"),
                );
            }
        }
        for (url, i) in &ub {
            if !ua.iter().any(|(u, _)| u == url) {
                self.emit(
                    &rules::SERVER_ADDED,
                    None,
                    Direction::None,
                    &servers.join(i),
                    Side::Revision,
                    Semver::Patch,
                    format!("server `{url}` added"),
                );
            }
        }
    }
}
