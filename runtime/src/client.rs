//! The state a generated client carries ([`Runtime`]), how it is built
//! ([`ClientBuilder`]), and how each request goes out ([`send`]).

use std::fmt;
use std::marker::PhantomData;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use progenitor_client::{OperationInfo, ResponseValue};
use reqwest::header::{Entry, HeaderMap, HeaderName, HeaderValue, AUTHORIZATION};
use serde::de::DeserializeOwned;

use crate::auth::{BearerHeader, TokenCache, TokenSource};
use crate::error::{excerpt, Error, InvalidPayload};
use crate::meta::{ApiMeta, AutoValue, OperationMeta, SchemeKind, SecurityScheme};
use crate::request_url::BaseUrl;
use crate::retry::{is_retryable_status, retry_after, RetryPolicy};

/// Implemented by every generated `Client`, so [`ClientBuilder`] can make one.
pub trait GeneratedClient: Sized {
    /// The operations and security schemes of the client's spec.
    fn api() -> &'static ApiMeta;

    /// Makes the client from its parts (progenitor's `new_with_client`).
    fn from_parts(baseurl: &str, http: reqwest::Client, runtime: Runtime) -> Self;
}

/// What a generated client adds to progenitor's: the spec's operation table,
/// the token provider and the retry policy. Cheap to clone.
#[derive(Clone)]
pub struct Runtime {
    inner: Arc<RuntimeInner>,
}

struct RuntimeInner {
    api: &'static ApiMeta,
    /// The `x-auto-value` header names of each operation, parsed once:
    /// index-aligned with `api.operations`, and with each operation's
    /// `auto_headers`. A name that does not parse keeps its error, which
    /// a call of that operation reports.
    auto_names: Box<[AutoNames]>,
    auth: Option<Auth>,
    retry: RetryPolicy,
    on_request: Option<RequestHook>,
    /// Per-request timeout set on the builder; `None` leaves the HTTP
    /// client's own (60 s for the default client).
    timeout: Option<Duration>,
    /// Replacements of operation servers ([`ClientBuilder::operation_server`]):
    /// the spec's URL and the one to use, without a trailing `/`.
    servers: Box<[(String, String)]>,
    /// The base URL of the first request made with [`request`], parsed,
    /// or `None` when it is not one a copy can be made from.
    base_url: OnceLock<Option<BaseUrl>>,
}

/// The hook of [`ClientBuilder::on_request`].
type RequestHook = Arc<dyn Fn(&mut reqwest::Request) + Send + Sync>;

struct Auth {
    scheme: &'static SecurityScheme,
    tokens: TokenCache,
}

impl fmt::Debug for Runtime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Runtime")
            .field("scheme", &self.inner.auth.as_ref().map(|a| a.scheme.name))
            .field("tokens", &self.inner.auth.as_ref().map(|a| &a.tokens))
            .field("retry", &self.inner.retry)
            .field("on_request", &self.inner.on_request.is_some())
            .field("timeout", &self.inner.timeout)
            .finish()
    }
}

impl Runtime {
    /// A runtime for the API `api` without authentication, with the default
    /// retry policy. Pass it to the generated `Client::new_with_client`.
    pub fn new(api: &'static ApiMeta) -> Self {
        Runtime {
            inner: Arc::new(RuntimeInner {
                api,
                auto_names: auto_header_names(api),
                auth: None,
                retry: RetryPolicy::default(),
                on_request: None,
                timeout: None,
                servers: Box::default(),
                base_url: OnceLock::new(),
            }),
        }
    }

    /// The base URL for an operation that the spec serves from `spec_url`
    /// (its own `servers` entry): the replacement set with
    /// [`ClientBuilder::operation_server`], or `spec_url` itself.
    pub fn server_url<'a>(&'a self, spec_url: &'a str) -> &'a str {
        self.inner
            .servers
            .iter()
            .find(|(from, _)| from == spec_url.trim_end_matches('/'))
            .map_or(spec_url.trim_end_matches('/'), |(_, to)| to.as_str())
    }

    /// The operation table of the client's spec.
    pub fn api(&self) -> &'static ApiMeta {
        self.inner.api
    }

    /// The retry policy in force.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    /// The security scheme tokens are obtained for, if any.
    pub fn scheme(&self) -> Option<&'static SecurityScheme> {
        self.inner.auth.as_ref().map(|a| a.scheme)
    }

    /// The operation whose progenitor id is `id`, with what was prepared
    /// for it.
    pub(crate) fn operation(&self, id: &str) -> Option<Operation<'_>> {
        let index = self.inner.api.operation_index(id)?;
        self.operation_at(index, id)
    }

    /// The operation at position `index` of the table, if its id is `id`.
    pub(crate) fn operation_at(&self, index: usize, id: &str) -> Option<Operation<'_>> {
        let meta = self.inner.api.operations.get(index)?;
        (meta.id == id).then(|| Operation {
            meta,
            auto_names: self.inner.auto_names.get(index).map_or(&[], |names| names),
        })
    }

    /// Runs the [`ClientBuilder::on_request`] hook, if any, on one attempt.
    fn before_sending(&self, request: &mut reqwest::Request) {
        if let Some(hook) = &self.inner.on_request {
            hook(request);
        }
    }
}

/// The parsed `x-auto-value` headers of one operation, in the order of its
/// `auto_headers`; a header whose name or fixed value does not parse keeps
/// its error.
type AutoNames = Box<[Result<PreparedHeader, String>]>;

/// One `x-auto-value` header, parsed once per client: its name, and for a
/// fixed value (`AutoValue::Default`) the value, shared by every call.
pub(crate) struct PreparedHeader {
    name: HeaderName,
    fixed: Option<HeaderValue>,
}

