//! A scripted HTTP/1.1 server on loopback that records every request exactly
//! as it arrived: the raw request target (so percent-encoding is visible),
//! every header and the body.
//!
//! httpmock matches requests and counts hits, but it decodes the path and
//! answers each matching request the same way; the tests of the client
//! layers need to compare headers across the retries of one call and to
//! answer the n-th request differently from the one before.

use std::sync::{Arc, Mutex, PoisonError};

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// One request as the server received it.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// The method, e.g. `GET`.
    pub method: String,
    /// The request target of the request line, exactly as sent (path and
    /// query, still percent-encoded).
    pub target: String,
    /// Every header in the order sent, names lowercased.
    pub headers: Vec<(String, String)>,
    /// The body, empty when there was none.
    pub body: Vec<u8>,
}

impl Recorded {
    /// The path part of the target, as sent.
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or_default()
    }

    /// The query part of the target without the `?`, if there was one.
    pub fn query(&self) -> Option<&str> {
        self.target.split_once('?').map(|(_, query)| query)
    }

    /// The decoded query parameters, in order.
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        let url = reqwest::Url::parse(&format!("http://recorded.invalid{}", self.target))
            .expect("the request target is a valid path and query");
        url.query_pairs().into_owned().collect()
    }

    /// The value of the header `name` (case-insensitive), if it was sent.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A response to send.
#[derive(Debug, Clone)]
pub struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    /// A response with `status` and an empty body.
    pub fn status(status: u16) -> Self {
        Reply {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// A response with `status` and `body` as `application/json`.
    pub fn json(status: u16, body: &Value) -> Self {
        Reply::status(status)
            .header("content-type", "application/json")
            .body(body.to_string())
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Sets the body.
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self
    }

    fn to_bytes(&self) -> Vec<u8> {
        let reason = reqwest::StatusCode::from_u16(self.status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("Unknown");
        let mut head = format!("HTTP/1.1 {} {reason}\r\n", self.status);
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str(&format!("content-length: {}\r\n\r\n", self.body.len()));
        let mut bytes = head.into_bytes();
        bytes.extend_from_slice(&self.body);
        bytes
    }
}

/// What the server answers to the n-th request (counting from 1).
type Responder = dyn Fn(usize, &Recorded) -> Reply + Send + Sync;

/// A running recording server. It stops when dropped.
pub struct Recorder {
    base_url: String,
    log: Arc<Mutex<Vec<Recorded>>>,
    accept: JoinHandle<()>,
}

impl Recorder {
    /// Starts a server on a free loopback port that answers the n-th
    /// request (from 1) with `respond(n, request)`.
    pub async fn start(
        respond: impl Fn(usize, &Recorded) -> Reply + Send + Sync + 'static,
    ) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let addr = listener.local_addr().expect("local address");
        let log = Arc::new(Mutex::new(Vec::new()));
        let respond: Arc<Responder> = Arc::new(respond);
        let shared = Arc::clone(&log);
        let accept = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, Arc::clone(&shared), Arc::clone(&respond)));
            }
        });
        Recorder {
            base_url: format!("http://{addr}"),
            log,
            accept,
        }
    }

    /// Starts a server that answers the n-th request with `replies[n - 1]`,
    /// and every request after the last reply with the last reply again.
    pub async fn script(replies: Vec<Reply>) -> Self {
        assert!(!replies.is_empty(), "a script needs at least one reply");
        Recorder::start(move |n, _| replies[(n - 1).min(replies.len() - 1)].clone()).await
    }

    /// `http://127.0.0.1:<port>`, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Every request received so far, in the order they arrived.
    pub fn requests(&self) -> Vec<Recorded> {
        self.log
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// How many requests arrived so far.
    pub fn hits(&self) -> usize {
        self.log
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        self.accept.abort();
    }
}

/// Serves the requests of one connection (keep-alive) until the client
/// closes it or sends something this server does not understand.
async fn serve(mut stream: TcpStream, log: Arc<Mutex<Vec<Recorded>>>, respond: Arc<Responder>) {
    let mut buffer = Vec::new();
    loop {
        let Some(request) = read_request(&mut stream, &mut buffer).await else {
            return;
        };
        let number = {
            let mut log = log.lock().unwrap_or_else(PoisonError::into_inner);
            log.push(request.clone());
            log.len()
        };
        let reply = respond(number, &request);
        if stream.write_all(&reply.to_bytes()).await.is_err() {
            return;
        }
    }
}

/// Reads one request with a `content-length` body (or none). `buffer`
/// keeps bytes read past the end of this request for the next one.
async fn read_request(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<Recorded> {
    let head_end = loop {
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at;
        }
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8(buffer[..head_end].to_vec()).ok()?;
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_owned();
    let target = request_line.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    // Chunked request bodies are not supported: the generated clients send
    // JSON and form bodies with a length.
    if headers.iter().any(|(n, _)| n == "transfer-encoding") {
        return None;
    }
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .map_or(Some(0), |(_, v)| v.parse().ok())?;
    let body_start = head_end + 4;
    while buffer.len() < body_start + length {
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    }
    let body = buffer[body_start..body_start + length].to_vec();
    buffer.drain(..body_start + length);
    Some(Recorded {
        method,
        target,
        headers,
        body,
    })
}
