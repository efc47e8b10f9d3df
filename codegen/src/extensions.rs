//! The `x-` extensions that shape the generated client beyond what
//! progenitor reads: `x-idempotent`, `x-pagination` and
//! `x-errors-with-success-status` on operations, `x-auto-value` (`uuid` or
//! `default`) on header parameters, and `x-rust-name` and
//! `x-security-schemes` on servers ([`servers`]). Parsed and checked in one
//! place, so validation and generation agree on what they mean.

use serde_json::Value;

use crate::error::{Diagnostic, JsonPointer};
use crate::load::Spec;
use crate::walk::{deref, operations, resolve_ref, Operation};

pub(crate) mod servers;

/// How a list operation pages (`x-pagination`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Pagination {
    /// `style: page-number`: numbered pages.
    PageNumber {
        /// The query parameter carrying the page number.
        page_parameter: String,
        /// The number of the first page.
        first_page: i64,
        /// Pointer to the item array in the response body.
        items: String,
        /// Pointer to the total item count in the response body.
        total: Option<String>,
    },
    /// `style: next-link`: each page links to the next.
    NextLink {
        /// Pointer to the item array in the response body.
        items: String,
        /// Pointer to the link object (`uri`, `method`, `headers`).
        next_link: String,
        /// `link-base`: the path prefix (e.g. `/v1`) that a link path not
        /// already starting with it is put under.
        link_base: Option<String>,
    },
}

/// What the client fills a header with when the caller sets none
/// (`x-auto-value`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum AutoValue {
    /// `uuid`: a new random UUID for each call.
    Uuid,
    /// `default`: the parameter schema's `default`, a string.
    Default(String),
}

/// What the extensions say about one operation.
#[derive(Debug, Clone, Default)]
pub(crate) struct OperationExtensions {
    /// Whether the operation may be sent twice with the effect of once.
    pub idempotent: bool,
    /// How the operation pages, if it does.
    pub pagination: Option<Pagination>,
    /// Header parameters with `x-auto-value`, by name, with what the client
    /// fills them with.
    pub auto_headers: Vec<(String, AutoValue)>,
    /// With `x-errors-with-success-status` (on the operation, else on the
    /// document; the service may send the documented error body with a
    /// success status): the required properties of that error body, by
    /// which the client tells it from a success body. Empty without it.
    pub error_keys: Vec<String>,
    /// The URL of the operation's own `servers` entry (or its path
    /// item's), which it is sent to instead of the client's base URL.
    pub server: Option<String>,
    /// `deprecated: true`, with the `operationId` of its replacement
    /// (`x-replaced-by`) when the spec names one.
    pub deprecated: Option<Option<String>>,
}

/// The extension saying that errors may come with a success status.
pub(crate) const ERRORS_WITH_SUCCESS: &str = "x-errors-with-success-status";

const PAGINATION_KEYS: [&str; 8] = [
    "style",
    "page-parameter",
    "size-parameter",
    "first-page",
    "items",
    "total",
    "next-link",
    "link-base",
];

