//! Servers: URLs added to or removed from the document's `servers`, and
//! the constants of the generated `servers` module they become.

use serde_json::Value;

use super::engine::Differ;
use super::rules;
use super::{Direction, Side};
use crate::error::JsonPointer;
use crate::extensions::servers::server_constants;
use crate::semver::Semver;

/// A server of one side: its URL, its index and the constant it becomes.
struct Listed {
    url: String,
    index: usize,
    constant: Option<String>,
}

fn listed(root: &Value) -> Vec<Listed> {
    let servers = root
        .get("servers")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    servers
        .iter()
        .zip(server_constants(servers))
        .enumerate()
        .filter_map(|(index, (server, constant))| {
            Some(Listed {
                url: server.get("url")?.as_str()?.to_owned(),
                index,
                constant,
            })
        })
        .collect()
}

/// Whether `side` has a server that becomes `constant`.
fn has_constant(side: &[Listed], constant: Option<&str>) -> bool {
    side.iter().any(|s| s.constant.as_deref() == constant)
}

impl Differ<'_> {
    /// Compares the document's servers. A URL removed takes its constant
    /// with it (major) unless another server still becomes that constant;
    /// a URL added adds one (minor) unless the constant was there; a
    /// constant renamed under the same URL is major.
    pub(super) fn servers(&mut self) {
        let (base, rev) = (listed(self.base), listed(self.rev));
        let servers = JsonPointer::root().join("servers");
        for old in &base {
            match rev.iter().find(|new| new.url == old.url) {
                None => {
                    let semver = match &old.constant {
                        Some(c) if !has_constant(&rev, Some(c)) => Semver::Major,
                        _ => Semver::Patch,
                    };
                    self.emit(
                        &rules::SERVER_REMOVED,
                        None,
                        Direction::None,
                        &servers.join(old.index),
                        Side::Base,
                        semver,
                        format!("server `{}` removed", old.url),
                    );
                }
                Some(new) if new.constant != old.constant => {
                    let semver = match &old.constant {
                        Some(c) if !has_constant(&rev, Some(c)) => Semver::Major,
                        _ if !has_constant(&base, new.constant.as_deref()) => Semver::Minor,
                        _ => Semver::Patch,
                    };
                    let name = |c: &Option<String>| {
                        c.as_deref()
                            .map_or_else(|| "no constant".to_owned(), |c| format!("`servers::{c}`"))
                    };
                    self.emit(
                        &rules::SERVER_CONSTANT_RENAMED,
                        None,
                        Direction::None,
                        &servers.join(new.index),
                        Side::Revision,
                        semver,
                        format!(
                            "server `{}`: {} became {}",
                            old.url,
                            name(&old.constant),
                            name(&new.constant)
                        ),
                    );
                }
                Some(_) => {}
            }
        }
        for new in &rev {
            if !base.iter().any(|old| old.url == new.url) {
                let semver = match &new.constant {
                    Some(c) if !has_constant(&base, Some(c)) => Semver::Minor,
                    _ => Semver::Patch,
                };
                self.emit(
                    &rules::SERVER_ADDED,
                    None,
                    Direction::None,
                    &servers.join(new.index),
                    Side::Revision,
                    semver,
                    format!("server `{}` added", new.url),
                );
            }
        }
    }
}
