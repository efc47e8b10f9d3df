//! Streams of items over paged list operations.
//!
//! The generator adds `stream()` and `stream_from(cursor)` methods to the
//! builder of every operation the spec marks with `x-pagination`. Pages are
//! fetched lazily, one at a time, so memory stays bounded by one page
//! whatever the total. A stream owns a clone of the client (cheap: the
//! client's parts are reference-counted), so it is `'static` and can be
//! moved into a spawned task.
//!
//! A [`PageStream`] says where the list goes on ([`PageStream::next_cursor`]):
//! a job can save that cursor, stop, and later resume with the builder's
//! `stream_from(cursor)`.

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_util::future::BoxFuture;
use futures_util::FutureExt;
use progenitor_client::ResponseValue;
use reqwest::header::{HeaderName, HeaderValue, ACCEPT};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::client::{decode, dispatch, Runtime};
use crate::error::{decode_error, undocumented};
use crate::Error;

/// A boxed stream of the items of every page, in order, ending after the
/// first error. [`PageStream`] is the concrete stream the generated
/// `stream()` methods return; `.boxed()` turns it into this type.
pub type ItemStream<'a, T, E> =
    Pin<Box<dyn futures_core::Stream<Item = Result<T, Error<E>>> + Send + 'a>>;

/// What one page contributed: its items and where the list goes on.
pub struct Page<T, N> {
    /// The items of this page, in order.
    pub items: Vec<T>,
    /// How to get the next page, when the page says (`None` otherwise).
    pub next: Option<N>,
}

/// Fetches the page at a cursor, given how many items the pages before it
/// held.
type Fetch<T, E, C> = Box<dyn FnMut(C, u64) -> BoxFuture<'static, PageResult<T, E, C>> + Send>;
type PageResult<T, E, C> = Result<Page<T, C>, Error<E>>;

/// The items of every page of a list operation, in order, fetched lazily
/// one page at a time. The stream ends after the last page (one without a
/// cursor to a next page, or without items) or after the first error.
///
/// `C` is the cursor that locates a page: a [`Link`] for operations that
/// page by links (`x-pagination` style `next-link`), the page number
/// (`i64`) for numbered pages (style `page-number`). The stream owns
/// everything it needs (`'static`), so it can be spawned on a task.
pub struct PageStream<T, E, C> {
    fetch: Fetch<T, E, C>,
    pending: Option<BoxFuture<'static, PageResult<T, E, C>>>,
    buffer: VecDeque<T>,
    next: Option<C>,
    fetched: u64,
    failed: bool,
}

impl<T, E, C> fmt::Debug for PageStream<T, E, C>
where
    C: fmt::Debug,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PageStream")
            .field("next_cursor", &self.next)
            .field("buffered", &self.buffer.len())
            .field("fetching", &self.pending.is_some())
            .field("failed", &self.failed)
            .finish()
    }
}

impl<T, E, C> PageStream<T, E, C>
where
    T: Send + 'static,
    E: Send + 'static,
    C: Clone + Send + 'static,
{
    /// A stream whose first page comes from `first`; `at` is the cursor of
    /// that page when it has one (a resumed stream), and `fetch(cursor,
    /// items_so_far)` fetches every further page.
    fn new(
        first: BoxFuture<'static, PageResult<T, E, C>>,
        at: Option<C>,
        fetch: Fetch<T, E, C>,
    ) -> Self {
        PageStream {
            fetch,
            pending: Some(first),
            buffer: VecDeque::new(),
            next: at,
            fetched: 0,
            failed: false,
        }
    }
}

impl<T, E, C> PageStream<T, E, C> {
    /// Where the list goes on after the items of the pages fetched so far:
    /// the cursor to pass to the builder's `stream_from` to resume.
    ///
    /// - After a page arrived: the cursor of the next page, or `None` when
    ///   that page was the last.
    /// - While a page is being fetched, and after fetching it failed: the
    ///   cursor of that page, so resuming retries it. (The first page of a
    ///   stream started with `stream()` on a next-link operation has no
    ///   cursor; `None` then means "start again with `stream()`".)
    ///
    /// Items of the current page that were not yielded yet
    /// ([`remaining_on_page`](Self::remaining_on_page)) come before this cursor: to resume
    /// without losing or repeating items, save it when `remaining_on_page()` is 0,
    /// for example right after the stream yields the last item of a page.
    pub fn next_cursor(&self) -> Option<&C> {
        self.next.as_ref()
    }

    /// How many items of the current page are fetched but not yet yielded.
    pub fn remaining_on_page(&self) -> usize {
        self.buffer.len()
    }
}

// No field is ever pinned in place (the futures are boxed), so the stream
// can be moved after polling whatever `T` and `C` are.
impl<T, E, C> Unpin for PageStream<T, E, C> {}