/// Reads the extensions of `op`, reporting every misuse.
fn operation_extensions(
    spec: &Spec,
    op: &Operation<'_>,
    document_errors_with_success: bool,
) -> Result<OperationExtensions, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let root = &spec.value;
    let diag = |pointer: JsonPointer, message: String| Diagnostic {
        location: spec.location(&pointer),
        pointer,
        operation: op.id().map(|id| crate::error::OperationId(id.to_owned())),
        message,
    };

    let safe_method = crate::model::Method::new(op.method).is_idempotent();
    let idempotent = match op.value.get("x-idempotent") {
        None => safe_method,
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            problems.push(diag(
                op.ptr.join("x-idempotent"),
                "`x-idempotent` must be true or false".into(),
            ));
            safe_method
        }
    };

    // The operation's own flag, else the document's (checked once, in
    // `check`); a problem with the responses is reported at the flag when
    // the operation sets it, else at its responses.
    let own_flag = op.ptr.join(ERRORS_WITH_SUCCESS);
    let (errors_with_success_status, flag_ptr) = match op.value.get(ERRORS_WITH_SUCCESS) {
        None => (document_errors_with_success, op.ptr.join("responses")),
        Some(value) => match flag(value) {
            Ok(b) => (b, own_flag),
            Err(message) => {
                problems.push(diag(own_flag.clone(), message));
                (false, own_flag)
            }
        },
    };
    let error_keys = if errors_with_success_status {
        error_keys(root, op).unwrap_or_else(|message| {
            problems.push(diag(flag_ptr, message));
            Vec::new()
        })
    } else {
        Vec::new()
    };

    let server = operation_server(op, &mut problems, &diag);
    let deprecated = deprecation(spec, op, &mut problems, &diag);

    let mut auto_headers = Vec::new();
    let parameters = op.parameters(root);
    for (param, ptr) in &parameters {
        let Some(auto) = param.get("x-auto-value") else {
            continue;
        };
        let ptr = ptr.join("x-auto-value");
        let kind = auto.as_str();
        if !matches!(kind, Some("uuid" | "default")) {
            problems.push(diag(
                ptr,
                "`x-auto-value` must be `uuid` (a new UUID per call) or `default` (the schema's default), the kinds the client can fill".into(),
            ));
            continue;
        }
        if param.get("in").and_then(Value::as_str) != Some("header") {
            problems.push(diag(
                ptr,
                "`x-auto-value` applies to header parameters only".into(),
            ));
            continue;
        }
        let schema = param
            .get("schema")
            .and_then(|s| deref(root, s, JsonPointer::root()))
            .map(|(s, _)| s);
        if schema.and_then(|s| s.get("type")).and_then(Value::as_str) != Some("string") {
            problems.push(diag(
                ptr,
                format!(
                    "a parameter with `x-auto-value: {}` must have a string schema",
                    kind.unwrap_or_default()
                ),
            ));
            continue;
        }
        let value = if kind == Some("default") {
            let default = schema.and_then(|s| s.get("default"));
            match default.and_then(Value::as_str) {
                Some(text) if http_header_value(text) => AutoValue::Default(text.to_owned()),
                Some(text) => {
                    problems.push(diag(
                        ptr,
                        format!("the schema's default `{text}` is not a valid HTTP header value (visible ASCII and spaces, not empty)"),
                    ));
                    continue;
                }
                None => {
                    problems.push(diag(
                        ptr,
                        "a parameter with `x-auto-value: default` needs a string `default` in its schema, the value the client sends".into(),
                    ));
                    continue;
                }
            }
        } else {
            AutoValue::Uuid
        };
        if let Some(name) = param.get("name").and_then(Value::as_str) {
            auto_headers.push((name.to_owned(), value));
        }
    }

    let pagination = match op.value.get("x-pagination") {
        None => None,
        Some(value) => pagination(spec, op, value, &parameters, &mut problems, &diag),
    };

    if problems.is_empty() {
        Ok(OperationExtensions {
            idempotent,
            pagination,
            auto_headers,
            error_keys,
            server,
            deprecated,
        })
    } else {
        Err(problems)
    }
}

/// Whether `op` is `deprecated`, and its `x-replaced-by`: the
/// `operationId` of another operation of the spec, allowed only on a
/// deprecated operation.
fn deprecation(
    spec: &Spec,
    op: &Operation<'_>,
    problems: &mut Vec<Diagnostic>,
    diag: &impl Fn(JsonPointer, String) -> Diagnostic,
) -> Option<Option<String>> {
    let deprecated = op.value.get("deprecated") == Some(&Value::Bool(true));
    let Some(replaced_by) = op.value.get("x-replaced-by") else {
        return deprecated.then_some(None);
    };
    let ptr = op.ptr.join("x-replaced-by");
    let Some(id) = replaced_by.as_str() else {
        problems.push(diag(ptr, "`x-replaced-by` must be an operationId".into()));
        return deprecated.then_some(None);
    };
    if !deprecated {
        problems.push(diag(
            ptr,
            "`x-replaced-by` belongs on a `deprecated: true` operation".into(),
        ));
        return None;
    }
    let exists = operations(&spec.value).iter().any(|o| o.id() == Some(id));
    if !exists || op.id() == Some(id) {
        problems.push(diag(
            ptr,
            format!("`x-replaced-by` names `{id}`, which is not another operation of the spec"),
        ));
        return Some(None);
    }
    Some(Some(id.to_owned()))
}

