//! Helpers for the conformance tests, which check the generated clients in
//! `generated/` against the samples documented in `specs/`.
//!
//! Everything here reads only files inside the repository: the specs are
//! found relative to this crate's manifest directory, so the tests pass on a
//! fresh clone. The helpers fall into three groups:
//!
//! - finding things in a spec: [`load_spec`], [`operation`],
//!   [`operation_ids`], [`request_samples`] and the sample filters such as
//!   [`response_samples`];
//! - turning documented request lines into paths and arguments:
//!   [`RequestSample::path`], [`RequestSample::query`], [`match_path_template`];
//! - checking that a generated type reproduces a documented JSON value:
//!   [`roundtrip`], [`json_differences`] and the table-driven
//!   [`check_response_samples`].

#![deny(missing_docs)]

/// The repository README: its Rust examples (the usage example of "Using a
/// generated crate in another project") are compiled as doctests here,
/// where both generated crates are dependencies.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct RootReadme;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use codegen::samples::{Sample, SampleKind};
use codegen::Spec;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Path of the AvePoint Graph spec inside the repository.
pub const AVEPOINT_SPEC: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/../specs/avepoint-graph.yaml");

/// Path of the Partner Center spec inside the repository.
pub const PARTNER_CENTER_SPEC: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/../specs/partner-center.yaml");

/// Loads the spec at `path`, panicking with the loader's message (file,
/// line and column) when it cannot be read.
pub fn load_spec(path: &str) -> Spec {
    codegen::load(Path::new(path)).unwrap_or_else(|err| panic!("cannot load {path}: {err}"))
}

/// A spec together with every sample `codegen` finds in it.
#[derive(Debug)]
pub struct LoadedSpec {
    /// The parsed spec.
    pub spec: Spec,
    /// Its samples, from [`codegen::samples::samples`], in document order.
    pub samples: Vec<Sample>,
}

impl LoadedSpec {
    /// Loads the spec at `path` and collects its samples.
    pub fn load(path: &str) -> Self {
        let spec = load_spec(path);
        let samples = codegen::samples::samples(&spec);
        Self { spec, samples }
    }
}

/// The AvePoint Graph spec and its samples, loaded once per test binary.
pub fn avepoint() -> &'static LoadedSpec {
    static SPEC: OnceLock<LoadedSpec> = OnceLock::new();
    SPEC.get_or_init(|| LoadedSpec::load(AVEPOINT_SPEC))
}

/// The Partner Center spec and its samples, loaded once per test binary.
pub fn partner_center() -> &'static LoadedSpec {
    static SPEC: OnceLock<LoadedSpec> = OnceLock::new();
    SPEC.get_or_init(|| LoadedSpec::load(PARTNER_CENTER_SPEC))
}

/// Whether `media_type` carries JSON: the generator's own definition.
pub use codegen::media::is_json;

/// A short human-readable name of `sample` for failure messages, e.g.
/// ``getCustomer response 200 application/json `documented` ``.
pub fn sample_label(sample: &Sample) -> String {
    let kind = match &sample.kind {
        SampleKind::Parameter { name, location } => format!("{location} parameter {name}"),
        SampleKind::Request { media_type } => format!("request {media_type}"),
        SampleKind::Response { status, media_type } => format!("response {status} {media_type}"),
        SampleKind::ResponseHeader { status, name } => format!("response {status} header {name}"),
    };
    format!(
        "{} {kind} `{}` ({})",
        sample.operation,
        sample.name,
        sample.pointer.as_str()
    )
}

/// The status key (`200`, `4XX`, ...) of a response-body sample, or `None`
/// for any other kind of sample.
pub fn response_status(sample: &Sample) -> Option<&str> {
    match &sample.kind {
        SampleKind::Response { status, .. } => Some(status),
        _ => None,
    }
}

/// Every response-body sample with a JSON media type, in document order.
pub fn response_samples(samples: &[Sample]) -> Vec<&Sample> {
    samples
        .iter()
        .filter(
            |s| matches!(&s.kind, SampleKind::Response { media_type, .. } if is_json(media_type)),
        )
        .collect()
}