impl<T, E, C: Clone> futures_core::Stream for PageStream<T, E, C> {
    type Item = Result<T, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.buffer.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            if let Some(pending) = this.pending.as_mut() {
                let result = match pending.as_mut().poll(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(result) => result,
                };
                this.pending = None;
                match result {
                    Ok(page) => {
                        this.fetched += page.items.len() as u64;
                        // A page without items ends the list even if it
                        // links on, so a service that keeps linking to
                        // empty pages cannot keep the stream going forever.
                        this.next = if page.items.is_empty() {
                            None
                        } else {
                            page.next
                        };
                        this.buffer = page.items.into();
                        continue;
                    }
                    Err(e) => {
                        // `next` still locates the page that failed.
                        this.failed = true;
                        return Poll::Ready(Some(Err(e)));
                    }
                }
            }
            if this.failed {
                return Poll::Ready(None);
            }
            match this.next.clone() {
                Some(cursor) => this.pending = Some((this.fetch)(cursor, this.fetched)),
                None => return Poll::Ready(None),
            }
        }
    }
}

/// Pages numbered `first, first + 1, …` (`x-pagination` style
/// `page-number`), starting at page `start`. The stream ends after a page
/// with no items, or once the items since `start` reach the page's total
/// count (when it has one). A stream resumed at a later page counts only
/// the items since then, so it may ask for one empty page more before it
/// ends.
///
/// `fetch(n)` sends the request for page `n`; `split(page)` returns the
/// page's items and total count.
pub fn page_number<T, E, P, F, Fut, S>(start: i64, fetch: F, split: S) -> PageStream<T, E, i64>
where
    T: Send + 'static,
    E: Send + 'static,
    P: Send + 'static,
    F: Fn(i64) -> Fut + Send + 'static,
    Fut: Future<Output = Result<ResponseValue<P>, Error<E>>> + Send + 'static,
    S: Fn(P) -> (Vec<T>, Option<i64>) + Send + Sync + 'static,
{
    let split = std::sync::Arc::new(split);
    let fetch = move |page: i64, before: u64| -> BoxFuture<'static, PageResult<T, E, i64>> {
        let request = fetch(page);
        let split = std::sync::Arc::clone(&split);
        async move {
            let (items, total) = split(request.await?.into_inner());
            let seen = i64::try_from(before)
                .unwrap_or(i64::MAX)
                .saturating_add(i64::try_from(items.len()).unwrap_or(i64::MAX));
            let last = total.is_some_and(|total| seen >= total);
            let next = if last { None } else { page.checked_add(1) };
            Ok(Page { items, next })
        }
        .boxed()
    };
    let first = fetch(start, 0);
    PageStream::new(first, Some(start), Box::new(fetch))
}

/// A link to the next page as a list response carries it (`x-pagination`
/// style `next-link`): a URI, relative to the host or absolute on the same
/// origin, with the method and headers to send (such as a continuation
/// token).
///
/// It is the cursor of a next-link [`PageStream`]; it serializes to the same
/// JSON as the service sends, so a job can store it and resume later.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct Link {
    /// Where the next page is.
    pub uri: String,
    /// The HTTP method, GET when absent.
    #[serde(default)]
    pub method: Option<String>,
    /// Headers to send with the request.
    #[serde(default)]
    pub headers: Option<Vec<LinkHeader>>,
}

impl Link {
    /// A GET link to `uri` without headers.
    pub fn new(uri: impl Into<String>) -> Self {
        Link {
            uri: uri.into(),
            method: None,
            headers: None,
        }
    }

    /// Adds a header to send with the request (such as a continuation
    /// token the caller kept).
    pub fn with_header(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.get_or_insert_with(Vec::new).push(LinkHeader {
            key: key.into(),
            value: value.into(),
        });
        self
    }

    /// The value of the link's header `key` (case-insensitive), if it has
    /// one, such as its continuation token.
    pub fn header(&self, key: &str) -> Option<&str> {
        self.headers
            .iter()
            .flatten()
            .find(|h| h.key.eq_ignore_ascii_case(key))
            .map(|h| h.value.as_str())
    }
}

/// One header of a [`Link`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct LinkHeader {
    /// Header name.
    pub key: String,
    /// Header value.
    pub value: String,
}

/// Reads a generated link type as a [`Link`] (they have the same JSON).
pub fn to_link<L: Serialize, E>(link: &L) -> Result<Link, Error<E>> {
    serde_json::to_value(link)
        .and_then(serde_json::from_value)
        .map_err(|e| Error::Custom(format!("the next-page link is not usable: {e}")))
}