/// The URL of the `servers` of `op`, or of its path item: the first one
/// listed, as the client's base URL is the document's first server, with
/// its variables at their defaults; it must then be an absolute http(s)
/// URL, which the client can send the operation to. Anything else is
/// reported.
fn operation_server(
    op: &Operation<'_>,
    problems: &mut Vec<Diagnostic>,
    diag: &impl Fn(JsonPointer, String) -> Diagnostic,
) -> Option<String> {
    let (list, ptr) = match (op.value.get("servers"), op.item.get("servers")) {
        (Some(list), _) => (list, op.ptr.join("servers")),
        (None, Some(list)) => (list, op.item_ptr.join("servers")),
        (None, None) => return None,
    };
    let Some(servers) = list.as_array() else {
        problems.push(diag(ptr, "`servers` must be a list".into()));
        return None;
    };
    let server = servers.first()?;
    let ptr = ptr.join(0);
    let Some(template) = server.get("url").and_then(Value::as_str) else {
        problems.push(diag(
            ptr.join("url"),
            "a server needs a `url` string".into(),
        ));
        return None;
    };
    let url = match expand_variables(template, server.get("variables")) {
        Ok(url) => url,
        Err(name) => {
            problems.push(diag(
                ptr.join("url"),
                format!("the operation's server `{template}` has the variable `{name}` without a string `default` in `variables`"),
            ));
            return None;
        }
    };
    let absolute = url.starts_with("https://") || url.starts_with("http://");
    if !absolute {
        problems.push(diag(
            ptr.join("url"),
            format!(
                "the operation's server `{url}` must be an absolute http(s) URL (with its variables at their defaults)"
            ),
        ));
        return None;
    }
    if op.value.get("x-pagination").is_some() {
        problems.push(diag(
            op.ptr.join("x-pagination"),
            "`x-pagination` on an operation with a server of its own is not supported: next-page links are resolved against the client's base URL".into(),
        ));
    }
    Some(url.trim_end_matches('/').to_owned())
}

