//! Compares every operation of a spec with the facts of the pages it names
//! in `x-doc-source`, and reports each difference with the page line, the
//! spec line and JSON pointer, and a rule name.
//!
//! A difference the spec chose on purpose carries an `x-doc-decisions`
//! entry (`rule`, optional `subject`, `reason`) on the element it concerns
//! or one of its ancestors; the check reports it as decided and passes. A
//! decision that decides nothing is reported too, so decisions do not rot.

use std::collections::BTreeSet;

use codegen::{JsonPointer, Spec};
use serde_json::Value;

use crate::diff::{json_changes, same_label, LeafChange};
use crate::extract::{path_params, template_matches, url_path};
use crate::facts::{Code, Field, Kind, OperationFacts, PageFacts};
use crate::report::{Finding, State};
use crate::schema::{self, resolve};
use crate::store::Store;

/// The rule a decision uses for a note that explains the spec and departs
/// from no page fact.
pub const NO_DIFFERENCE: &str = "no-difference";

/// Headers every HTTP client sends or that carry no API meaning; samples
/// show them, specs do not declare them.
const TRANSPORT_HEADERS: &[&str] = &[
    "authorization",
    "accept",
    "host",
    "connection",
    "content-type",
    "content-length",
    "accept-encoding",
    "user-agent",
    "expect",
    "date",
];

/// Checks one spec against the stored facts.
pub fn check(spec: &Spec, store: &Store) -> Vec<Finding> {
    let mut cx = Cx {
        spec,
        root: spec.value(),
        store,
        out: Vec::new(),
        used: BTreeSet::new(),
        addresses: Default::default(),
        context: Vec::new(),
    };
    if let Some(components) = spec.value().get("components") {
        index(
            components,
            JsonPointer::root().join("components"),
            &mut cx.addresses,
        );
    }
    cx.run();
    cx.decide();
    cx.out
}

struct Cx<'a> {
    spec: &'a Spec,
    root: &'a Value,
    store: &'a Store,
    out: Vec<Finding>,
    /// Decisions that decided a finding: (pointer of the decision, index).
    used: BTreeSet<(String, usize)>,
    /// Where each node under `/components` is, by address, so a finding on
    /// a schema reached through `$ref` can name it.
    addresses: std::collections::HashMap<*const Value, JsonPointer>,
    /// The shared schema nodes the findings being made concern.
    context: Vec<&'a Value>,
}

/// One operation of the spec being checked.
struct Op<'a> {
    id: String,
    ptr: JsonPointer,
    value: &'a Value,
    path_item: &'a Value,
    path_ptr: JsonPointer,
}

/// A page's list of names (scopes, auth modes, clouds) and the spec's.
struct Lists<'l> {
    page: &'l str,
    on_page: &'l [crate::facts::Listed],
    in_spec: &'l [String],
    same: fn(&str, &str) -> bool,
    ptr: JsonPointer,
    rules: (&'static str, &'static str),
}

/// Where a finding points: the page line and the spec element.
struct At<'p> {
    page: &'p str,
    line: Option<usize>,
    ptr: JsonPointer,
}

impl<'a> Cx<'a> {
    fn run(&mut self) {
        let Some(paths) = schema::object(self.root, "paths") else {
            return;
        };
        for (path, item) in paths {
            let path_ptr = JsonPointer::root().join("paths").join(path);
            for method in [
                "get", "put", "post", "delete", "options", "head", "patch", "trace",
            ] {
                let Some(value) = item.get(method) else {
                    continue;
                };
                let ptr = path_ptr.join(method);
                let id = value
                    .get("operationId")
                    .and_then(Value::as_str)
                    .map_or_else(
                        || format!("{} {path}", method.to_uppercase()),
                        str::to_string,
                    );
                let op = Op {
                    id,
                    ptr,
                    value,
                    path_item: item,
                    path_ptr: path_ptr.clone(),
                };
                self.operation(&op, method, path);
            }
        }
        self.notes(self.root, JsonPointer::root());
    }

    fn finding(
        &mut self,
        op: Option<&Op<'a>>,
        at: &At,
        rule: &str,
        subject: &str,
        message: String,
    ) {
        let location = self.spec.location(&at.ptr);
        let mut also: Vec<String> = Vec::new();
        for value in &self.context {
            for v in [*value, resolve(self.root, value)] {
                if let Some(p) = self.addresses.get(&(v as *const Value)) {
                    let p = p.to_string();
                    if !also.contains(&p) {
                        also.push(p);
                    }
                }
            }
        }
        self.out.push(Finding {
            rule: rule.to_string(),
            state: State::Difference,
            operation: op.map(|o| o.id.clone()),
            subject: subject.to_string(),
            page: (!at.page.is_empty()).then(|| at.page.to_string()),
            page_line: at.line,
            spec: Some(location.file.display().to_string()),
            spec_line: location.line,
            pointer: Some(at.ptr.to_string()),
            message,
            reason: None,
            also,
        });
    }

