//! The semantic difference between two revisions of a page, as fact
//! changes. Lines are not facts, so reflowed tables, reworded prose, link
//! and metadata edits, anchors and lost pipes change nothing here.

use std::collections::BTreeSet;

use serde::Serialize;
use serde_json::Value;

use crate::facts::{Code, Field, Listed, OperationFacts, PageFacts, Sample};

/// One fact that changed between two revisions of a page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// What kind of change (`parameter-renamed`, `applies-to-removed`, …).
    pub rule: String,
    /// What changed, e.g. `POST /x parameter customerId`.
    pub subject: String,
    /// The old value, where there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<String>,
    /// The new value, where there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<String>,
    /// The line in the old revision.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_line: Option<usize>,
    /// The line in the new revision.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_line: Option<usize>,
}

/// Every fact change from `old` to `new`.
pub fn diff(old: &PageFacts, new: &PageFacts) -> Vec<Change> {
    let mut out = Out(Vec::new());
    out.listed("applies-to", "page", &old.applies_to, &new.applies_to);
    out.listed("auth-mode", "page", &old.auth_modes, &new.auth_modes);
    out.listed("gdap-role", "page", &old.gdap_roles, &new.gdap_roles);
    out.listed(
        "withheld-without-dap",
        "page",
        &old.withheld_without_dap,
        &new.withheld_without_dap,
    );
    out.listed("status-code", "page", &old.status_codes, &new.status_codes);
    match (old.deprecated, new.deprecated) {
        (None, Some(l)) => out.push("deprecation-added", "page", None, None, None, Some(l)),
        (Some(l), None) => out.push("deprecation-removed", "page", None, None, Some(l), None),
        _ => {}
    }
    for h in &new.headers {
        match old
            .headers
            .iter()
            .find(|o| o.name.eq_ignore_ascii_case(&h.name))
        {
            None => out.push("header-added", &h.name, None, None, None, Some(h.line)),
            Some(o) if o.required != h.required => out.push(
                "header-required-changed",
                &h.name,
                Some(flag(o.required)),
                Some(flag(h.required)),
                Some(o.line),
                Some(h.line),
            ),
            Some(_) => {}
        }
    }
    for o in &old.headers {
        if !new
            .headers
            .iter()
            .any(|h| h.name.eq_ignore_ascii_case(&o.name))
        {
            out.push("header-removed", &o.name, None, None, Some(o.line), None);
        }
    }
    for r in &new.resources {
        match old.resources.iter().find(|o| o.name == r.name) {
            Some(o) => out.fields("resource-field", &r.name, &o.fields, &r.fields),
            None => out.push("resource-added", &r.name, None, None, None, Some(r.line)),
        }
    }
    for o in &old.resources {
        if !new.resources.iter().any(|r| r.name == o.name) {
            out.push("resource-removed", &o.name, None, None, Some(o.line), None);
        }
    }
    let key = |op: &OperationFacts| (op.method.clone(), op.path.to_ascii_lowercase());
    for n in &new.operations {
        match old.operations.iter().find(|o| key(o) == key(n)) {
            Some(o) => out.operation(o, n),
            None => out.push(
                "operation-added",
                &format!("{} {}", n.method, n.path),
                None,
                None,
                None,
                Some(n.line),
            ),
        }
    }
    for o in &old.operations {
        if !new.operations.iter().any(|n| key(n) == key(o)) {
            out.push(
                "operation-removed",
                &format!("{} {}", o.method, o.path),
                None,
                None,
                Some(o.line),
                None,
            );
        }
    }
    out.0
}

fn flag(f: Option<bool>) -> String {
    match f {
        Some(true) => "required".into(),
        Some(false) => "optional".into(),
        None => "unstated".into(),
    }
}

struct Out(Vec<Change>);

impl Out {
    fn push(
        &mut self,
        rule: impl Into<String>,
        subject: &str,
        old: Option<String>,
        new: Option<String>,
        old_line: Option<usize>,
        new_line: Option<usize>,
    ) {
        self.0.push(Change {
            rule: rule.into(),
            subject: subject.to_string(),
            old,
            new,
            old_line,
            new_line,
        });
    }