/// `template` with each `{name}` replaced by the `default` of its entry in
/// `variables` (OpenAPI requires one); the name of a variable without one
/// otherwise.
fn expand_variables(template: &str, variables: Option<&Value>) -> Result<String, String> {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else {
            return Err(rest[open + 1..].to_owned());
        };
        let name = &rest[open + 1..open + close];
        let default = variables
            .and_then(|v| v.get(name))
            .and_then(|v| v.get("default"))
            .and_then(Value::as_str)
            .ok_or_else(|| name.to_owned())?;
        out.push_str(default);
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// The value of an `x-errors-with-success-status` flag, which must be a
/// boolean.
fn flag(value: &Value) -> Result<bool, String> {
    value
        .as_bool()
        .ok_or_else(|| format!("`{ERRORS_WITH_SUCCESS}` must be true or false"))
}

/// The required properties of the one JSON error body of `op`, for
/// `x-errors-with-success-status`, or why the client could not tell that
/// body from a success body: the error responses have no JSON body or
/// several types, the error type has no required property, the operation
/// has several success types, or a success type declares every required
/// property of the error type.
fn error_keys(root: &Value, op: &Operation<'_>) -> Result<Vec<String>, String> {
    let responses = crate::walk::entries(root, op.value, "responses", &op.ptr);
    let has_2xx = responses.iter().any(|(s, _, _)| s.starts_with('2'));
    /// The JSON body schema of a response and where it is defined (an
    /// inline schema at its own place, a `$ref` at its target).
    fn json_schema<'v>(
        root: &'v Value,
        response: &'v Value,
        at: &JsonPointer,
    ) -> Option<(&'v Value, JsonPointer)> {
        let content = response.get("content")?.as_object()?;
        let (media_type, media) = content
            .iter()
            .find(|(t, _)| crate::media::progenitor_decodes_json(t))?;
        let ptr = at.join("content").join(media_type).join("schema");
        deref(root, media.get("schema")?, ptr)
    }
    let mut errors: Vec<(&Value, JsonPointer)> = Vec::new();
    let mut successes: Vec<(&Value, JsonPointer)> = Vec::new();
    for (status, response, at) in &responses {
        let error = status.starts_with('4')
            || status.starts_with('5')
            || (status.as_str() == "default" && has_2xx);
        let Some((schema, ptr)) = json_schema(root, response, at) else {
            continue;
        };
        let list = if error { &mut errors } else { &mut successes };
        if !list.iter().any(|(_, p)| *p == ptr) {
            list.push((schema, ptr));
        }
    }
    // Without a JSON success body there is nothing to mistake for an error.
    if successes.is_empty() {
        return Ok(Vec::new());
    }
    let [(error, error_ptr)] = errors.as_slice() else {
        return Err(format!(
            "`{ERRORS_WITH_SUCCESS}` needs the error responses to share one JSON body type; they have {}",
            errors.len()
        ));
    };
    if successes.len() > 1 {
        return Err(format!(
            "`{ERRORS_WITH_SUCCESS}` is not supported on an operation with several success body types ({})",
            successes.len()
        ));
    }
    let keys: Vec<String> = error
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect();
    if keys.is_empty() {
        return Err(format!(
            "`{ERRORS_WITH_SUCCESS}` needs required properties on the error body type (`{error_ptr}`), by which an error is told from a success body"
        ));
    }
    for (success, ptr) in &successes {
        let declared = declared_properties(root, success);
        if keys.iter().all(|k| declared.contains(k)) {
            return Err(format!(
                "`{ERRORS_WITH_SUCCESS}`: the success body type `{ptr}` declares every required property of the error body type ({}), so the two cannot be told apart",
                keys.join(", ")
            ));
        }
    }
    Ok(keys)
}

/// The property names a schema declares, its `allOf` members' included.
fn declared_properties(root: &Value, schema: &Value) -> Vec<String> {
    let mut out: Vec<String> = schema
        .get("properties")
        .and_then(Value::as_object)
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default();
    for member in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some((member, _)) = deref(root, member, JsonPointer::root()) {
            out.extend(declared_properties(root, member));
        }
    }
    out
}

/// Whether `text` can be sent as an HTTP header value as it is: not
/// empty, visible ASCII and inner spaces or tabs, no surrounding blanks.
fn http_header_value(text: &str) -> bool {
    !text.is_empty()
        && text.trim() == text
        && text
            .bytes()
            .all(|b| b == b' ' || b == b'\t' || (0x21..0x7f).contains(&b))
}

