//! Every way a spec or its settings can be wrong, and what the pipeline says
//! about it: the error variant, the exact place (file, line, column for
//! syntax; JSON pointer, operation and line for validation), and a message a
//! person can act on.
//!
//! Each case has a small hand-written fixture in `tests/fixtures/err_*`.

use std::panic;
use std::path::{Path, PathBuf};

use codegen::settings::{Settings, ValidationSettings};
use codegen::{Diagnostic, Error, JsonPointer};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
        .join(name)
}

fn read_fixture(name: &str) -> String {
    std::fs::read_to_string(fixture(name)).unwrap_or_else(|e| panic!("cannot read {name}: {e}"))
}

/// Loads a fixture that must fail to load.
fn load_error(name: &str) -> (PathBuf, Error) {
    let path = fixture(name);
    match codegen::load(&path) {
        Ok(_) => panic!("{name} loaded, but it must not"),
        Err(err) => (path, err),
    }
}

/// Loads a fixture that must load but fail validation; returns its
/// diagnostics and the error's Display text.
/// Validates and emits a spec given as text, with the builder settings of
/// `multi_success_types.settings.toml`; panics with the error otherwise.
fn emit_str(name: &str, text: &str) -> codegen::emit::Emitted {
    let spec = codegen::load_str(Path::new(name), text).expect("loads");
    let model = codegen::validate(&spec).unwrap_or_else(|e| panic!("{e}"));
    let settings = Settings::load(&fixture("multi_success_types.settings.toml")).expect("settings");
    codegen::emit::emit(&spec, &model, &settings).unwrap_or_else(|e| panic!("{e}"))
}

fn validation_error(name: &str) -> (PathBuf, Vec<Diagnostic>, String) {
    let path = fixture(name);
    let spec = codegen::load(&path).unwrap_or_else(|e| panic!("{name} must load: {e}"));
    match codegen::validate(&spec) {
        Ok(_) => panic!("{name} validated, but it must not"),
        Err(err @ Error::Invalid(_)) => {
            let text = err.to_string();
            let Error::Invalid(diagnostics) = err else {
                unreachable!()
            };
            (path, diagnostics, text)
        }
        Err(other) => panic!("{name}: expected Error::Invalid, got {other:?}"),
    }
}

/// Like [`validation_error`], for a fixture with exactly one problem.
fn single_problem(name: &str) -> (PathBuf, Diagnostic, String) {
    let (path, mut diagnostics, text) = validation_error(name);
    assert_eq!(
        diagnostics.len(),
        1,
        "{name}: expected exactly one problem, got {diagnostics:#?}"
    );
    (path, diagnostics.remove(0), text)
}

/// Asserts the facts of a validation diagnostic and that the Display text
/// names them: `file:line:`, the pointer and the operation.
fn assert_diagnostic(
    path: &Path,
    diagnostic: &Diagnostic,
    text: &str,
    pointer: &str,
    operation: &str,
    line: usize,
) {
    assert_eq!(diagnostic.pointer.as_str(), pointer, "{diagnostic:#?}");
    assert_eq!(
        diagnostic.operation.as_ref().map(|o| o.0.as_str()),
        Some(operation),
        "{diagnostic:#?}"
    );
    assert_eq!(diagnostic.location.file, path, "{diagnostic:#?}");
    assert_eq!(diagnostic.location.line, Some(line), "{diagnostic:#?}");
    let place = format!("{}:{line}:", path.display());
    for needle in [
        place.as_str(),
        &format!("at {pointer}"),
        &format!("(operation `{operation}`)"),
        &diagnostic.message,
    ] {
        assert!(text.contains(needle), "{needle:?} missing from:\n{text}");
    }
}

/// Asserts a syntax error's variant, format and exact position.
fn assert_syntax(
    name: &str,
    expected_format: &str,
    line: usize,
    column: usize,
    message_part: &str,
) {
    let (path, err) = load_error(name);
    let text = err.to_string();
    let Error::Syntax {
        location,
        format,
        message,
    } = &err
    else {
        panic!("{name}: expected Error::Syntax, got {err:?}");
    };
    assert_eq!(*format, expected_format);
    assert_eq!(location.file, path);
    assert_eq!(location.line, Some(line), "{err:?}");
    assert_eq!(location.column, Some(column), "{err:?}");
    assert!(message.contains(message_part), "{err:?}");
    let expected_start = format!(
        "{}:{line}:{column}: malformed {expected_format}: ",
        path.display()
    );
    assert!(
        text.starts_with(&expected_start),
        "{text:?} should start with {expected_start:?}"
    );
    assert!(text.contains(message_part), "{text}");
}

// ---------------------------------------------------------------- syntax

#[test]
fn malformed_yaml_unclosed_flow_mapping_names_line_and_column() {
    // Line 2 opens `{` and never closes it; the scanner gives up at the start
    // of line 3, where the next key sits at a lower indentation.
    assert_syntax(
        "err_malformed_yaml.yaml",
        "YAML",
        3,
        1,
        "invalid indentation in flow construct",
    );
}

#[test]
fn malformed_json_trailing_comma_names_line_and_column() {
    // The `}` after `"version": "1",` is on line 6, column 3.
    assert_syntax("err_trailing_comma.json", "JSON", 6, 3, "trailing comma");
    // The parser's own " at line N column M" is stripped: the location says it.
    let (_, err) = load_error("err_trailing_comma.json");
    assert!(!err.to_string().contains(" at line "), "{err}");
}

#[test]
fn duplicate_yaml_key_points_at_the_second_key() {
    // The second `"200":` is on line 12, column 9.
    assert_syntax(
        "err_duplicate_key.yaml",
        "YAML",
        12,
        9,
        "duplicate key `200`",
    );
}

// ---------------------------------------------------------------- version and structure

#[test]
fn openapi_3_1_is_unsupported_version() {
    let (path, err) = load_error("err_openapi_31.yaml");
    let text = err.to_string();
    let Error::UnsupportedVersion { location, found } = &err else {
        panic!("expected Error::UnsupportedVersion, got {err:?}");
    };
    assert_eq!(found, "3.1.0");
    assert_eq!(location.file, path);
    assert_eq!(location.line, Some(1));
    assert_eq!(location.column, Some(1));
    assert!(
        text.starts_with(&format!("{}:1:1: ", path.display())),
        "{text}"
    );
    assert!(text.contains("`3.1.0`"), "{text}");
    assert!(text.contains("only OpenAPI 3.0.x"), "{text}");
}