/// One operation of the spec as [`dispatch`] needs it: its description and
/// its `x-auto-value` header names, parsed once per client.
#[derive(Clone, Copy)]
pub(crate) struct Operation<'r> {
    meta: &'static OperationMeta,
    auto_names: &'r [Result<PreparedHeader, String>],
}

/// Parses the `x-auto-value` header names, and the fixed values, of every
/// operation of `api`.
fn auto_header_names(api: &ApiMeta) -> Box<[AutoNames]> {
    api.operations
        .iter()
        .map(|op| {
            op.auto_headers
                .iter()
                .map(|header| {
                    let name = HeaderName::from_bytes(header.name.as_bytes())
                        .map_err(|e| format!("invalid header name `{}`: {e}", header.name))?;
                    let fixed = match header.value {
                        AutoValue::Uuid => None,
                        AutoValue::Default(text) => {
                            Some(HeaderValue::from_str(text).map_err(|e| {
                                format!(
                                    "the value `{text}` for header `{}` is not valid HTTP: {e}",
                                    header.name
                                )
                            })?)
                        }
                    };
                    Ok(PreparedHeader { name, fixed })
                })
                .collect()
        })
        .collect()
}

/// Why a client could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// The base URL does not parse.
    #[error("invalid base url `{url}`: {reason}")]
    InvalidBaseUrl {
        /// The URL given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// Tokens would travel in clear text to a host that is not this machine.
    #[error(
        "base url `{url}` is not https; tokens are only sent over https (or to a loopback address)"
    )]
    InsecureBaseUrl {
        /// The URL given.
        url: String,
    },
    /// The scheme is not one of the spec's.
    #[error("security scheme `{scheme}` is not defined by this API")]
    UnknownScheme {
        /// Name of the scheme.
        scheme: String,
    },
    /// The token source was made for another security scheme of the spec
    /// (e.g. from `schemes::A.client_credentials(..)`, then given to
    /// `auth(&schemes::B, ..)`): its token URL, resource or grant would not
    /// fit. A source made for any scheme may be used with a `Bearer`
    /// scheme, which accepts any bearer token.
    #[error("the token source was made for security scheme `{source_scheme}`, not `{scheme}`")]
    SchemeMismatch {
        /// The scheme given to `auth`.
        scheme: String,
        /// The scheme the token source was made for.
        source_scheme: String,
    },
    /// [`ClientBuilder::operation_server`] names a URL that no operation of
    /// the spec is served from.
    #[error("no operation of this API has its own server `{url}`")]
    UnknownOperationServer {
        /// The URL given.
        url: String,
    },
    /// The default HTTP client could not be made.
    #[error("cannot build the http client: {0}")]
    Http(#[from] reqwest::Error),
}

