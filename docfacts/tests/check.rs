//! `check` against a small spec and a page of our own: each kind of
//! difference is found at its page line and spec pointer, decisions turn
//! differences into decided ones, and a decision that decides nothing is
//! reported.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use docfacts::{check, extract, Entry, Finding, Form, State, Store, Vendor};

const PAGE: &str = "vendor-docs/avepoint/widgets.md";

fn store() -> Store {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/pages/avepoint-changes/new.md"),
    )
    .expect("page");
    let mut pages = BTreeMap::new();
    pages.insert(
        PAGE.to_string(),
        Entry {
            vendor: Vendor::Avepoint,
            form: Form::Markdown,
            url: None,
            facts: extract(&text, Form::Markdown, Vendor::Avepoint),
        },
    );
    Store {
        format: docfacts::store::FORMAT,
        pages,
    }
}

/// A spec that agrees with the page except where `edit` makes it differ.
fn spec(edit: impl FnOnce(&mut String)) -> String {
    let mut s = String::from(
        r#"openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /partner/external/v3/general/customers/{id}/widgets/batch:
    post:
      operationId: listWidgets
      deprecated: true
      x-doc-source:
        - {vendor: avepoint, page: vendor-docs/avepoint/widgets.md}
      x-request-samples:
        - url: https://graph.avepointonlineservices.com/partner/external/v3/general/customers/1234****-0000/widgets/batch
      security:
        - app: [elements.widgets.read.all, elements.widgets.readwrite.all]
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: pageIndex, in: query, schema: {type: integer, default: 1}}
        - {name: pageSize, in: query, required: true, schema: {type: integer, default: 50}}
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                widgetIds: {type: array, items: {type: string}}
      responses:
        "201":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  data:
                    type: array
                    items:
                      type: object
                      properties:
                        id: {type: string}
                        state:
                          type: integer
                          enum: [0, 1, 2, 3]
                          x-enum-labels: [N/A, Working, No backup updates, Failed]
                        parts:
                          type: array
                          items:
                            type: object
                            properties:
                              id: {type: string}
                              size: {type: integer}
              example:
                data:
                  - id: w-2
                    state: 3
                    parts: [{id: p-1, size: 4}]
components:
  securitySchemes:
    app: {type: oauth2, flows: {clientCredentials: {tokenUrl: "https://x/token", scopes: {}}}}
"#,
    );
    edit(&mut s);
    s
}

fn run(text: &str) -> Vec<Finding> {
    let spec = codegen::load_str(Path::new("widgets.yaml"), text).expect("spec loads");
    check(&spec, &store())
}

fn rules(findings: &[Finding]) -> BTreeSet<(String, String)> {
    findings
        .iter()
        .filter(|f| f.state == State::Difference)
        .map(|f| (f.rule.clone(), f.subject.clone()))
        .collect()
}

fn one(findings: &[Finding], rule: &str) -> Finding {
    let hits: Vec<&Finding> = findings.iter().filter(|f| f.rule == rule).collect();
    assert_eq!(hits.len(), 1, "{rule}: {findings:#?}");
    hits[0].clone()
}

#[test]
fn a_spec_that_follows_its_page_has_no_differences() {
    let findings = run(&spec(|_| {}));
    assert!(rules(&findings).is_empty(), "{findings:#?}");
}