    fn operation(&mut self, op: &Op<'a>, method: &str, path: &str) {
        let Some(sources) = op.value.get("x-doc-source").and_then(Value::as_array) else {
            let at = At {
                page: "",
                line: None,
                ptr: op.ptr.clone(),
            };
            self.finding(
                Some(op),
                &at,
                "source-missing",
                "",
                "the operation names no page in x-doc-source".to_string(),
            );
            return;
        };
        let mut matched = false;
        for (i, source) in sources.iter().enumerate() {
            let src_ptr = op.ptr.join("x-doc-source").join(i);
            let Some(page) = source.get("page").and_then(Value::as_str) else {
                let at = At {
                    page: "",
                    line: None,
                    ptr: src_ptr,
                };
                self.finding(
                    Some(op),
                    &at,
                    "source-invalid",
                    "",
                    "an x-doc-source entry has no page".into(),
                );
                continue;
            };
            let Some(entry) = self.store.page(page) else {
                let at = At {
                    page,
                    line: None,
                    ptr: src_ptr,
                };
                self.finding(
                    Some(op),
                    &at,
                    "source-unknown",
                    page,
                    format!("no facts for `{page}`; run `cargo xtask docs refresh --docs DIR`"),
                );
                continue;
            };
            let facts = &entry.facts;
            self.page_level(op, page, facts);
            if facts.operations.is_empty() {
                continue;
            }
            let found = facts
                .operations
                .iter()
                .find(|f| f.method.eq_ignore_ascii_case(method) && same_template(&f.path, path));
            match found {
                Some(f) => {
                    matched = true;
                    self.compare(op, path, page, f);
                }
                None => {
                    let listed: Vec<String> = facts
                        .operations
                        .iter()
                        .map(|f| format!("{} {}", f.method, f.path))
                        .collect();
                    let at = At {
                        page,
                        line: facts.operations.first().map(|f| f.line),
                        ptr: op.ptr.clone(),
                    };
                    self.finding(
                        Some(op),
                        &at,
                        "operation-not-on-page",
                        "",
                        format!(
                            "{} {path} is not on the page, which documents {}",
                            method.to_uppercase(),
                            listed.join(", ")
                        ),
                    );
                }
            }
        }
        let _ = matched;
    }

    /// Page-level facts: deprecation, auth modes, clouds, GDAP roles,
    /// attributes withheld without DAP.
    fn page_level(&mut self, op: &Op<'a>, page: &str, facts: &PageFacts) {
        if let Some(line) = facts.deprecated {
            if op.value.get("deprecated").and_then(Value::as_bool) != Some(true) {
                let at = At {
                    page,
                    line: Some(line),
                    ptr: op.ptr.clone(),
                };
                self.finding(
                    Some(op),
                    &at,
                    "deprecation-missing",
                    "",
                    "the page deprecates this API; the operation is not deprecated".into(),
                );
            }
        }
        // Auth modes: schemes declare the mode they implement.
        let offered: Vec<String> = self.auth_modes(op).into_iter().collect();
        if !offered.is_empty() {
            let lists = Lists {
                page,
                on_page: &facts.auth_modes,
                in_spec: &offered,
                same: |a, b| a == b,
                ptr: op.ptr.join("security"),
                rules: ("auth-mode-missing", "auth-mode-undocumented"),
            };
            self.lists(
                op,
                lists,
                |m| {
                    format!("the page allows {m} authentication; no security requirement offers it")
                },
                |m| {
                    format!(
                        "the operation offers {m} authentication, which the page does not allow"
                    )
                },
            );
        }
        // Clouds: servers name the cloud they serve.
        let clouds = self.clouds(op);
        if !clouds.is_empty() {
            let lists = Lists {
                page,
                on_page: &facts.applies_to,
                in_spec: &clouds,
                same: same_label,
                ptr: JsonPointer::root().join("servers"),
                rules: ("cloud-missing", "cloud-undocumented"),
            };
            self.lists(
                op,
                lists,
                |c| format!("the page applies to `{c}`; no server serves it"),
                |c| format!("a server serves `{c}`, which the page does not apply to"),
            );
        }
        for (facts_list, key, rule) in [
            (&facts.gdap_roles, "x-doc-gdap-roles", "gdap-roles-differ"),
            (
                &facts.withheld_without_dap,
                "x-doc-withheld-without-dap",
                "withheld-without-dap-differ",
            ),
        ] {
            if facts_list.is_empty() {
                continue;
            }
            let spec_list: Vec<&str> = op
                .value
                .get(key)
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let page_set: BTreeSet<String> = facts_list
                .iter()
                .map(|l| l.value.to_ascii_lowercase())
                .collect();
            let spec_set: BTreeSet<String> =
                spec_list.iter().map(|s| s.to_ascii_lowercase()).collect();
            if page_set != spec_set {
                let at = At {
                    page,
                    line: facts_list.first().map(|l| l.line),
                    ptr: op.ptr.join(key),
                };
                let page_list: Vec<&str> = facts_list.iter().map(|l| l.value.as_str()).collect();
                self.finding(
                    Some(op),
                    &at,
                    rule,
                    "",
                    format!(
                        "the page lists [{}]; {key} has [{}]",
                        page_list.join(", "),
                        spec_list.join(", ")
                    ),
                );
            }
        }
    }

