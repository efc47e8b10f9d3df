//! The spec model: what validation learned about a spec, typed once, for
//! every later stage to read.
//!
//! [`crate::validate`] checks the raw document and, when it is sound, builds
//! a [`Model`]. Generation, the emit passes and the package files read only
//! this model (and progenitor reads the typed document), so a fact such as
//! "which scopes does this operation need" or "how does it page" has one
//! definition. The model's fields are crate-private: it is the generator's
//! own representation, not an API.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::error::{JsonPointer, OperationId};
use crate::extensions::servers::ServerExtensions;
use crate::extensions::{AutoValue, OperationExtensions, Pagination};
use crate::load::Spec;
use crate::media;
use crate::samples::{Sample, SampleKind};
use crate::walk;

/// A validated spec: its operations, security schemes, servers, samples and
/// the extensions that shape the client, as later stages need them.
#[derive(Debug, Clone)]
pub struct Model {
    /// The API's title (`info.title`).
    pub(crate) title: String,
    /// The API's version (`info.version`).
    pub(crate) version: String,
    /// The `servers`, in document order.
    pub(crate) servers: Vec<Server>,
    /// Every operation, in document order (the order progenitor generates
    /// them in).
    pub(crate) operations: Vec<Operation>,
    /// The declared security schemes, in document order.
    pub(crate) schemes: Vec<Scheme>,
    /// `x-enum-varnames` of component schemas, by component name.
    pub(crate) enum_varnames: BTreeMap<String, Vec<String>>,
    /// Every documented sample, in document order.
    pub(crate) samples: Vec<Sample>,
}

impl Model {
    /// The operations of the spec, as `(operationId, METHOD, path)`, in
    /// document order.
    pub fn operation_ids(&self) -> impl Iterator<Item = (&str, &str, &str)> {
        self.operations
            .iter()
            .map(|op| (op.id.0.as_str(), op.method.upper(), op.path.as_str()))
    }

    /// The server of each operation's own `servers`, in the order of
    /// [`Model::operation_ids`]; `None` for an operation sent to the
    /// client's base URL.
    pub fn operation_servers(&self) -> impl Iterator<Item = Option<&str>> {
        self.operations.iter().map(|op| op.server.as_deref())
    }

    /// Every documented sample, in document order.
    pub fn samples(&self) -> &[Sample] {
        &self.samples
    }
}

/// One entry of `servers`.
#[derive(Debug, Clone)]
pub(crate) struct Server {
    pub url: String,
    pub description: Option<String>,
    /// The name of its constant in the generated `servers` module (from
    /// `x-rust-name` or the URL); `None` for a URL with variables.
    pub constant: Option<String>,
    /// `x-security-schemes`: the schemes whose tokens it takes.
    pub schemes: Vec<String>,
}

/// An HTTP method an operation can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Method(&'static str);

impl Method {
    /// The method of a lowercase OpenAPI method name (see [`walk::METHODS`]).
    pub fn new(lower: &'static str) -> Self {
        Self(lower)
    }

    /// The lowercase name, as OpenAPI writes it.
    pub fn lower(self) -> &'static str {
        self.0
    }

    /// The uppercase name, as HTTP writes it.
    pub fn upper(self) -> &'static str {
        match self.0 {
            "get" => "GET",
            "put" => "PUT",
            "post" => "POST",
            "delete" => "DELETE",
            "options" => "OPTIONS",
            "head" => "HEAD",
            "patch" => "PATCH",
            _ => "TRACE",
        }
    }

    /// Whether HTTP defines the method as idempotent.
    pub fn is_idempotent(self) -> bool {
        matches!(self.0, "get" | "head" | "options" | "put" | "delete")
    }
}