#[test]
fn each_difference_names_its_rule_page_line_and_pointer() {
    type Case<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)]);
    let cases: Vec<Case> = vec![
        // (find, replace, rule, subject)
        ("elements.widgets.read.all, ", "", &[("scope-missing", "elements.widgets.read.all")]),
        ("        - {name: pageIndex, in: query, schema: {type: integer, default: 1}}\n", "", &[("parameter-missing", "pageIndex")]),
        ("default: 50}", "default: 100}", &[("parameter-default-differs", "pageSize")]),
        ("pageSize, in: query, required: true", "pageSize, in: query, required: false", &[("parameter-required-differs", "pageSize")]),
        ("                widgetIds: {type: array, items: {type: string}}", "                widgetIds: {type: string}", &[("request-field-type-differs", "widgetIds")]),
        ("enum: [0, 1, 2, 3]", "enum: [0, 1, 2]", &[("enum-code-missing", "state=3")]),
        ("No backup updates", "No Backup Update", &[("enum-label-differs", "state=2")]),
        ("                              size: {type: integer}\n", "", &[("response-field-missing", "parts.size")]),
        ("                        id: {type: string}\n                        state:", "                        id: {type: string}\n                        extra: {type: string}\n                        state:", &[("response-field-undocumented", "extra")]),
        ("\"201\":", "\"200\":", &[("status-missing", "201"), ("status-undocumented", "200")]),
        ("state: 3\n", "state: 2\n", &[("response-sample-differs", "")]),
        ("      deprecated: true\n", "", &[("deprecation-missing", "")]),
        ("1234****-0000/widgets/batch\n", "1234****-0001/widgets/batch\n", &[("request-sample-missing", "https://graph.avepointonlineservices.com/partner/external/v3/general/customers/1234****-0000/widgets/batch")]),
    ];
    for (find, replace, expected) in cases {
        let text = spec(|s| {
            assert!(s.contains(find), "{find}");
            *s = s.replacen(find, replace, 1);
        });
        let findings = run(&text);
        let got = rules(&findings);
        let want: BTreeSet<(String, String)> = expected
            .iter()
            .map(|(r, s)| (r.to_string(), s.to_string()))
            .collect();
        assert_eq!(got, want, "after replacing {find:?}: {findings:#?}");
        let f = one(&findings, expected[0].0);
        assert_eq!(f.page.as_deref(), Some(PAGE));
        assert!(f.page_line.is_some_and(|l| l > 0), "{f:?}");
        assert!(f.spec_line.is_some_and(|l| l > 0), "{f:?}");
        assert!(
            f.pointer
                .as_deref()
                .is_some_and(|p| p.starts_with("/paths/")),
            "{f:?}"
        );
    }
}

#[test]
fn a_decision_decides_and_an_unused_one_is_reported() {
    let decided = spec(|s| {
        *s = s.replacen("default: 50}", "default: 100}", 1);
        *s = s.replacen(
            "      x-doc-source:",
            "      x-doc-note: The page's default is not what the service does.\n      x-doc-decisions:\n        - {rule: parameter-default-differs, subject: pageSize, reason: measured}\n      x-doc-source:",
            1,
        );
    });
    let findings = run(&decided);
    assert!(rules(&findings).is_empty(), "{findings:#?}");
    let f = one(&findings, "parameter-default-differs");
    assert_eq!(f.state, State::Decided);
    assert_eq!(f.reason.as_deref(), Some("measured"));

    let unused = spec(|s| {
        *s = s.replacen(
            "      x-doc-source:",
            "      x-doc-decisions:\n        - {rule: scope-missing, reason: no longer true}\n      x-doc-source:",
            1,
        );
    });
    let findings = run(&unused);
    assert_eq!(
        rules(&findings),
        BTreeSet::from([("decision-unused".into(), String::new())])
    );
}

#[test]
fn notes_need_decisions_and_operations_need_sources() {
    let text = spec(|s| {
        *s = s.replacen(
            "      deprecated: true\n",
            "      deprecated: true\n      x-doc-note: Explains something.\n",
            1,
        );
    });
    assert_eq!(
        rules(&run(&text)),
        BTreeSet::from([("note-without-decision".into(), String::new())])
    );
    let explained = spec(|s| {
        *s = s.replacen(
            "      deprecated: true\n",
            "      deprecated: true\n      x-doc-note: Explains something.\n      x-doc-decisions: [{rule: no-difference, reason: only explains}]\n",
            1,
        );
    });
    assert!(rules(&run(&explained)).is_empty());
    let unlinked = spec(|s| {
        *s = s.replacen("      x-doc-source:\n        - {vendor: avepoint, page: vendor-docs/avepoint/widgets.md}\n", "", 1);
    });
    assert_eq!(
        rules(&run(&unlinked)),
        BTreeSet::from([("source-missing".into(), String::new())])
    );
}

#[test]
fn known_differences_do_not_fail_and_stale_ones_are_returned() {
    let text = spec(|s| *s = s.replacen("default: 50}", "default: 100}", 1));
    let mut findings = run(&text);
    let known: BTreeSet<docfacts::known::Known> =
        findings.iter().map(docfacts::known::Known::of).collect();
    let stale = docfacts::known::apply(&mut findings, &known);
    assert!(stale.is_empty());
    assert!(findings.iter().all(|f| f.state == State::Known));
    let mut clean = run(&spec(|_| {}));
    let stale = docfacts::known::apply(&mut clean, &known);
    assert_eq!(stale.len(), 1);
    assert_eq!(stale[0].rule, "parameter-default-differs");
}

