//! Paging through the generated clients, against the scripted
//! [`recorder`](crate::recorder) server on loopback: next links in both of
//! the forms Partner Center's samples show (with and without `/v1`, the
//! spec's `link-base`), their continuation-token headers, an empty last
//! page, resuming from a kept cursor, streams that own their client
//! (`'static`, spawned on a task) for both paging styles, and the crate's
//! `sample_server()` serving two linked pages.

use std::time::Duration;

use avepoint_graph::runtime::paging::Link;
use avepoint_graph::runtime::{Error, RetryPolicy};
use futures::{Stream, StreamExt};
use serde_json::{json, Value};

use crate::recorder::Recorder;
use crate::recorder::{Recorded, Reply};

/// The header Partner Center's links carry the paging position in.
const TOKEN: &str = "MS-ContinuationToken";
/// A next link in the form of `get-a-customer-by-name.md`: without `/v1`.
const SHORT: &str = "/customers?size=2&seekOperation=Next";
/// A next link in the form of `get-a-list-of-customers.md`: with `/v1`.
const FULL: &str = "/v1/customers?size=2&seekOperation=Next";

/// Retries that wait about a millisecond, so the tests stay fast.
fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .with_initial_backoff(Duration::from_millis(1))
        .with_max_backoff(Duration::from_millis(4))
}

fn partner_center(base: &str) -> partner_center::Client {
    partner_center::Client::builder(base)
        .retry(fast_retries())
        .build()
        .expect("client builds")
}

fn avepoint(base: &str) -> avepoint_graph::Client {
    avepoint_graph::Client::builder(base)
        .retry(fast_retries())
        .build()
        .expect("client builds")
}

/// A customer page with the ids `ids` and, when `next` is `Some((uri,
/// token))`, a next link to `uri` whose headers carry `token`.
fn customer_page(ids: &[&str], next: Option<(&str, &str)>) -> Value {
    let items: Vec<Value> = ids.iter().map(|id| json!({"id": id})).collect();
    let mut page = json!({
        "totalCount": ids.len(),
        "items": items,
        "links": {"self": {"uri": "/v1/customers?size=2", "method": "GET", "headers": []}},
        "attributes": {"objectType": "Collection"},
    });
    if let Some((uri, token)) = next {
        page["links"]["next"] = json!({
            "uri": uri,
            "method": "GET",
            "headers": [{"key": TOKEN, "value": token}],
        });
    }
    page
}

/// A Partner Center service with three pages: `a, b` linking on with the
/// short form and `tok-1`, `c, d` linking on with the full form and
/// `tok-2`, and an empty last page. It answers 404 to any path outside
/// `/v1/customers`, as the real service does to a link resolved against
/// the host.
async fn three_pages() -> Recorder {
    Recorder::start(|_, request: &Recorded| {
        if request.path() != "/v1/customers" {
            return Reply::json(404, &json!({"code": 404, "description": "not found"}));
        }
        let page = match request.header(TOKEN) {
            None => customer_page(&["a", "b"], Some((SHORT, "tok-1"))),
            Some("tok-1") => customer_page(&["c", "d"], Some((FULL, "tok-2"))),
            Some("tok-2") => customer_page(&[], None),
            Some(other) => panic!("unexpected continuation token {other}"),
        };
        Reply::json(200, &page)
    })
    .await
}

/// Items as ids, failing on the first error.
fn ids(
    items: Vec<Result<partner_center::types::Customer, Error<impl std::fmt::Debug>>>,
) -> Vec<String> {
    items
        .into_iter()
        .map(|item| item.unwrap_or_else(|e| panic!("stream item: {e:?}")).id)
        .collect()
}

/// The target and continuation token of every request.
fn sent(server: &Recorder) -> Vec<(String, Option<String>)> {
    server
        .requests()
        .iter()
        .map(|r| (r.target.clone(), r.header(TOKEN).map(str::to_owned)))
        .collect()
}

fn request(target: &str, token: Option<&str>) -> (String, Option<String>) {
    (target.to_owned(), token.map(str::to_owned))
}

/// Both link forms lead to `/v1/customers`: the short one is put under
/// `/v1` (the spec's `link-base`), the full one is sent as it is; each
/// request carries its link's continuation token, and the empty last page
/// ends the stream after all four customers and three requests.
#[tokio::test]
async fn next_links_in_both_forms_stay_under_the_link_base() {
    let server = three_pages().await;
    let client = partner_center(server.base_url());
    let items: Vec<_> = client.list_customers().size(2).stream().collect().await;
    assert_eq!(ids(items), ["a", "b", "c", "d"]);
    assert_eq!(
        sent(&server),
        [
            request("/v1/customers?size=2", None),
            request(FULL, Some("tok-1")),
            request(FULL, Some("tok-2")),
        ]
    );
}