/// Builds a generated client with authentication and retries.
pub struct ClientBuilder<C> {
    baseurl: String,
    http: Option<reqwest::Client>,
    auth: Option<(&'static SecurityScheme, TokenCache)>,
    retry: RetryPolicy,
    on_request: Option<RequestHook>,
    timeout: Option<Duration>,
    servers: Vec<(String, String)>,
    client: PhantomData<fn() -> C>,
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("baseurl", &self.baseurl)
            .field("scheme", &self.auth.as_ref().map(|(s, _)| s.name))
            .field("retry", &self.retry)
            .field("on_request", &self.on_request.is_some())
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl<C: GeneratedClient> ClientBuilder<C> {
    /// Starts a client for the server at `baseurl`, without authentication
    /// and with the default [`RetryPolicy`].
    pub fn new(baseurl: impl Into<String>) -> Self {
        ClientBuilder {
            baseurl: baseurl.into(),
            http: None,
            auth: None,
            retry: RetryPolicy::default(),
            on_request: None,
            timeout: None,
            servers: Vec::new(),
            client: PhantomData,
        }
    }

    /// Sends the operations that the spec serves from a host of their own
    /// (`spec_url`, an operation's `servers` entry, as `API` lists it in
    /// `OperationMeta::server`) to `url` instead, e.g. a test server or
    /// another cloud's host. The base URL given to the builder is not used
    /// for them either way. `build` refuses a `spec_url` no operation has
    /// and a `url` that is not http(s), or not https while tokens are sent
    /// to a host other than this machine. Setting the same `spec_url` again
    /// replaces the earlier `url`.
    pub fn operation_server(mut self, spec_url: impl Into<String>, url: impl Into<String>) -> Self {
        let spec_url = spec_url.into().trim_end_matches('/').to_owned();
        let url = url.into().trim_end_matches('/').to_owned();
        self.servers.retain(|(from, _)| *from != spec_url);
        self.servers.push((spec_url, url));
        self
    }

    /// Obtains tokens for `scheme` from `source`, asking for the scopes each
    /// operation's security requirement names for that scheme.
    pub fn auth(self, scheme: &'static SecurityScheme, source: impl TokenSource + 'static) -> Self {
        self.auth_cache(scheme, TokenCache::new(source))
    }

    /// Like [`auth`](Self::auth) with a cache of your own (e.g. one shared by
    /// several clients, or with another refresh margin).
    pub fn auth_cache(mut self, scheme: &'static SecurityScheme, tokens: TokenCache) -> Self {
        self.auth = Some((scheme, tokens));
        self
    }

    /// Sets the retry policy.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Calls `hook` with every request just before it goes out, so it can
    /// read or change it (add a tracing header, log the URL).
    ///
    /// The hook runs once per attempt: for each operation call, for each of
    /// its retries, for the resend after a token refresh and for every
    /// next-page request of a paging stream. It runs last, after the
    /// operation's own headers, the builder's `header(..)` values, the
    /// filled-in `x-auto-value` headers and the `Authorization` header, so
    /// it sees the request as sent, token included (do not log that
    /// header), and what it changes is not overwritten. Every attempt
    /// starts again from the request as the client built it: a change made
    /// to one attempt is not carried into the next, so a header added per
    /// attempt is sent once, not once per earlier attempt. Setting a hook
    /// again replaces the previous one.
    pub fn on_request(
        mut self,
        hook: impl Fn(&mut reqwest::Request) + Send + Sync + 'static,
    ) -> Self {
        self.on_request = Some(Arc::new(hook));
        self
    }

    /// Longest time one request may take, from sending it until its
    /// response body has been read (default: 60 s, the default HTTP
    /// client's). Applies to a client given with
    /// [`http_client`](Self::http_client) too. A request that times out
    /// fails with an error whose [`is_timeout`](Error::is_timeout) is true;
    /// whether it is sent again is decided by the [`RetryPolicy`] (only
    /// idempotent operations are). Token requests have their own timeout,
    /// set on the token source's builder (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sends requests with this `reqwest` client (default: 15 s to connect,
    /// 60 s per request).
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Checks the settings and makes the client.
    pub fn build(self) -> Result<C, BuildError> {
        let url = reqwest::Url::parse(&self.baseurl).map_err(|e| BuildError::InvalidBaseUrl {
            url: self.baseurl.clone(),
            reason: e.to_string(),
        })?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(BuildError::InvalidBaseUrl {
                url: self.baseurl,
                reason: "the scheme must be http or https".into(),
            });
        }
        if let Some((scheme, tokens)) = &self.auth {
            if C::api().scheme(scheme.name) != Some(*scheme) {
                return Err(BuildError::UnknownScheme {
                    scheme: scheme.name.to_string(),
                });
            }
            check_source_scheme(scheme, tokens)?;
            if url.scheme() != "https" && !is_loopback(&url) {
                return Err(BuildError::InsecureBaseUrl { url: self.baseurl });
            }
        }
        for (from, to) in &self.servers {
            let known = C::api().operations.iter().any(|op| {
                op.server
                    .is_some_and(|s| s.trim_end_matches('/') == from.as_str())
            });
            if !known {
                return Err(BuildError::UnknownOperationServer { url: from.clone() });
            }
            let parsed = reqwest::Url::parse(to).map_err(|e| BuildError::InvalidBaseUrl {
                url: to.clone(),
                reason: e.to_string(),
            })?;
            if !matches!(parsed.scheme(), "http" | "https") {
                return Err(BuildError::InvalidBaseUrl {
                    url: to.clone(),
                    reason: "the scheme must be http or https".into(),
                });
            }
            if self.auth.is_some() && parsed.scheme() != "https" && !is_loopback(&parsed) {
                return Err(BuildError::InsecureBaseUrl { url: to.clone() });
            }
        }
        let http = match self.http {
            Some(http) => http,
            None => http_client_builder().build()?,
        };
        let runtime = Runtime {
            inner: Arc::new(RuntimeInner {
                api: C::api(),
                auto_names: auto_header_names(C::api()),
                auth: self.auth.map(|(scheme, tokens)| Auth { scheme, tokens }),
                retry: self.retry,
                on_request: self.on_request,
                timeout: self.timeout,
                servers: self.servers.into_boxed_slice(),
                base_url: OnceLock::new(),
            }),
        };
        Ok(C::from_parts(
            self.baseurl.trim_end_matches('/'),
            http,
            runtime,
        ))
    }
}

/// Refuses a token source made for another scheme than `scheme`, where the
/// source says which it was made for. Schemes are compared by value, so a
/// scheme of another API with the same name does not pass either.
fn check_source_scheme(scheme: &SecurityScheme, tokens: &TokenCache) -> Result<(), BuildError> {
    match tokens.security_scheme() {
        Some(made_for) if made_for != scheme && scheme.kind != SchemeKind::Bearer => {
            Err(BuildError::SchemeMismatch {
                scheme: scheme.name.to_owned(),
                source_scheme: made_for.name.to_owned(),
            })
        }
        _ => Ok(()),
    }
}

fn http_client_builder() -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .connect_timeout(std::time::Duration::from_secs(15))
        .timeout(std::time::Duration::from_secs(60))
}

/// The HTTP client generated clients use unless given one: 15 s to connect,
/// 60 s per request. Falls back to reqwest's defaults if those settings
/// cannot be applied, rather than panicking.
pub fn default_http_client() -> reqwest::Client {
    http_client_builder().build().unwrap_or_default()
}