/// The JSON response-body samples of `operation` for the status key
/// `status`, in document order.
pub fn responses_for<'a>(samples: &'a [Sample], operation: &str, status: &str) -> Vec<&'a Sample> {
    response_samples(samples)
        .into_iter()
        .filter(|s| s.operation == operation && response_status(s) == Some(status))
        .collect()
}

/// The samples of the parameter `name` of `operation`.
pub fn parameter_samples<'a>(
    samples: &'a [Sample],
    operation: &str,
    name: &str,
) -> Vec<&'a Sample> {
    samples
        .iter()
        .filter(|s| {
            s.operation == operation
                && matches!(&s.kind, SampleKind::Parameter { name: n, .. } if n == name)
        })
        .collect()
}

/// The samples of the response header `name` of `operation`'s response
/// `status`.
pub fn response_header_samples<'a>(
    samples: &'a [Sample],
    operation: &str,
    status: &str,
    name: &str,
) -> Vec<&'a Sample> {
    samples
        .iter()
        .filter(|s| {
            s.operation == operation
                && matches!(&s.kind, SampleKind::ResponseHeader { status: st, name: n }
                    if st == status && n == name)
        })
        .collect()
}

/// The `description` of the example object that holds `sample` (the
/// sibling of its `value`), if it has one. The specs name the documentation
/// page a sample was copied from there.
pub fn sample_description<'a>(spec: &'a Spec, sample: &Sample) -> Option<&'a str> {
    let example = sample.pointer.parent()?;
    spec.value()
        .pointer(example.as_str())?
        .get("description")?
        .as_str()
}

/// The operation object whose `operationId` is `operation_id`, with its
/// path template and lowercase method.
pub fn operation<'a>(spec: &'a Spec, operation_id: &str) -> Option<(&'a str, &'a str, &'a Value)> {
    spec.value()
        .get("paths")?
        .as_object()?
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .into_iter()
                .flatten()
                .map(move |(method, op)| (path.as_str(), method.as_str(), op))
        })
        .find(|(_, _, op)| op.get("operationId").and_then(Value::as_str) == Some(operation_id))
}

/// The `operationId` of every operation in `spec`, in document order.
pub fn operation_ids(spec: &Spec) -> Vec<String> {
    let Some(paths) = spec.value().get("paths").and_then(Value::as_object) else {
        return Vec::new();
    };
    paths
        .values()
        .filter_map(Value::as_object)
        .flat_map(|item| item.values())
        .filter_map(|op| op.get("operationId").and_then(Value::as_str))
        .map(str::to_owned)
        .collect()
}

/// One documented request line from an operation's `x-request-samples`
/// extension: what the vendor's page shows being sent.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
pub struct RequestSample {
    /// The documentation page the line was copied from.
    pub source: String,
    /// The HTTP method, uppercase as documented.
    pub method: String,
    /// The full URL, possibly with `<placeholders>`.
    pub url: String,
    /// The request headers the page shows, if any.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
}

impl RequestSample {
    /// The path of [`Self::url`]: everything after the host, without the
    /// query string or fragment. `/` when the URL has no path.
    pub fn path(&self) -> &str {
        let after_scheme = self
            .url
            .split_once("://")
            .map_or(self.url.as_str(), |(_, rest)| rest);
        let path = after_scheme.find('/').map_or("/", |at| &after_scheme[at..]);
        path.split(['?', '#']).next().unwrap_or(path)
    }

    /// The query parameters of [`Self::url`] as `(name, value)` pairs, in
    /// order; empty when the URL has no query string. Values are taken as
    /// written (no percent-decoding); a parameter without `=` has an empty
    /// value.
    pub fn query(&self) -> Vec<(&str, &str)> {
        let without_fragment = self.url.split('#').next().unwrap_or_default();
        let Some((_, query)) = without_fragment.split_once('?') else {
            return Vec::new();
        };
        query
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| pair.split_once('=').unwrap_or((pair, "")))
            .collect()
    }
}

/// The `x-request-samples` of `operation_id`, panicking when the operation
/// does not exist or the extension is malformed (so a typo in the spec
/// fails the tests rather than silently dropping samples).
pub fn request_samples(spec: &Spec, operation_id: &str) -> Vec<RequestSample> {
    let (_, _, op) = operation(spec, operation_id)
        .unwrap_or_else(|| panic!("no operation `{operation_id}` in {}", spec.path().display()));
    let Some(samples) = op.get("x-request-samples") else {
        return Vec::new();
    };
    serde_path_to_error::deserialize(samples.clone()).unwrap_or_else(|err| {
        panic!(
            "malformed x-request-samples of `{operation_id}` at {}: {}",
            err.path(),
            err.inner()
        )
    })
}

