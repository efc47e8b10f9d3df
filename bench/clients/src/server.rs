//! The loopback server both clients talk to: plain hyper on its own thread
//! and its own single-threaded runtime, so that it stays cheap next to the
//! clients and its CPU time can be told apart from theirs.
//!
//! It answers three calls:
//!
//! - `GET /v1/customers/{id}` (Partner Center `getCustomer`) with the
//!   documented sample, echoing `MS-RequestId` and `MS-CorrelationId` as the
//!   real service does;
//! - `POST /token` with an access token, as an OAuth2 token endpoint;
//! - `POST /partner/external/v3/general/customers/batch?pageIndex=N&pageSize=S`
//!   (AvePoint `listCustomers`) with page `N` of [`ServerConfig::customers`]
//!   managed customers, built when asked for, so the server holds no list.
//!
//! It checks the headers a request must carry and counts what it served, so
//! a run can show that both clients sent the same thing.

use std::convert::Infallible;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use anyhow::Context as _;
use bytes::Bytes;
use http_body_util::{BodyExt as _, Full};
use hyper::body::Incoming;
use hyper::header::{HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use hyper::{Method, Request, Response, StatusCode};
use serde::Serialize;

use crate::sys;

/// The documented `current` 200 sample of Partner Center's `getCustomer`
/// (`specs/partner-center.yaml`), compact, as the server sends it.
pub const CUSTOMER_SAMPLE: &str = include_str!("../data/get-customer.current.json");

/// The path prefix of `getCustomer`.
const CUSTOMER_PATH: &str = "/v1/customers/";
/// The path of `listCustomers`.
const BATCH_PATH: &str = "/partner/external/v3/general/customers/batch";
/// The path of the token endpoint.
pub const TOKEN_PATH: &str = "/token";

/// What the server serves.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// The access token the token endpoint hands out, and the only one the
    /// API paths accept.
    pub token: String,
    /// How many managed customers `listCustomers` lists in all.
    pub customers: u64,
}

/// Counts of what the server saw; read them between rounds.
#[derive(Debug, Default)]
pub struct Counters {
    /// `getCustomer` requests answered.
    pub customer_requests: AtomicU64,
    /// API requests without `Authorization: Bearer <the token>`.
    pub bad_auth: AtomicU64,
    /// `getCustomer` requests without `Accept`, `MS-RequestId`,
    /// `MS-Contract-Version: v1` or
    /// `MS-CorrelationId`.
    pub missing_headers: AtomicU64,
    /// Token requests answered.
    pub token_requests: AtomicU64,
    /// `listCustomers` pages answered.
    pub pages: AtomicU64,
}

struct State {
    config: ServerConfig,
    bearer: Vec<u8>,
    customer: Bytes,
    token_response: Bytes,
    counters: Arc<Counters>,
}