/// Whether the URL's host is this machine.
pub(crate) fn is_loopback(url: &reqwest::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// Sends one operation's request: fills `x-auto-value` headers, checks that
/// path parameters did not change the path, adds the bearer token, retries
/// per the policy and refreshes the token once after a 401.
///
/// The operation is looked up by `info`'s name in the client's operation
/// table; [`send_operation`] is the same given its position there.
pub async fn send<E>(
    http: &reqwest::Client,
    runtime: &Runtime,
    request: reqwest::Request,
    info: &OperationInfo,
) -> Result<reqwest::Response, Error<E>> {
    let op = runtime.operation(info.operation_id);
    send_to(http, runtime, request, op).await
}

/// [`send`] for the operation at position `index` of the client's
/// operation table ([`ApiMeta::operations`]), which spares the search by
/// name. The entry there must be the operation `info` names; if it is not
/// (a table and code from different generations), the operation is looked
/// up by name as [`send`] does.
///
/// The generated code calls this in place of progenitor's hooks.
pub async fn send_operation<E>(
    http: &reqwest::Client,
    runtime: &Runtime,
    request: reqwest::Request,
    info: &OperationInfo,
    index: usize,
) -> Result<reqwest::Response, Error<E>> {
    let op = runtime
        .operation_at(index, info.operation_id)
        .or_else(|| runtime.operation(info.operation_id));
    send_to(http, runtime, request, op).await
}

/// What [`send`] and [`send_operation`] do once the operation is known.
async fn send_to<E>(
    http: &reqwest::Client,
    runtime: &Runtime,
    request: reqwest::Request,
    op: Option<Operation<'_>>,
) -> Result<reqwest::Response, Error<E>> {
    if let Some(op) = op {
        check_path(request.url().path(), op.meta)?;
    }
    // Boxed: the retry loop's state is large, and inline it would be
    // copied with every future that holds this one (the generated
    // `send()`'s, and the caller's).
    Box::pin(dispatch(http, runtime, request, op)).await
}

/// Starts the request `method url` of an operation, where `url` is the
/// client's base URL `base` followed by the operation's path: what
/// `http.request(method, url)` starts, without parsing all of `url` again
/// for every request.
///
/// The base URL is parsed once per client; when it and the path are in the
/// plain form described in `request_url`, the request's URL is a copy of it
/// with the path set, the same URL a full parse gives. Otherwise (a base
/// URL with a user name, a query or an unusual spelling, another base such
/// as an operation's own server, a path with characters URL parsing would
/// encode) this is `http.request(method, url)` itself.
///
/// The generated code calls this in place of progenitor's
/// `client.client.get(url)` and its siblings.
pub fn request(
    http: &reqwest::Client,
    runtime: &Runtime,
    method: reqwest::Method,
    base: &str,
    url: String,
) -> reqwest::RequestBuilder {
    let parsed = runtime.inner.base_url.get_or_init(|| BaseUrl::parse(base));
    match parsed.as_ref().and_then(|parsed| parsed.join(&url)) {
        Some(url) => {
            reqwest::RequestBuilder::from_parts(http.clone(), reqwest::Request::new(method, url))
        }
        None => http.request(method, url),
    }
}

/// Percent-encodes `value` as one path segment: every byte outside RFC
/// 3986's unreserved characters (`A`–`Z`, `a`–`z`, `0`–`9`, `-`, `.`, `_`,
/// `~`) becomes `%XX`, the UTF-8 bytes of non-ASCII characters included.
/// So `/`, `\` (which URL parsing treats as `/` for http and https), `;`,
/// `%`, `?`, `#` and spaces cannot change the path. The segments `.`,
/// `..` and the empty one are left as they are; [`send`] refuses them.
///
/// The same as formatting [`PathSegment`]`(value)`.
pub fn encode_path_segment(value: &str) -> String {
    PathSegment(value).to_string()
}

/// A path parameter's value that formats as one percent-encoded path
/// segment: its `Display` text, encoded as [`encode_path_segment`] does.
///
/// The generated code formats `PathSegment(&value)` straight into the
/// request URL, in place of progenitor's `encode_path(&value.to_string())`,
/// so that neither the value's text nor its encoding is a `String` of its
/// own.
#[derive(Debug, Clone, Copy)]
pub struct PathSegment<T>(pub T);

/// The value's `Display`, found as a method call finds it: on the value or,
/// through `Deref`, on what it derefs to. The generated code calls
/// `value.as_display()` for [`PathSegment`], so a path parameter of a type
/// that only derefs to a `String` (typify's constrained strings) is written
/// as that string, as `value.to_string()` would write it.
pub trait AsDisplay {
    /// `self` as something to format.
    fn as_display(&self) -> &dyn fmt::Display;
}

impl<T: fmt::Display> AsDisplay for T {
    fn as_display(&self) -> &dyn fmt::Display {
        self
    }
}

impl<T: fmt::Display> fmt::Display for PathSegment<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::write(&mut PercentEncoder(f), format_args!("{}", self.0))
    }
}

/// Writes what it is given percent-encoded as a path segment: runs of
/// unreserved characters as they are, every other byte as `%XX`.
struct PercentEncoder<'a, 'b>(&'a mut fmt::Formatter<'b>);

impl fmt::Write for PercentEncoder<'_, '_> {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        let mut rest = text;
        while !rest.is_empty() {
            let plain = rest
                .bytes()
                .position(|byte| !is_unreserved(byte))
                .unwrap_or(rest.len());
            // Every byte before `plain` is ASCII, so it is a char boundary.
            let (run, tail) = rest.split_at(plain);
            if !run.is_empty() {
                self.0.write_str(run)?;
            }
            let Some(c) = tail.chars().next() else {
                break;
            };
            for &byte in c.encode_utf8(&mut [0; 4]).as_bytes() {
                let escaped = [
                    b'%',
                    HEX[usize::from(byte >> 4)],
                    HEX[usize::from(byte & 0xF)],
                ];
                self.0
                    .write_str(std::str::from_utf8(&escaped).map_err(|_| fmt::Error)?)?;
            }
            rest = &tail[c.len_utf8()..];
        }
        Ok(())
    }
}

/// Whether `byte` is one of RFC 3986's unreserved characters.
fn is_unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~')
}