fn pagination(
    spec: &Spec,
    op: &Operation<'_>,
    value: &Value,
    parameters: &[(&Value, JsonPointer)],
    problems: &mut Vec<Diagnostic>,
    diag: &dyn Fn(JsonPointer, String) -> Diagnostic,
) -> Option<Pagination> {
    let root = &spec.value;
    let ptr = op.ptr.join("x-pagination");
    let Some(map) = value.as_object() else {
        problems.push(diag(ptr, "`x-pagination` must be an object".into()));
        return None;
    };
    let before = problems.len();
    for key in map.keys() {
        if !PAGINATION_KEYS.contains(&key.as_str()) {
            problems.push(diag(
                ptr.join(key),
                format!(
                    "unknown `x-pagination` key `{key}`; known keys: {}",
                    PAGINATION_KEYS.join(", ")
                ),
            ));
        }
    }
    let text = |key: &str, problems: &mut Vec<Diagnostic>| -> Option<String> {
        match map.get(key) {
            None => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => {
                problems.push(diag(ptr.join(key), format!("`{key}` must be a string")));
                None
            }
        }
    };
    let required = |key: &str, problems: &mut Vec<Diagnostic>| -> Option<String> {
        let found = text(key, problems);
        if found.is_none() && map.get(key).is_none_or(|v| v.is_string()) {
            problems.push(diag(ptr.clone(), format!("`x-pagination` needs `{key}`")));
        }
        found
    };

    let body = success_schema(root, op);
    if body.is_none() {
        problems.push(diag(
            ptr.clone(),
            "a paged operation needs a 2xx application/json response with a schema".into(),
        ));
    }
    // Checks that a pointer into the body names a property of the given type.
    let check_pointer = |key: &str, pointer: &str, want: &str, problems: &mut Vec<Diagnostic>| {
        let Some(body) = body else { return };
        match schema_at(root, body, pointer) {
            Some(found) if schema_type(root, found) == Some(want) => {}
            Some(found) => problems.push(diag(
                ptr.join(key),
                format!(
                    "`{pointer}` is {} in the response schema, not {want}",
                    schema_type(root, found).map_or("untyped".to_owned(), |t| format!("a {t}"))
                ),
            )),
            None => problems.push(diag(
                ptr.join(key),
                format!("`{pointer}` names no property of the response schema"),
            )),
        }
    };

    let style = required("style", problems);
    let items = required("items", problems);
    if let Some(items) = &items {
        check_pointer("items", items, "array", problems);
    }
    let result = match style.as_deref() {
        Some("page-number") => {
            let page = required("page-parameter", problems);
            for key in ["page-parameter", "size-parameter"] {
                let Some(name) = text(key, problems) else {
                    continue;
                };
                let found = parameters.iter().find(|(p, _)| {
                    p.get("name").and_then(Value::as_str) == Some(name.as_str())
                        && p.get("in").and_then(Value::as_str) == Some("query")
                });
                let typed = found
                    .and_then(|(p, _)| p.get("schema"))
                    .and_then(|s| deref(root, s, JsonPointer::root()))
                    .and_then(|(s, _)| s.get("type"))
                    .and_then(Value::as_str);
                if typed != Some("integer") {
                    problems.push(diag(
                        ptr.join(key),
                        format!("`{name}` is not an integer query parameter of the operation"),
                    ));
                }
            }
            let first_page = match map.get("first-page") {
                None => 1,
                Some(v) => v.as_i64().unwrap_or_else(|| {
                    problems.push(diag(
                        ptr.join("first-page"),
                        "`first-page` must be an integer".into(),
                    ));
                    1
                }),
            };
            let total = text("total", problems);
            if let Some(total) = &total {
                check_pointer("total", total, "integer", problems);
            }
            for key in ["next-link", "link-base"] {
                if map.contains_key(key) {
                    problems.push(diag(
                        ptr.join(key),
                        format!("`{key}` belongs to style `next-link`"),
                    ));
                }
            }
            Some(Pagination::PageNumber {
                page_parameter: page?,
                first_page,
                items: items?,
                total,
            })
        }
        Some("next-link") => {
            let next_link = required("next-link", problems);
            if let Some(next) = &next_link {
                check_pointer("next-link", next, "object", problems);
            }
            for key in ["page-parameter", "size-parameter", "first-page", "total"] {
                if map.contains_key(key) {
                    problems.push(diag(
                        ptr.join(key),
                        format!("`{key}` belongs to style `page-number`"),
                    ));
                }
            }
            let link_base = text("link-base", problems);
            if let Some(base) = &link_base {
                if let Err(message) = check_link_base(base, op.path) {
                    problems.push(diag(ptr.join("link-base"), message));
                }
            }
            Some(Pagination::NextLink {
                items: items?,
                next_link: next_link?,
                link_base,
            })
        }
        Some(other) => {
            problems.push(diag(
                ptr.join("style"),
                format!("unknown paging style `{other}`; known: page-number, next-link"),
            ));
            None
        }
        None => None,
    };
    if problems.len() == before {
        result
    } else {
        None
    }
}