/// A running server. Dropping it stops it.
pub struct Server {
    base_url: String,
    counters: Arc<Counters>,
    tid: Option<u32>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    /// Starts the server on `127.0.0.1` with a free port.
    pub fn start(config: ServerConfig) -> anyhow::Result<Server> {
        let listener =
            std::net::TcpListener::bind("127.0.0.1:0").context("cannot bind 127.0.0.1:0")?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let counters = Arc::new(Counters::default());
        let token_response = serde_json::to_vec(&serde_json::json!({
            "token_type": "Bearer",
            "expires_in": 3600,
            "access_token": config.token,
        }))?;
        let state = Arc::new(State {
            bearer: format!("Bearer {}", config.token).into_bytes(),
            customer: Bytes::from_static(CUSTOMER_SAMPLE.trim_end().as_bytes()),
            token_response: Bytes::from(token_response),
            counters: Arc::clone(&counters),
            config,
        });
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let (started, ready) = std::sync::mpsc::channel::<anyhow::Result<Option<u32>>>();
        let thread = std::thread::Builder::new()
            .name("loopback-server".into())
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(runtime) => runtime,
                    Err(e) => {
                        let _ = started.send(Err(e.into()));
                        return;
                    }
                };
                runtime.block_on(async move {
                    let listener = match tokio::net::TcpListener::from_std(listener) {
                        Ok(listener) => listener,
                        Err(e) => {
                            let _ = started.send(Err(e.into()));
                            return;
                        }
                    };
                    let _ = started.send(Ok(sys::thread_id()));
                    tokio::spawn(accept_loop(listener, state));
                    // Returning drops the runtime's tasks: the accept loop
                    // and every connection.
                    let _ = stopped.await;
                });
            })?;
        let tid = ready
            .recv()
            .context("the server thread ended before starting")??;
        Ok(Server {
            base_url: format!("http://{addr}"),
            counters,
            tid,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The URL of the token endpoint.
    pub fn token_url(&self) -> String {
        format!("{}{TOKEN_PATH}", self.base_url)
    }

    /// What the server has served so far.
    pub fn counters(&self) -> &Counters {
        &self.counters
    }

    /// The kernel's id of the server thread, when the system says.
    pub fn thread_id(&self) -> Option<u32> {
        self.tid
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn accept_loop(listener: tokio::net::TcpListener, state: Arc<State>) {
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            // Out of file descriptors and the like: try again shortly.
            Err(_) => {
                tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let state = Arc::clone(&state);
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request| {
                let state = Arc::clone(&state);
                async move { Ok::<_, Infallible>(handle(request, &state).await) }
            });
            // A client closing its connection ends this task; nothing to report.
            let _ = hyper::server::conn::http1::Builder::new()
                .keep_alive(true)
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn handle(request: Request<Incoming>, state: &State) -> Response<Full<Bytes>> {
    let (parts, body) = request.into_parts();
    let path = parts.uri.path();
    let counters = &state.counters;
    let authorised = || {
        let ok = parts
            .headers
            .get(AUTHORIZATION)
            .is_some_and(|v| v.as_bytes() == state.bearer.as_slice());
        if !ok {
            counters.bad_auth.fetch_add(1, Ordering::Relaxed);
        }
        ok
    };
    match parts.method {
        Method::GET if is_customer_path(path) => {
            counters.customer_requests.fetch_add(1, Ordering::Relaxed);
            if !authorised() {
                return status(StatusCode::UNAUTHORIZED);
            }
            let request_id = parts.headers.get("ms-requestid");
            let correlation_id = parts.headers.get("ms-correlationid");
            if request_id.is_none()
                || correlation_id.is_none()
                || !parts.headers.contains_key(ACCEPT)
                || parts
                    .headers
                    .get("ms-contract-version")
                    .is_none_or(|v| v != "v1")
            {
                counters.missing_headers.fetch_add(1, Ordering::Relaxed);
            }
            let mut response = json(state.customer.clone());
            for (name, value) in [
                ("ms-requestid", request_id),
                ("ms-correlationid", correlation_id),
            ] {
                if let Some(value) = value {
                    response.headers_mut().insert(name, value.clone());
                }
            }
            response
        }
        Method::POST if path == TOKEN_PATH => {
            // Read the form so the connection stays usable; its content does
            // not matter here.
            if body.collect().await.is_err() {
                return status(StatusCode::BAD_REQUEST);
            }
            counters.token_requests.fetch_add(1, Ordering::Relaxed);
            json(state.token_response.clone())
        }
        Method::POST if path == BATCH_PATH => {
            if body.collect().await.is_err() {
                return status(StatusCode::BAD_REQUEST);
            }
            if !authorised() {
                return status(StatusCode::UNAUTHORIZED);
            }
            let (index, size) = page_query(parts.uri.query().unwrap_or(""));
            counters.pages.fetch_add(1, Ordering::Relaxed);
            match page(index, size, state.config.customers) {
                Ok(body) => json(Bytes::from(body)),
                Err(_) => status(StatusCode::INTERNAL_SERVER_ERROR),
            }
        }
        _ => status(StatusCode::NOT_FOUND),
    }
}

fn is_customer_path(path: &str) -> bool {
    path.strip_prefix(CUSTOMER_PATH)
        .is_some_and(|id| !id.is_empty() && !id.contains('/'))
}

fn json(body: Bytes) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(body));
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    response
}

fn status(code: StatusCode) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::new()));
    *response.status_mut() = code;
    response
}

