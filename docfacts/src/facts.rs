//! The facts a page states, as typed data: names, types, flags, codes,
//! labels, URLs and samples. Descriptions are never stored.
//!
//! Every fact keeps the page line it was read from, for reports; lines are
//! not facts themselves, so comparisons ignore them.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Whose page it is: the vendors format their pages differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Vendor {
    /// AvePoint Graph (the `AvePoint/cloud-api` repository).
    Avepoint,
    /// Microsoft Partner Center (the `partner-center/developer` pages).
    PartnerCenter,
}

impl Vendor {
    /// The vendor's name as specs write it in `x-doc-source`.
    pub fn as_str(self) -> &'static str {
        match self {
            Vendor::Avepoint => "avepoint",
            Vendor::PartnerCenter => "partner-center",
        }
    }

    /// Parses the name `x-doc-source` uses.
    pub fn parse(name: &str) -> Option<Vendor> {
        match name {
            "avepoint" => Some(Vendor::Avepoint),
            "partner-center" => Some(Vendor::PartnerCenter),
            _ => None,
        }
    }
}

/// Everything one page states.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct PageFacts {
    /// The page's title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The clouds of "Applies to", in page order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub applies_to: Vec<Listed>,
    /// The authentication modes the page says the call supports.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub auth_modes: Vec<Listed>,
    /// The GDAP roles the page lists.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub gdap_roles: Vec<Listed>,
    /// The attributes the page says are left out without DAP access.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub withheld_without_dap: Vec<Listed>,
    /// Whether the page says its API is deprecated, and where.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<usize>,
    /// The operations the page documents.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub operations: Vec<OperationFacts>,
    /// The resources (named field tables) a resource page defines.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<Resource>,
    /// Request headers a headers page defines.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<Header>,
    /// HTTP status codes a page lists in a status-code table.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub status_codes: Vec<Listed>,
    /// What could not be read, with its line. Never skipped silently.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<Problem>,
}

impl PageFacts {
    /// The facts without what is not a fact: lines (which move with every
    /// edit) and the link targets used to find other pages (rendered text
    /// has no links). Two revisions that state the same facts compare equal
    /// this way.
    pub fn normalised(&self) -> PageFacts {
        let mut f = self.clone();
        f.deprecated = f.deprecated.map(|_| 0);
        f.problems.clear();
        for list in [
            &mut f.applies_to,
            &mut f.auth_modes,
            &mut f.gdap_roles,
            &mut f.withheld_without_dap,
            &mut f.status_codes,
        ] {
            list.iter_mut().for_each(|l| l.line = 0);
        }
        f.headers.iter_mut().for_each(|h| h.line = 0);
        for r in &mut f.resources {
            r.line = 0;
            r.fields.iter_mut().for_each(|x| {
                x.line = 0;
                x.resource = None;
            });
        }
        for op in &mut f.operations {
            op.line = 0;
            op.see.clear();
            op.request_link = None;
            op.response_link = None;
            for l in [&mut op.scopes, &mut op.request_headers] {
                l.iter_mut().for_each(|x| x.line = 0);
            }
            op.statuses.iter_mut().for_each(|s| s.line = 0);
            for list in [
                &mut op.parameters,
                &mut op.request_fields,
                &mut op.response_fields,
            ] {
                list.iter_mut().for_each(|x| {
                    x.line = 0;
                    x.resource = None;
                });
            }
            for s in op
                .request_samples
                .iter_mut()
                .chain(op.response_samples.iter_mut())
            {
                s.line = 0;
                s.repairs.iter_mut().for_each(|r| r.line = 0);
            }
        }
        f
    }
}

/// One entry of a page-level list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listed {
    /// The entry, as named on the page.
    pub value: String,
    /// Its line.
    pub line: usize,
}

/// A problem reading a page: something that looked like a fact and could
/// not be read as one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// The line.
    pub line: usize,
    /// What went wrong.
    pub message: String,
}