/// Checks a `link-base`: an absolute path of plain segments, without a
/// trailing `/`, that the operation's own path starts with (the first page
/// and the pages its links lead to are under the same root).
fn check_link_base(base: &str, op_path: &str) -> Result<(), String> {
    let plain = |segment: &str| {
        !segment.is_empty()
            && segment != "."
            && segment != ".."
            && segment
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-._~".contains(c))
    };
    let Some(rest) = base.strip_prefix('/') else {
        return Err(format!("`link-base` `{base}` must start with `/`"));
    };
    if !rest.split('/').all(plain) {
        return Err(format!(
            "`link-base` `{base}` must be path segments of letters, digits and `-._~`, without a trailing `/`"
        ));
    }
    let under = op_path
        .strip_prefix(base)
        .is_some_and(|tail| tail.is_empty() || tail.starts_with('/'));
    if !under {
        return Err(format!(
            "`link-base` `{base}` is not a prefix of the operation's path `{op_path}`"
        ));
    }
    Ok(())
}

/// The schema of the first 2xx JSON response of `op`.
fn success_schema<'a>(root: &'a Value, op: &Operation<'a>) -> Option<&'a Value> {
    let responses = op.value.get("responses")?.as_object()?;
    let (_, response) = responses
        .iter()
        .filter(|(status, _)| status.starts_with('2'))
        .min_by_key(|(status, _)| status.as_str())?;
    let (response, _) = deref(root, response, JsonPointer::root())?;
    let content = response.get("content")?.as_object()?;
    let (_, media) = content
        .iter()
        .find(|(t, _)| crate::media::progenitor_decodes_json(t))?;
    let schema = media.get("schema")?;
    deref(root, schema, JsonPointer::root()).map(|(s, _)| s)
}

/// Follows `$ref`s and single-schema `allOf` wrappers.
fn unwrap_schema<'a>(root: &'a Value, mut schema: &'a Value) -> &'a Value {
    for _ in 0..32 {
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            match resolve_ref(root, reference) {
                Some(target) => schema = target,
                None => return schema,
            }
        } else if let Some([only]) = schema
            .get("allOf")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
        {
            schema = only;
        } else {
            return schema;
        }
    }
    schema
}

/// The schema a JSON pointer into a body of `schema` lands on, through
/// object properties.
fn schema_at<'a>(root: &'a Value, schema: &'a Value, pointer: &str) -> Option<&'a Value> {
    let tokens = JsonPointer::parse(pointer)?;
    let mut here = unwrap_schema(root, schema);
    for token in tokens.as_str().split('/').skip(1) {
        let token = token.replace("~1", "/").replace("~0", "~");
        let property = here.get("properties")?.get(&token)?;
        here = unwrap_schema(root, property);
    }
    Some(here)
}

fn schema_type<'a>(root: &'a Value, schema: &'a Value) -> Option<&'a str> {
    let schema = unwrap_schema(root, schema);
    match schema.get("type").and_then(Value::as_str) {
        Some(t) => Some(t),
        None if schema.get("properties").is_some() => Some("object"),
        None => None,
    }
}

/// Checks and reads the extensions of every operation, in document order;
/// a misused extension is reported and read as absent.
pub(crate) fn check(spec: &Spec, out: &mut Vec<Diagnostic>) -> Vec<OperationExtensions> {
    let document_errors_with_success = match spec.value.get(ERRORS_WITH_SUCCESS).map(flag) {
        None => false,
        Some(Ok(b)) => b,
        Some(Err(message)) => {
            let pointer = JsonPointer::root().join(ERRORS_WITH_SUCCESS);
            out.push(Diagnostic {
                location: spec.location(&pointer),
                pointer,
                operation: None,
                message,
            });
            false
        }
    };
    operations(&spec.value)
        .iter()
        .map(
            |op| match operation_extensions(spec, op, document_errors_with_success) {
                Ok(ext) => ext,
                Err(problems) => {
                    out.extend(problems);
                    OperationExtensions::default()
                }
            },
        )
        .collect()
}
