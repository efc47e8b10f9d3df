//! Properties over generated pages in both vendors' formats: a page read
//! twice has no fact changes; its rendered text (as `render_text` makes
//! it) states the same facts as its markdown; and the facts are the ones
//! the page was generated from.

use docfacts::{diff, extract, page::render_text, Form, Vendor};
use proptest::prelude::*;

#[derive(Debug, Clone)]
struct Field {
    name: String,
    ty: &'static str,
    required: bool,
    codes: Vec<(u16, String)>,
}

fn name() -> impl Strategy<Value = String> {
    "[a-z][a-zA-Z0-9]{1,10}"
}

fn label() -> impl Strategy<Value = String> {
    "[A-Z][a-z]{1,6}( [a-z]{1,6}){0,2}"
}

fn field() -> impl Strategy<Value = Field> {
    (
        name(),
        prop::sample::select(vec!["string", "integer", "boolean", "string[]"]),
        any::<bool>(),
        prop::collection::btree_map(0u16..40, label(), 0..4),
    )
        .prop_map(|(name, ty, required, codes)| Field {
            name,
            ty,
            required,
            codes: codes.into_iter().collect(),
        })
}

fn fields() -> impl Strategy<Value = Vec<Field>> {
    prop::collection::vec(field(), 1..6).prop_map(|mut v| {
        let mut seen = std::collections::BTreeSet::new();
        v.retain(|f| seen.insert(f.name.to_ascii_lowercase()));
        v
    })
}

fn codes_cell(f: &Field) -> String {
    if f.codes.is_empty() {
        return String::new();
    }
    let items: String = f
        .codes
        .iter()
        .map(|(c, l)| format!("<li>**{c}** - {l}</li>"))
        .collect();
    format!("<ul>{items}</ul>")
}

fn avepoint_page(
    path: &str,
    params: &[Field],
    body: &[Field],
    response: &[Field],
    scope: &str,
) -> String {
    let mut md = format!(
        "# A generated page\n\nSome prose.\n\n## Permissions\n\n| API | Permission |\n|---|---|\n| `{path}` |{scope}|\n\n## Request\n\n| Method | Endpoint | Description |\n| --- | --- | --- |\n| POST | `{path}` | Does it. |\n\n## Query Parameters\n\n| Parameter | Description | Type | Required |\n| --- | --- | --- | --- |\n"
    );
    for p in params {
        md.push_str(&format!(
            "| {} | A parameter. | {} | {} |\n",
            p.name,
            p.ty,
            if p.required { "Yes" } else { "No" }
        ));
    }
    md.push_str("\n## Request Body\n\n| Parameter | Description | Type | Required |\n| --- | --- | --- | --- |\n");
    for f in body {
        md.push_str(&format!(
            "| {} | A field.{} | {} | {} |\n",
            f.name,
            codes_cell(f),
            f.ty,
            if f.required { "Yes" } else { "No" }
        ));
    }
    md.push_str("\n## Response\n\nIf the request has been successfully processed, a 200 OK response will be returned.\n\n| Field | Description | Type |\n| --- | --- | --- |\n");
    for f in response {
        md.push_str(&format!(
            "| {} | A field.{} | {} |\n",
            f.name,
            codes_cell(f),
            f.ty
        ));
    }
    md.push_str(
        "\n## Response Sample\n\n```json\n{\n    \"data\": [ { \"a\": 1 } ] // a comment\n}\n```\n",
    );
    md
}