/// One documented operation.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct OperationFacts {
    /// The HTTP method, uppercase.
    pub method: String,
    /// The path template, with a leading `/`, without base URL or query.
    pub path: String,
    /// The line of the request line or endpoint row.
    pub line: usize,
    /// The permissions (scopes) the page requires.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub scopes: Vec<Listed>,
    /// Path and query parameters.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parameters: Vec<Field>,
    /// Whether the page says the request has no body ("None.").
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub no_request_body: bool,
    /// Request body fields, nested ones with dotted paths.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub request_fields: Vec<Field>,
    /// The resource the request body is, when the page names one instead of
    /// a table (`Customer`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_resource: Option<String>,
    /// Where the page links that resource (`customer-resources.md#customer`);
    /// rendered text has no links, so this is for finding the resource, not
    /// a fact to compare.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_link: Option<String>,
    /// Response fields, nested ones with dotted paths.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub response_fields: Vec<Field>,
    /// The resource the response is, when the page names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_resource: Option<String>,
    /// Where the page links that resource (see `request_link`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_link: Option<String>,
    /// Documented status codes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub statuses: Vec<Status>,
    /// Request headers the page shows (its samples and header tables).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub request_headers: Vec<Listed>,
    /// Pages the operation's sections link for more facts (headers, status
    /// codes), as link targets relative to the page.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub see: Vec<Listed>,
    /// Request samples: request lines or URLs, headers and bodies.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub request_samples: Vec<Sample>,
    /// Response samples.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub response_samples: Vec<Sample>,
}

/// A parameter or a body field.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct Field {
    /// The name; nested fields are `parent.child`.
    pub name: String,
    /// Where a parameter goes (`path` or `query`); empty for body fields.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub location: String,
    /// The type as the page writes it, without markup.
    #[serde(rename = "type", skip_serializing_if = "String::is_empty")]
    pub type_name: String,
    /// The type's kind, for comparison with a schema.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<Kind>,
    /// The resource the type links to, if it is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// The required flag, where the page has the column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub required: Option<bool>,
    /// The default the page states for it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// Enum codes with their labels.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub codes: Vec<Code>,
    /// The line.
    pub line: usize,
}

/// The kinds of JSON value a page's type names map to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// A string (also GUIDs and dates).
    String,
    /// An integer.
    Integer,
    /// Any number.
    Number,
    /// A boolean.
    Boolean,
    /// An array or list.
    Array,
    /// An object or a linked resource.
    Object,
}

impl Kind {
    /// The kind a page's type name denotes, if it is a known one.
    pub fn of(type_name: &str) -> Option<Kind> {
        let t = type_name.trim().to_ascii_lowercase();
        let t = t.trim_end_matches('?');
        if t.starts_with("array")
            || t.starts_with("list")
            || t.ends_with("[]")
            || t.ends_with(" array")
            || t.starts_with("collection")
            || t.starts_with("ienumerable")
        {
            return Some(Kind::Array);
        }
        Some(match t {
            "string" | "guid" | "uuid" | "datetime" | "date" | "date-time" | "datetimeoffset"
            | "uri" | "url" | "filter" | "timespan" => Kind::String,
            "int" | "integer" | "int32" | "int64" | "long" | "short" => Kind::Integer,
            "number" | "double" | "float" | "decimal" => Kind::Number,
            "bool" | "boolean" => Kind::Boolean,
            "object" | "json" | "dictionary" => Kind::Object,
            _ => return None,
        })
    }
}

/// One enum code and its label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Code {
    /// The code as written (`0`, or a string value).
    pub code: String,
    /// Its label, which stays a label.
    pub label: String,
}

/// A documented status code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Status {
    /// The code.
    pub code: u16,
    /// The line.
    pub line: usize,
}

/// A request or response sample.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct Sample {
    /// The request method, where the sample has a request line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// The URL, where the sample has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The status, for a response sample with a status line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// Header lines, in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<(String, String)>,
    /// The JSON body, comments removed and known breakage repaired.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub json: Option<Value>,
    /// The repairs that made the body parse, each with its line.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub repairs: Vec<Problem>,
    /// The first line of the sample.
    pub line: usize,
}

/// A named table of fields on a resource page.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Resource {
    /// The resource's name (its heading).
    pub name: String,
    /// The heading's anchor (`customer` for `## Customer`).
    pub anchor: String,
    /// Its fields.
    pub fields: Vec<Field>,
    /// The heading's line.
    pub line: usize,
}

/// A request header a headers page defines.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Header {
    /// The header's name.
    pub name: String,
    /// Whether the page marks it required.
    pub required: Option<bool>,
    /// The line.
    pub line: usize,
}