#[test]
fn swagger_2_is_unsupported_version() {
    let (path, err) = load_error("err_swagger_2.yaml");
    let text = err.to_string();
    let Error::UnsupportedVersion { location, found } = &err else {
        panic!("expected Error::UnsupportedVersion, got {err:?}");
    };
    assert_eq!(found, "swagger 2.0");
    assert_eq!(location.file, path);
    // The column is not asserted: it points at the `:` after `swagger`
    // rather than at the key (reported as a bug).
    assert_eq!(location.line, Some(1));
    assert!(
        text.starts_with(&format!("{}:1:", path.display())),
        "{text}"
    );
    assert!(text.contains("swagger 2.0"), "{text}");
    assert!(text.contains("Swagger 2.0"), "{text}");
}

#[test]
fn yaml_that_is_not_openapi_is_a_structure_error_with_pointer() {
    let (path, err) = load_error("err_not_openapi.yaml");
    let text = err.to_string();
    let Error::Structure(diagnostic) = &err else {
        panic!("expected Error::Structure, got {err:?}");
    };
    assert_eq!(diagnostic.pointer.as_str(), "/paths");
    assert_eq!(diagnostic.operation, None);
    assert_eq!(diagnostic.location.file, path);
    assert_eq!(diagnostic.location.line, Some(5));
    assert_eq!(diagnostic.location.column, Some(1));
    assert!(diagnostic
        .message
        .contains("not a valid OpenAPI 3.0 document"));
    assert!(diagnostic.message.contains("sequence"), "{diagnostic:?}");
    assert!(
        text.starts_with(&format!("{}:5:1: at /paths: ", path.display())),
        "{text}"
    );
}

// ---------------------------------------------------------------- references

#[test]
fn dangling_ref_in_a_response_names_pointer_operation_and_line() {
    let (path, d, text) = single_problem("err_dangling_ref.yaml");
    assert_diagnostic(
        &path,
        &d,
        &text,
        "/paths/~1widgets/get/responses/200/content/application~1json/schema/$ref",
        "listWidgets",
        15,
    );
    assert!(d.pointer.as_str().ends_with("/$ref"));
    assert!(
        d.message
            .contains("dangling reference `#/components/schemas/Widget`"),
        "{d:?}"
    );
    assert!(text.starts_with("1 problem(s) in "), "{text}");
}

#[test]
fn external_ref_is_rejected_with_pointer_operation_and_line() {
    let (path, d, text) = single_problem("err_external_ref.yaml");
    assert_diagnostic(
        &path,
        &d,
        &text,
        "/paths/~1widgets/get/responses/200/content/application~1json/schema/$ref",
        "listWidgets",
        15,
    );
    assert!(
        d.message
            .contains("external reference `common.yaml#/components/schemas/Widget`"),
        "{d:?}"
    );
    assert!(d.message.contains("not supported"), "{d:?}");
}

// ---------------------------------------------------------------- responses

#[test]
fn a_byte_stream_beside_a_json_success_is_invalid() {
    let (path, d, text) = single_problem("err_stream_beside_json.yaml");
    assert_diagnostic(&path, &d, &text, "/paths/~1x/get/responses", "getThing", 15);
    assert!(
        d.message.contains("2 different success response types"),
        "{d:?}"
    );
    assert!(d.message.contains("#/components/schemas/Widget"), "{d:?}");
    assert!(d.message.contains("206 → non-JSON body"), "{d:?}");
}

/// Regression fixtures of constructs the validator used to reject: several
/// success types, and a `default` beside a 200 with another type. Both
/// validate and generate a response enum or typed error now.
#[test]
fn several_response_types_validate_and_generate() {
    let settings = Settings::load(&fixture("multi_success_types.settings.toml")).expect("settings");
    for (name, expected) in [
        ("multi_success_types.yaml", "pub enum GetThing {"),
        (
            "default_beside_200.yaml",
            "Result<ResponseValue<types::Widget>, Error<types::Problem>>",
        ),
    ] {
        let spec = codegen::load(&fixture(name)).expect("loads");
        let model = codegen::validate(&spec).unwrap_or_else(|e| panic!("{name}: {e}"));
        let emitted =
            codegen::emit::emit(&spec, &model, &settings).unwrap_or_else(|e| panic!("{name}: {e}"));
        let code = codegen::format::format_file(name, &emitted.file);
        assert!(code.contains(expected), "{name} lacks `{expected}`");
    }
}

// ---------------------------------------------------------------- parameters and bodies

#[test]
fn path_parameter_without_required_true_is_invalid() {
    let (path, d, text) = single_problem("err_path_param_not_required.yaml");
    assert_diagnostic(
        &path,
        &d,
        &text,
        "/paths/~1widgets~1{id}/get/parameters/0",
        "getWidget",
        10,
    );
    assert!(d
        .message
        .contains("path parameter `id` must have `required: true`"));
}

#[test]
fn path_template_segment_without_parameter_is_invalid() {
    let (path, d, text) = single_problem("err_path_template_no_param.yaml");
    assert_diagnostic(
        &path,
        &d,
        &text,
        "/paths/~1widgets~1{id}~1parts~1{partId}/get",
        "getWidgetPart",
        7,
    );
    assert!(d
        .message
        .contains("path template segment `{partId}` has no path parameter"));
}

#[test]
fn request_body_the_generator_cannot_send_is_invalid() {
    let (path, diagnostics, text) = validation_error("err_unsendable_body.yaml");
    let base = "/paths/~1widgets";
    let expected: [(String, &str, usize, &str); 3] = [
        (
            format!("{base}/put/requestBody/content/application~1x-www-form-urlencoded/encoding"),
            "putWidgetForm",
            31,
            "`encoding` of form data is not supported",
        ),
        (
            format!("{base}/post/requestBody/content/multipart~1mixed"),
            "createWidget",
            12,
            "`multipart/mixed` is not supported",
        ),
        (
            format!("{base}/patch/requestBody/content/text~1vnd.widgets; note=\"caf\u{e9}\""),
            "patchWidgetText",
            42,
            "cannot be sent as a `Content-Type` header",
        ),
    ];
    assert_eq!(diagnostics.len(), expected.len(), "{diagnostics:#?}");
    for (d, (pointer, op, line, message)) in diagnostics.iter().zip(&expected) {
        assert_diagnostic(&path, d, &text, pointer, op, *line);
        assert!(d.message.contains(message), "{d:?}");
    }
}