    fn listed(&mut self, what: &str, subject: &str, old: &[Listed], new: &[Listed]) {
        let norm = |s: &str| {
            s.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_ascii_lowercase()
        };
        let olds: BTreeSet<String> = old.iter().map(|l| norm(&l.value)).collect();
        let news: BTreeSet<String> = new.iter().map(|l| norm(&l.value)).collect();
        for n in new.iter().filter(|n| !olds.contains(&norm(&n.value))) {
            let rule = format!("{what}-added");
            self.push(
                rule,
                subject,
                None,
                Some(n.value.clone()),
                None,
                Some(n.line),
            );
        }
        for o in old.iter().filter(|o| !news.contains(&norm(&o.value))) {
            let rule = format!("{what}-removed");
            self.push(
                rule,
                subject,
                Some(o.value.clone()),
                None,
                Some(o.line),
                None,
            );
        }
    }

    fn operation(&mut self, o: &OperationFacts, n: &OperationFacts) {
        let op = format!("{} {}", n.method, n.path);
        self.listed("scope", &op, &o.scopes, &n.scopes);
        self.listed(
            "request-header",
            &op,
            &o.request_headers,
            &n.request_headers,
        );
        let codes = |s: &[crate::facts::Status]| -> Vec<Listed> {
            s.iter()
                .map(|s| Listed {
                    value: s.code.to_string(),
                    line: s.line,
                })
                .collect()
        };
        self.listed("status", &op, &codes(&o.statuses), &codes(&n.statuses));
        if o.no_request_body != n.no_request_body {
            let rule = if n.no_request_body {
                "request-body-removed"
            } else {
                "request-body-added"
            };
            self.push(rule, &op, None, None, Some(o.line), Some(n.line));
        }
        for (what, a, b) in [
            (
                "request-resource-changed",
                &o.request_resource,
                &n.request_resource,
            ),
            (
                "response-resource-changed",
                &o.response_resource,
                &n.response_resource,
            ),
        ] {
            if a != b {
                self.push(what, &op, a.clone(), b.clone(), Some(o.line), Some(n.line));
            }
        }
        self.fields("parameter", &op, &o.parameters, &n.parameters);
        self.fields("request-field", &op, &o.request_fields, &n.request_fields);
        self.fields(
            "response-field",
            &op,
            &o.response_fields,
            &n.response_fields,
        );
        self.samples(
            "request-sample",
            &op,
            &o.request_samples,
            &n.request_samples,
        );
        self.samples(
            "response-sample",
            &op,
            &o.response_samples,
            &n.response_samples,
        );
    }