/// Pages chained by links (`x-pagination` style `next-link`), starting with
/// the request `first`. The stream ends after a page without a next link
/// or without items.
///
/// `follow(link)` fetches the page a link points to; `split(page)` returns a
/// page's items and next link.
pub fn next_link<T, E, P, First, F, Fut, S>(
    first: First,
    follow: F,
    split: S,
) -> PageStream<T, E, Link>
where
    T: Send + 'static,
    E: Send + 'static,
    P: Send + 'static,
    First: Future<Output = Result<ResponseValue<P>, Error<E>>> + Send + 'static,
    F: Fn(Link) -> Fut + Send + 'static,
    Fut: Future<Output = Result<ResponseValue<P>, Error<E>>> + Send + 'static,
    S: Fn(P) -> Result<Page<T, Link>, Error<E>> + Send + Sync + 'static,
{
    link_stream(first, None, follow, split)
}

/// Like [`next_link`], resuming at the page `link` points to (a cursor from
/// [`PageStream::next_cursor`] that the caller kept).
pub fn next_link_from<T, E, P, F, Fut, S>(link: Link, follow: F, split: S) -> PageStream<T, E, Link>
where
    T: Send + 'static,
    E: Send + 'static,
    P: Send + 'static,
    F: Fn(Link) -> Fut + Send + 'static,
    Fut: Future<Output = Result<ResponseValue<P>, Error<E>>> + Send + 'static,
    S: Fn(P) -> Result<Page<T, Link>, Error<E>> + Send + Sync + 'static,
{
    let first = follow(link.clone());
    link_stream(first, Some(link), follow, split)
}

fn link_stream<T, E, P, First, F, Fut, S>(
    first: First,
    at: Option<Link>,
    follow: F,
    split: S,
) -> PageStream<T, E, Link>
where
    T: Send + 'static,
    E: Send + 'static,
    P: Send + 'static,
    First: Future<Output = Result<ResponseValue<P>, Error<E>>> + Send + 'static,
    F: Fn(Link) -> Fut + Send + 'static,
    Fut: Future<Output = Result<ResponseValue<P>, Error<E>>> + Send + 'static,
    S: Fn(P) -> Result<Page<T, Link>, Error<E>> + Send + Sync + 'static,
{
    let split = std::sync::Arc::new(split);
    let first = {
        let split = std::sync::Arc::clone(&split);
        async move { split(first.await?.into_inner()) }.boxed()
    };
    let fetch = move |link: Link, _: u64| -> BoxFuture<'static, PageResult<T, E, Link>> {
        let request = follow(link);
        let split = std::sync::Arc::clone(&split);
        async move { split(request.await?.into_inner()) }.boxed()
    };
    PageStream::new(first, at, Box::new(fetch))
}

/// How the links of one list operation are followed: the operation whose
/// rules apply (token, retries, auto headers), whether its error bodies are
/// typed, and the path prefix its link paths are relative to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinkRules {
    operation_id: &'static str,
    typed_errors: bool,
    link_base: Option<&'static str>,
}

impl LinkRules {
    /// The rules of operation `operation_id` (progenitor's snake-case id):
    /// untyped errors, link paths relative to the host.
    pub const fn new(operation_id: &'static str) -> Self {
        LinkRules {
            operation_id,
            typed_errors: false,
            link_base: None,
        }
    }

    /// Decodes 4xx/5xx bodies as the operation's typed error.
    pub const fn with_typed_errors(mut self) -> Self {
        self.typed_errors = true;
        self
    }

    /// Puts a link path that does not start with `base` (`/v1`, compared
    /// by whole segments and without case) under it, as the `x-pagination`
    /// key `link-base` says.
    pub const fn with_link_base(mut self, base: &'static str) -> Self {
        self.link_base = Some(base);
        self
    }

    /// The URL a link's `uri` points to, for a client whose base URL is
    /// `baseurl`. The link must stay on the origin of `baseurl`, so a token
    /// is never sent to another host.
    pub fn resolve(&self, baseurl: &str, uri: &str) -> Result<reqwest::Url, String> {
        let base = reqwest::Url::parse(baseurl).map_err(|e| format!("invalid base url: {e}"))?;
        if uri.is_empty() {
            return Err("next-page link has an empty uri".into());
        }
        let absolute = reqwest::Url::parse(uri).is_ok();
        let url = match self.link_base {
            Some(prefix) if !absolute => base.join(&under(prefix, uri)),
            _ => base.join(uri),
        }
        .map_err(|e| format!("next-page link `{uri}` is not a URL: {e}"))?;
        if url.origin() != base.origin() {
            return Err(format!(
                "next-page link `{uri}` leaves the origin of `{baseurl}`; not followed"
            ));
        }
        Ok(url)
    }
}