/// One operation.
#[derive(Debug, Clone)]
pub(crate) struct Operation {
    /// The `operationId`, or the one made up for an operation without
    /// (`walk::operation_ids`).
    pub id: OperationId,
    /// Whether `id` was made up.
    pub id_made_up: bool,
    pub method: Method,
    /// The path template.
    pub path: String,
    /// Where the operation is in the document.
    // Read by no pass yet: the response-type enums and the docs checker
    // (issues 10 and 11) are its first readers.
    #[allow(dead_code)]
    pub ptr: JsonPointer,
    /// The parameters that apply, path-item ones merged with the
    /// operation's own, in document order.
    pub parameters: Vec<Parameter>,
    /// The request body's media type, if there is a body.
    #[allow(dead_code)] // as `ptr`
    pub body: Option<Body>,
    /// The documented responses, in document order.
    #[allow(dead_code)] // as `ptr`
    pub responses: Vec<Response>,
    /// The security requirements that apply (the operation's own or the
    /// document's), any one of which suffices.
    pub security: Vec<Requirement>,
    /// Whether sending it twice has the effect of sending it once.
    pub idempotent: bool,
    /// How it pages (`x-pagination`).
    pub pagination: Option<Pagination>,
    /// Its response enums, when its responses have several types (see
    /// [`crate::responses`]).
    pub plan: Option<crate::responses::Plan>,
    /// The required properties of its error body, when the service may send
    /// that body with a success status (`x-errors-with-success-status`);
    /// empty otherwise.
    pub error_keys: Vec<String>,
    /// The server of the operation's own `servers` (or its path item's),
    /// used instead of the client's base URL.
    pub server: Option<String>,
    /// `deprecated: true`, with the `operationId` that replaces it
    /// (`x-replaced-by`) when the spec names one.
    pub deprecated: Option<Option<String>>,
}

impl Operation {
    /// Header parameters the client fills per call (`x-auto-value`), with
    /// what it fills them with.
    pub fn auto_headers(&self) -> impl Iterator<Item = (&str, &AutoValue)> {
        self.parameters
            .iter()
            .filter_map(|p| Some((p.name.as_str(), p.auto.as_ref()?)))
    }
}

/// One parameter.
#[derive(Debug, Clone)]
pub(crate) struct Parameter {
    pub name: String,
    /// `path`, `query` or `header`.
    pub location: String,
    #[allow(dead_code)] // as `Operation::ptr`
    pub required: bool,
    /// What the client fills it with when the caller sets none
    /// (`x-auto-value`).
    pub auto: Option<AutoValue>,
    /// The name progenitor is given for it, when its own would make a Rust
    /// name another parameter or the body already has (see [`crate::names`]).
    pub progenitor_name: Option<String>,
    /// Whether its value is sent as compact JSON text (a query parameter
    /// with `content: application/json`, see [`crate::json_query`]).
    pub json_text: bool,
    /// For such a parameter whose schema is an object, its property names
    /// in the order the schema declares them: the order the JSON text
    /// writes them in.
    pub json_keys: Vec<String>,
}

impl Parameter {
    /// The name progenitor sees.
    pub fn progenitor_name(&self) -> &str {
        self.progenitor_name.as_deref().unwrap_or(&self.name)
    }
}

/// A request body.
#[derive(Debug, Clone)]
#[allow(dead_code)] // as `Operation::ptr`
pub(crate) struct Body {
    pub media_type: String,
    pub required: bool,
    /// How the client sends it, where progenitor would not send it as
    /// documented.
    pub sent: media::Sent,
}

/// One documented response.
#[derive(Debug, Clone)]
#[allow(dead_code)] // as `Operation::ptr`
pub(crate) struct Response {
    /// The status key as written: `200`, `4XX` or `default`.
    pub status: String,
    /// The media type progenitor decodes as JSON, when there is one.
    pub json: Option<String>,
}

/// One security requirement: every scheme in it, with its scopes.
pub(crate) type Requirement = Vec<(String, Vec<String>)>;

/// A declared security scheme.
#[derive(Debug, Clone)]
pub(crate) struct Scheme {
    pub name: String,
    pub description: Option<String>,
    pub kind: SchemeKind,
    /// `x-resource`: the resource token requests name instead of scopes.
    pub resource: Option<String>,
}

/// What kind of scheme it is, with what a client needs of it.
#[derive(Debug, Clone)]
pub(crate) enum SchemeKind {
    /// OAuth2 with the flows it offers.
    OAuth2(Vec<Flow>),
    /// HTTP authentication (`bearer`, `basic`, ...).
    Http { scheme: String },
    /// An API key.
    ApiKey { name: String, location: String },
    /// OpenID Connect discovery.
    OpenIdConnect { url: String },
}

/// One OAuth2 flow.
#[derive(Debug, Clone)]
pub(crate) struct Flow {
    /// `clientCredentials`, `authorizationCode`, `password` or `implicit`.
    pub kind: &'static str,
    pub token_url: Option<String>,
    pub authorization_url: Option<String>,
    /// The scopes it offers, in document order.
    pub scopes: Vec<String>,
}