#[test]
fn a_decision_on_a_shared_schema_decides_through_ref() {
    let text = spec(|s| {
        // The response's item type moves into a component, which carries an
        // extra property and the decision about it.
        *s = s.replacen(
            "                    items:\n                      type: object\n                      properties:\n                        id: {type: string}\n",
            "                    items:\n                      $ref: '#/components/schemas/Widget'\n                    x-unused:\n                      properties:\n                        id: {type: string}\n",
            1,
        );
        *s = s.replacen(
            "components:\n",
            "components:\n  schemas:\n    Widget:\n      type: object\n      properties:\n        id: {type: string}\n        extra:\n          type: string\n          x-doc-decisions: [{rule: response-field-undocumented, reason: the service sends it}]\n        state:\n          type: integer\n          enum: [0, 1, 2, 3]\n          x-enum-labels: [N/A, Working, No backup updates, Failed]\n        parts:\n          type: array\n          items:\n            type: object\n            properties:\n              id: {type: string}\n              size: {type: integer}\n",
            1,
        );
    });
    let findings = run(&text);
    assert!(rules(&findings).is_empty(), "{findings:#?}");
    let f = one(&findings, "response-field-undocumented");
    assert_eq!(f.state, State::Decided);
    assert!(
        f.also
            .iter()
            .any(|p| p == "/components/schemas/Widget/properties/extra"),
        "{:?}",
        f.also
    );
}

/// A Partner Center page that links the headers page, and that page with
/// one required and one optional header.
fn store_with_headers() -> Store {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/pages/partner-center-changes");
    let page = std::fs::read_to_string(dir.join("new.md")).expect("page");
    let headers = "---\ntitle: Headers\n---\n\n# Headers\n\n## REST request headers\n\n| Header | Description | Value Type |\n|---|---|---|\n| MS-Contract-Version: | Required. The version of the API. | string |\n| X-Locale: | Optional. The language. | string |\n";
    let mut pages = BTreeMap::new();
    for (path, text) in [
        ("vendor-docs/partner-center/gadget.md", page.as_str()),
        ("vendor-docs/partner-center/headers.md", headers),
    ] {
        pages.insert(
            path.to_string(),
            Entry {
                vendor: Vendor::PartnerCenter,
                form: Form::Markdown,
                url: None,
                facts: extract(text, Form::Markdown, Vendor::PartnerCenter),
            },
        );
    }
    Store {
        format: docfacts::store::FORMAT,
        pages,
    }
}

/// A spec for the gadget page whose shared `MS-Contract-Version` parameter
/// has the YAML members `contract_version`.
fn gadget_spec(contract_version: &str) -> String {
    format!(
        r#"openapi: 3.0.3
info: {{title: t, version: "1"}}
paths:
  /v1/gadgets/{{gadget-id}}:
    get:
      operationId: getGadget
      x-doc-source:
        - {{vendor: partner-center, page: vendor-docs/partner-center/gadget.md}}
      parameters:
        - {{name: gadget-id, in: path, required: true, schema: {{type: string}}}}
        - $ref: '#/components/parameters/ContractVersion'
        - {{name: X-Locale, in: header, schema: {{type: string}}}}
      responses:
        "200": {{description: ok}}
components:
  parameters:
    ContractVersion:
{contract_version}
"#
    )
}

#[test]
fn a_required_header_declared_optional_differs_and_a_shared_decision_decides_it() {
    let run = |text: &str| {
        let spec = codegen::load_str(Path::new("gadgets.yaml"), text).expect("spec loads");
        check(&spec, &store_with_headers())
    };
    let param = "      name: MS-Contract-Version\n      in: header\n      schema: {type: string, default: v1}\n";
    let findings = run(&gadget_spec(param));
    let f = one(&findings, "header-required-differs");
    assert_eq!(f.state, State::Difference);
    assert_eq!(f.subject, "MS-Contract-Version");
    assert_eq!(
        f.page.as_deref(),
        Some("vendor-docs/partner-center/headers.md")
    );
    assert_eq!(
        f.pointer.as_deref(),
        Some("/paths/~1v1~1gadgets~1{gadget-id}/get/parameters/1/required")
    );
    assert!(
        f.also
            .iter()
            .any(|p| p == "/components/parameters/ContractVersion"),
        "{:?}",
        f.also
    );
    // The optional X-Locale is declared optional: nothing to report.
    assert!(!findings
        .iter()
        .any(|f| f.subject == "X-Locale" && f.rule.starts_with("header")));

    let decided = format!(
        "{param}      x-doc-decisions:\n        - {{rule: header-required-differs, reason: the client always sends it}}\n"
    );
    let f = one(&run(&gadget_spec(&decided)), "header-required-differs");
    assert_eq!(f.state, State::Decided);

    let required = param.replace("in: header\n", "in: header\n      required: true\n");
    assert!(!run(&gadget_spec(&required))
        .iter()
        .any(|f| f.rule == "header-required-differs"));
}