    fn fields(&mut self, what: &str, op: &str, old: &[Field], new: &[Field]) {
        // A name may occur twice (the same field in two tables): the k-th
        // occurrence in one revision matches the k-th in the other.
        let (old_keys, new_keys) = (occurrences(old), occurrences(new));
        let mut added: Vec<&Field> = new
            .iter()
            .zip(&new_keys)
            .filter(|(_, k)| !old_keys.contains(k))
            .map(|(f, _)| f)
            .collect();
        let mut removed: Vec<&Field> = old
            .iter()
            .zip(&old_keys)
            .filter(|(_, k)| !new_keys.contains(k))
            .map(|(f, _)| f)
            .collect();
        // A removed and an added field with the same leaf name moved (from
        // one sub-table to another) or changed only in case.
        let leaf = |f: &Field| {
            f.name
                .rsplit('.')
                .next()
                .unwrap_or(&f.name)
                .to_ascii_lowercase()
        };
        let mut pairs = Vec::new();
        removed.retain(|r| match added.iter().position(|a| leaf(a) == leaf(r)) {
            Some(i) => {
                pairs.push((*r, added.remove(i)));
                false
            }
            None => true,
        });
        // One removed and one added under the same parent: a rename.
        let parent = |f: &Field| {
            f.name
                .rsplit_once('.')
                .map(|(p, _)| p.to_string())
                .unwrap_or_default()
        };
        let parents: BTreeSet<String> = removed.iter().map(|f| parent(f)).collect();
        for p in parents {
            let r: Vec<usize> = (0..removed.len())
                .filter(|&i| parent(removed[i]) == p)
                .collect();
            let a: Vec<usize> = (0..added.len())
                .filter(|&i| parent(added[i]) == p)
                .collect();
            if r.len() == 1
                && a.len() == 1
                && (what != "parameter" || removed[r[0]].location == added[a[0]].location)
            {
                pairs.push((removed.remove(r[0]), added.remove(a[0])));
            }
        }
        for (o, n) in &pairs {
            let same_leaf = leaf(o) == leaf(n);
            let rule = if !same_leaf || o.name.eq_ignore_ascii_case(&n.name) {
                format!("{what}-renamed")
            } else {
                format!("{what}-moved")
            };
            let subject = format!("{op} {what} {}", o.name);
            self.push(
                rule,
                &subject,
                Some(o.name.clone()),
                Some(n.name.clone()),
                Some(o.line),
                Some(n.line),
            );
            self.field(what, op, o, n);
        }
        for n in added {
            let subject = format!("{op} {what} {}", n.name);
            let rule = format!("{what}-added");
            self.push(
                rule,
                &subject,
                None,
                Some(n.type_name.clone()),
                None,
                Some(n.line),
            );
        }
        for o in removed {
            let subject = format!("{op} {what} {}", o.name);
            let rule = format!("{what}-removed");
            self.push(
                rule,
                &subject,
                Some(o.type_name.clone()),
                None,
                Some(o.line),
                None,
            );
        }
        for (n, key) in new.iter().zip(&new_keys) {
            if let Some(i) = old_keys.iter().position(|k| k == key) {
                self.field(what, op, &old[i], n);
            }
        }
    }

    fn field(&mut self, what: &str, op: &str, o: &Field, n: &Field) {
        let subject = format!("{op} {what} {}", n.name);
        let lines = (Some(o.line), Some(n.line));
        // `int` and `integer` name one type; only a change of kind, or of
        // a type the reader does not know, is a fact change.
        let retyped = match (o.kind, n.kind) {
            (Some(a), Some(b)) => {
                a != b || a == crate::facts::Kind::Object && o.resource != n.resource
            }
            _ => !o.type_name.eq_ignore_ascii_case(&n.type_name),
        };
        if retyped {
            self.push(
                format!("{what}-type-changed"),
                &subject,
                Some(o.type_name.clone()),
                Some(n.type_name.clone()),
                lines.0,
                lines.1,
            );
        }
        if o.required != n.required {
            self.push(
                format!("{what}-required-changed"),
                &subject,
                Some(flag(o.required)),
                Some(flag(n.required)),
                lines.0,
                lines.1,
            );
        }
        if o.default != n.default {
            self.push(
                format!("{what}-default-changed"),
                &subject,
                o.default.clone(),
                n.default.clone(),
                lines.0,
                lines.1,
            );
        }
        if o.location != n.location && !o.location.is_empty() && !n.location.is_empty() {
            self.push(
                "parameter-location-changed",
                &subject,
                Some(o.location.clone()),
                Some(n.location.clone()),
                lines.0,
                lines.1,
            );
        }
        self.codes(&subject, &o.codes, &n.codes, lines);
    }

    fn codes(
        &mut self,
        subject: &str,
        old: &[Code],
        new: &[Code],
        lines: (Option<usize>, Option<usize>),
    ) {
        for n in new {
            match old.iter().find(|o| o.code == n.code) {
                None => self.push(
                    "enum-code-added",
                    subject,
                    None,
                    Some(format!("{} - {}", n.code, n.label)),
                    lines.0,
                    lines.1,
                ),
                Some(o) if !same_label(&o.label, &n.label) => self.push(
                    "enum-code-relabelled",
                    subject,
                    Some(format!("{} - {}", o.code, o.label)),
                    Some(format!("{} - {}", n.code, n.label)),
                    lines.0,
                    lines.1,
                ),
                Some(_) => {}
            }
        }
        for o in old.iter().filter(|o| !new.iter().any(|n| n.code == o.code)) {
            self.push(
                "enum-code-removed",
                subject,
                Some(format!("{} - {}", o.code, o.label)),
                None,
                lines.0,
                lines.1,
            );
        }
    }