    /// The operation's security requirements (its own, else the
    /// document's), as (scheme name, scopes) pairs.
    fn security(&self, op: &Op<'a>) -> Vec<(&'a str, Vec<&'a str>)> {
        let security = op
            .value
            .get("security")
            .or_else(|| self.root.get("security"));
        security
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_object)
            .flatten()
            .map(|(name, scopes)| {
                let scopes = scopes
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .collect();
                (name.as_str(), scopes)
            })
            .collect()
    }

    fn auth_modes(&self, op: &Op<'a>) -> BTreeSet<String> {
        let schemes = self.root.pointer("/components/securitySchemes");
        self.security(op)
            .into_iter()
            .filter_map(|(name, _)| {
                schemes
                    .and_then(|s| s.get(name))
                    .and_then(|s| s.get("x-doc-auth-mode"))
                    .and_then(Value::as_str)
            })
            .map(str::to_string)
            .collect()
    }

    fn clouds(&self, op: &Op<'a>) -> Vec<String> {
        let servers = op
            .value
            .get("servers")
            .or_else(|| op.path_item.get("servers"))
            .or_else(|| self.root.get("servers"));
        let mut out: Vec<String> = Vec::new();
        for s in servers.and_then(Value::as_array).into_iter().flatten() {
            // One server may serve several clouds (a list) or one (a string).
            let named: Vec<&str> = match s.get("x-doc-cloud") {
                Some(Value::String(c)) => vec![c.as_str()],
                Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).collect(),
                _ => Vec::new(),
            };
            for c in named {
                if !out.iter().any(|o| o == c) {
                    out.push(c.to_string());
                }
            }
        }
        out
    }

    fn compare(&mut self, op: &Op<'a>, op_path: &str, page: &str, f: &OperationFacts) {
        // Each step says which shared schema nodes its findings concern;
        // none carries over to the next.
        self.context.clear();
        self.parameters(op, op_path, page, f);
        self.context.clear();
        self.headers(op, page, f);
        self.scopes(op, page, f);
        self.statuses(op, page, f);
        self.request(op, page, f);
        self.context.clear();
        self.response(op, page, f);
        self.context.clear();
        self.samples(op, page, f);
        self.context.clear();
    }

    /// The operation's parameters, path-level ones included, resolved.
    fn spec_parameters(&self, op: &Op<'a>) -> Vec<(JsonPointer, &'a Value)> {
        let mut out: Vec<(JsonPointer, &'a Value)> = Vec::new();
        let lists = [
            (op.ptr.join("parameters"), op.value.get("parameters")),
            (
                op.path_ptr.join("parameters"),
                op.path_item.get("parameters"),
            ),
        ];
        for (ptr, list) in lists {
            for (i, p) in list
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                let p = resolve(self.root, p);
                let name = p.get("name").and_then(Value::as_str);
                let location = p.get("in").and_then(Value::as_str);
                if !out.iter().any(|(_, q)| {
                    q.get("name").and_then(Value::as_str) == name
                        && q.get("in").and_then(Value::as_str) == location
                }) {
                    out.push((ptr.join(i), p));
                }
            }
        }
        out
    }

    fn parameters(&mut self, op: &Op<'a>, op_path: &str, page: &str, f: &OperationFacts) {
        let params = self.spec_parameters(op);
        let in_path_or_query =
            |p: &Value| matches!(p.get("in").and_then(Value::as_str), Some("path" | "query"));
        // Path parameters match by position: their names are not on the
        // wire, and the spec may name them its own way.
        let page_path = path_params(&f.path);
        let spec_path = path_params(op_path);
        for fact in &f.parameters {
            let positional = page_path
                .iter()
                .position(|n| schema::same_name(n, &fact.name))
                .and_then(|i| spec_path.get(i));
            let found = params.iter().find(|(_, p)| {
                let name = p.get("name").and_then(Value::as_str);
                in_path_or_query(p)
                    && name.is_some_and(|n| {
                        schema::same_name(n, &fact.name)
                            || p.get("in").and_then(Value::as_str) == Some("path")
                                && positional.is_some_and(|q| q == n)
                    })
            });
            let Some((ptr, p)) = found else {
                let at = At {
                    page,
                    line: Some(fact.line),
                    ptr: op.ptr.join("parameters"),
                };
                self.finding(
                    Some(op),
                    &at,
                    "parameter-missing",
                    &fact.name,
                    format!(
                        "{} parameter `{}` is on the page, not in the spec",
                        fact.location, fact.name
                    ),
                );
                continue;
            };
            let ptr = ptr.clone();
            self.context = vec![*p];
            let location = p.get("in").and_then(Value::as_str).unwrap_or("");
            if !fact.location.is_empty() && fact.location != location {
                let at = At {
                    page,
                    line: Some(fact.line),
                    ptr: ptr.join("in"),
                };
                self.finding(
                    Some(op),
                    &at,
                    "parameter-location-differs",
                    &fact.name,
                    format!(
                        "`{}` is a {} parameter on the page and a {location} parameter in the spec",
                        fact.name, fact.location
                    ),
                );
            }
            let required = p.get("required").and_then(Value::as_bool).unwrap_or(false);
            if let Some(page_required) = fact.required {
                if page_required != required && location != "path" {
                    let at = At {
                        page,
                        line: Some(fact.line),
                        ptr: ptr.join("required"),
                    };
                    self.finding(
                        Some(op),
                        &at,
                        "parameter-required-differs",
                        &fact.name,
                        format!(
                            "`{}` is {} on the page and {} in the spec",
                            fact.name,
                            req(page_required),
                            req(required)
                        ),
                    );
                }
            }
            let schema = p.get("schema").unwrap_or(&Value::Null);
            self.field_schema(op, page, fact, schema, ptr.join("schema"), "parameter");
        }
        let documented: Vec<&str> = f.parameters.iter().map(|p| p.name.as_str()).collect();
        if !f.parameters.is_empty() || !path_params(&f.path).is_empty() {
            for (ptr, p) in &params {
                if !in_path_or_query(p) || p.get("x-auto-value").is_some() {
                    continue;
                }
                let Some(name) = p.get("name").and_then(Value::as_str) else {
                    continue;
                };
                let in_path = spec_path.iter().any(|n| n == name);
                if !documented.iter().any(|d| schema::same_name(d, name)) && !in_path {
                    let at = At {
                        page,
                        line: Some(f.line),
                        ptr: ptr.clone(),
                    };
                    self.finding(
                        Some(op),
                        &at,
                        "parameter-undocumented",
                        name,
                        format!("parameter `{name}` is in the spec, not on the page"),
                    );
                }
            }
        }
    }

    /// Type, default and enum codes of one field against its schema.
    fn field_schema(
        &mut self,
        op: &Op<'a>,
        page: &str,
        fact: &Field,
        schema: &Value,
        ptr: JsonPointer,
        what: &str,
    ) {
        let resolved = resolve(self.root, schema);
        if let (Some(page_kind), Some(spec_kind)) = (fact.kind, schema::kind(self.root, schema)) {
            if !schema::kinds_agree(page_kind, spec_kind) {
                let at = At {
                    page,
                    line: Some(fact.line),
                    ptr: ptr.clone(),
                };
                self.finding(
                    Some(op),
                    &at,
                    &format!("{what}-type-differs"),
                    &fact.name,
                    format!(
                        "`{}` is {} on the page ({}) and {} in the spec",
                        fact.name,
                        kind_name(page_kind),
                        fact.type_name,
                        kind_name(spec_kind)
                    ),
                );
            }
        }
        if let Some(default) = &fact.default {
            let spec_default = resolved.get("default").map(|d| match d {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            });
            if spec_default.as_deref() != Some(default.as_str()) {
                let at = At {
                    page,
                    line: Some(fact.line),
                    ptr: ptr.join("default"),
                };
                self.finding(
                    Some(op),
                    &at,
                    &format!("{what}-default-differs"),
                    &fact.name,
                    format!(
                        "`{}` defaults to {default} on the page and to {} in the spec",
                        fact.name,
                        spec_default.as_deref().unwrap_or("nothing")
                    ),
                );
            }
        }
        let booleans = fact
            .codes
            .iter()
            .all(|c| matches!(c.code.as_str(), "true" | "false"));
        let boolean_codes = booleans && schema::kind(self.root, schema) == Some(Kind::Boolean);
        if !fact.codes.is_empty() && !boolean_codes {
            // The codes may sit on the array's items, or behind a
            // single-branch `allOf` (a `$ref` with siblings).
            let target = schema::items(self.root, resolved).unwrap_or(resolved);
            let target = schema::enum_holder(self.root, target);
            self.codes(op, page, fact, target, ptr);
        }
    }

    fn codes(&mut self, op: &Op<'a>, page: &str, fact: &Field, schema: &Value, ptr: JsonPointer) {
        let values: Vec<String> = schema
            .get("enum")
            .and_then(Value::as_array)
            .map(|e| {
                e.iter()
                    .map(|v| match v {
                        Value::String(s) => s.clone(),
                        o => o.to_string(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        // Labels live in x-enum-labels, the page's words for each code.
        // x-enum-varnames are Rust identifiers made from them and
        // x-enum-descriptions our own explanations: neither is a label.
        let labels: Vec<&str> = schema
            .get("x-enum-labels")
            .and_then(Value::as_array)
            .map(|e| e.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        if values.is_empty() {
            let at = At {
                page,
                line: Some(fact.line),
                ptr,
            };
            self.finding(
                Some(op),
                &at,
                "enum-missing",
                &fact.name,
                format!(
                    "the page lists {} codes for `{}`; the schema has no enum",
                    fact.codes.len(),
                    fact.name
                ),
            );
            return;
        }
        for Code { code, label } in &fact.codes {
            match values.iter().position(|v| v == code) {
                None => {
                    let at = At {
                        page,
                        line: Some(fact.line),
                        ptr: ptr.join("enum"),
                    };
                    self.finding(
                        Some(op),
                        &at,
                        "enum-code-missing",
                        &format!("{}={code}", fact.name),
                        format!(
                            "code {code} ({label}) of `{}` is not in the enum",
                            fact.name
                        ),
                    );
                }
                Some(i) => {
                    if let Some(spec_label) = labels.get(i) {
                        if !same_label(spec_label, label) {
                            let at = At {
                                page,
                                line: Some(fact.line),
                                ptr: ptr.join("x-enum-labels").join(i),
                            };
                            self.finding(Some(op), &at, "enum-label-differs", &format!("{}={code}", fact.name), format!("code {code} of `{}` is `{label}` on the page and `{spec_label}` in the spec", fact.name));
                        }
                    }
                }
            }
        }
        for v in &values {
            if !fact.codes.iter().any(|c| &c.code == v) {
                let at = At {
                    page,
                    line: Some(fact.line),
                    ptr: ptr.join("enum"),
                };
                self.finding(
                    Some(op),
                    &at,
                    "enum-code-undocumented",
                    &format!("{}={v}", fact.name),
                    format!(
                        "code {v} of `{}` is in the enum, not on the page",
                        fact.name
                    ),
                );
            }
        }
    }

    /// A header the headers page marks required and the operation declares
    /// optional (`header-required-differs`), reported at the parameter's
    /// `required`, so a decision on a shared parameter applies.
    fn header_required(
        &mut self,
        op: &Op<'a>,
        page: &str,
        h: &crate::facts::Header,
        (ptr, p): &(JsonPointer, &'a Value),
    ) {
        if h.required != Some(true) {
            return;
        }
        if p.get("required").and_then(Value::as_bool) == Some(true) {
            return;
        }
        let at = At {
            page,
            line: Some(h.line),
            ptr: ptr.join("required"),
        };
        self.context = vec![*p];
        self.finding(
            Some(op),
            &at,
            "header-required-differs",
            &h.name,
            format!(
                "{page} marks header `{}` required; the operation declares it optional",
                h.name
            ),
        );
        self.context.clear();
    }

    fn headers(&mut self, op: &Op<'a>, page: &str, f: &OperationFacts) {
        let params = self.spec_parameters(op);
        let has = |name: &str| header_param(&params, name).is_some();
        for h in &f.request_headers {
            if TRANSPORT_HEADERS.contains(&h.value.to_ascii_lowercase().as_str()) || has(&h.value) {
                continue;
            }
            let at = At {
                page,
                line: Some(h.line),
                ptr: op.ptr.join("parameters"),
            };
            self.finding(
                Some(op),
                &at,
                "header-missing",
                &h.value,
                format!(
                    "the page sends header `{}`; the spec does not declare it",
                    h.value
                ),
            );
        }
        // Headers pages the operation links ("see Headers").
        for see in &f.see {
            let Some(target) = self.store.resolve_link(page, &see.value) else {
                continue;
            };
            let Some(entry) = self.store.page(&target) else {
                continue;
            };
            for h in &entry.facts.headers {
                if TRANSPORT_HEADERS.contains(&h.name.to_ascii_lowercase().as_str()) {
                    continue;
                }
                if let Some(param) = header_param(&params, &h.name) {
                    self.header_required(op, &target, h, param);
                    continue;
                }
                let rule = if h.required == Some(true) {
                    "header-missing"
                } else {
                    "optional-header-missing"
                };
                let at = At {
                    page: &target,
                    line: Some(h.line),
                    ptr: op.ptr.join("parameters"),
                };
                let how = match h.required {
                    Some(true) => "a required",
                    Some(false) => "an optional",
                    None => "a",
                };
                self.finding(
                    Some(op),
                    &at,
                    rule,
                    &h.name,
                    format!(
                        "{target} defines {how} header `{}`; the operation does not declare it",
                        h.name
                    ),
                );
            }
        }
    }

    fn scopes(&mut self, op: &Op<'a>, page: &str, f: &OperationFacts) {
        if f.scopes.is_empty() {
            return;
        }
        let spec_scopes: BTreeSet<String> = self
            .security(op)
            .into_iter()
            .flat_map(|(_, scopes)| scopes)
            .map(str::to_string)
            .collect();
        let spec_scopes: Vec<String> = spec_scopes.into_iter().collect();
        let lists = Lists {
            page,
            on_page: &f.scopes,
            in_spec: &spec_scopes,
            same: |a, b| a == b,
            ptr: op.ptr.join("security"),
            rules: ("scope-missing", "scope-undocumented"),
        };
        self.lists(
            op,
            lists,
            |s| format!("the page requires permission `{s}`; no security requirement asks for it"),
            |s| format!("the operation asks for scope `{s}`, which the page does not name"),
        );
    }

    /// A list the page states against the one the spec states: each entry
    /// only on the page is `rules.0`, each only in the spec `rules.1`. An
    /// empty page list states nothing.
    fn lists(
        &mut self,
        op: &Op<'a>,
        lists: Lists,
        missing: impl Fn(&str) -> String,
        undocumented: impl Fn(&str) -> String,
    ) {
        if lists.on_page.is_empty() {
            return;
        }
        for item in lists.on_page {
            if !lists.in_spec.iter().any(|s| (lists.same)(s, &item.value)) {
                let at = At {
                    page: lists.page,
                    line: Some(item.line),
                    ptr: lists.ptr.clone(),
                };
                self.finding(
                    Some(op),
                    &at,
                    lists.rules.0,
                    &item.value,
                    missing(&item.value),
                );
            }
        }
        for s in lists.in_spec {
            if !lists
                .on_page
                .iter()
                .any(|item| (lists.same)(s, &item.value))
            {
                let at = At {
                    page: lists.page,
                    line: lists.on_page.first().map(|i| i.line),
                    ptr: lists.ptr.clone(),
                };
                self.finding(Some(op), &at, lists.rules.1, s, undocumented(s));
            }
        }
    }

    fn statuses(&mut self, op: &Op<'a>, page: &str, f: &OperationFacts) {
        let responses = op.value.get("responses").and_then(Value::as_object);
        let codes: Vec<&str> = responses
            .map(|r| r.keys().map(String::as_str).collect())
            .unwrap_or_default();
        let covers = |code: u16| {
            let c = code.to_string();
            codes
                .iter()
                .any(|k| *k == c || k.len() == 3 && k.ends_with("XX") && k.starts_with(&c[..1]))
        };
        for s in &f.statuses {
            if !covers(s.code) {
                let at = At {
                    page,
                    line: Some(s.line),
                    ptr: op.ptr.join("responses"),
                };
                self.finding(
                    Some(op),
                    &at,
                    "status-missing",
                    &s.code.to_string(),
                    format!(
                        "the page documents status {}; the spec has no response for it",
                        s.code
                    ),
                );
            }
        }
        if !f.statuses.is_empty() {
            for k in &codes {
                if k.starts_with('2')
                    && !f.statuses.iter().any(|s| s.code.to_string() == *k)
                    && k.len() == 3
                    && !k.ends_with("XX")
                {
                    let at = At {
                        page,
                        line: f.statuses.first().map(|s| s.line),
                        ptr: op.ptr.join("responses").join(k),
                    };
                    self.finding(
                        Some(op),
                        &at,
                        "status-undocumented",
                        k,
                        format!("the spec answers {k}, which the page does not document"),
                    );
                }
            }
        }
        // Status-code pages the operation links.
        for see in &f.see {
            let Some(target) = self.store.resolve_link(page, &see.value) else {
                continue;
            };
            let Some(entry) = self.store.page(&target) else {
                continue;
            };
            for s in &entry.facts.status_codes {
                let Ok(code) = s.value.parse::<u16>() else {
                    continue;
                };
                if code >= 400 && !covers(code) && !codes.contains(&"default") {
                    let at = At {
                        page: &target,
                        line: Some(s.line),
                        ptr: op.ptr.join("responses"),
                    };
                    self.finding(Some(op), &at, "error-status-missing", &s.value, format!("{target} documents status {code}; the operation declares no response for it"));
                }
            }
        }
    }

    fn body_schema(&self, value: &'a Value) -> Option<&'a Value> {
        let content = resolve(self.root, value).get("content")?.as_object()?;
        let (_, media) = content
            .iter()
            .find(|(k, _)| k.contains("json"))
            .or_else(|| content.iter().next())?;
        media.get("schema")
    }

    fn request(&mut self, op: &Op<'a>, page: &str, f: &OperationFacts) {
        let body = op.value.get("requestBody");
        if f.no_request_body {
            if body.is_some() {
                let at = At {
                    page,
                    line: Some(f.line),
                    ptr: op.ptr.join("requestBody"),
                };
                self.finding(
                    Some(op),
                    &at,
                    "request-body-undocumented",
                    "",
                    "the page says the request has no body; the spec declares one".into(),
                );
            }
            return;
        }
        let fields = self.fields_of(
            page,
            &f.request_fields,
            f.request_resource.as_deref(),
            f.request_link.as_deref(),
        );
        if fields.is_empty() {
            return;
        }
        let Some(schema) = body.and_then(|b| self.body_schema(b)) else {
            let at = At {
                page,
                line: fields.first().map(|f| f.line),
                ptr: op.ptr.clone(),
            };
            self.finding(
                Some(op),
                &at,
                "request-body-missing",
                "",
                "the page documents request fields; the spec has no request body".into(),
            );
            return;
        };
        let ptr = op.ptr.join("requestBody");
        self.fields(op, page, &fields, schema, ptr, "request-field");
    }

    fn response(&mut self, op: &Op<'a>, page: &str, f: &OperationFacts) {
        let fields = self.fields_of(
            page,
            &f.response_fields,
            f.response_resource.as_deref(),
            f.response_link.as_deref(),
        );
        if fields.is_empty() {
            return;
        }
        let responses = op.value.get("responses").and_then(Value::as_object);
        let success = responses.and_then(|r| {
            let mut keys: Vec<&String> = r.keys().filter(|k| k.starts_with('2')).collect();
            keys.sort();
            keys.into_iter()
                .find_map(|k| self.body_schema(&r[k]).map(|s| (k.clone(), s)))
        });
        let Some((code, schema)) = success else {
            let at = At {
                page,
                line: fields.first().map(|f| f.line),
                ptr: op.ptr.join("responses"),
            };
            self.finding(
                Some(op),
                &at,
                "response-body-missing",
                "",
                "the page documents response fields; no success response has a body".into(),
            );
            return;
        };
        let ptr = op.ptr.join("responses").join(&code);
        // The page's table may describe the body or the items of its list
        // (`data`, `items`, `value`): take whichever holds more of them.
        let body = descend_to_fields(self.root, schema, &fields);
        self.fields(op, page, &fields, body, ptr, "response-field");
    }

    /// The fields a page gives for a body: its own table, or the linked
    /// resource's fields.
    fn fields_of(
        &self,
        page: &str,
        fields: &[Field],
        resource: Option<&str>,
        link: Option<&str>,
    ) -> Vec<Field> {
        if !fields.is_empty() {
            return fields.to_vec();
        }
        let Some(name) = resource else {
            return Vec::new();
        };
        self.store
            .resource(page, name, link)
            .map(|r| r.fields.clone())
            .unwrap_or_default()
    }

    fn fields(
        &mut self,
        op: &Op<'a>,
        page: &str,
        fields: &[Field],
        schema: &'a Value,
        ptr: JsonPointer,
        what: &str,
    ) {
        let mut documented_objects: Vec<(String, &'a Value)> = vec![(String::new(), schema)];
        for fact in fields {
            let mut current = schema;
            let mut found = None;
            let segments: Vec<&str> = fact.name.split('.').collect();
            let mut trail: Vec<&'a Value> = Vec::new();
            for (i, seg) in segments.iter().enumerate() {
                let object = schema::descend(self.root, current);
                trail.push(object);
                match schema::property(self.root, object, seg) {
                    Some((_, prop, required)) => {
                        trail.push(prop);
                        if i + 1 == segments.len() {
                            found = Some((prop, required));
                        } else {
                            current = prop;
                        }
                    }
                    None => break,
                }
            }
            self.context = trail;
            let Some((prop, required)) = found else {
                let at = At {
                    page,
                    line: Some(fact.line),
                    ptr: ptr.clone(),
                };
                self.finding(
                    Some(op),
                    &at,
                    &format!("{what}-missing"),
                    &fact.name,
                    format!("field `{}` is on the page, not in the spec", fact.name),
                );
                continue;
            };
            if segments.len() > 1 {
                let parent = segments[..segments.len() - 1].join(".");
                if !documented_objects.iter().any(|(p, _)| *p == parent) {
                    documented_objects.push((parent, current));
                }
            }
            if let Some(page_required) = fact.required {
                if page_required != required {
                    let at = At {
                        page,
                        line: Some(fact.line),
                        ptr: ptr.clone(),
                    };
                    self.finding(
                        Some(op),
                        &at,
                        &format!("{what}-required-differs"),
                        &fact.name,
                        format!(
                            "`{}` is {} on the page and {} in the spec",
                            fact.name,
                            req(page_required),
                            req(required)
                        ),
                    );
                }
            }
            self.field_schema(op, page, fact, prop, ptr.clone(), what);
        }
        // Properties of documented objects that no page field names.
        for (parent, object) in documented_objects {
            let object = schema::descend(self.root, object);
            for (name, prop, _) in schema::properties(self.root, object) {
                self.context = vec![object, prop];
                let full = if parent.is_empty() {
                    name.to_string()
                } else {
                    format!("{parent}.{name}")
                };
                let named = fields.iter().any(|f| {
                    let (fp, fl) = f.name.rsplit_once('.').unwrap_or(("", &f.name));
                    fp.eq_ignore_ascii_case(&parent) && schema::same_name(fl, name)
                });
                if !named {
                    let at = At {
                        page,
                        line: fields.first().map(|f| f.line),
                        ptr: ptr.clone(),
                    };
                    self.finding(
                        Some(op),
                        &at,
                        &format!("{what}-undocumented"),
                        &full,
                        format!("field `{full}` is in the spec, not on the page"),
                    );
                }
            }
        }
    }

    fn samples(&mut self, op: &Op<'a>, page: &str, f: &OperationFacts) {
        let spec_samples: Vec<&Value> = op
            .value
            .get("x-request-samples")
            .and_then(Value::as_array)
            .map(|a| a.iter().collect())
            .unwrap_or_default();
        for s in &f.request_samples {
            if let Some(url) = &s.url {
                let same = spec_samples.iter().any(|x| {
                    x.get("url")
                        .and_then(Value::as_str)
                        .is_some_and(|u| same_url(u, url))
                });
                if !same {
                    let at = At {
                        page,
                        line: Some(s.line),
                        ptr: op.ptr.join("x-request-samples"),
                    };
                    self.finding(
                        Some(op),
                        &at,
                        "request-sample-missing",
                        url,
                        format!("request sample `{url}` is not in x-request-samples"),
                    );
                }
            }
            if let Some(json) = &s.json {
                let examples = self.examples(op.value.get("requestBody"));
                self.sample(
                    op,
                    page,
                    s.line,
                    json,
                    &examples,
                    op.ptr.join("requestBody"),
                    "request-body-sample",
                );
            }
        }
        for s in &f.response_samples {
            let Some(json) = &s.json else { continue };
            let responses = op.value.get("responses").and_then(Value::as_object);
            let code = s.status.map(|c| c.to_string());
            let mut examples = Vec::new();
            let mut ptr = op.ptr.join("responses");
            for (k, r) in responses.into_iter().flatten() {
                // A sample with a status line belongs to that status (errors
                // included); one without, to the success responses.
                let fits = match code.as_deref() {
                    Some(c) => {
                        c == k || k.len() == 3 && k.ends_with("XX") && c.starts_with(&k[..1])
                    }
                    None => k.starts_with('2'),
                };
                if fits {
                    examples.extend(self.examples(Some(r)));
                    ptr = op.ptr.join("responses").join(k);
                }
            }
            self.sample(op, page, s.line, json, &examples, ptr, "response-sample");
        }
    }

    fn examples(&self, holder: Option<&'a Value>) -> Vec<&'a Value> {
        let Some(holder) = holder.map(|h| resolve(self.root, h)) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for media in holder
            .get("content")
            .and_then(Value::as_object)
            .into_iter()
            .flat_map(|c| c.values())
        {
            out.extend(media.get("example"));
            for ex in media
                .get("examples")
                .and_then(Value::as_object)
                .into_iter()
                .flat_map(|e| e.values())
            {
                out.extend(resolve(self.root, ex).get("value"));
            }
        }
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn sample(
        &mut self,
        op: &Op<'a>,
        page: &str,
        line: usize,
        json: &Value,
        examples: &[&Value],
        ptr: JsonPointer,
        what: &str,
    ) {
        if examples.contains(&json) {
            return;
        }
        if examples.is_empty() {
            let at = At {
                page,
                line: Some(line),
                ptr,
            };
            self.finding(
                Some(op),
                &at,
                &format!("{what}-missing"),
                "",
                "the page's sample is not among the spec's examples".into(),
            );
            return;
        }
        let mut best: Option<Vec<LeafChange>> = None;
        for ex in examples {
            let mut changes = Vec::new();
            json_changes("", Some(ex), Some(json), &mut changes);
            if best.as_ref().is_none_or(|b| changes.len() < b.len()) {
                best = Some(changes);
            }
        }
        let changes = best.unwrap_or_default();
        let shown: Vec<String> = changes
            .iter()
            .take(3)
            .map(|(p, a, b)| {
                format!(
                    "{p}: {} → {}",
                    a.as_deref().unwrap_or("absent"),
                    b.as_deref().unwrap_or("absent")
                )
            })
            .collect();
        let at = At {
            page,
            line: Some(line),
            ptr,
        };
        self.finding(
            Some(op),
            &at,
            &format!("{what}-differs"),
            "",
            format!(
                "the closest example differs in {} place(s): {}",
                changes.len(),
                shown.join("; ")
            ),
        );
    }

    /// Every `x-doc-note` needs an `x-doc-decisions` beside it.
    fn notes(&mut self, value: &Value, ptr: JsonPointer) {
        match value {
            Value::Object(map) => {
                if map.contains_key("x-doc-note") && !map.contains_key("x-doc-decisions") {
                    let at = At {
                        page: "",
                        line: None,
                        ptr: ptr.join("x-doc-note"),
                    };
                    self.finding(
                        None,
                        &at,
                        "note-without-decision",
                        "",
                        "an x-doc-note has no machine-readable x-doc-decisions beside it".into(),
                    );
                }
                for (k, v) in map {
                    self.notes(v, ptr.join(k));
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    self.notes(v, ptr.join(i));
                }
            }
            _ => {}
        }
    }

    /// Marks findings that a decision covers, and reports decisions that
    /// cover nothing or are malformed.
    fn decide(&mut self) {
        let mut extra = Vec::new();
        for finding in &mut self.out {
            let starts: Vec<JsonPointer> = finding
                .pointer
                .iter()
                .chain(&finding.also)
                .filter_map(|p| JsonPointer::parse(p))
                .collect();
            'starts: for pointer in starts {
                let mut at = Some(pointer);
                while let Some(p) = at {
                    let holder = self.root.pointer(p.as_str());
                    if let Some(list) = holder
                        .and_then(|h| h.get("x-doc-decisions"))
                        .and_then(Value::as_array)
                    {
                        let hit = list.iter().enumerate().find(|(_, d)| {
                            d.get("rule").and_then(Value::as_str) == Some(finding.rule.as_str())
                                && d.get("subject")
                                    .and_then(Value::as_str)
                                    .is_none_or(|s| s.eq_ignore_ascii_case(&finding.subject))
                        });
                        if let Some((i, d)) = hit {
                            finding.state = State::Decided;
                            finding.reason =
                                d.get("reason").and_then(Value::as_str).map(str::to_string);
                            self.used.insert((p.to_string(), i));
                            break 'starts;
                        }
                    }
                    at = p.parent();
                }
            }
        }
        self.unused(self.root, JsonPointer::root(), &mut extra);
        self.out.extend(extra);
    }

    fn unused(&self, value: &Value, ptr: JsonPointer, out: &mut Vec<Finding>) {
        match value {
            Value::Object(map) => {
                if let Some(list) = map.get("x-doc-decisions") {
                    let list_ptr = ptr.join("x-doc-decisions");
                    let entries = list.as_array().map(Vec::as_slice).unwrap_or_default();
                    if list.as_array().is_none() {
                        out.push(self.plain(
                            &list_ptr,
                            "decision-invalid",
                            "x-doc-decisions must be a list".into(),
                        ));
                    }
                    for (i, d) in entries.iter().enumerate() {
                        let rule = d.get("rule").and_then(Value::as_str);
                        let reason = d.get("reason").and_then(Value::as_str);
                        let entry_ptr = list_ptr.join(i);
                        if rule.is_none() || reason.is_none_or(|r| r.trim().is_empty()) {
                            out.push(self.plain(
                                &entry_ptr,
                                "decision-invalid",
                                "a decision needs a rule and a reason".into(),
                            ));
                            continue;
                        }
                        if rule != Some(NO_DIFFERENCE) && !self.used.contains(&(ptr.to_string(), i))
                        {
                            out.push(self.plain(
                                &entry_ptr,
                                "decision-unused",
                                format!(
                                    "the decision on `{}` decides no difference the check finds",
                                    rule.unwrap_or("")
                                ),
                            ));
                        }
                    }
                }
                for (k, v) in map {
                    self.unused(v, ptr.join(k), out);
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    self.unused(v, ptr.join(i), out);
                }
            }
            _ => {}
        }
    }

    fn plain(&self, ptr: &JsonPointer, rule: &str, message: String) -> Finding {
        let location = self.spec.location(ptr);
        Finding {
            rule: rule.to_string(),
            state: State::Difference,
            operation: None,
            subject: String::new(),
            page: None,
            page_line: None,
            spec: Some(location.file.display().to_string()),
            spec_line: location.line,
            pointer: Some(ptr.to_string()),
            message,
            reason: None,
            also: Vec::new(),
        }
    }
}

/// The object a page's field table describes: the body itself, or the
/// items of one of its array properties, whichever names more fields.
fn descend_to_fields<'v>(root: &'v Value, schema: &'v Value, fields: &[Field]) -> &'v Value {
    let score = |s: &Value| {
        let object = schema::descend(root, s);
        fields
            .iter()
            .filter(|f| !f.name.contains('.') && schema::property(root, object, &f.name).is_some())
            .count()
    };
    let body = schema::descend(root, schema);
    let mut best = (score(body), body);
    for (_, prop, _) in schema::properties(root, body) {
        if schema::items(root, prop).is_some() {
            let s = score(prop);
            if s > best.0 {
                best = (s, prop);
            }
        }
    }
    best.1
}

/// Records where every node of `value` is, by address.
fn index(
    value: &Value,
    ptr: JsonPointer,
    out: &mut std::collections::HashMap<*const Value, JsonPointer>,
) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                index(v, ptr.join(k), out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                index(v, ptr.join(i), out);
            }
        }
        _ => {}
    }
    out.insert(value as *const Value, ptr);
}

fn same_template(page: &str, spec: &str) -> bool {
    let a: Vec<&str> = page.trim_matches('/').split('/').collect();
    let b: Vec<&str> = spec.trim_matches('/').split('/').collect();
    a.len() == b.len()
        && a.iter().zip(&b).all(|(x, y)| {
            let px = x.starts_with('{');
            let py = y.starts_with('{');
            px && py || !px && !py && x.eq_ignore_ascii_case(y)
        })
        || template_matches(spec, page)
}

fn same_url(a: &str, b: &str) -> bool {
    a == b
        || a.eq_ignore_ascii_case(b)
        || url_path(a) == url_path(b)
            && a.split_once('?').map(|x| x.1) == b.split_once('?').map(|x| x.1)
}

fn req(r: bool) -> &'static str {
    if r {
        "required"
    } else {
        "optional"
    }
}

fn kind_name(k: Kind) -> &'static str {
    match k {
        Kind::String => "string",
        Kind::Integer => "integer",
        Kind::Number => "number",
        Kind::Boolean => "boolean",
        Kind::Array => "array",
        Kind::Object => "object",
    }
}

/// The header parameter named `name` (ASCII case ignored) among `params`.
fn header_param<'p, 'a>(
    params: &'p [(JsonPointer, &'a Value)],
    name: &str,
) -> Option<&'p (JsonPointer, &'a Value)> {
    params.iter().find(|(_, p)| {
        p.get("in").and_then(Value::as_str) == Some("header")
            && p.get("name")
                .and_then(Value::as_str)
                .is_some_and(|n| n.eq_ignore_ascii_case(name))
    })
}
