//! The state a generated client carries ([`Runtime`]), how it is built
//! ([`ClientBuilder`]), and how each request goes out ([`send`]).

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use progenitor_client::{OperationInfo, ResponseValue};
use reqwest::header::{HeaderName, HeaderValue, AUTHORIZATION};
use serde::de::DeserializeOwned;

use crate::auth::{BearerHeader, TokenCache, TokenSource};
use crate::error::{excerpt, Error, InvalidPayload};
use crate::meta::{ApiMeta, AutoValue, OperationMeta, SchemeKind, SecurityScheme};
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
    auth: Option<Auth>,
    retry: RetryPolicy,
    on_request: Option<RequestHook>,
    /// Per-request timeout set on the builder; `None` leaves the HTTP
    /// client's own (60 s for the default client).
    timeout: Option<Duration>,
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
                auth: None,
                retry: RetryPolicy::default(),
                on_request: None,
                timeout: None,
            }),
        }
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

    /// Runs the [`ClientBuilder::on_request`] hook, if any, on one attempt.
    fn before_sending(&self, request: &mut reqwest::Request) {
        if let Some(hook) = &self.inner.on_request {
            hook(request);
        }
    }
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
            client: PhantomData,
        }
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
        let http = match self.http {
            Some(http) => http,
            None => http_client_builder().build()?,
        };
        let runtime = Runtime {
            inner: Arc::new(RuntimeInner {
                api: C::api(),
                auth: self.auth.map(|(scheme, tokens)| Auth { scheme, tokens }),
                retry: self.retry,
                on_request: self.on_request,
                timeout: self.timeout,
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
/// The generated code calls this in place of progenitor's hooks.
pub async fn send<E>(
    http: &reqwest::Client,
    runtime: &Runtime,
    request: reqwest::Request,
    info: &OperationInfo,
) -> Result<reqwest::Response, Error<E>> {
    let op = runtime.inner.api.operation(info.operation_id);
    if let Some(op) = op {
        check_path(request.url().path(), op)?;
    }
    dispatch(http, runtime, request, op).await
}

/// Percent-encodes `value` as one path segment: every byte outside RFC
/// 3986's unreserved characters (`A`–`Z`, `a`–`z`, `0`–`9`, `-`, `.`, `_`,
/// `~`) becomes `%XX`, the UTF-8 bytes of non-ASCII characters included.
/// So `/`, `\` (which URL parsing treats as `/` for http and https), `;`,
/// `%`, `?`, `#` and spaces cannot change the path. The segments `.`,
/// `..` and the empty one are left as they are; [`send`] refuses them.
///
/// The generated code calls this in place of progenitor's `encode_path`,
/// which leaves `\`, `;` and others as they are.
pub fn encode_path_segment(value: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(value.len());
    for &byte in value.as_bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0xF)]));
        }
    }
    out
}

/// Fails when a path parameter's value (such as `..`, `.` or an empty
/// string) made the request path differ from the operation's template.
/// [`encode_path_segment`] takes care of every other character; dot
/// segments are removed by URL normalisation and so have to be caught here.
fn check_path<E>(path: &str, op: &OperationMeta) -> Result<(), Error<E>> {
    // Compared from the end, segment by segment, since the base URL may add
    // a prefix.
    let mut actual = path.trim_start_matches('/').rsplit('/');
    let ok = op
        .path
        .trim_start_matches('/')
        .rsplit('/')
        .all(|t| match actual.next() {
            Some(a) if t.starts_with('{') && t.ends_with('}') => !a.is_empty(),
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
    op: Option<&'static OperationMeta>,
) -> Result<reqwest::Response, Error<E>> {
    if let (Some(timeout), None) = (runtime.inner.timeout, request.timeout()) {
        *request.timeout_mut() = Some(timeout);
    }
    if let Some(op) = op {
        for header in op.auto_headers {
            let name = HeaderName::from_bytes(header.name.as_bytes()).map_err(|e| {
                Error::InvalidRequest(format!("invalid header name `{}`: {e}", header.name))
            })?;
            if !request.headers().contains_key(&name) {
                let value = match header.value {
                    AutoValue::Uuid => uuid::Uuid::new_v4().to_string(),
                };
                request
                    .headers_mut()
                    .insert(name, HeaderValue::from_str(&value)?);
            }
        }
    }

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
        let bearer = auth.tokens.bearer(scopes).await?;
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
        // A request whose body is a stream cannot be sent twice: it goes
        // out once, without retries.
        let Some(mut this) = request.try_clone() else {
            runtime.before_sending(&mut request);
            return http
                .execute(request)
                .await
                .map_err(Error::CommunicationError);
        };
        runtime.before_sending(&mut this);
        let result = http.execute(this).await;
        let wait = match &result {
            Ok(response) if response.status() == reqwest::StatusCode::UNAUTHORIZED => {
                if let (Some(auth), Some(stale), false) = (auth, &token, refreshed) {
                    refreshed = true;
                    auth.tokens.invalidate_bearer(scopes, stale).await;
                    // If the token endpoint fails now, the 401 says more
                    // about the problem than that second failure would.
                    if let Ok(fresh) = auth.tokens.bearer(scopes).await {
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
                tokio::time::sleep(wait).await;
                attempt += 1;
            }
            _ => return result.map_err(Error::CommunicationError),
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    static OP: OperationMeta = OperationMeta {
        id: "get_customer",
        operation_id: "getCustomer",
        method: "GET",
        path: "/partner/customers/{id}",
        idempotent: true,
        security: &[],
        auto_headers: &[],
    };

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