/// A page without items ends the stream even when it links on: pages
/// `a, b` and an empty one with a next link give two items and exactly two
/// requests.
#[tokio::test]
async fn an_empty_page_with_a_next_link_ends_the_stream() {
    let server = Recorder::start(|_, request: &Recorded| {
        let page = match request.header(TOKEN) {
            None => customer_page(&["a", "b"], Some((SHORT, "tok-1"))),
            _ => customer_page(&[], Some((SHORT, "tok-2"))),
        };
        Reply::json(200, &page)
    })
    .await;
    let client = partner_center(server.base_url());
    let mut stream = client.list_customers().size(2).stream();
    let mut items = Vec::new();
    while let Some(item) = stream.next().await {
        items.push(item);
    }
    assert_eq!(ids(items), ["a", "b"]);
    assert_eq!(server.hits(), 2);
    assert_eq!(stream.next_cursor(), None, "nothing to resume");
}

/// A job reads the first page, saves the cursor at the page boundary (as
/// JSON), stops, and later resumes with a new client: the resumed stream
/// yields exactly the remaining customers, starting with the kept link
/// (resolved under `/v1`, with its token).
#[tokio::test]
async fn a_stream_resumes_from_a_saved_cursor() {
    let server = three_pages().await;
    let saved = {
        let client = partner_center(server.base_url());
        let mut stream = client.list_customers().size(2).stream();
        let mut seen = Vec::new();
        let mut saved = None;
        while let Some(item) = stream.next().await {
            seen.push(item.expect("first page").id);
            if stream.remaining_on_page() == 0 {
                saved = stream.next_cursor().cloned();
                break;
            }
        }
        assert_eq!(seen, ["a", "b"]);
        serde_json::to_string(&saved.expect("a next page")).expect("a link serializes")
    };
    assert_eq!(server.hits(), 1, "stopping fetched nothing more");

    let link: Link = serde_json::from_str(&saved).expect("the saved link reads back");
    assert_eq!(link.uri, SHORT);
    assert_eq!(link.header(TOKEN), Some("tok-1"));
    let client = partner_center(server.base_url());
    let items: Vec<_> = client.list_customers().stream_from(link).collect().await;
    assert_eq!(ids(items), ["c", "d"]);
    assert_eq!(
        sent(&server)[1..],
        [request(FULL, Some("tok-1")), request(FULL, Some("tok-2"))]
    );
}

/// A continuation token kept on its own is enough to resume: a link built
/// from the short path and the token goes to `/v1/...` with the token.
#[tokio::test]
async fn a_stream_resumes_from_a_bare_continuation_token() {
    let server = three_pages().await;
    let client = partner_center(server.base_url());
    let link = Link::new(SHORT).with_header(TOKEN, "tok-2");
    let mut stream = client.list_customers().stream_from(link.clone());
    assert_eq!(stream.next_cursor(), Some(&link), "fetching the kept page");
    assert!(stream.next().await.is_none(), "the last page is empty");
    assert_eq!(sent(&server), [request(FULL, Some("tok-2"))]);
}

/// When a page fails, the cursor still locates it, so a job can resume
/// there: the second page fails once (400), the stream yields `a, b` and
/// the error and ends, and resuming from its cursor yields `c, d`.
#[tokio::test]
async fn after_an_error_the_cursor_is_the_page_that_failed() {
    let server = Recorder::start(|n, request: &Recorded| match request.header(TOKEN) {
        None => Reply::json(200, &customer_page(&["a", "b"], Some((SHORT, "tok-1")))),
        Some("tok-1") if n == 2 => Reply::status(400).body("not json"),
        Some("tok-1") => Reply::json(200, &customer_page(&["c", "d"], None)),
        Some(other) => panic!("unexpected continuation token {other}"),
    })
    .await;
    let client = partner_center(server.base_url());
    let mut stream = client.list_customers().size(2).stream();
    let mut items = Vec::new();
    while let Some(item) = stream.next().await {
        items.push(item);
    }
    let last = items.pop().expect("an error");
    assert!(last.is_err(), "{last:?}");
    assert_eq!(ids(items), ["a", "b"]);
    let cursor = stream.next_cursor().cloned().expect("the failed page");
    assert_eq!(cursor.header(TOKEN), Some("tok-1"));

    let items: Vec<_> = client.list_customers().stream_from(cursor).collect().await;
    assert_eq!(ids(items), ["c", "d"]);
}

/// A link to another origin is still refused under a link base (the token
/// is never sent elsewhere), and a scheme-relative link (`//host/...`)
/// stays on the API's origin, under `/v1`.
#[tokio::test]
async fn links_stay_on_the_origin_under_a_link_base() {
    let page = customer_page(&["a"], Some(("https://evil.example/v1/customers", "tok-1")));
    let server = Recorder::script(vec![Reply::json(200, &page)]).await;
    let client = partner_center(server.base_url());
    let mut items: Vec<_> = client.list_customers().size(2).stream().collect().await;
    let last = items.pop().expect("an error");
    assert!(
        matches!(&last, Err(Error::InvalidRequest(m)) if m.contains("evil.example")),
        "{last:?}"
    );
    assert_eq!(server.hits(), 1);

    let page = customer_page(&["a"], Some(("//evil.example/customers", "tok-1")));
    let server = Recorder::script(vec![
        Reply::json(200, &page),
        Reply::json(200, &customer_page(&[], None)),
    ])
    .await;
    let client = partner_center(server.base_url());
    let items: Vec<_> = client.list_customers().size(2).stream().collect().await;
    assert_eq!(ids(items), ["a"]);
    assert_eq!(server.requests()[1].target, "/v1/evil.example/customers");
}

