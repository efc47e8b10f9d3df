//! The public-API comparison (the `api-surface` dev crate) on the real
//! generator: specs that differ in one way each, and the SemVer level their
//! generated code needs.

use std::path::Path;

use api_surface::{api_diff, api_semver, ApiChangeKind, Semver};

use ApiChangeKind::{Added, Changed, Removed};
use Semver::{Major, Minor, Patch};

const SPEC: &str = r##"openapi: 3.0.3
info:
  title: T
  version: "1"
  description: The base description.
servers:
  - url: https://t.example.com
paths:
  /customers/{id}:
    get:
      operationId: getCustomer
      description: Gets one customer.
      parameters:
        - name: id
          in: path
          required: true
          description: The customer's id.
          schema:
            type: string
#QUERY
      responses:
        "200":
          description: The customer.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Customer'
components:
  schemas:
    Customer:
      type: object
      description: A customer.
      required:
        - id
      properties:
        id:
          type: string
          description: The customer's id.
        name:
          type: string
          description: The customer's name.
        status:
          type: string
          enum: [active, inactive]
        grade:
          type: integer
          format: int32
          enum: [1, 2, 3]
#PROPERTY
"##;

fn generated(spec: &str) -> String {
    let path = Path::new("specs/t.yaml");
    let spec = codegen::load_str(path, spec).unwrap_or_else(|e| panic!("{e}"));
    let settings = codegen::settings::Settings::parse(
        Path::new("specs/t.settings.toml"),
        "[crate]\nname = \"t\"\nversion = \"0.1.0\"\ndescription = \"t\"\n\
         [generation]\noptional_arrays = \"option\"\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let tokens = codegen::generate::generate(&spec, &settings).unwrap_or_else(|e| panic!("{e}"));
    codegen::format::format(&spec, "specs/t.yaml", tokens).unwrap_or_else(|e| panic!("{e}"))
}

/// The change that decides a case's level: an item key and what happened
/// to it; `None` when no change at all is expected.
type Decisive = Option<(&'static str, ApiChangeKind)>;

/// A spec change: its name, the changed spec, the expected level and the
/// change that decides it.
type Case = (&'static str, String, Semver, Decisive);

#[test]
fn generated_crates_get_the_level_of_their_spec_change() {
    let base = generated(SPEC);
    let cases: [Case; 6] = [
        (
            "(a) new optional query parameter",
            SPEC.replace(
                "#QUERY",
                "        - name: pageIndex\n          in: query\n          required: false\n          \
                 schema:\n            type: integer\n            format: int32",
            ),
            Minor,
            Some(("builder::GetCustomer::page_index", Added)),
        ),
        (
            "(b) response property removed",
            SPEC.replace(
                "        name:\n          type: string\n          description: The customer's name.\n",
                "",
            ),
            Major,
            Some(("types::Customer::name", Removed)),
        ),
        (
            "(c) string enum value added",
            SPEC.replace("[active, inactive]", "[active, inactive, suspended]"),
            Major,
            Some(("types::CustomerStatus::Suspended", Added)),
        ),
        (
            "(d) integer enum value added",
            SPEC.replace("[1, 2, 3]", "[1, 2, 3, 4]"),
            Minor,
            Some(("impl TryFrom<i32> for types::CustomerGrade", Changed)),
        ),
        (
            "(e) descriptions changed",
            SPEC.replace("The base description.", "A new description.")
                .replace("Gets one customer.", "Fetches one customer.")
                .replace("The customer's name.", "What the customer is called.")
                .replace("A customer.", "One customer."),
            Patch,
            None,
        ),
        (
            "(f) new optional response property",
            SPEC.replace(
                "#PROPERTY",
                "        email:\n          type: string\n          description: Contact address.",
            ),
            Major,
            Some(("types::Customer::email", Added)),
        ),
    ];
    let mut failures = Vec::new();
    for (name, spec, expected, key) in cases {
        assert_ne!(spec, SPEC, "{name}: the spec did not change");
        let changes = api_diff(&base, &generated(&spec)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let level = api_semver(&changes);
        let decisive = match key {
            Some((item, kind)) => changes
                .iter()
                .any(|c| c.item == item && c.kind == kind && c.semver == expected),
            None => changes.is_empty(),
        };
        if level != expected || !decisive {
            let list: Vec<String> = changes.iter().map(ToString::to_string).collect();
            failures.push(format!(
                "{name}: expected {expected} from {key:?}, got {level}:\n  {}",
                list.join("\n  ")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