/// Matches a concrete `path` against an OpenAPI path `template` such as
/// `/partner/customers/{id}`, returning the value of every `{name}` segment,
/// or `None` when the literal segments or the segment count differ.
pub fn match_path_template(template: &str, path: &str) -> Option<BTreeMap<String, String>> {
    let template: Vec<&str> = template.split('/').collect();
    let path: Vec<&str> = path.split('/').collect();
    if template.len() != path.len() {
        return None;
    }
    let mut out = BTreeMap::new();
    for (t, p) in template.iter().zip(&path) {
        match t.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
            Some(name) => {
                out.insert(name.to_owned(), (*p).to_owned());
            }
            None if t == p => {}
            None => return None,
        }
    }
    Some(out)
}

/// Escapes one JSON-pointer reference token (RFC 6901).
fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Renders a `serde_path_to_error` path as a JSON pointer, e.g.
/// `/data/0/jobStatus`; the root is `/`.
fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => out.push_str(&format!("/{index}")),
            Segment::Map { key } => out.push_str(&format!("/{}", escape_token(key))),
            Segment::Enum { .. } => {}
            Segment::Unknown => out.push_str("/?"),
        }
    }
    if out.is_empty() {
        out.push('/');
    }
    out
}

/// Every difference between `expected` and `found`, one line each, naming
/// the JSON pointer of the differing key: a changed value
/// (`/a/b: expected "x", found "y"`), a key the round-trip dropped
/// (`/tags: missing after round-trip`) or added, and array length changes.
/// Empty when the two values are equal (object key order is ignored).
pub fn json_differences(expected: &Value, found: &Value) -> Vec<String> {
    let mut out = Vec::new();
    diff_into(expected, found, String::new(), &mut out);
    out
}

fn diff_into(expected: &Value, found: &Value, at: String, out: &mut Vec<String>) {
    let shown = |at: &str| {
        if at.is_empty() {
            "/".to_owned()
        } else {
            at.to_owned()
        }
    };
    match (expected, found) {
        (Value::Object(e), Value::Object(f)) => {
            for (key, e_value) in e {
                let child = format!("{at}/{}", escape_token(key));
                match f.get(key) {
                    Some(f_value) => diff_into(e_value, f_value, child, out),
                    None => out.push(format!("{child}: missing after round-trip")),
                }
            }
            for (key, f_value) in f {
                if !e.contains_key(key) {
                    out.push(format!(
                        "{at}/{}: added by round-trip (found {f_value})",
                        escape_token(key)
                    ));
                }
            }
        }
        (Value::Array(e), Value::Array(f)) => {
            for (i, (e_item, f_item)) in e.iter().zip(f).enumerate() {
                diff_into(e_item, f_item, format!("{at}/{i}"), out);
            }
            for i in f.len()..e.len() {
                out.push(format!("{at}/{i}: missing after round-trip"));
            }
            for (i, f_item) in f.iter().enumerate().skip(e.len()) {
                out.push(format!("{at}/{i}: added by round-trip (found {f_item})"));
            }
        }
        // A number keeps its value across a round-trip through a float
        // field (`100` comes back as `100.0`); JSON gives the two one meaning.
        (Value::Number(e), Value::Number(f)) if same_number(e, f) => {}
        _ if expected != found => {
            out.push(format!(
                "{}: expected {expected}, found {found}",
                shown(&at)
            ));
        }
        _ => {}
    }
}

/// Whether two JSON numbers have the same value: integers compare exactly,
/// and an integer equals a float only when the float holds that integer
/// exactly.
fn same_number(e: &serde_json::Number, f: &serde_json::Number) -> bool {
    // `as_f64` of a float is exact; an integer that needs more than 53
    // bits must not equal the float it rounds to.
    let whole = |n: &serde_json::Number| {
        n.as_i128().or_else(|| {
            n.as_f64()
                .filter(|x| x.fract() == 0.0 && x.abs() < 2f64.powi(53))
                .map(|x| x as i128)
        })
    };
    match (e.is_f64(), f.is_f64()) {
        (true, true) => e.as_f64() == f.as_f64(),
        _ => whole(e).is_some() && whole(e) == whole(f),
    }
}