/// A stream built from a client that does not outlive it: it owns a clone.
fn customers_of_a_temporary_client(
    base: &str,
) -> impl Stream<
    Item = Result<partner_center::types::Customer, Error<partner_center::types::ErrorResponse>>,
> + Send
       + 'static {
    partner_center(base).list_customers().size(2).stream()
}

/// Streams own their client, so they are `'static`: a next-link stream and
/// a page-number stream run on spawned tasks, and a stream outlives the
/// temporary client it was built from.
#[tokio::test]
async fn streams_own_their_client_and_can_be_spawned() {
    let server = three_pages().await;
    let client = partner_center(server.base_url());
    let count = tokio::spawn(client.list_customers().size(2).stream().count())
        .await
        .expect("the task completes");
    assert_eq!(count, 4);
    let items: Vec<_> = customers_of_a_temporary_client(server.base_url())
        .collect()
        .await;
    assert_eq!(ids(items), ["a", "b", "c", "d"]);

    let pages: [&[&str]; 2] = [&["c1", "c2"], &["c3"]];
    let avepoint_server = Recorder::start(move |n, _| {
        let ids = pages.get(n - 1).copied().unwrap_or(&[]);
        Reply::json(200, &batch_page(ids, Some(3)))
    })
    .await;
    let stream = avepoint(avepoint_server.base_url())
        .list_customers()
        .page_size(2)
        .stream();
    let items = tokio::spawn(stream.collect::<Vec<_>>())
        .await
        .expect("the task completes");
    let ids: Vec<_> = items
        .into_iter()
        .map(|c| c.expect("a customer").id.expect("an id"))
        .collect();
    assert_eq!(ids, ["c1", "c2", "c3"]);
}

/// An AvePoint batch page with the ids `ids` and, when known, the total.
fn batch_page(ids: &[&str], total: Option<i64>) -> Value {
    let data: Vec<Value> = ids
        .iter()
        .map(|id| json!({"id": id, "jobStatus": 1, "managementMode": 1}))
        .collect();
    let mut metadata = json!({"pageSize": 2});
    if let Some(total) = total {
        metadata["totalCount"] = json!(total);
    }
    json!({"data": data, "metadata": metadata})
}

/// Numbered pages resume at a kept page number: `stream_from(2)` asks for
/// pages 2 and 3 (empty, ending the stream), and after page 2 the cursor
/// is 3.
#[tokio::test]
async fn numbered_pages_resume_at_a_kept_page_number() {
    let server = Recorder::start(|_, request: &Recorded| {
        let index = request
            .query_pairs()
            .into_iter()
            .find(|(k, _)| k == "pageIndex")
            .map(|(_, v)| v);
        let ids: &[&str] = match index.as_deref() {
            Some("1") => &["c1", "c2"],
            Some("2") => &["c3", "c4"],
            _ => &[],
        };
        Reply::json(200, &batch_page(ids, None))
    })
    .await;
    let client = avepoint(server.base_url());
    let mut stream = client.list_customers().page_size(2).stream_from(2);
    assert_eq!(stream.next_cursor(), Some(&2));
    let mut ids = Vec::new();
    while let Some(item) = stream.next().await {
        ids.push(item.expect("a customer").id.expect("an id"));
        if ids.len() == 2 {
            assert_eq!(stream.next_cursor(), Some(&3));
        }
    }
    assert_eq!(ids, ["c3", "c4"]);
    let indexes: Vec<String> = server
        .requests()
        .iter()
        .filter_map(|r| {
            r.query_pairs()
                .into_iter()
                .find(|(k, _)| k == "pageIndex")
                .map(|(_, v)| v)
        })
        .collect();
    assert_eq!(indexes, ["2", "3"]);
}

/// The crate's `sample_server()` serves `listCustomers` as two linked
/// pages (its next link has the short form), so the stream yields the
/// documented sample's customers twice.
#[tokio::test]
async fn the_sample_server_serves_two_linked_pages() {
    let server = partner_center::mock::sample_server().await;
    let client = partner_center::Client::new(&server.base_url());
    let items: Vec<_> = client.list_customers().size(40).stream().collect().await;
    let ids = ids(items);
    assert_eq!(ids.len(), 4, "{ids:?}");
    assert_eq!(ids[..2], ids[2..], "the second page repeats the sample");
}