    fn samples(&mut self, what: &str, op: &str, old: &[Sample], new: &[Sample]) {
        for (i, n) in new.iter().enumerate() {
            let subject = format!("{op} {what} {}", i + 1);
            let Some(o) = old.get(i) else {
                self.push(
                    format!("{what}-added"),
                    &subject,
                    None,
                    None,
                    None,
                    Some(n.line),
                );
                continue;
            };
            let lines = (Some(o.line), Some(n.line));
            if o.url != n.url || o.method != n.method || o.status != n.status {
                let show = |s: &Sample| {
                    [
                        s.method.clone(),
                        s.status.map(|c| c.to_string()),
                        s.url.clone(),
                    ]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" ")
                };
                self.push(
                    format!("{what}-request-line-changed"),
                    &subject,
                    Some(show(o)),
                    Some(show(n)),
                    lines.0,
                    lines.1,
                );
            }
            let headers = |s: &Sample| -> Vec<Listed> {
                s.headers
                    .iter()
                    .map(|(k, _)| Listed {
                        value: k.clone(),
                        line: s.line,
                    })
                    .collect()
            };
            self.listed(
                &format!("{what}-header"),
                &subject,
                &headers(o),
                &headers(n),
            );
            let mut changes = Vec::new();
            json_changes("", o.json.as_ref(), n.json.as_ref(), &mut changes);
            for (pointer, a, b) in changes {
                self.push(
                    format!("{what}-value-changed"),
                    &format!("{subject} {pointer}"),
                    a,
                    b,
                    lines.0,
                    lines.1,
                );
            }
        }
        for (i, o) in old.iter().enumerate().skip(new.len()) {
            let subject = format!("{op} {what} {}", i + 1);
            self.push(
                format!("{what}-removed"),
                &subject,
                None,
                None,
                Some(o.line),
                None,
            );
        }
    }
}

/// Each field's name with how many fields of that name came before it.
fn occurrences(fields: &[Field]) -> Vec<(String, usize)> {
    let mut seen: std::collections::BTreeMap<&str, usize> = Default::default();
    fields
        .iter()
        .map(|f| {
            let n = seen.entry(f.name.as_str()).or_default();
            *n += 1;
            (f.name.clone(), *n - 1)
        })
        .collect()
}

/// Labels compare without case, spacing or punctuation.
pub(crate) fn same_label(a: &str, b: &str) -> bool {
    let key = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    key(a) == key(b)
}

/// One leaf-level difference between two JSON values: its pointer, the
/// old value and the new one (each absent when the leaf is).
pub(crate) type LeafChange = (String, Option<String>, Option<String>);

/// Leaf-level differences between two JSON values, as (pointer, old, new).
pub(crate) fn json_changes(
    pointer: &str,
    a: Option<&Value>,
    b: Option<&Value>,
    out: &mut Vec<LeafChange>,
) {
    match (a, b) {
        (Some(Value::Object(x)), Some(Value::Object(y))) => {
            for (k, v) in y {
                json_changes(&format!("{pointer}/{}", escape(k)), x.get(k), Some(v), out);
            }
            for (k, v) in x {
                if !y.contains_key(k) {
                    json_changes(&format!("{pointer}/{}", escape(k)), Some(v), None, out);
                }
            }
        }
        (Some(Value::Array(x)), Some(Value::Array(y))) => {
            for i in 0..x.len().max(y.len()) {
                json_changes(&format!("{pointer}/{i}"), x.get(i), y.get(i), out);
            }
        }
        (a, b) if a == b => {}
        (a, b) => out.push((
            if pointer.is_empty() {
                "/".into()
            } else {
                pointer.into()
            },
            a.map(|v| v.to_string()),
            b.map(|v| v.to_string()),
        )),
    }
}

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}