/// `content` on a parameter is accepted only for a query parameter with one
/// JSON media type that has a schema (sent as JSON text); every other use
/// is refused with the pointer, operation and line.
#[test]
fn parameters_with_content_that_cannot_be_sent_are_invalid() {
    let (path, diagnostics, text) = validation_error("err_content_params.yaml");
    let base = "/paths/~1widgets~1{id}/get/parameters";
    let expected: [(String, usize, &str); 6] = [
        (
            format!("{base}/0/content"),
            13,
            "parameter `id`: `content` is only supported on query parameters (sent as JSON text), not on path parameters",
        ),
        (
            format!("{base}/1/content/text~1plain"),
            20,
            "parameter `text`: media type `text/plain` in `content` is not supported; only JSON (`application/json`) values can be sent in a query parameter",
        ),
        (
            format!("{base}/2/content"),
            25,
            "parameter `both`: `content` must have exactly one media type, found 2 (application/json, application/x-www-form-urlencoded)",
        ),
        (
            format!("{base}/3/content"),
            34,
            "parameter `X-Filter`: `content` is only supported on query parameters (sent as JSON text), not on header parameters",
        ),
        (
            format!("{base}/4/style"),
            40,
            "parameter `styled`: `style` does not apply beside `content`",
        ),
        (
            format!("{base}/5/content/application~1json"),
            48,
            "parameter `bare`: media type `application/json` in `content` has no `schema`",
        ),
    ];
    assert_eq!(diagnostics.len(), expected.len(), "{diagnostics:#?}");
    for (pointer, line, message) in expected {
        let d = diagnostics
            .iter()
            .find(|d| d.pointer.as_str() == pointer)
            .unwrap_or_else(|| panic!("no problem at {pointer}: {diagnostics:#?}"));
        assert_diagnostic(&path, d, &text, &pointer, "searchWidgets", line);
        assert!(d.message.contains(message), "{d:?}");
    }
}

/// Regression fixture of a construct the validator used to reject: a body
/// that offers JSON and XML is sent as JSON.
#[test]
fn request_body_with_two_media_types_is_sent_as_json() {
    let spec = codegen::load(&fixture("two_request_media_types.yaml")).expect("loads");
    let model = codegen::validate(&spec).unwrap_or_else(|e| panic!("{e}"));
    let settings = Settings::load(&fixture("multi_success_types.settings.toml")).expect("settings");
    let emitted = codegen::emit::emit(&spec, &model, &settings).unwrap_or_else(|e| panic!("{e}"));
    let code = codegen::format::format_file("two_request_media_types.yaml", &emitted.file);
    assert!(code.contains(".json(&body)"), "the body is sent as JSON");
}

/// A JSON response or body without a schema means any JSON value, and a
/// byte-stream body without one is bytes; the validator used to reject
/// both, and progenitor stops on them.
#[test]
fn json_without_a_schema_is_any_value() {
    let text = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /any:
    post:
      operationId: postAny
      requestBody:
        content:
          application/json: {}
      responses:
        "200":
          description: anything
          content:
            application/json: {}
  /upload:
    put:
      operationId: upload
      requestBody:
        content:
          application/octet-stream: {}
      responses:
        "204":
          description: stored
"#;
    let emitted = emit_str("any.yaml", text);
    let code = codegen::format::format_file("any.yaml", &emitted.file);
    assert!(
        code.contains("ResponseValue<::serde_json::Value>"),
        "the response is any JSON value"
    );
    assert!(
        code.contains("application/octet-stream"),
        "a byte-stream body without a schema is sent as one"
    );
}

#[test]
fn cookie_parameter_is_invalid() {
    let (path, d, text) = single_problem("err_cookie_param.yaml");
    assert_diagnostic(
        &path,
        &d,
        &text,
        "/paths/~1widgets/get/parameters/0",
        "listWidgets",
        10,
    );
    assert!(d
        .message
        .contains("cookie parameter `session` is not supported"));
}

// ---------------------------------------------------------------- samples

#[test]
fn response_sample_violating_its_schema_names_sample_and_instance_path() {
    let (path, d, text) = single_problem("err_sample_violates_schema.yaml");
    // The pointer is the offending value inside the sample (line 27:
    // `size: large`).
    assert_diagnostic(
        &path,
        &d,
        &text,
        "/paths/~1widgets~1{id}/get/responses/200/content/application~1json/examples/documented/value/size",
        "getWidget",
        27,
    );
    assert!(d.message.contains("sample `documented`"), "{d:?}");
    assert!(d.message.contains("at /size"), "{d:?}");
    assert!(d.message.contains("integer"), "{d:?}");
}

// ---------------------------------------------------------------- security

#[test]
fn undeclared_security_scheme_is_invalid() {
    let (path, d, text) = single_problem("err_undeclared_scheme.yaml");
    assert_diagnostic(
        &path,
        &d,
        &text,
        "/paths/~1widgets/get/security/0/apiKey",
        "listWidgets",
        10,
    );
    assert!(d
        .message
        .contains("security scheme `apiKey` is not declared in `components/securitySchemes`"));
}

#[test]
fn unknown_oauth2_scope_is_invalid_and_known_scope_is_not() {
    let (path, d, text) = single_problem("err_unknown_scope.yaml");
    assert_diagnostic(
        &path,
        &d,
        &text,
        "/paths/~1widgets/delete/security/0/oauth",
        "deleteWidgets",
        10,
    );
    assert!(d
        .message
        .contains("scope `widgets.delete` is not offered by security scheme `oauth`"));
    assert!(!text.contains("`widgets.read`"), "{text}");
}

// ---------------------------------------------------------------- schemas

#[test]
fn exclusive_minimum_without_minimum_is_invalid() {
    let (path, d, text) = single_problem("err_exclusive_minimum.yaml");
    assert_diagnostic(
        &path,
        &d,
        &text,
        "/paths/~1widgets/get/parameters/0/schema/exclusiveMinimum",
        "listWidgets",
        14,
    );
    assert!(d
        .message
        .contains("`exclusiveMinimum: true` needs `minimum`"));
}

// ---------------------------------------------------------------- JSON input