fn partner_center_page(params: &[Field], roles: &[String]) -> String {
    let mut md = String::from("---\ntitle: x\nms.date: 01/01/2024\n---\n\n# A generated page\n\n**Applies to**: Partner Center | Partner Center operated by 21Vianet\n\n## Prerequisites\n\n- Credentials as described in [Partner Center authentication](partner-center-authentication.md). This scenario supports authentication with App+User credentials only.\n\n## GDAP roles\n\nYou'll need at least one of the following GDAP roles:\n\n");
    for r in roles {
        md.push_str(&format!("- {r}\n"));
    }
    md.push_str("\n## REST request\n\n### Request syntax\n\n| Method  | Request URI |\n|---------|-------------|\n| **GET** | [*{baseURL}*](partner-center-rest-urls.md)/v1/things/{thing-id} HTTP/1.1 |\n\n### URI parameters\n\n| Name | Type | Required | Description |\n|---|---|---|---|\n");
    for p in params {
        md.push_str(&format!(
            "| **{}** | {} | {} | A parameter. |\n",
            p.name,
            p.ty,
            if p.required { "Y" } else { "N" }
        ));
    }
    md.push_str("\n### Request body\n\nNone.\n\n### Request example\n\n```http\nGET https://api.partnercenter.microsoft.com/v1/things/1 HTTP/1.1\nAuthorization: Bearer <token>\nMS-RequestId: 1\n```\n\n## REST response\n\n### Response example\n\n```http\nHTTP/1.1 200 OK\nContent-Type: application/json\n\n{\n  \"id\": \"x\"\n}\n```\n");
    md
}

fn same(vendor: Vendor, md: &str) -> Result<(), TestCaseError> {
    let facts = extract(md, Form::Markdown, vendor);
    prop_assert!(facts.problems.is_empty(), "{:?}\n{md}", facts.problems);
    prop_assert!(diff(&facts, &facts).is_empty());
    let rendered = render_text(md, vendor == Vendor::Avepoint);
    let again = extract(&rendered, Form::Rendered, vendor);
    prop_assert_eq!(again.normalised(), facts.normalised(), "{}", rendered);
    prop_assert!(diff(&facts, &again).is_empty());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn avepoint_pages(params in fields(), body in fields(), response in fields(), scope in "[a-z]{2,6}\\.[a-z]{2,6}\\.read\\.all") {
        let path = "/partner/external/v3/things/batch";
        let md = avepoint_page(path, &params, &body, &response, &scope);
        same(Vendor::Avepoint, &md)?;
        let facts = extract(&md, Form::Markdown, Vendor::Avepoint);
        let op = &facts.operations[0];
        prop_assert_eq!(op.scopes[0].value.as_str(), scope.as_str());
        prop_assert_eq!(op.parameters.len(), params.len());
        for (fact, p) in op.parameters.iter().zip(&params) {
            prop_assert_eq!(&fact.name, &p.name);
            prop_assert_eq!(fact.type_name.as_str(), p.ty);
            prop_assert_eq!(fact.required, Some(p.required));
        }
        for (fact, f) in op.request_fields.iter().zip(&body) {
            let codes: Vec<(String, String)> = fact.codes.iter().map(|c| (c.code.clone(), c.label.clone())).collect();
            let want: Vec<(String, String)> = f.codes.iter().map(|(c, l)| (c.to_string(), l.clone())).collect();
            prop_assert_eq!(codes, want);
        }
        prop_assert_eq!(op.response_fields.len(), response.len());
    }

    #[test]
    fn partner_center_pages(params in fields(), roles in prop::collection::btree_set(label(), 0..4)) {
        let roles: Vec<String> = roles.into_iter().collect();
        let md = partner_center_page(&params, &roles);
        same(Vendor::PartnerCenter, &md)?;
        let facts = extract(&md, Form::Markdown, Vendor::PartnerCenter);
        let got: Vec<&str> = facts.gdap_roles.iter().map(|r| r.value.as_str()).collect();
        prop_assert_eq!(got, roles.iter().map(String::as_str).collect::<Vec<_>>());
    }

    #[test]
    fn a_field_removed_is_reported_and_only_that(body in fields(), drop in any::<prop::sample::Index>()) {
        let path = "/partner/external/v3/things/batch";
        let before = avepoint_page(path, &[], &body, &[], "a.b.read.all");
        let i = drop.index(body.len());
        let mut fewer = body.clone();
        let gone = fewer.remove(i);
        let after = avepoint_page(path, &[], &fewer, &[], "a.b.read.all");
        let changes = diff(&extract(&before, Form::Markdown, Vendor::Avepoint), &extract(&after, Form::Markdown, Vendor::Avepoint));
        let rules: Vec<&str> = changes.iter().map(|c| c.rule.as_str()).collect();
        // One field gone; a lone removal beside no addition is not a rename.
        prop_assert_eq!(rules, vec!["request-field-removed"], "{:?}", changes);
        prop_assert!(changes[0].subject.ends_with(&gone.name));
    }
}
