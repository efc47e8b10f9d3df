//! Facts from the vendors' documentation pages, and what they say about
//! the specs written from them:
//!
//! - [`page`]: a page, markdown or rendered text, as blocks;
//! - [`extract`]: the blocks as typed [`facts`] (names, types, flags,
//!   codes, scopes, statuses, headers, samples; never prose);
//! - [`diff`]: the fact changes between two revisions of a page;
//! - [`check`]: the differences between a spec and the pages its
//!   operations name in `x-doc-source`, with `x-doc-decisions` honoured;
//! - [`store`]: the committed facts file that lets the check run without
//!   the pages;
//! - [`report`]: text, markdown and JSON output.
//!
//! Unlike `codegen`, this crate knows the two vendors' page layouts: that
//! is its job.

#![deny(missing_docs)]

pub mod check;
pub mod diff;
pub mod extract;
pub mod facts;
pub mod known;
pub mod page;
mod repair;
pub mod report;
mod schema;
pub mod store;

pub use check::check;
pub use diff::{diff, Change};
pub use extract::extract;
pub use facts::{PageFacts, Vendor};
pub use page::Form;
pub use report::{Finding, Format, State, Unreadable};
pub use store::{Entry, Source, Store, StoreError};

/// Reads a page file's facts, with the form its name implies.
pub fn read_page(path: &std::path::Path, vendor: Vendor) -> Result<PageFacts, StoreError> {
    let text = std::fs::read_to_string(path).map_err(|source| StoreError::Io {
        path: path.to_owned(),
        source,
    })?;
    Ok(extract(&text, Form::of(path), vendor))
}

/// The vendor a page path implies (`avepoint` or `partner-center` in it).
pub fn vendor_of(path: &std::path::Path) -> Option<Vendor> {
    let text = path.to_string_lossy().to_ascii_lowercase();
    if text.contains("avepoint") {
        Some(Vendor::Avepoint)
    } else if text.contains("partner-center") || text.contains("partner_center") {
        Some(Vendor::PartnerCenter)
    } else {
        None
    }
}

/// A page's facts as pretty JSON, with a final newline.
pub fn facts_json(facts: &PageFacts) -> String {
    let mut text = serde_json::to_string_pretty(facts).unwrap_or_default();
    text.push('\n');
    text
}