/// Deserialises `value` into `T`, serialises the result again and checks
/// that nothing changed.
///
/// A deserialisation failure names the JSON pointer of the offending key
/// (via `serde_path_to_error`), e.g. `cannot deserialise at /data/0/jobStatus:
/// invalid value`; a round-trip that changes the value lists every
/// difference as [`json_differences`] does.
pub fn roundtrip<T>(value: &Value) -> Result<T, String>
where
    T: DeserializeOwned + Serialize,
{
    let typed: T = serde_path_to_error::deserialize(value.clone()).map_err(|err| {
        format!(
            "cannot deserialise at {}: {}",
            path_to_pointer(err.path()),
            err.inner()
        )
    })?;
    let again = serde_json::to_value(&typed).map_err(|err| format!("cannot serialise: {err}"))?;
    let differences = json_differences(value, &again);
    if differences.is_empty() {
        Ok(typed)
    } else {
        Err(format!(
            "the value changed in a round-trip through {}:\n  {}",
            std::any::type_name::<T>(),
            differences.join("\n  ")
        ))
    }
}

/// A type-erased [`roundtrip`] for one Rust type, as stored in a type table.
pub type RoundTripCheck = fn(&Value) -> Result<(), String>;

/// [`roundtrip`] into `T`, discarding the typed value; use it as
/// `roundtrip_check::<types::Customer>` in a [`RoundTripCheck`] table.
pub fn roundtrip_check<T>(value: &Value) -> Result<(), String>
where
    T: DeserializeOwned + Serialize,
{
    roundtrip::<T>(value).map(drop)
}

/// One row of a type table: the `operationId`, the response status key as
/// written in the spec, and the round-trip into the generated type for it.
pub type TypeTableRow = (&'static str, &'static str, RoundTripCheck);