impl Scheme {
    /// The token URL of the first flow that has one, in the order
    /// client credentials, authorization code, password.
    pub fn token_url(&self) -> Option<&str> {
        let SchemeKind::OAuth2(flows) = &self.kind else {
            return None;
        };
        ["clientCredentials", "authorizationCode", "password"]
            .iter()
            .find_map(|kind| {
                flows
                    .iter()
                    .find(|f| f.kind == *kind)
                    .and_then(|f| f.token_url.as_deref())
            })
    }

    /// The flow of the given kind, if the scheme offers it.
    pub fn flow(&self, kind: &str) -> Option<&Flow> {
        match &self.kind {
            SchemeKind::OAuth2(flows) => flows.iter().find(|f| f.kind == kind),
            _ => None,
        }
    }
}

/// Builds the model of a spec that validation found sound. `extensions`
/// holds the parsed extensions of each operation and `servers` those of
/// each server, in document order.
/// `samples` are the spec's samples as [`crate::samples::samples`] lists them.
pub(crate) fn build(
    spec: &Spec,
    extensions: Vec<OperationExtensions>,
    servers: Vec<ServerExtensions>,
    samples: Vec<Sample>,
) -> Model {
    let root = &spec.value;
    let info = root.get("info");
    let text = |v: Option<&Value>, key: &str| {
        v.and_then(|v| v.get(key))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let servers = root
        .get("servers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .zip(servers)
        .map(|(s, ext)| Server {
            url: text(Some(s), "url").unwrap_or_default(),
            description: text(Some(s), "description"),
            constant: ext.constant,
            schemes: ext.schemes,
        })
        .collect();
    let global_security = root.get("security");
    let operations = walk::operations(root)
        .into_iter()
        .zip(extensions)
        .zip(walk::operation_ids(root))
        .map(|((op, ext), id)| operation(root, &op, id, ext, global_security))
        .collect();
    let operations = crate::responses::unique_synthetic_ids(operations);
    Model {
        title: text(info, "title").unwrap_or_default(),
        version: text(info, "version").unwrap_or_default(),
        servers,
        operations,
        schemes: schemes(root),
        enum_varnames: enum_varnames(root),
        samples,
    }
}

fn operation(
    root: &Value,
    op: &walk::Operation<'_>,
    id: String,
    ext: OperationExtensions,
    global_security: Option<&Value>,
) -> Operation {
    // Operation parameters override path-item ones with the same name and
    // place, keeping the first position.
    let mut parameters: Vec<Parameter> = Vec::new();
    for (param, _) in op.parameters(root) {
        let field = |key: &str| {
            param
                .get(key)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        let parameter = Parameter {
            name: field("name"),
            location: field("in"),
            required: param.get("required") == Some(&Value::Bool(true)),
            auto: ext
                .auto_headers
                .iter()
                .find(|(h, _)| *h == field("name") && field("in") == "header")
                .map(|(_, value)| value.clone()),
            progenitor_name: None,
            json_text: crate::json_query::is_json_text(param),
            json_keys: crate::json_query::declared_keys(root, param),
        };
        match parameters
            .iter_mut()
            .find(|p| p.name == parameter.name && p.location == parameter.location)
        {
            Some(existing) => *existing = parameter,
            None => parameters.push(parameter),
        }
    }
    let body = op.request_body(root).and_then(|(body, _)| {
        let types: Vec<&str> = body
            .get("content")?
            .as_object()?
            .keys()
            .map(String::as_str)
            .collect();
        let media_type = media::chosen_request_media(&types)?.to_owned();
        // Validation has refused a body that cannot be sent.
        let sent =
            media::request_sent(root, &media_type, body.get("content")?.get(&media_type)?).ok()?;
        Some(Body {
            media_type,
            required: body.get("required") == Some(&Value::Bool(true)),
            sent,
        })
    });
    crate::names::assign(&mut parameters, body.is_some());
    let kinds: Vec<(String, crate::responses::ResponseKind)> =
        walk::entries(root, op.value, "responses", &op.ptr)
            .into_iter()
            .filter_map(|(status, response, _)| {
                crate::responses::kind_of(status, response).map(|(kind, _)| (status.clone(), kind))
            })
            .collect();
    let plan = crate::responses::plan(&id, &kinds);
    let responses = walk::entries(root, op.value, "responses", &op.ptr)
        .into_iter()
        .map(|(status, response, _)| Response {
            status: status.clone(),
            json: response
                .get("content")
                .and_then(Value::as_object)
                .and_then(|c| c.keys().find(|t| media::progenitor_decodes_json(t)))
                .cloned(),
        })
        .collect();
    let security = op
        .value
        .get("security")
        .or(global_security)
        .map(requirements)
        .unwrap_or_default();
    Operation {
        id_made_up: op.id().is_none(),
        id: OperationId(id),
        method: Method::new(op.method),
        path: op.path.to_owned(),
        ptr: op.ptr.clone(),
        parameters,
        body,
        responses,
        security,
        idempotent: ext.idempotent,
        pagination: ext.pagination,
        plan,
        error_keys: ext.error_keys,
        server: ext.server,
        deprecated: ext.deprecated,
    }
}

/// A security requirement list as written (`[{scheme: [scopes]}]`).
pub(crate) fn requirements(list: &Value) -> Vec<Requirement> {
    list.as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .map(|requirement| {
            requirement
                .iter()
                .map(|(scheme, scopes)| {
                    let scopes = scopes
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect();
                    (scheme.clone(), scopes)
                })
                .collect()
        })
        .collect()
}

const FLOWS: [&str; 4] = [
    "implicit",
    "password",
    "clientCredentials",
    "authorizationCode",
];

fn schemes(root: &Value) -> Vec<Scheme> {
    root.pointer("/components/securitySchemes")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(name, scheme)| {
            let (scheme, _) = walk::deref(root, scheme, JsonPointer::root())?;
            let text = |key: &str| scheme.get(key).and_then(Value::as_str).map(str::to_owned);
            let kind = match text("type").as_deref() {
                Some("oauth2") => SchemeKind::OAuth2(
                    FLOWS
                        .iter()
                        .filter_map(|kind| {
                            let flow = scheme.get("flows")?.get(kind)?;
                            let text = |key: &str| {
                                flow.get(key).and_then(Value::as_str).map(str::to_owned)
                            };
                            Some(Flow {
                                kind,
                                token_url: text("tokenUrl"),
                                authorization_url: text("authorizationUrl"),
                                scopes: flow
                                    .get("scopes")
                                    .and_then(Value::as_object)
                                    .into_iter()
                                    .flatten()
                                    .map(|(s, _)| s.clone())
                                    .collect(),
                            })
                        })
                        .collect(),
                ),
                Some("http") => SchemeKind::Http {
                    scheme: text("scheme").unwrap_or_default(),
                },
                Some("apiKey") => SchemeKind::ApiKey {
                    name: text("name").unwrap_or_default(),
                    location: text("in").unwrap_or_default(),
                },
                _ => SchemeKind::OpenIdConnect {
                    url: text("openIdConnectUrl").unwrap_or_default(),
                },
            };
            Some(Scheme {
                name: name.clone(),
                description: text("description"),
                kind,
                resource: text("x-resource"),
            })
        })
        .collect()
}

fn enum_varnames(root: &Value) -> BTreeMap<String, Vec<String>> {
    root.pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(name, schema)| {
            let names = schema.get("x-enum-varnames")?.as_array()?;
            let names = names
                .iter()
                .map(|n| n.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()?;
            Some((name.clone(), names))
        })
        .collect()
}

/// The first documented JSON success sample of each operation, with its
/// status, in document order: what `sample_server()` answers with.
pub(crate) fn first_success_samples(model: &Model) -> Vec<(&Operation, u16, &Value)> {
    let mut out: Vec<(&Operation, u16, &Value)> = Vec::new();
    for sample in &model.samples {
        let SampleKind::Response { status, media_type } = &sample.kind else {
            continue;
        };
        if !status.starts_with('2') || !media::progenitor_decodes_json(media_type) {
            continue;
        }
        let Some(op) = model
            .operations
            .iter()
            .find(|op| op.method.lower() == sample.method && op.path == sample.path)
        else {
            continue;
        };
        if out.iter().any(|(seen, _, _)| std::ptr::eq(*seen, op)) {
            continue;
        }
        out.push((op, status.parse().unwrap_or(200), &sample.value));
    }
    out
}