/// Fails when a path parameter's value (such as `..`, `.` or an empty
/// string) made the request path differ from the operation's template.
/// [`encode_path_segment`] takes care of every other character; dot
/// segments are removed by URL normalisation and so have to be caught here.
fn check_path<'a, E>(path: &'a str, op: &'a OperationMeta) -> Result<(), Error<E>> {
    // Compared from the end, segment by segment, since the base URL may add
    // a prefix. Split as bytes: `/` is ASCII, and a byte loop is cheaper
    // than a `char` searcher on segments this short.
    let segments = |path: &'a str| {
        let path = path.as_bytes();
        let start = path.iter().position(|&b| b != b'/').unwrap_or(path.len());
        path[start..].rsplit(|&b| b == b'/')
    };
    let mut actual = segments(path);
    let ok = segments(op.path).all(|t| match actual.next() {
        Some(a) if t.starts_with(b"{") && t.ends_with(b"}") => !a.is_empty(),
        Some(a) => a == t,
        None => false,
    });
    if ok {
        Ok(())
    } else {
        Err(Error::InvalidRequest(format!(
            "a path parameter of `{}` would change the request path to `{path}` (template `{}`); \
             empty values and the dot segments `.` and `..` are not allowed",
            op.operation_id, op.path
        )))
    }
}

/// Sends a request that is not one of the spec's operations as written,
/// such as a next-page link, under the same rules as the operation `op`
/// except the path check.
pub(crate) async fn dispatch<E>(
    http: &reqwest::Client,
    runtime: &Runtime,
    mut request: reqwest::Request,
    op: Option<Operation<'_>>,
) -> Result<reqwest::Response, Error<E>> {
    if let (Some(timeout), None) = (runtime.inner.timeout, request.timeout()) {
        *request.timeout_mut() = Some(timeout);
    }
    if let Some(op) = op {
        fill_auto_headers(request.headers_mut(), op)?;
    }
    let op = op.map(|op| op.meta);

    let auth = runtime.inner.auth.as_ref();
    let scopes: &[&str] = match (auth, op) {
        (Some(auth), Some(op)) => match op.scopes_for(auth.scheme.name) {
            Some(scopes) => scopes,
            None if op.security.is_empty() => &[],
            None => {
                return Err(Error::InvalidRequest(format!(
                    "operation `{}` does not accept the security scheme `{}`",
                    op.operation_id, auth.scheme.name
                )))
            }
        },
        _ => &[],
    };
    let mut token: Option<BearerHeader> = None;
    if let Some(auth) = auth {
        // The fetch (or the wait for one) is boxed: it is rare, and its
        // future would otherwise enlarge every call's.
        let bearer = match auth.tokens.fresh_bearer(scopes) {
            Some(bearer) => bearer,
            None => Box::pin(auth.tokens.bearer(scopes)).await?,
        };
        request
            .headers_mut()
            .insert(AUTHORIZATION, bearer.value().clone());
        token = Some(bearer);
    }

    let policy = &runtime.inner.retry;
    let idempotent = op.is_some_and(|op| op.idempotent);
    let may_retry = idempotent || policy.retry_non_idempotent();
    let started = Instant::now();
    let mut attempt: u32 = 1;
    let mut refreshed = false;
    loop {
        // Whether this attempt may be followed by another: a retry, or the
        // resend after a token refresh. If not, the request itself goes
        // out; otherwise a copy does and the request is kept for the next
        // attempt. A request whose body is a stream cannot be copied: it
        // goes out once, without retries.
        let may_resend =
            (may_retry && attempt < policy.max_attempts()) || (token.is_some() && !refreshed);
        //
        // The copy is a temporary of this `match`, so that it takes no room
        // in this future across the await (it is in reqwest's by then).
        let pending = match may_resend.then(|| copy_request(&request)).flatten() {
            Some(mut this) => {
                runtime.before_sending(&mut this);
                http.execute(this)
            }
            None => break,
        };
        let result = pending.await;
        let wait = match &result {
            Ok(response) if response.status() == reqwest::StatusCode::UNAUTHORIZED => {
                if let (Some(auth), Some(stale), false) = (auth, &token, refreshed) {
                    refreshed = true;
                    // Boxed for the same reason as the first token.
                    Box::pin(auth.tokens.invalidate_bearer(scopes, stale)).await;
                    // If the token endpoint fails now, the 401 says more
                    // about the problem than that second failure would.
                    if let Ok(fresh) = Box::pin(auth.tokens.bearer(scopes)).await {
                        request
                            .headers_mut()
                            .insert(AUTHORIZATION, fresh.value().clone());
                        token = Some(fresh);
                        continue;
                    }
                }
                None
            }
            Ok(response) if is_retryable_status(response.status()) => {
                let asked = retry_after(response.headers(), SystemTime::now());
                Some(asked.unwrap_or_else(|| policy.backoff(attempt)))
            }
            Ok(_) => None,
            // A timed-out request may have reached the server: only an
            // idempotent one is sent again (see `RetryPolicy`).
            Err(e) if policy.retries_failure(e, idempotent) => Some(policy.backoff(attempt)),
            Err(_) => None,
        };
        let give_up = match wait {
            None => true,
            Some(wait) => {
                !may_retry
                    || attempt >= policy.max_attempts()
                    || started.elapsed() + wait > policy.max_elapsed()
            }
        };
        match wait {
            Some(wait) if !give_up => {
                drop(result);
                tracing::debug!(
                    operation = op.map(|op| op.operation_id),
                    attempt,
                    wait_ms = wait.as_millis() as u64,
                    "retrying"
                );
                // Boxed so that the timer, needed only here, does not
                // enlarge every call's future.
                Box::pin(tokio::time::sleep(wait)).await;
                attempt += 1;
            }
            _ => return result.map_err(Error::CommunicationError),
        }
    }
    runtime.before_sending(&mut request);
    http.execute(request)
        .await
        .map_err(Error::CommunicationError)
}