/// `uri` (a path, possibly with a query) under `prefix`, unless its path
/// already starts with `prefix` as whole segments (ASCII case ignored, as
/// the service compares paths).
fn under(prefix: &str, uri: &str) -> String {
    let prefix = prefix.trim_end_matches('/');
    let path_end = uri.find(['?', '#']).unwrap_or(uri.len());
    let path = &uri[..path_end];
    let starts = path.len() >= prefix.len()
        && path.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
        && matches!(path.as_bytes().get(prefix.len()), None | Some(b'/'));
    if starts {
        uri.to_owned()
    } else {
        // Leading slashes go, so `//host/x` cannot become another origin.
        format!("{prefix}/{}", uri.trim_start_matches('/'))
    }
}

/// Fetches the page a [`Link`] points to under the rules of its list
/// operation (token, retries, auto headers), and decodes it like that
/// operation's responses: `P` for a success status, the typed error `E` for
/// a 4xx/5xx whose body decodes as `E` when the rules say errors are typed,
/// otherwise [`Error::UndocumentedResponse`].
///
/// The link is resolved by [`LinkRules::resolve`]: a link to another origin
/// is refused.
pub async fn follow<P, E>(
    http: &reqwest::Client,
    baseurl: &str,
    runtime: &Runtime,
    rules: &LinkRules,
    link: Link,
) -> Result<ResponseValue<P>, Error<E>>
where
    P: DeserializeOwned,
    E: DeserializeOwned,
{
    let url = rules
        .resolve(baseurl, &link.uri)
        .map_err(Error::InvalidRequest)?;
    let method = link.method.as_deref().unwrap_or("GET");
    let method = reqwest::Method::from_bytes(method.as_bytes()).map_err(|_| {
        Error::InvalidRequest(format!("next-page link has an invalid method `{method}`"))
    })?;
    let mut request = reqwest::Request::new(method, url);
    request
        .headers_mut()
        .insert(ACCEPT, HeaderValue::from_static("application/json"));
    for header in link.headers.iter().flatten() {
        let name = HeaderName::from_bytes(header.key.as_bytes()).map_err(|e| {
            Error::InvalidRequest(format!("next-page link header `{}`: {e}", header.key))
        })?;
        let value = HeaderValue::from_str(&header.value).map_err(|e| {
            Error::InvalidRequest(format!("next-page link header `{}`: {e}", header.key))
        })?;
        request.headers_mut().insert(name, value);
    }
    let op = runtime.operation(rules.operation_id);
    let response = dispatch(http, runtime, request, op).await?;
    let status = response.status();
    if status.is_success() {
        decode(response).await
    } else if rules.typed_errors && (status.is_client_error() || status.is_server_error()) {
        Err(decode_error(response).await)
    } else {
        Err(undocumented(response).await)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "https://api.example.com";

    fn resolved(rules: LinkRules, uri: &str) -> Result<String, String> {
        rules.resolve(BASE, uri).map(|u| u.to_string())
    }

    #[test]
    fn a_link_base_puts_paths_outside_it_under_it() {
        let rules = LinkRules::new("op").with_link_base("/v1");
        for (uri, want) in [
            (
                "/customers?size=2",
                "https://api.example.com/v1/customers?size=2",
            ),
            (
                "customers?size=2",
                "https://api.example.com/v1/customers?size=2",
            ),
            (
                "/v1/customers?size=2",
                "https://api.example.com/v1/customers?size=2",
            ),
            ("/V1/customers", "https://api.example.com/V1/customers"),
            ("/v1", "https://api.example.com/v1"),
            ("/v1?x=1", "https://api.example.com/v1?x=1"),
            // `/v10` is not under `/v1`: segments are compared whole.
            ("/v10/customers", "https://api.example.com/v1/v10/customers"),
            // A scheme-relative link stays on the origin.
            (
                "//evil.example/x",
                "https://api.example.com/v1/evil.example/x",
            ),
            (
                "https://api.example.com/customers",
                "https://api.example.com/customers",
            ),
        ] {
            assert_eq!(resolved(rules, uri).as_deref(), Ok(want), "{uri}");
        }
    }

    #[test]
    fn without_a_link_base_paths_are_relative_to_the_host() {
        let rules = LinkRules::new("op");
        assert_eq!(
            resolved(rules, "/customers?size=2").as_deref(),
            Ok("https://api.example.com/customers?size=2")
        );
    }

    #[test]
    fn links_to_another_origin_or_empty_links_are_refused() {
        for rules in [
            LinkRules::new("op"),
            LinkRules::new("op").with_link_base("/v1"),
        ] {
            for uri in [
                "https://evil.example/v1/customers",
                "http://api.example.com/v1/customers",
                "https://api.example.com:8443/v1/customers",
                "",
            ] {
                assert!(resolved(rules, uri).is_err(), "{uri} with {rules:?}");
            }
        }
        assert!(resolved(LinkRules::new("op"), "//evil.example/x").is_err());
    }
}
