//! The committed facts file: the extracted facts of every page the specs
//! link (and the pages those link for headers, status codes and
//! resources), keyed by path under the docs root. CI has no network and a
//! fresh clone has no vendor docs, so `docs check` reads this file unless
//! it is given `--docs`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::extract::extract;
use crate::facts::{PageFacts, Resource, Vendor};
use crate::page::Form;

/// The version of the file's shape.
pub const FORMAT: u32 = 1;

/// One page's facts and how it was read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// Whose page it is.
    pub vendor: Vendor,
    /// The form it was read in.
    pub form: Form,
    /// Its public address, where a spec names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The facts.
    pub facts: PageFacts,
}

/// Every stored page, by path under the docs root.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Store {
    /// The version of this shape ([`FORMAT`]).
    pub format: u32,
    /// The pages.
    pub pages: BTreeMap<String, Entry>,
}

/// Errors reading pages or the facts file.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A page or the facts file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// The facts file is not valid.
    #[error("{path}:{line}:{column}: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// Its line.
        line: usize,
        /// Its column.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// The facts file has another shape version.
    #[error("{path}: facts format {found}, this tool reads {FORMAT}; run `cargo xtask docs refresh --docs DIR`")]
    Format {
        /// The file.
        path: PathBuf,
        /// The version found.
        found: u32,
    },
    /// An `x-doc-source` entry is malformed.
    #[error("{spec}: {pointer}: {message}")]
    Source {
        /// The spec.
        spec: PathBuf,
        /// Where.
        pointer: String,
        /// What is wrong.
        message: String,
    },
}

/// A page named by a spec's `x-doc-source`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Source {
    /// Path under the docs root.
    pub page: String,
    /// The vendor.
    pub vendor: Vendor,
    /// The public address, if given.
    pub url: Option<String>,
}

impl Store {
    /// Reads the facts file.
    pub fn read(path: &Path) -> Result<Store, StoreError> {
        let text = std::fs::read_to_string(path).map_err(|source| StoreError::Io {
            path: path.to_owned(),
            source,
        })?;
        let store: Store = serde_json::from_str(&text).map_err(|e| StoreError::Parse {
            path: path.to_owned(),
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        })?;
        if store.format != FORMAT {
            return Err(StoreError::Format {
                path: path.to_owned(),
                found: store.format,
            });
        }
        Ok(store)
    }