/// A copy of `request` to send while `request` is kept for another
/// attempt, or `None` when its body is a stream.
///
/// `reqwest::Request::try_clone` also copies the request's extension map
/// (and makes one for the timeout even when there is none: a hash map and
/// a box per call); the requests the runtime sends carry nothing there but
/// the timeout, so a request without a body is copied field by field.
fn copy_request(request: &reqwest::Request) -> Option<reqwest::Request> {
    if request.body().is_some() {
        return request.try_clone();
    }
    let mut copy = reqwest::Request::new(request.method().clone(), request.url().clone());
    *copy.headers_mut() = request.headers().clone();
    *copy.version_mut() = request.version();
    if let Some(timeout) = request.timeout() {
        *copy.timeout_mut() = Some(*timeout);
    }
    Some(copy)
}

/// How many random UUIDs one system call for random bytes provides.
const UUIDS_PER_FILL: usize = 4;

/// Fills the `x-auto-value` headers of `op` that the caller did not set.
/// The random bytes of all the UUIDs of a call come from one request to
/// the system's generator, and each value is a shared buffer, so that the
/// copy of the request for each attempt does not copy it again.
fn fill_auto_headers<E>(headers: &mut HeaderMap, op: Operation<'_>) -> Result<(), Error<E>> {
    let mut random = [0u8; 16 * UUIDS_PER_FILL];
    let mut unused = 0;
    for (header, prepared) in op.meta.auto_headers.iter().zip(op.auto_names) {
        let PreparedHeader { name, fixed } = prepared
            .as_ref()
            .map_err(|e| Error::InvalidRequest(e.clone()))?;
        // One lookup for the check and the insertion.
        let Entry::Vacant(slot) = headers.entry(name.clone()) else {
            continue;
        };
        let value = match fixed {
            Some(value) => value.clone(),
            None => {
                if unused == 0 {
                    getrandom::fill(&mut random).map_err(|e| {
                        Error::InvalidRequest(format!(
                            "cannot make a random value for header `{}`: {e}",
                            header.name
                        ))
                    })?;
                    unused = UUIDS_PER_FILL;
                }
                unused -= 1;
                let mut bytes = [0u8; 16];
                bytes.copy_from_slice(&random[unused * 16..(unused + 1) * 16]);
                uuid_value(uuid::Builder::from_random_bytes(bytes).into_uuid())?
            }
        };
        slot.insert(value);
    }
    Ok(())
}

/// The hyphenated lower-case form of `id` as a header value.
fn uuid_value<E>(id: uuid::Uuid) -> Result<HeaderValue, Error<E>> {
    let mut text = [0u8; uuid::fmt::Hyphenated::LENGTH];
    id.hyphenated().encode_lower(&mut text);
    Ok(HeaderValue::from_maybe_shared(Bytes::from_owner(text))?)
}

/// Decodes a JSON body into `T`, or says what was wrong with it, keeping
/// the status and a bounded excerpt. Replaces progenitor's
/// `ResponseValue::from_response`, which keeps neither.
pub async fn decode<T: DeserializeOwned, E>(
    mut response: reqwest::Response,
) -> Result<ResponseValue<T>, Error<E>> {
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let body = response.bytes().await.map_err(Error::ResponseBodyError)?;
    match serde_json::from_slice(&body) {
        Ok(inner) => Ok(ResponseValue::new(inner, status, headers)),
        Err(source) => Err(Error::InvalidResponsePayload(InvalidPayload {
            status,
            excerpt: excerpt(&body),
            length: body.len(),
            source,
        })),
    }
}

/// The property names that tell an error body from a success body, for
/// [`decode_or_error`]: the required properties of an operation's error
/// type, which its success types do not have.
///
/// The generated code keeps one in a `static` per operation, so that the
/// searchers for the names are built once, on first use, not for every
/// response.
pub struct ErrorKeys {
    keys: &'static [&'static str],
    finders: OnceLock<Box<[memchr::memmem::Finder<'static>]>>,
}

impl ErrorKeys {
    /// The names `keys`.
    pub const fn new(keys: &'static [&'static str]) -> Self {
        ErrorKeys {
            keys,
            finders: OnceLock::new(),
        }
    }

    /// The names.
    pub fn keys(&self) -> &'static [&'static str] {
        self.keys
    }

    /// Whether `body` names every key as a JSON member (see [`names_key`]);
    /// false when there are no keys.
    fn all_named(&self, body: &[u8]) -> bool {
        if self.keys.is_empty() {
            return false;
        }
        let finders = self.finders.get_or_init(|| {
            self.keys
                .iter()
                .map(|key| memchr::memmem::Finder::new(key.as_bytes()))
                .collect()
        });
        finders.iter().all(|finder| names_key(body, finder))
    }
}

impl fmt::Debug for ErrorKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ErrorKeys").field(&self.keys).finish()
    }
}

/// [`decode`] for an operation whose service may answer an error with a
/// success status (`x-errors-with-success-status` in the spec): a body that
/// names every property in `error_keys` (the required properties of the
/// error type `E`, which the success type does not have) and decodes as `E`
/// is returned as [`Error::ErrorResponse`] with the success status; any
/// other body is decoded as `T`. The names are looked for as quoted JSON
/// keys first, so a success body is decoded once.
pub async fn decode_or_error<T: DeserializeOwned, E: DeserializeOwned>(
    mut response: reqwest::Response,
    error_keys: &ErrorKeys,
) -> Result<ResponseValue<T>, Error<E>> {
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let body = response.bytes().await.map_err(Error::ResponseBodyError)?;
    if error_keys.all_named(&body) {
        if let Ok(error) = serde_json::from_slice::<E>(&body) {
            return Err(Error::ErrorResponse(ResponseValue::new(
                error, status, headers,
            )));
        }
    }
    match serde_json::from_slice(&body) {
        Ok(inner) => Ok(ResponseValue::new(inner, status, headers)),
        Err(source) => Err(Error::InvalidResponsePayload(InvalidPayload {
            status,
            excerpt: excerpt(&body),
            length: body.len(),
            source,
        })),
    }
}

