//! Static descriptions of an API that the generator emits from the spec.
//!
//! The runtime never hard-codes a vendor: which operations may be retried,
//! which scopes a token needs, which headers get a fresh value per call and
//! which token URL a scheme uses all come from these tables.

/// Everything the runtime needs to know about one generated API.
#[derive(Debug)]
pub struct ApiMeta {
    /// Every operation of the spec, sorted by [`OperationMeta::id`].
    pub operations: &'static [OperationMeta],
    /// Every security scheme of the spec (`components/securitySchemes`).
    pub schemes: &'static [&'static SecurityScheme],
}

impl ApiMeta {
    /// The operation whose progenitor id (the snake-case `operationId`) is `id`.
    pub fn operation(&self, id: &str) -> Option<&'static OperationMeta> {
        self.operation_index(id).map(|i| &self.operations[i])
    }

    /// Where the operation `id` is in [`operations`](Self::operations).
    pub(crate) fn operation_index(&self, id: &str) -> Option<usize> {
        self.operations.binary_search_by(|op| op.id.cmp(id)).ok()
    }

    /// The security scheme named `name` in the spec.
    pub fn scheme(&self, name: &str) -> Option<&'static SecurityScheme> {
        self.schemes.iter().copied().find(|s| s.name == name)
    }
}

/// One operation of the spec.
#[derive(Debug)]
pub struct OperationMeta {
    /// The snake-case operation id progenitor passes in `OperationInfo`.
    pub id: &'static str,
    /// The spec's `operationId`.
    pub operation_id: &'static str,
    /// Upper-case HTTP method.
    pub method: &'static str,
    /// Path template, e.g. `/partner/customers/{id}`.
    pub path: &'static str,
    /// Whether sending the request twice has the same effect as sending it
    /// once: true for GET, HEAD, OPTIONS, PUT and DELETE, and for any
    /// operation the spec marks `x-idempotent: true`.
    pub idempotent: bool,
    /// Alternative security requirements (any one suffices); each lists the
    /// schemes it needs together with their scopes.
    pub security: &'static [&'static [(&'static str, &'static [&'static str])]],
    /// Header parameters the client fills when the caller leaves them out
    /// (`x-auto-value` in the spec).
    pub auto_headers: &'static [AutoHeader],
    /// The server the operation is sent to instead of the client's base
    /// URL, when the spec gives the operation a `servers` entry of its own
    /// (replaceable with `ClientBuilder::operation_server`).
    pub server: Option<&'static str>,
}

impl OperationMeta {
    /// The scopes this operation needs from `scheme`, or `None` when no
    /// security requirement of the operation names that scheme.
    pub fn scopes_for(&self, scheme: &str) -> Option<&'static [&'static str]> {
        self.security
            .iter()
            .flat_map(|requirement| requirement.iter())
            .find(|(name, _)| *name == scheme)
            .map(|(_, scopes)| *scopes)
    }
}

/// A header the client fills per call when the caller does not set it.
#[derive(Debug)]
pub struct AutoHeader {
    /// Header name as written in the spec.
    pub name: &'static str,
    /// What to fill it with.
    pub value: AutoValue,
}

/// The kinds of value `x-auto-value` can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AutoValue {
    /// A random (version 4) UUID, new for each call and kept across the
    /// retries of that call.
    Uuid,
    /// This value, the same on every call (the parameter's documented
    /// default, such as a contract version).
    Default(&'static str),
}

/// A security scheme of the spec.
///
/// Token sources started from a scheme ([`client_credentials`],
/// [`refresh_token`]) take its token URL and `x-resource` from it and
/// remember the scheme, so that the client builder refuses them for another
/// scheme ([`BuildError::SchemeMismatch`](crate::BuildError::SchemeMismatch)).
/// To get tokens elsewhere (a test server, another cloud's identity
/// service), keep the scheme and change only the URL with the builder's
/// `token_url(..)`: the resource and the scopes each operation asks for
/// carry over.
///
/// [`client_credentials`]: Self::client_credentials
/// [`refresh_token`]: Self::refresh_token
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SecurityScheme {
    /// Name under `components/securitySchemes`.
    pub name: &'static str,
    /// What kind of scheme it is.
    pub kind: SchemeKind,
    /// Token URL of the OAuth2 flow, possibly with `{placeholders}`.
    pub token_url: Option<&'static str>,
    /// `x-resource`: the resource to ask tokens for (Microsoft Entra ID v1),
    /// sent instead of scopes.
    pub resource: Option<&'static str>,
}

/// The kinds of security scheme the runtime distinguishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SchemeKind {
    /// `type: http, scheme: bearer`: any bearer token.
    Bearer,
    /// OAuth2 client-credentials flow.
    ClientCredentials,
    /// OAuth2 authorization-code flow (its tokens are renewed with refresh tokens).
    AuthorizationCode,
    /// Anything else (API keys, OpenID Connect, other flows).
    Other,
}

impl SecurityScheme {
    /// A client-credentials token source for this scheme, with its token URL
    /// and, when the spec gives one (`x-resource`), its resource filled in.
    /// Fill `{placeholders}` of the URL (such as `{tenantId}`) with
    /// `url_parameter` before `build`; send token requests elsewhere with
    /// [`token_url`](crate::auth::ClientCredentialsBuilder::token_url)
    /// (plus `allow_insecure_loopback()` for an `http` loopback server),
    /// which keeps the resource.
    pub fn client_credentials(
        &self,
        client_id: impl Into<String>,
        credential: crate::auth::ClientCredential,
    ) -> crate::auth::ClientCredentialsBuilder {
        let builder = crate::auth::ClientCredentials::builder(
            self.token_url.unwrap_or(""),
            client_id,
            credential,
        )
        .for_scheme(self);
        match self.resource {
            Some(resource) => builder.resource(resource),
            None => builder,
        }
    }

    /// A refresh-token token source for this scheme (an app acting for a
    /// user), with its token URL and resource filled in like
    /// [`client_credentials`](Self::client_credentials).
    pub fn refresh_token(
        &self,
        client_id: impl Into<String>,
        refresh_token: crate::auth::Secret,
    ) -> crate::auth::RefreshTokenBuilder {
        let builder = crate::auth::RefreshToken::builder(
            self.token_url.unwrap_or(""),
            client_id,
            refresh_token,
        )
        .for_scheme(self);
        match self.resource {
            Some(resource) => builder.resource(resource),
            None => builder,
        }
    }
}