/// `pageIndex` and `pageSize` of a query string, with the spec's defaults
/// (1 and 50) and the size capped at its maximum (100).
fn page_query(query: &str) -> (u64, u64) {
    let mut index = 1;
    let mut size = 50;
    for pair in query.split('&') {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        match (name, value.parse::<u64>()) {
            ("pageIndex", Ok(v)) => index = v.max(1),
            ("pageSize", Ok(v)) => size = v.clamp(1, 100),
            _ => {}
        }
    }
    (index, size)
}

/// One managed customer as the batch endpoint lists it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ManagedCustomer {
    id: String,
    organization: String,
    owner_email: String,
    job_status: u64,
    country_or_region: &'static str,
    management_mode: u64,
    tenants: Vec<Tenant>,
}

#[derive(Serialize)]
struct Tenant {
    id: String,
    name: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Metadata {
    page_index: u64,
    page_size: u64,
    total_count: u64,
}

#[derive(Serialize)]
struct Page {
    data: Vec<ManagedCustomer>,
    metadata: Metadata,
}

const COUNTRIES: [&str; 8] = [
    "United States",
    "Germany",
    "Japan",
    "Vietnam",
    "Brazil",
    "Australia",
    "United Kingdom",
    "Canada",
];

/// The id of the `n`th managed customer (from 0), so a client can check
/// that it got every customer once and in order.
pub fn customer_id(n: u64) -> String {
    format!("03f7382e-5c1a-4cda-9a5b-{n:012x}")
}

/// The JSON of page `index` (from 1) of `size` customers out of `total`.
fn page(index: u64, size: u64, total: u64) -> serde_json::Result<Vec<u8>> {
    let start = (index - 1).saturating_mul(size).min(total);
    let end = start.saturating_add(size).min(total);
    let data = (start..end)
        .map(|n| ManagedCustomer {
            id: customer_id(n),
            organization: format!("Contoso Holdings {n}"),
            owner_email: format!("admin{n}@contoso{n}.onmicrosoft.com"),
            job_status: n % 7,
            country_or_region: COUNTRIES[(n % COUNTRIES.len() as u64) as usize],
            management_mode: n % 3,
            tenants: (0..n % 3)
                .map(|k| Tenant {
                    id: format!("5d1c0a2e-7f3b-4b7e-8c3d-{:012x}", n * 4 + k),
                    name: format!("contoso{n}-{k}.onmicrosoft.com"),
                })
                .collect(),
        })
        .collect();
    serde_json::to_vec(&Page {
        data,
        metadata: Metadata {
            page_index: index,
            page_size: size,
            total_count: total,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_cover_the_total_once() {
        let value: serde_json::Value = serde_json::from_slice(&page(3, 4, 10).unwrap()).unwrap();
        let ids: Vec<&str> = value["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, [customer_id(8), customer_id(9)]);
        assert_eq!(value["metadata"]["totalCount"], 10);
        let beyond: serde_json::Value = serde_json::from_slice(&page(4, 4, 10).unwrap()).unwrap();
        assert_eq!(beyond["data"].as_array().unwrap().len(), 0);
    }

    #[test]
    fn page_query_has_the_spec_defaults() {
        assert_eq!(page_query(""), (1, 50));
        assert_eq!(page_query("pageIndex=7&pageSize=100"), (7, 100));
        assert_eq!(page_query("pageSize=500&pageIndex=0"), (1, 100));
    }
}