/// Whether `body` holds `"key"` followed, after blanks, by a colon: the
/// key of a JSON member, at any depth (a cheap filter before decoding),
/// where `finder` searches for the bare key.
///
/// The bare key is searched for, and its quotes checked around each match,
/// so that no quoted copy of the key is allocated per response.
fn names_key(body: &[u8], finder: &memchr::memmem::Finder<'_>) -> bool {
    let key = finder.needle();
    finder.find_iter(body).any(|at| {
        let end = at + key.len();
        at > 0
            && body[at - 1] == b'"'
            && body.get(end) == Some(&b'"')
            && body[end + 1..].iter().find(|b| !b.is_ascii_whitespace()) == Some(&b':')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A type that is not `Display` but derefs to a `String`, as typify's
    /// constrained strings are.
    struct Constrained(String);

    impl std::ops::Deref for Constrained {
        type Target = String;
        fn deref(&self) -> &String {
            &self.0
        }
    }

    #[test]
    fn path_segments_find_display_through_deref() {
        use std::fmt::Write as _;
        let constrained = Constrained("a/b c".to_owned());
        let uuid = uuid::Uuid::nil();
        let number = 42_i64;
        let mut out = String::new();
        write!(
            out,
            "{}|{}|{}",
            PathSegment(constrained.as_display()),
            PathSegment(uuid.as_display()),
            PathSegment(number.as_display()),
        )
        .unwrap();
        assert_eq!(out, "a%2Fb%20c|00000000-0000-0000-0000-000000000000|42");
    }

    #[test]
    fn error_keys_are_found_as_member_names_only() {
        let names = |body: &[u8], key: &str| names_key(body, &memchr::memmem::Finder::new(key));
        let body = br#"{"code" : "400072", "items": ["description"], "x": {"source":1}}"#;
        assert!(names(body, "code"));
        assert!(names(body, "source"));
        assert!(!names(body, "description"), "a string value, not a key");
        assert!(!names(body, "cod"));
        assert!(!names(b"", "code"));
        assert!(!names(br#"{"code""#, "code"));
    }

    #[test]
    fn error_keys_need_every_name_and_build_their_searchers_once() {
        static KEYS: ErrorKeys = ErrorKeys::new(&["code", "description"]);
        assert_eq!(KEYS.keys(), ["code", "description"]);
        assert!(KEYS.finders.get().is_none(), "nothing is built before use");
        assert!(KEYS.all_named(br#"{"code": 1, "description": "x"}"#));
        let built = KEYS.finders.get().map(|f| f.as_ptr());
        assert!(!KEYS.all_named(br#"{"code": 1}"#));
        assert!(!KEYS.all_named(br#"{"id": "code", "description": 2}"#));
        assert_eq!(KEYS.finders.get().map(|f| f.as_ptr()), built, "built once");
        static NONE: ErrorKeys = ErrorKeys::new(&[]);
        assert!(
            !NONE.all_named(br#"{"code": 1}"#),
            "no keys: never an error body"
        );
        assert_eq!(format!("{KEYS:?}"), r#"ErrorKeys(["code", "description"])"#);
    }

    static OP: OperationMeta = OperationMeta {
        id: "get_customer",
        operation_id: "getCustomer",
        method: "GET",
        path: "/partner/customers/{id}",
        idempotent: true,
        security: &[],
        auto_headers: &[],
        server: None,
    };

    #[test]
    fn operations_are_found_by_position_only_under_their_name() {
        static API: ApiMeta = ApiMeta {
            operations: &[
                OperationMeta { ..OP },
                OperationMeta {
                    id: "list_customers",
                    ..OP
                },
            ],
            schemes: &[],
        };
        let runtime = Runtime::new(&API);
        let at = |index, id| runtime.operation_at(index, id).map(|op| op.meta.id);
        assert_eq!(at(0, "get_customer"), Some("get_customer"));
        assert_eq!(at(1, "list_customers"), Some("list_customers"));
        assert_eq!(at(1, "get_customer"), None, "another operation's position");
        assert_eq!(at(2, "get_customer"), None, "past the table");
        assert_eq!(
            runtime.operation("list_customers").map(|op| op.meta.id),
            Some("list_customers")
        );
    }

    #[test]
    fn path_check_accepts_the_template_under_any_base_path() {
        assert!(check_path::<()>("/partner/customers/abc", &OP).is_ok());
        assert!(check_path::<()>("/base/v2/partner/customers/a%2Fb%3Fc", &OP).is_ok());
        assert!(check_path::<()>("/partner/customers/..%2Fadmin", &OP).is_ok());
    }

    #[test]
    fn path_segments_encode_everything_outside_unreserved() {
        assert_eq!(encode_path_segment("aZ09-._~"), "aZ09-._~");
        assert_eq!(
            encode_path_segment("..\\customers\\victim"),
            "..%5Ccustomers%5Cvictim"
        );
        assert_eq!(
            encode_path_segment("a;b%c#d?e/f g"),
            "a%3Bb%25c%23d%3Fe%2Ff%20g"
        );
        assert_eq!(encode_path_segment("é€"), "%C3%A9%E2%82%AC");
        assert_eq!(
            encode_path_segment("!$&'()*+,=:@[]"),
            "%21%24%26%27%28%29%2A%2B%2C%3D%3A%40%5B%5D"
        );
        assert_eq!(encode_path_segment(".."), "..");
        assert_eq!(encode_path_segment(""), "");
    }

    #[test]
    fn requests_start_as_reqwest_starts_them() {
        static API: ApiMeta = ApiMeta {
            operations: &[],
            schemes: &[],
        };
        let http = reqwest::Client::new();
        for (base, url) in [
            // The base URL's copy.
            ("http://127.0.0.1:1/b", "http://127.0.0.1:1/b/c/a%2Fb"),
            ("https://h", "https://h/x/../y"),
            // A full parse: the user name and password become basic
            // authentication, another host, a path URL parsing encodes.
            ("http://u:p@h", "http://u:p@h/x"),
            ("http://h", "http://other/x"),
            ("http://h", "http://h/a b"),
        ] {
            let runtime = Runtime::new(&API);
            for _ in 0..2 {
                let ours = request(&http, &runtime, reqwest::Method::PUT, base, url.into())
                    .build()
                    .unwrap();
                let theirs = http.put(url).build().unwrap();
                assert_eq!(ours.method(), theirs.method());
                assert_eq!(ours.url(), theirs.url(), "{url}");
                assert_eq!(ours.headers(), theirs.headers(), "{url}");
            }
        }
        // A URL that does not parse fails as reqwest fails it.
        let runtime = Runtime::new(&API);
        let ours = request(&http, &runtime, reqwest::Method::GET, "h", "h/x".into()).build();
        let theirs = http.get("h/x").build();
        assert_eq!(
            ours.unwrap_err().to_string(),
            theirs.unwrap_err().to_string()
        );
    }

    #[test]
    fn path_segments_format_the_display_text_encoded() {
        let id = uuid::Uuid::parse_str("AAAABBBB-0000-CCCC-1111-DDDD2222EEEE").unwrap();
        assert_eq!(
            format!("/c/{}/x", PathSegment(&id)),
            "/c/aaaabbbb-0000-cccc-1111-dddd2222eeee/x"
        );
        assert_eq!(PathSegment(-12).to_string(), "-12");
        assert_eq!(PathSegment("a/b é").to_string(), "a%2Fb%20%C3%A9");
        // Formatting flags of the URL's `format!` do not reach the value.
        assert_eq!(format!("{:>5}", PathSegment("a b")), "a%20b");
    }

    #[test]
    fn copies_keep_method_url_headers_version_and_timeout() {
        let url: reqwest::Url = "http://127.0.0.1:1/a/b?c=d".parse().unwrap();
        let mut request = reqwest::Request::new(reqwest::Method::PUT, url);
        let headers = request.headers_mut();
        headers.insert("x-one", HeaderValue::from_static("1"));
        headers.append("x-one", HeaderValue::from_static("2"));
        headers.insert(AUTHORIZATION, HeaderValue::from_static("Bearer t"));
        *request.version_mut() = reqwest::Version::HTTP_10;
        let copy = copy_request(&request).unwrap();
        assert_eq!(copy.method(), request.method());
        assert_eq!(copy.url(), request.url());
        assert_eq!(copy.headers(), request.headers());
        assert_eq!(copy.version(), reqwest::Version::HTTP_10);
        assert_eq!(copy.timeout(), None);

        *request.timeout_mut() = Some(Duration::from_millis(7));
        let copy = copy_request(&request).unwrap();
        assert_eq!(copy.timeout(), Some(&Duration::from_millis(7)));
    }

    #[test]
    fn copies_keep_a_body_of_bytes_and_refuse_a_stream() {
        let url: reqwest::Url = "http://127.0.0.1:1/".parse().unwrap();
        let mut request = reqwest::Request::new(reqwest::Method::POST, url.clone());
        *request.body_mut() = Some(reqwest::Body::from("{\"a\":1}"));
        *request.timeout_mut() = Some(Duration::from_millis(7));
        let copy = copy_request(&request).unwrap();
        assert_eq!(
            copy.body().and_then(reqwest::Body::as_bytes),
            Some(&b"{\"a\":1}"[..])
        );
        assert_eq!(copy.timeout(), Some(&Duration::from_millis(7)));

        let mut streamed = reqwest::Request::new(reqwest::Method::POST, url);
        let chunks = futures_util::stream::iter([Ok::<_, std::io::Error>(Bytes::from("x"))]);
        *streamed.body_mut() = Some(reqwest::Body::wrap_stream(chunks));
        assert!(copy_request(&streamed).is_none());
    }

    #[test]
    fn uuid_values_are_the_hyphenated_lower_case_form() {
        let id = uuid::Uuid::parse_str("AAAABBBB-0000-CCCC-1111-DDDD2222EEEE").unwrap();
        let value = uuid_value::<()>(id).unwrap();
        assert_eq!(value, "aaaabbbb-0000-cccc-1111-dddd2222eeee");
        // Clones share the buffer rather than copying it.
        assert_eq!(value.clone().as_bytes().as_ptr(), value.as_bytes().as_ptr());
    }

    #[test]
    fn path_check_rejects_dot_segments_and_empty_values() {
        for path in [
            "/partner/",
            "/partner/customers/",
            "/partner/customers",
            "/admin",
        ] {
            let e = check_path::<()>(path, &OP).unwrap_err().to_string();
            assert!(e.contains("getCustomer") && e.contains(path), "{e}");
        }
    }
}