    /// The file's text: pretty JSON with sorted pages and a final newline,
    /// so a refresh diff is reviewable line by line.
    pub fn to_text(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Reads every source page from `docs`, then the pages they link for
    /// headers, status codes and resources, and stores their facts.
    pub fn extract(docs: &Path, sources: &BTreeSet<Source>) -> Result<Store, StoreError> {
        let mut store = Store {
            format: FORMAT,
            pages: BTreeMap::new(),
        };
        let mut queue: Vec<(String, Vendor, Option<String>)> = sources
            .iter()
            .map(|s| (s.page.clone(), s.vendor, s.url.clone()))
            .collect();
        while let Some((page, vendor, url)) = queue.pop() {
            if let Some(existing) = store.pages.get_mut(&page) {
                if existing.url.is_none() {
                    existing.url = url;
                }
                continue;
            }
            let path = docs.join(&page);
            let text =
                std::fs::read_to_string(&path).map_err(|source| StoreError::Io { path, source })?;
            let form = Form::of(Path::new(&page));
            let facts = extract(&text, form, vendor);
            for link in linked(&facts) {
                if let Some(target) = join_link(&page, &link) {
                    if docs.join(&target).is_file() && !store.pages.contains_key(&target) {
                        queue.push((target, vendor, None));
                    }
                }
            }
            store.pages.insert(
                page,
                Entry {
                    vendor,
                    form,
                    url,
                    facts,
                },
            );
        }
        Ok(store)
    }

    /// A page's entry.
    pub fn page(&self, page: &str) -> Option<&Entry> {
        self.pages.get(page)
    }

    /// The stored page a link on `from` points to.
    pub fn resolve_link(&self, from: &str, link: &str) -> Option<String> {
        join_link(from, link).filter(|t| self.pages.contains_key(t))
    }

    /// The resource an operation names: through its link
    /// (`customer-resources.md#customer`, `#domain`) when the page has one,
    /// else by name on any stored resource page.
    pub fn resource(&self, from: &str, name: &str, link: Option<&str>) -> Option<&Resource> {
        let by_name = || {
            self.pages
                .values()
                .flat_map(|e| &e.facts.resources)
                .find(|r| r.name.eq_ignore_ascii_case(name))
        };
        let Some(link) = link else { return by_name() };
        let target = if link.starts_with('#') {
            Some(from.to_string())
        } else {
            self.resolve_link(from, link)
        };
        let Some(target) = target else {
            return by_name();
        };
        let anchor = link.split_once('#').map(|(_, a)| a.to_ascii_lowercase());
        let resources = &self.pages.get(&target)?.facts.resources;
        let found = match anchor {
            Some(a) => resources.iter().find(|r| r.anchor == a),
            None => resources.iter().find(|r| r.name.eq_ignore_ascii_case(name)),
        };
        found.or_else(by_name)
    }
}

/// Links a page's facts follow to other pages.
fn linked(facts: &PageFacts) -> Vec<String> {
    let mut out = Vec::new();
    for op in &facts.operations {
        out.extend(op.see.iter().map(|s| s.value.clone()));
        out.extend(op.request_link.clone());
        out.extend(op.response_link.clone());
    }
    out
}

/// A relative link resolved against the page it is on, without anchor;
/// `None` for absolute URLs and links that leave the docs root.
pub(crate) fn join_link(from: &str, link: &str) -> Option<String> {
    let link = link.split('#').next()?.trim();
    if link.is_empty() || link.contains("://") || link.starts_with('/') {
        return None;
    }
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for seg in link.split('/') {
        match seg {
            "." | "" => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// The pages a spec's operations name in `x-doc-source`.
pub fn sources(spec_path: &Path, spec: &Value) -> Result<BTreeSet<Source>, StoreError> {
    let mut out = BTreeSet::new();
    let err = |pointer: String, message: &str| StoreError::Source {
        spec: spec_path.to_owned(),
        pointer,
        message: message.to_string(),
    };
    for (path, item) in spec
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        for (method, op) in item.as_object().into_iter().flatten() {
            let Some(list) = op.get("x-doc-source") else {
                continue;
            };
            let ptr = codegen::JsonPointer::root()
                .join("paths")
                .join(path)
                .join(method)
                .join("x-doc-source");
            let Some(list) = list.as_array() else {
                return Err(err(ptr.to_string(), "x-doc-source must be a list"));
            };
            for (i, s) in list.iter().enumerate() {
                let p = ptr.join(i).to_string();
                let page = s
                    .get("page")
                    .and_then(Value::as_str)
                    .ok_or_else(|| err(p.clone(), "an entry needs a page"))?;
                let vendor = s
                    .get("vendor")
                    .and_then(Value::as_str)
                    .and_then(Vendor::parse)
                    .ok_or_else(|| {
                        err(p.clone(), "vendor must be `avepoint` or `partner-center`")
                    })?;
                if page.contains("..") || page.starts_with('/') {
                    return Err(err(p, "the page must be a path under the docs root"));
                }
                out.insert(Source {
                    page: page.to_string(),
                    vendor,
                    url: s.get("url").and_then(Value::as_str).map(str::to_string),
                });
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_resolve_relative_to_their_page() {
        assert_eq!(
            join_link(
                "vendor-docs/avepoint/elements/general/customer/x.md",
                "../../Use-AvePoint-Graph-API.md#http-status-code"
            ),
            Some("vendor-docs/avepoint/elements/Use-AvePoint-Graph-API.md".into())
        );
        assert_eq!(join_link("a/b.md", "c.md#x"), Some("a/c.md".into()));
        assert_eq!(join_link("a/b.md", "https://x/y"), None);
        assert_eq!(join_link("b.md", "../../c.md"), None);
    }
}