/// Round-trips every JSON response sample in `samples` through the type
/// that `table` maps its operation and status to.
///
/// Returns one message per problem: a sample that does not round-trip, a
/// sample whose operation and status the table does not map (so a spec that
/// gains a response the table does not know fails), and a table row that
/// matches no sample (so a stale or misspelt row fails too). Also returns
/// how many samples were checked.
pub fn check_response_samples(samples: &[Sample], table: &[TypeTableRow]) -> (usize, Vec<String>) {
    let mut problems = Vec::new();
    let mut checked = 0;
    let mut used = vec![false; table.len()];
    for sample in response_samples(samples) {
        let status = response_status(sample).unwrap_or_default();
        let row = table
            .iter()
            .position(|(op, st, _)| *op == sample.operation && *st == status);
        match row {
            Some(i) => {
                used[i] = true;
                checked += 1;
                if let Err(err) = (table[i].2)(&sample.value) {
                    problems.push(format!("{}: {err}", sample_label(sample)));
                }
            }
            None => problems.push(format!(
                "{}: no Rust type mapped for ({:?}, {status:?}) in the type table",
                sample_label(sample),
                sample.operation
            )),
        }
    }
    for ((op, status, _), used) in table.iter().zip(used) {
        if !used {
            problems.push(format!(
                "type table row ({op:?}, {status:?}) matches no documented response sample"
            ));
        }
    }
    (checked, problems)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A tiny stand-in for a generated type: it knows `name` and a nested
    /// `profile`, but not `tags`, so serde silently drops that key.
    #[derive(Debug, Deserialize, Serialize, PartialEq)]
    struct Person {
        name: String,
        profile: Profile,
    }

    #[derive(Debug, Deserialize, Serialize, PartialEq)]
    struct Profile {
        #[serde(rename = "firstName")]
        first_name: String,
        age: u32,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        score: Option<f64>,
    }

    #[test]
    fn roundtrip_accepts_a_value_it_reproduces() {
        let value = json!({"name": "n", "profile": {"firstName": "x", "age": 3}});
        let person = roundtrip::<Person>(&value).unwrap();
        assert_eq!(person.profile.first_name, "x");
    }

    #[test]
    fn roundtrip_names_the_key_path_of_a_type_mismatch() {
        let value = json!({"name": "n", "profile": {"firstName": "x", "age": "three"}});
        let err = roundtrip::<Person>(&value).unwrap_err();
        assert!(
            err.starts_with("cannot deserialise at /profile/age: invalid type: string \"three\""),
            "{err}"
        );
    }

    #[test]
    fn roundtrip_names_the_key_path_inside_arrays() {
        let value = json!([{"name": "a", "profile": {"firstName": "x", "age": 1}},
                           {"name": "b", "profile": {"firstName": 7, "age": 1}}]);
        let err = roundtrip::<Vec<Person>>(&value).unwrap_err();
        assert!(
            err.starts_with("cannot deserialise at /1/profile/firstName:"),
            "{err}"
        );
    }

    #[test]
    fn roundtrip_names_a_dropped_key() {
        let value = json!({"name": "n", "tags": ["a"], "profile": {"firstName": "x", "age": 3}});
        let err = roundtrip::<Person>(&value).unwrap_err();
        assert!(err.contains("\n  /tags: missing after round-trip"), "{err}");
        assert_eq!(
            err.lines().count(),
            2,
            "exactly one difference expected: {err}"
        );
    }

    #[test]
    fn roundtrip_compares_numbers_by_value() {
        // An integer read into an `f64` comes back as `1.0`: the same number.
        let value = json!({"name": "n", "profile": {"firstName": "x", "age": 3, "score": 1}});
        roundtrip::<Person>(&value).unwrap();
        assert!(json_differences(&json!(100), &json!(100.0)).is_empty());
        assert!(json_differences(&json!(0.5), &json!(0.5)).is_empty());
        assert_eq!(
            json_differences(&json!(1), &json!(1.5)),
            vec!["/: expected 1, found 1.5"]
        );
        // Past 2^53 a float cannot hold the integer it is compared with.
        let big = 9_007_199_254_740_993_i64;
        assert_eq!(json_differences(&json!(big), &json!(big as f64)).len(), 1);
    }

    #[test]
    fn json_differences_lists_every_difference() {
        let expected = json!({"a": {"b": "x", "c~/": 1}, "list": [1, 2], "gone": true});
        let found = json!({"a": {"b": "y", "c~/": 1}, "list": [1], "new": null});
        assert_eq!(
            json_differences(&expected, &found),
            vec![
                "/a/b: expected \"x\", found \"y\"",
                "/list/1: missing after round-trip",
                "/gone: missing after round-trip",
                "/new: added by round-trip (found null)",
            ]
        );
        assert_eq!(
            json_differences(&json!(1), &json!("1")),
            vec!["/: expected 1, found \"1\""]
        );
        assert!(json_differences(&expected, &expected).is_empty());
    }

    #[test]
    fn request_sample_path_drops_host_and_query() {
        let sample = |url: &str| RequestSample {
            source: String::new(),
            method: "GET".into(),
            url: url.into(),
            headers: BTreeMap::new(),
        };
        assert_eq!(sample("https://h.example/a/<b>?x=1").path(), "/a/<b>");
        assert_eq!(sample("https://h.example").path(), "/");
        assert_eq!(sample("/a/b#f").path(), "/a/b");
    }

    #[test]
    fn request_sample_query_lists_pairs_in_order() {
        let sample = |url: &str| RequestSample {
            source: String::new(),
            method: "GET".into(),
            url: url.into(),
            headers: BTreeMap::new(),
        };
        assert_eq!(
            sample("https://h.example/v1/customers?size=40&x&y=#f").query(),
            vec![("size", "40"), ("x", ""), ("y", "")]
        );
        assert!(sample("https://h.example/v1/customers").query().is_empty());
        assert!(sample("https://h.example/a#b?c=1").query().is_empty());
    }

    #[test]
    fn path_templates_match_segment_by_segment() {
        let got = match_path_template("/v1/customers/{id}", "/v1/customers/abc").unwrap();
        assert_eq!(got.get("id").map(String::as_str), Some("abc"));
        assert!(match_path_template("/v1/customers/{id}", "/v1/orders/abc").is_none());
        assert!(match_path_template("/v1/customers/{id}", "/v1/customers/a/b").is_none());
    }
}