#[test]
fn valid_json_spec_loads_validates_and_indexes_lines() {
    let path = fixture("valid.json");
    let spec = codegen::load(&path).expect("valid.json loads");
    codegen::validate(&spec).expect("valid.json validates");
    assert_eq!(spec.openapi().info.title, "Valid JSON");

    let at = |pointer: &str| {
        let location = spec.location(&JsonPointer::parse(pointer).unwrap());
        assert_eq!(location.file, path);
        (location.line, location.column)
    };
    // A member's location is where its key is written.
    assert_eq!(
        at("/paths/~1widgets~1{id}/get/operationId"),
        (Some(10), Some(9))
    );
    assert_eq!(
        at("/paths/~1widgets~1{id}/get/parameters/0/required"),
        (Some(15), Some(13))
    );
    assert_eq!(at("/components/schemas/Widget"), (Some(35), Some(7)));
    // An element the index does not hold falls back to its nearest ancestor.
    assert_eq!(
        at("/components/schemas/Widget/no/such/element"),
        (Some(35), Some(7))
    );
}

#[test]
fn validation_errors_in_a_json_spec_name_the_json_line() {
    let path = Path::new("specs/widgets.json");
    let text = read_fixture("valid.json").replace("\"required\": true", "\"required\": false");
    let spec = codegen::load_str(path, &text).expect("loads");
    let err = codegen::validate(&spec).expect_err("path parameter is not required");
    let display = err.to_string();
    let Error::Invalid(diagnostics) = err else {
        panic!("expected Error::Invalid, got {err:?}");
    };
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    // The parameter object opens with `{` on line 12 of the JSON file.
    assert_diagnostic(
        path,
        &diagnostics[0],
        &display,
        "/paths/~1widgets~1{id}/get/parameters/0",
        "getWidget",
        12,
    );
}

// ---------------------------------------------------------------- settings

fn settings_error(name: &str) -> (PathBuf, String, String) {
    let path = fixture(name);
    match Settings::parse(&path, &read_fixture(name)) {
        Ok(_) => panic!("{name} parsed, but it must not"),
        Err(err @ Error::Settings { .. }) => {
            let text = err.to_string();
            let Error::Settings {
                path: reported,
                message,
            } = err
            else {
                unreachable!()
            };
            assert_eq!(reported, path);
            assert!(
                text.starts_with(&format!("{}: invalid settings: ", path.display())),
                "{text}"
            );
            (path, message, text)
        }
        Err(other) => panic!("{name}: expected Error::Settings, got {other:?}"),
    }
}

#[test]
fn settings_unknown_key_is_rejected_with_its_line() {
    let (_, message, _) = settings_error("err_unknown_key.settings.toml");
    assert!(message.contains("unknown field `derive`"), "{message}");
    assert!(message.contains("line 8"), "{message}");
    // The list of valid keys helps the author spot the typo.
    assert!(message.contains("`derives`"), "{message}");
}

#[test]
fn settings_bad_crate_name_is_rejected() {
    let (_, message, _) = settings_error("err_bad_crate_name.settings.toml");
    assert!(
        message.contains("crate name `Widgets Client` must be lowercase"),
        "{message}"
    );
}

#[test]
fn settings_bad_version_is_rejected() {
    let (_, message, _) = settings_error("err_bad_version.settings.toml");
    assert!(
        message.contains("crate version `1.0` must be MAJOR.MINOR.PATCH"),
        "{message}"
    );
}

// ---------------------------------------------------------------- JSON escapes (generator panics: see panics.rs)

/// A JSON spec with escapes the YAML line indexer cannot read (a UTF-16
/// surrogate pair) still loads with the right value.
#[test]
fn json_with_surrogate_pair_escapes_loads() {
    let text = r#"{
  "openapi": "3.0.3",
  "info": { "title": "\ud83d\ude00", "version": "1" },
  "paths": {}
}"#;
    let spec = codegen::load_str(Path::new("specs/emoji.json"), text)
        .unwrap_or_else(|e| panic!("must load: {e}"));
    assert_eq!(spec.openapi().info.title, "😀");
}

/// Mappings that are list items or the document root are located at their
/// first key, not at the parser's marker on the first colon.
#[test]
fn list_item_and_root_mappings_are_located_at_their_first_key() {
    let text = "openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\npaths:\n  /a/{id}:\n    get:\n      operationId: a\n      parameters:\n        - name: id\n          in: path\n          required: true\n          schema: { type: string }\n        -\n          name: q\n          in: query\n          schema: { type: string }\n      responses:\n        '204': { description: none }\n";
    let spec = codegen::load_str(Path::new("specs/a.yaml"), text)
        .unwrap_or_else(|e| panic!("must load: {e}"));
    let at = |pointer: &str| {
        let location = spec.location(&JsonPointer::parse(pointer).expect("pointer"));
        (location.line, location.column)
    };
    assert_eq!(at(""), (Some(1), Some(1)));
    assert_eq!(
        at("/paths/~1a~1{id}/get/parameters/0"),
        (Some(10), Some(11))
    );
    assert_eq!(
        at("/paths/~1a~1{id}/get/parameters/1"),
        (Some(15), Some(11))
    );
}

/// YAML merge keys would silently drop the merged fields; they are refused.
#[test]
fn yaml_merge_keys_are_refused() {
    let text =
        "openapi: 3.0.3\ninfo: &i\n  title: t\n  version: '1'\nx-copy:\n  <<: *i\npaths: {}\n";
    match codegen::load_str(Path::new("specs/m.yaml"), text) {
        Err(Error::Syntax {
            location, message, ..
        }) => {
            assert_eq!(location.line, Some(6), "{message}");
            assert!(message.contains("merge keys"), "{message}");
        }
        other => panic!("expected a syntax error, got {other:?}"),
    }
}

/// Draft 4 has no `uuid` format; the sample check adds one, because the
/// generated client rejects a non-GUID where the spec says `format: uuid`.
#[test]
fn non_guid_sample_for_a_uuid_parameter_is_invalid() {
    let text = "openapi: 3.0.3\ninfo: { title: t, version: '1' }\npaths:\n  /a/{id}:\n    get:\n      operationId: getA\n      parameters:\n        - name: id\n          in: path\n          required: true\n          schema: { type: string, format: uuid }\n          examples:\n            good: { value: 74ca1db9-df92-41c6-a362-a16433b0542b }\n            bad: { value: not-a-guid }\n      responses:\n        '204': { description: none }\n";
    let spec = codegen::load_str(Path::new("specs/u.yaml"), text).expect("loads");
    let Err(Error::Invalid(diagnostics)) = codegen::validate(&spec) else {
        panic!("a non-GUID sample must be rejected");
    };
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    assert!(
        diagnostics[0].message.contains("sample `bad`"),
        "{}",
        diagnostics[0]
    );
    assert_eq!(diagnostics[0].location.line, Some(14));
    assert!(codegen::samples::is_uuid(
        "74CA1DB9-df92-41c6-a362-a16433b0542b"
    ));
    assert!(!codegen::samples::is_uuid(
        "74ca1db9df9241c6a362a16433b0542b"
    ));
}

