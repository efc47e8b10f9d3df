//! Streams of items over paged list operations.
//!
//! The generator adds a `stream()` method to the builder of every operation
//! the spec marks with `x-pagination`. Pages are fetched lazily, one at a
//! time, so memory stays bounded by one page whatever the total.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;

use futures_util::stream::{self, StreamExt};
use progenitor_client::ResponseValue;
use reqwest::header::{HeaderName, HeaderValue, ACCEPT};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::client::{decode, dispatch, Runtime};
use crate::error::{decode_error, undocumented};
use crate::Error;

/// A stream of the items of every page, in order. It ends after the first
/// error.
pub type ItemStream<'a, T, E> =
    Pin<Box<dyn futures_core::Stream<Item = Result<T, Error<E>>> + Send + 'a>>;

/// What one page contributed: its items and where the list goes on.
pub struct Page<T, N> {
    /// The items of this page, in order.
    pub items: Vec<T>,
    /// How to get the next page, when the page says (`None` otherwise).
    pub next: Option<N>,
}

/// Pages numbered `first, first + 1, …` (`x-pagination` style
/// `page-number`). The stream ends after a page with no items, or once as
/// many items as the page's total count (when it has one) were yielded.
///
/// `fetch(n)` sends the request for page `n`; `split(page)` returns the
/// page's items and total count.
pub fn page_number<'a, T, E, P, F, Fut, S>(first: i64, fetch: F, split: S) -> ItemStream<'a, T, E>
where
    T: Send + 'a,
    E: Send + 'a,
    P: Send + 'a,
    F: FnMut(i64) -> Fut + Send + 'a,
    Fut: Future<Output = Result<ResponseValue<P>, Error<E>>> + Send + 'a,
    S: Fn(P) -> (Vec<T>, Option<i64>) + Send + 'a,
{
    struct State<T> {
        page: i64,
        yielded: i64,
        buffer: VecDeque<T>,
        done: bool,
    }
    let state = State {
        page: first,
        yielded: 0,
        buffer: VecDeque::new(),
        done: false,
    };
    stream::unfold(
        (state, fetch, split),
        |(mut state, mut fetch, split)| async move {
            loop {
                if let Some(item) = state.buffer.pop_front() {
                    state.yielded += 1;
                    return Some((Ok(item), (state, fetch, split)));
                }
                if state.done {
                    return None;
                }
                match fetch(state.page).await {
                    Ok(page) => {
                        let (items, total) = split(page.into_inner());
                        state.page += 1;
                        if items.is_empty() {
                            state.done = true;
                        }
                        if let Some(total) = total {
                            if state.yielded + items.len() as i64 >= total {
                                state.done = true;
                            }
                        }
                        state.buffer = items.into();
                    }
                    Err(e) => {
                        state.done = true;
                        return Some((Err(e), (state, fetch, split)));
                    }
                }
            }
        },
    )
    .boxed()
}

/// A link to the next page as a list response carries it (`x-pagination`
/// style `next-link`): a URI, relative to the host or absolute on the same
/// origin, with the method and headers to send (such as a continuation
/// token).
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

/// Pages chained by links (`x-pagination` style `next-link`). The stream
/// ends after a page without a next link or without items.
///
/// `first` is the request for the first page; `follow(link)` fetches the
/// page a link points to; `split(page)` returns a page's items and next link.
pub fn next_link<'a, T, E, P, First, F, Fut, S>(
    first: First,
    follow: F,
    split: S,
) -> ItemStream<'a, T, E>
where
    T: Send + 'a,
    E: Send + 'a,
    P: Send + 'a,
    First: Future<Output = Result<ResponseValue<P>, Error<E>>> + Send + 'a,
    F: Fn(Link) -> Fut + Send + Sync + 'a,
    Fut: Future<Output = Result<ResponseValue<P>, Error<E>>> + Send + 'a,
    S: Fn(P) -> Result<Page<T, Link>, Error<E>> + Send + Sync + 'a,
{
    enum Next<FirstFut> {
        First(Pin<Box<FirstFut>>),
        Link(Link),
        Done,
    }
    struct State<T, FirstFut> {
        next: Next<FirstFut>,
        buffer: VecDeque<T>,
    }
    let state = State {
        next: Next::First(Box::pin(first)),
        buffer: VecDeque::new(),
    };
    stream::unfold(
        (state, follow, split),
        |(mut state, follow, split)| async move {
            loop {
                if let Some(item) = state.buffer.pop_front() {
                    return Some((Ok(item), (state, follow, split)));
                }
                let result = match std::mem::replace(&mut state.next, Next::Done) {
                    Next::Done => return None,
                    Next::First(fut) => fut.await,
                    Next::Link(link) => follow(link).await,
                };
                match result.and_then(|page| split(page.into_inner())) {
                    Ok(page) => {
                        if !page.items.is_empty() {
                            if let Some(link) = page.next {
                                state.next = Next::Link(link);
                            }
                        }
                        state.buffer = page.items.into();
                    }
                    Err(e) => return Some((Err(e), (state, follow, split))),
                }
            }
        },
    )
    .boxed()
}

/// Fetches the page a [`Link`] points to under the rules of the list
/// operation `operation_id` (progenitor's snake-case id; token, retries, auto headers), and decodes it like that
/// operation's responses: `P` for a success status, the typed error `E` for
/// a 4xx/5xx whose body decodes as `E` when `typed_errors` is set, otherwise
/// [`Error::UndocumentedResponse`].
///
/// The link must stay on the origin of `baseurl`, so a token is never sent
/// to another host.
pub async fn follow<P, E>(
    http: &reqwest::Client,
    baseurl: &str,
    runtime: &Runtime,
    operation_id: &'static str,
    link: Link,
    typed_errors: bool,
) -> Result<ResponseValue<P>, Error<E>>
where
    P: DeserializeOwned,
    E: DeserializeOwned,
{
    let base = reqwest::Url::parse(baseurl)
        .map_err(|e| Error::InvalidRequest(format!("invalid base url: {e}")))?;
    let url = base.join(&link.uri).map_err(|e| {
        Error::InvalidRequest(format!("next-page link `{}` is not a URL: {e}", link.uri))
    })?;
    if url.origin() != base.origin() {
        return Err(Error::InvalidRequest(format!(
            "next-page link `{}` leaves the origin of `{baseurl}`; not followed",
            link.uri
        )));
    }
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
    let op = runtime.api().operation(operation_id);
    let response = dispatch(http, runtime, request, op).await?;
    let status = response.status();
    if status.is_success() {
        decode(response).await
    } else if typed_errors && (status.is_client_error() || status.is_server_error()) {
        Err(decode_error(response).await)
    } else {
        Err(undocumented(response).await)
    }
}