/// Each misuse of `x-idempotent`, `x-pagination` and `x-auto-value` is
/// reported at its own pointer and line, naming the operation.
#[test]
fn client_extensions_are_checked_with_pointer_operation_and_line() {
    let (path, diagnostics, text) = validation_error("err_extensions.yaml");
    let expected: [(&str, &str, usize, &str); 10] = [
        (
            "/paths/~1widgets/get/x-idempotent",
            "listWidgets",
            9,
            "`x-idempotent` must be true or false",
        ),
        (
            "/paths/~1widgets/get/parameters/1/x-auto-value",
            "listWidgets",
            24,
            "applies to header parameters only",
        ),
        (
            "/paths/~1widgets/get/x-pagination/items",
            "listWidgets",
            14,
            "`/widgets` names no property of the response schema",
        ),
        (
            "/paths/~1widgets/get/x-pagination/page-parameter",
            "listWidgets",
            12,
            "`page` is not an integer query parameter of the operation",
        ),
        (
            "/paths/~1widgets/get/x-pagination/total",
            "listWidgets",
            15,
            "`/count` is a string in the response schema, not integer",
        ),
        (
            "/paths/~1gadgets/get/x-pagination/limit",
            "listGadgets",
            47,
            "unknown `x-pagination` key `limit`",
        ),
        (
            "/paths/~1gadgets/get/x-pagination/style",
            "listGadgets",
            45,
            "unknown paging style `cursor`",
        ),
        (
            "/paths/~1widgets/get/x-pagination/link-base",
            "listWidgets",
            16,
            "`link-base` belongs to style `next-link`",
        ),
        (
            "/paths/~1v1~1things/get/x-pagination/link-base",
            "listThings",
            67,
            "`link-base` `/v2` is not a prefix of the operation's path `/v1/things`",
        ),
        (
            "/paths/~1v1~1parts/get/x-pagination/link-base",
            "listParts",
            92,
            "without a trailing `/`",
        ),
    ];
    assert_eq!(diagnostics.len(), expected.len(), "{diagnostics:#?}");
    for (pointer, operation, line, message) in expected {
        let d = diagnostics
            .iter()
            .find(|d| d.pointer.as_str() == pointer)
            .unwrap_or_else(|| panic!("no problem reported at {pointer}: {diagnostics:#?}"));
        assert_diagnostic(&path, d, &text, pointer, operation, line);
        assert!(
            d.message.contains(message),
            "{message:?} not in {:?}",
            d.message
        );
    }
}

/// With `[validation] samples = "warn"` (for third-party specs whose
/// samples are known to be wrong) a sample that contradicts its schema is a
/// warning: the spec validates and the warning keeps the pointer and line.
#[test]
fn sample_mismatches_can_be_warnings() {
    let spec = codegen::load(&fixture("err_sample_violates_schema.yaml")).expect("loads");
    assert!(codegen::validate(&spec).is_err(), "an error by default");
    let settings = Settings::parse(
        Path::new("specs/x.settings.toml"),
        "[crate]\nname = \"x\"\nversion = \"0.1.0\"\ndescription = \"x\"\n[validation]\nsamples = \"warn\"\n",
    )
    .expect("settings parse");
    let (_, warnings) =
        codegen::validate_with(&spec, &settings.validation).unwrap_or_else(|e| panic!("{e}"));
    assert!(!warnings.is_empty(), "the mismatch is reported");
    assert!(warnings
        .iter()
        .all(|w| w.message.contains("does not match its schema") && w.location.line.is_some()));
}

/// An operation without an `operationId` (the validator used to reject it;
/// progenitor needs one) gets one made up from its method and path.
#[test]
fn an_operation_without_an_id_gets_one_from_method_and_path() {
    let text = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /:
    get:
      responses:
        "204": {description: fine}
  /users/{id}:
    get:
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "204": {description: fine}
  /users/by/{id}:
    get:
      operationId: getUsersById
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "204": {description: fine}
  /nutrition:
    get:
      operationId: " "
      responses:
        "204": {description: fine}
"#;
    let spec = codegen::load_str(Path::new("ids.yaml"), text).expect("loads");
    let model = codegen::validate(&spec).unwrap_or_else(|e| panic!("{e}"));
    let ids: Vec<&str> = model.operation_ids().map(|(id, _, _)| id).collect();
    // The made-up `getUsersById` is taken by a real id, so it is numbered.
    // A blank `operationId` counts as none.
    assert_eq!(
        ids,
        ["getRoot", "getUsersById2", "getUsersById", "getNutrition"]
    );
    let settings = Settings::load(&fixture("multi_success_types.settings.toml")).expect("settings");
    let emitted = codegen::emit::emit(&spec, &model, &settings).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(emitted.method_of("getRoot"), Some("get_root"));
    assert_eq!(emitted.method_of("getUsersById2"), Some("get_users_by_id2"));
    assert_eq!(emitted.method_of("getNutrition"), Some("get_nutrition"));
}

/// `x-auto-value: default` needs a string `default` that can go out as an
/// HTTP header value as it is; each misuse names its pointer and line.
#[test]
fn auto_value_default_needs_a_sendable_string_default() {
    let text = "openapi: 3.0.3
info: { title: t, version: '1' }
paths:
  /a:
    get:
      operationId: getA
      parameters:
        - { name: X-None, in: header, x-auto-value: default, schema: { type: string } }
        - { name: X-Number, in: header, x-auto-value: default, schema: { type: string, default: 2 } }
        - { name: X-Broken, in: header, x-auto-value: default, schema: { type: string, default: \"a\\nb\" } }
        - { name: X-Kind, in: header, x-auto-value: counter, schema: { type: string } }
        - { name: X-Good, in: header, x-auto-value: default, schema: { type: string, default: v1 } }
      responses:
        '204': { description: none }
";
    assert_problems(
        "auto.yaml",
        text,
        &[
            (
                "/paths/~1a/get/parameters/1/schema/default",
                "getA",
                Some(9),
                "default `2` is not of the schema's type `string`",
            ),
            (
                "/paths/~1a/get/parameters/0/x-auto-value",
                "getA",
                Some(8),
                "needs a string `default`",
            ),
            (
                "/paths/~1a/get/parameters/1/x-auto-value",
                "getA",
                Some(9),
                "needs a string `default`",
            ),
            (
                "/paths/~1a/get/parameters/2/x-auto-value",
                "getA",
                Some(10),
                "is not a valid HTTP header value",
            ),
            (
                "/paths/~1a/get/parameters/3/x-auto-value",
                "getA",
                Some(11),
                "must be `uuid` (a new UUID per call) or `default`",
            ),
        ],
    );
}

/// `x-errors-with-success-status` is a boolean, and the client must be able
/// to tell the error body from the success body: one error type with
/// required properties that no success type declares all of.
#[test]
fn errors_with_success_status_needs_an_error_body_it_can_tell_apart() {
    let text = "openapi: 3.0.3
info: { title: t, version: '1' }
x-errors-with-success-status: true
paths:
  /a:
    get:
      operationId: getA
      x-errors-with-success-status: yes
      responses:
        '204': { description: none }
  /b:
    get:
      operationId: getB
      responses:
        '200': { description: ok, content: { application/json: { schema: { $ref: '#/components/schemas/Fault' } } } }
        '4XX': { description: no, content: { application/json: { schema: { $ref: '#/components/schemas/Fault' } } } }
  /c:
    get:
      operationId: getC
      responses:
        '200': { description: ok, content: { application/json: { schema: { type: object } } } }
        '4XX': { description: no, content: { application/json: { schema: { type: object } } } }
  /d:
    get:
      operationId: getD
      responses:
        '200': { description: ok, content: { application/json: { schema: { type: object } } } }
        '4XX': { description: no, content: { application/json: { schema: { $ref: '#/components/schemas/Fault' } } } }
        '5XX': { description: no, content: { application/json: { schema: { type: object, required: [x] } } } }
  /e:
    get:
      operationId: getE
      responses:
        '200': { description: ok, content: { application/json: { schema: { type: object } } } }
        '4XX': { description: no, content: { application/json: { schema: { $ref: '#/components/schemas/Fault' } } } }
components:
  schemas:
    Fault:
      type: object
      required: [code]
      properties: { code: { type: string } }
";
    assert_problems(
        "ews.yaml",
        text,
        &[
            (
                "/paths/~1a/get/x-errors-with-success-status",
                "getA",
                None,
                "must be true or false",
            ),
            (
                "/paths/~1b/get/responses",
                "getB",
                None,
                "cannot be told apart",
            ),
            (
                "/paths/~1c/get/responses",
                "getC",
                None,
                "needs required properties",
            ),
            (
                "/paths/~1d/get/responses",
                "getD",
                None,
                "share one JSON body type; they have 2",
            ),
        ],
    );
}

// ---------------------------------------------------------------- servers

/// Each misuse of `x-rust-name` and `x-security-schemes` on a server, and
/// two servers that would become the same constant, is reported at its own
/// pointer and line, naming no operation.
#[test]
fn server_extensions_are_checked_with_pointer_and_line() {
    let (path, diagnostics, text) = validation_error("err_servers.yaml");
    // `/servers/2`'s derived name gives way to `/servers/3`'s
    // `x-rust-name` (`server_constants`); two `x-rust-name`s are a clash.
    let expected: [(&str, usize, &str); 6] = [
        (
            "/servers/1/x-rust-name",
            9,
            "servers /servers/0 and /servers/1 both become the constant `servers::EUROPE`; give one of them another `x-rust-name`",
        ),
        (
            "/servers/4/x-rust-name",
            14,
            "`x-rust-name` must be a SCREAMING_SNAKE_CASE name such as `GCP_JAPAN`, not `gcpJapan`",
        ),
        (
            "/servers/5/x-rust-name",
            16,
            "`x-rust-name` `REGIONAL` on a server whose URL has variables; such a server gets no constant",
        ),
        (
            "/servers/6/x-security-schemes/1",
            24,
            "security scheme `apiKey` is not declared in `components/securitySchemes`",
        ),
        (
            "/servers/7/x-security-schemes",
            26,
            "`x-security-schemes` must be a list of security scheme names",
        ),
        (
            "/servers/8/x-security-schemes",
            29,
            "servers /servers/0 and /servers/8 have the same URL but different `x-security-schemes`",
        ),
    ];
    assert_eq!(diagnostics.len(), expected.len(), "{diagnostics:#?}");
    for (pointer, line, message) in expected {
        let d = diagnostics
            .iter()
            .find(|d| d.pointer.as_str() == pointer)
            .unwrap_or_else(|| panic!("no problem reported at {pointer}: {diagnostics:#?}"));
        assert_eq!(d.operation, None, "{d:#?}");
        assert_eq!(d.location.file, path, "{d:#?}");
        assert_eq!(d.location.line, Some(line), "{d:#?}");
        assert!(
            d.message.contains(message),
            "{message:?} not in {:?}",
            d.message
        );
        let place = format!("{}:{line}:", path.display());
        for needle in [place.as_str(), &format!("at {pointer}"), &d.message] {
            assert!(text.contains(needle), "{needle:?} missing from:\n{text}");
        }
    }
}

/// A document-level `x-errors-with-success-status` that is not a boolean is
/// one problem of the document, not one per operation.
#[test]
fn a_document_level_errors_with_success_status_is_checked_once() {
    let text = "openapi: 3.0.3
info: { title: t, version: '1' }
x-errors-with-success-status: maybe
paths:
  /a:
    get:
      operationId: getA
      responses: { '204': { description: none } }
  /b:
    get:
      operationId: getB
      responses: { '204': { description: none } }
";
    let spec = codegen::load_str(Path::new("specs/flag.yaml"), text).expect("loads");
    let Err(Error::Invalid(diagnostics)) = codegen::validate(&spec) else {
        panic!("the non-boolean flag must be rejected");
    };
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    let d = &diagnostics[0];
    assert_eq!(d.pointer.as_str(), "/x-errors-with-success-status");
    assert_eq!(d.operation, None);
    assert_eq!(d.location.line, Some(3), "{d}");
    assert!(d.message.contains("must be true or false"), "{d}");
}

/// An operation's own `servers` must be one absolute URL without
/// variables, and such an operation cannot page (links resolve against the
/// client's base URL); each problem names its pointer and operation.
#[test]
fn operation_servers_must_be_one_absolute_url() {
    let text = "openapi: 3.0.3
info: { title: t, version: '1' }
paths:
  /a:
    get:
      operationId: getA
      servers: [{ url: 'https://a.example' }, { url: 'https://b.example' }]
      responses: { '204': { description: none } }
  /b:
    servers: [{ url: 'https://{region}.example' }]
    get:
      operationId: getB
      responses: { '204': { description: none } }
  /c:
    get:
      operationId: getC
      servers: [{ url: /relative }]
      responses: { '204': { description: none } }
  /d:
    get:
      operationId: getD
      servers: [{ url: 'https://d.example' }]
      x-pagination: { style: next-link, items: /items, next-link: /next }
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  items: { type: array, items: { type: string } }
                  next: { type: object, properties: { uri: { type: string } } }
  /e:
    get:
      operationId: getE
      servers: [{ url: '{scheme}://{host}/v{major}', variables: { scheme: { default: https }, host: { default: e.example }, major: { default: '2' } } }]
      responses: { '204': { description: none } }
";
    assert_problems(
        "servers.yaml",
        text,
        &[
            (
                "/paths/~1b/servers/0/url",
                "getB",
                None,
                "has the variable `region` without a string `default`",
            ),
            (
                "/paths/~1c/get/servers/0/url",
                "getC",
                None,
                "absolute http(s) URL",
            ),
            ("/paths/~1d/get/x-pagination", "getD", None, "not supported"),
        ],
    );
    // Several servers: the first, as for the document's; variables: their
    // defaults.
    let fixed = text
        .replace(
            "'https://{region}.example'",
            "'https://{region}.example', variables: { region: { default: eu } }",
        )
        .replace("url: /relative", "url: 'https://c.example'")
        .replace(
            "      x-pagination: { style: next-link, items: /items, next-link: /next }\n",
            "",
        );
    let spec = codegen::load_str(Path::new("servers.yaml"), &fixed).expect("loads");
    let model = codegen::validate(&spec).unwrap_or_else(|e| panic!("{e}"));
    let servers: Vec<(&str, Option<&str>)> = model
        .operation_ids()
        .map(|(id, _, _)| id)
        .zip(model.operation_servers())
        .collect();
    assert_eq!(
        servers,
        [
            ("getA", Some("https://a.example")),
            ("getB", Some("https://eu.example")),
            ("getC", Some("https://c.example")),
            ("getD", Some("https://d.example")),
            ("getE", Some("https://e.example/v2")),
        ]
    );
}

/// `x-replaced-by` names another operation of the spec, on a deprecated
/// operation only.
#[test]
fn replaced_by_names_another_operation_of_a_deprecated_one() {
    let text = "openapi: 3.0.3
info: { title: t, version: '1' }
paths:
  /a:
    get:
      operationId: getA
      deprecated: true
      x-replaced-by: getGone
      responses: { '204': { description: none } }
  /b:
    get:
      operationId: getB
      x-replaced-by: getA
      responses: { '204': { description: none } }
  /c:
    get:
      operationId: getC
      deprecated: true
      x-replaced-by: 3
      responses: { '204': { description: none } }
  /d:
    get:
      operationId: getD
      deprecated: true
      x-replaced-by: getB
      responses: { '204': { description: none } }
";
    assert_problems(
        "replaced.yaml",
        text,
        &[
            (
                "/paths/~1a/get/x-replaced-by",
                "getA",
                Some(8),
                "not another operation",
            ),
            (
                "/paths/~1b/get/x-replaced-by",
                "getB",
                Some(13),
                "`deprecated: true`",
            ),
            (
                "/paths/~1c/get/x-replaced-by",
                "getC",
                Some(19),
                "must be an operationId",
            ),
        ],
    );
}

/// Validates the spec `text` (as `specs/<file>`) and checks that it fails
/// with exactly the `expected` problems: each at its pointer, naming its
/// operation, on its line when one is given (else on some line), with its
/// message.
fn assert_problems(file: &str, text: &str, expected: &[(&str, &str, Option<usize>, &str)]) {
    let spec = codegen::load_str(&Path::new("specs").join(file), text).expect("loads");
    let Err(Error::Invalid(diagnostics)) = codegen::validate(&spec) else {
        panic!("{file} must be rejected");
    };
    assert_eq!(diagnostics.len(), expected.len(), "{diagnostics:#?}");
    for (pointer, operation, line, message) in expected {
        let d = diagnostics
            .iter()
            .find(|d| d.pointer.as_str() == *pointer)
            .unwrap_or_else(|| panic!("nothing at {pointer}: {diagnostics:#?}"));
        assert!(d.message.contains(message), "{message:?} not in {d}");
        assert_eq!(d.operation.as_ref().map(|o| o.0.as_str()), Some(*operation));
        match line {
            Some(line) => assert_eq!(d.location.line, Some(*line), "{d}"),
            None => assert!(d.location.line.is_some(), "{d}"),
        }
    }
}

/// Schemas typify stops on (`format` on an object or array, an untyped enum
/// of several JSON types, an optional nullable constrained string) are
/// shaped before it sees them, and the spec generates.
#[test]
fn schemas_typify_stops_on_are_shaped_and_generate() {
    let path = fixture("typify_shapes.yaml");
    let spec = codegen::load(&path).expect("loads");
    let (model, warnings) = codegen::validate_with(&spec, &ValidationSettings::default())
        .unwrap_or_else(|e| panic!("{e}"));
    // The enum typify cannot name is a plain string, with a warning at it.
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert_eq!(
        warnings[0].pointer.as_str(),
        "/components/schemas/Fax/properties/particle/enum"
    );
    assert!(
        warnings[0].message.contains("`e-`, `e+`"),
        "{:?}",
        warnings[0]
    );
    let settings = Settings::load(&fixture("multi_success_types.settings.toml")).expect("settings");
    let emitted = codegen::emit::emit(&spec, &model, &settings).unwrap_or_else(|e| panic!("{e}"));
    let code = quote::ToTokens::to_token_stream(&emitted.file)
        .to_string()
        .replace(' ', "");
    // The links object is a map, the flag an untagged enum of a boolean
    // and an integer enum, the sid a constrained newtype.
    assert!(code.contains("pubstructFax"), "{code}");
    assert!(code.contains("pubenumFaxFlag"), "{code}");
    assert!(code.contains("pubstructFaxSid"), "{code}");
    assert!(code.contains("pubstructFaxForksItem"), "{code}");
    assert!(
        code.contains("pubparticle:::std::option::Option<::std::string::String>"),
        "{code}"
    );
    assert!(code.contains("pubenumFaxForksItemState"), "{code}");
}

/// A query parameter whose schema is an object is refused with its pointer
/// (progenitor asserts on it); with `content: application/json` it is sent
/// as JSON text instead.
#[test]
fn a_query_parameter_with_an_object_schema_is_refused() {
    let text = r##"openapi: 3.0.3
info: {title: t, version: "1"}
components:
  schemas:
    Target: {type: object, properties: {name: {type: string}}}
paths:
  /actions:
    get:
      operationId: listActions
      parameters:
        - name: target
          in: query
          schema: {$ref: "#/components/schemas/Target"}
        - name: limit
          in: query
          schema: {type: integer}
        - name: X-Attributes
          in: header
          schema: {type: array, items: {type: string}}
      responses:
        "204": {description: fine}
"##;
    let spec = codegen::load_str(Path::new("query.yaml"), text).expect("loads");
    let Err(Error::Invalid(diagnostics)) = codegen::validate(&spec) else {
        panic!("an object query parameter must be refused");
    };
    assert_eq!(diagnostics.len(), 2, "{diagnostics:#?}");
    // Headers are checked first (parameters by place, then name).
    // progenitor writes a header with `to_string()`, which a `Vec` lacks.
    let header = &diagnostics[0];
    assert_eq!(
        header.pointer.as_str(),
        "/paths/~1actions/get/parameters/2/schema"
    );
    assert!(header
        .message
        .contains("`X-Attributes`: an array schema is not supported"));
    let d = &diagnostics[1];
    assert_eq!(
        d.pointer.as_str(),
        "/paths/~1actions/get/parameters/0/schema"
    );
    assert_eq!(d.location.line, Some(13), "{d:#?}");
    assert!(d.message.contains("`target`: an object schema"), "{d:?}");
}

/// An `enum` value or a `default` that is not of its schema's `type` is
/// refused with its pointer and line (typify refuses it without either);
/// under `samples = "warn"` the default, which is data, is a warning and
/// is not used, while the enum value stays an error.
#[test]
fn enum_values_and_defaults_of_another_type_are_refused() {
    let text = r##"openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /jobs:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                code: {type: string, default: 123456}
                region: {type: integer, enum: [1, [2]]}
                count: {type: integer, default: 2.0}
                order: {type: string, enum: [name, date], default: size}
      responses:
        "204": {description: fine}
"##;
    let spec = codegen::load_str(Path::new("defaults.yaml"), text).expect("loads");
    let Err(Error::Invalid(diagnostics)) = codegen::validate(&spec) else {
        panic!("must be refused");
    };
    let base = "/paths/~1jobs/post/requestBody/content/application~1json/schema/properties";
    let found: Vec<(&str, Option<usize>, Option<&str>)> = diagnostics
        .iter()
        .map(|d| {
            (
                d.pointer.as_str(),
                d.location.line,
                d.operation.as_ref().map(|o| o.0.as_str()),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                format!("{base}/region/enum/1").as_str(),
                Some(13),
                Some("POST /jobs")
            ),
            (
                format!("{base}/code/default").as_str(),
                Some(12),
                Some("POST /jobs")
            ),
            (
                format!("{base}/count/default").as_str(),
                Some(14),
                Some("POST /jobs")
            ),
            (
                format!("{base}/order/default").as_str(),
                Some(15),
                Some("POST /jobs")
            ),
        ],
        "{diagnostics:#?}"
    );
    assert!(diagnostics[0].message.contains("enum value `[2]`"));
    assert!(diagnostics[1].message.contains("default `123456`"));
    assert!(diagnostics[2].message.contains("default `2.0`"));
    assert!(diagnostics[3]
        .message
        .contains("not one of the schema's `enum` values"));

    let warn = ValidationSettings {
        samples: codegen::settings::Strictness::Warn,
    };
    let Err(Error::Invalid(errors)) = codegen::validate_with(&spec, &warn) else {
        panic!("the enum value is still an error");
    };
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let fixed = text.replace("enum: [1, [2]]", "enum: [1, 2]");
    let spec = codegen::load_str(Path::new("defaults.yaml"), &fixed).expect("loads");
    let (model, warnings) = codegen::validate_with(&spec, &warn).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(warnings.len(), 3, "{warnings:#?}");
    assert!(warnings[0].message.contains("default `123456`"));
    // JSON Schema's integers include `2.0`; typify's do not.
    assert!(warnings[1].message.contains("default `2.0`"));
    // typify would refuse the schema with the default in it.
    let settings = Settings::load(&fixture("multi_success_types.settings.toml")).expect("settings");
    codegen::emit::emit(&spec, &model, &settings).unwrap_or_else(|e| panic!("{e}"));
}

/// A synthetic operation that types a response (`getThing-default`) is
/// named apart from a real one progenitor would give the same builder name
/// (`getThingDefault`); the real one's code used to be removed with it.
#[test]
fn synthetic_operations_do_not_take_a_real_operations_name() {
    let text = r##"openapi: 3.0.3
info: {title: t, version: "1"}
components:
  schemas:
    Thing: {type: object, properties: {id: {type: string}}}
    Problem: {type: object, properties: {message: {type: string}}}
paths:
  /things:
    get:
      operationId: getThing
      responses:
        "200":
          description: a thing
          content: {application/json: {schema: {$ref: "#/components/schemas/Thing"}}}
        "default":
          description: a problem
          content: {application/json: {schema: {$ref: "#/components/schemas/Problem"}}}
  /things/default:
    get:
      operationId: getThingDefault
      responses:
        "204": {description: fine}
"##;
    let emitted = emit_str("names.yaml", text);
    assert_eq!(emitted.method_of("getThing"), Some("get_thing"));
    assert_eq!(
        emitted.method_of("getThingDefault"),
        Some("get_thing_default")
    );
    let code = codegen::format::format_file("names.yaml", &emitted.file);
    assert!(code.contains("pub struct GetThingDefault<'a>"), "{code}");
    assert!(code.contains("pub struct GetThing<'a>"), "{code}");
}

/// A path parameter and a query parameter of the same name (Google's
/// `{key}` path and `key` API-key query): the path one is renamed in Rust
/// only, and nothing of it needs restoring on the wire, where its value
/// goes into the URL; the query keeps its name.
#[test]
fn a_path_and_a_query_parameter_may_share_a_name() {
    let text = r##"openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /v1/{key}:
    parameters:
      - {name: key, in: query, schema: {type: string}}
    get:
      operationId: getKey
      parameters:
        - {name: key, in: path, required: true, schema: {type: string}}
      responses:
        "204": {description: fine}
"##;
    let emitted = emit_str("key.yaml", text);
    let code = codegen::format::format_file("key.yaml", &emitted.file);
    assert!(code.contains("QueryParam::new(\"key\""), "{code}");
    assert!(code.contains("\"{}/v1/{}\""), "{code}");
}
