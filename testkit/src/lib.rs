//! A small, controllable HTTP/1.1 server for tests.
//!
//! Tests script replies per route (status, JSON, headers, delays, connection
//! resets, truncated bodies), then inspect every request the client made
//! (method, path, query, headers, body). It speaks plain HTTP/1.1 with
//! keep-alive over a real socket, so the code under test runs unmodified.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One request the server received.
#[derive(Debug, Clone)]
pub struct RecordedRequest {
    /// HTTP method, upper-case.
    pub method: String,
    /// Path without the query string (still percent-encoded).
    pub path: String,
    /// Raw query string, if any.
    pub query: Option<String>,
    /// Headers, names lower-cased, in arrival order.
    pub headers: Vec<(String, String)>,
    /// Raw body.
    pub body: Vec<u8>,
}

impl RecordedRequest {
    /// A header value (case-insensitive name).
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers.iter().find(|(k, _)| *k == name).map(|(_, v)| v.as_str())
    }

    /// The body parsed as JSON (`Null` when empty or invalid).
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }

    /// Decoded query pairs.
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        self.query
            .as_deref()
            .map(|q| url::form_urlencoded::parse(q.as_bytes()).into_owned().collect())
            .unwrap_or_default()
    }

    /// One decoded query parameter.
    pub fn query_param(&self, key: &str) -> Option<String> {
        self.query_pairs().into_iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Decoded form body pairs.
    pub fn form_pairs(&self) -> Vec<(String, String)> {
        url::form_urlencoded::parse(&self.body).into_owned().collect()
    }
}

/// What the server does with a request.
#[derive(Debug, Clone)]
pub enum Reply {
    /// A normal response.
    Full {
        /// Status code.
        status: u16,
        /// Extra headers.
        headers: Vec<(String, String)>,
        /// Body bytes.
        body: Vec<u8>,
    },
    /// Wait, then do the inner reply.
    Delay(Duration, Box<Reply>),
    /// Close the connection without answering (RST).
    Reset,
    /// Send headers announcing `declared_len` bytes, send `body`, then close.
    Truncated {
        /// Status code.
        status: u16,
        /// The Content-Length announced.
        declared_len: usize,
        /// The bytes actually sent.
        body: Vec<u8>,
    },
}

impl Reply {
    /// A JSON response.
    pub fn json(status: u16, body: Value) -> Self {
        Reply::Full {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: serde_json::to_vec(&body).unwrap(),
        }
    }

    /// A plain-text response.
    pub fn text(status: u16, body: &str) -> Self {
        Reply::Full {
            status,
            headers: vec![("content-type".into(), "text/plain".into())],
            body: body.as_bytes().to_vec(),
        }
    }

    /// An API error in Composio's envelope.
    pub fn api_error(status: u16, message: &str) -> Self {
        Self::json(
            status,
            serde_json::json!({"error": {"message": message, "code": status, "status": status, "request_id": "req_mock"}}),
        )
    }

    /// Adds a header (only to full responses).
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        if let Reply::Full { headers, .. } = &mut self {
            headers.push((name.to_ascii_lowercase(), value.to_string()));
        }
        self
    }

    /// Delays this reply.
    pub fn delayed(self, d: Duration) -> Self {
        Reply::Delay(d, Box::new(self))
    }
}

type Handler = Arc<dyn Fn(&RecordedRequest) -> Reply + Send + Sync>;

enum Route {
    Sticky(Reply),
    Sequence(Vec<Reply>),
    Func(Handler),
}

#[derive(Default)]
struct State {
    routes: Vec<(String, String, Route)>,
    requests: Vec<RecordedRequest>,
}

/// The server. Dropping it stops accepting connections.
pub struct MockServer {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for MockServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn path_matches(pattern: &str, path: &str) -> bool {
    let p: Vec<&str> = pattern.trim_end_matches('/').split('/').collect();
    let a: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    if p.last() == Some(&"**") {
        return a.len() >= p.len() - 1 && p[..p.len() - 1].iter().zip(&a).all(|(x, y)| *x == "*" || x == y);
    }
    p.len() == a.len() && p.iter().zip(&a).all(|(x, y)| *x == "*" || x == y)
}

impl MockServer {
    /// Starts a server on a free loopback port.
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let state = Arc::new(Mutex::new(State::default()));
        let st = state.clone();
        let task = tokio::spawn(async move {
            while let Ok((sock, _)) = listener.accept().await {
                let st = st.clone();
                tokio::spawn(async move {
                    let _ = serve_conn(sock, st).await;
                });
            }
        });
        Self { addr, state, task }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The socket address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Always answers `method path` with `reply`. A `*` path segment matches
    /// any one segment; a trailing `**` matches the rest. Later routes win.
    pub fn mock(&self, method: &str, path: &str, reply: Reply) {
        self.add(method, path, Route::Sticky(reply));
    }

    /// Answers with these replies in order; the last one repeats.
    pub fn mock_seq(&self, method: &str, path: &str, replies: Vec<Reply>) {
        self.add(method, path, Route::Sequence(replies));
    }

    /// Answers with whatever `f` returns for the request.
    pub fn mock_fn(
        &self,
        method: &str,
        path: &str,
        f: impl Fn(&RecordedRequest) -> Reply + Send + Sync + 'static,
    ) {
        self.add(method, path, Route::Func(Arc::new(f)));
    }

    fn add(&self, method: &str, path: &str, route: Route) {
        self.state.lock().unwrap().routes.push((method.to_ascii_uppercase(), path.to_string(), route));
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.state.lock().unwrap().requests.clone()
    }

    /// Requests matching `method path` (same patterns as [`MockServer::mock`]).
    pub fn requests_to(&self, method: &str, path: &str) -> Vec<RecordedRequest> {
        let m = method.to_ascii_uppercase();
        self.requests().into_iter().filter(|r| r.method == m && path_matches(path, &r.path)).collect()
    }

    /// How many requests matched `method path`.
    pub fn hits(&self, method: &str, path: &str) -> usize {
        self.requests_to(method, path).len()
    }

    /// Forgets recorded requests.
    pub fn clear_requests(&self) {
        self.state.lock().unwrap().requests.clear();
    }
}

fn pick(state: &Mutex<State>, req: &RecordedRequest) -> Reply {
    let mut st = state.lock().unwrap();
    st.requests.push(req.clone());
    let route = st
        .routes
        .iter_mut()
        .rev()
        .find(|(m, p, _)| *m == req.method && path_matches(p, &req.path))
        .map(|(_, _, r)| r);
    match route {
        Some(Route::Sticky(r)) => r.clone(),
        Some(Route::Sequence(seq)) => {
            if seq.len() > 1 {
                seq.remove(0)
            } else {
                seq.first().cloned().unwrap_or_else(|| Reply::api_error(500, "empty sequence"))
            }
        }
        Some(Route::Func(f)) => {
            let f = f.clone();
            drop(st);
            f(req)
        }
        None => Reply::api_error(404, &format!("no mock for {} {}", req.method, req.path)),
    }
}

async fn read_request(sock: &mut TcpStream, buf: &mut Vec<u8>) -> Option<RecordedRequest> {
    let header_end = loop {
        if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break pos;
        }
        let mut chunk = [0u8; 8192];
        let n = sock.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..header_end]).to_string();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_string();
    let target = first.next()?.to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':').map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string())))
        .collect();
    let len: usize =
        headers.iter().find(|(k, _)| k == "content-length").and_then(|(_, v)| v.parse().ok()).unwrap_or(0);
    let mut rest = buf.split_off(header_end + 4);
    std::mem::swap(buf, &mut rest);
    // `rest` is now the header bytes; `buf` holds what followed.
    while buf.len() < len {
        let mut chunk = [0u8; 8192];
        let n = sock.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let body: Vec<u8> = buf.drain(..len).collect();
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p.to_string(), Some(q.to_string())),
        None => (target, None),
    };
    Some(RecordedRequest { method, path, query, headers, body })
}

async fn serve_conn(mut sock: TcpStream, state: Arc<Mutex<State>>) -> std::io::Result<()> {
    let mut buf = Vec::new();
    while let Some(req) = read_request(&mut sock, &mut buf).await {
        let mut reply = pick(&state, &req);
        loop {
            match reply {
                Reply::Delay(d, inner) => {
                    tokio::time::sleep(d).await;
                    reply = *inner;
                }
                Reply::Reset => {
                    #[allow(deprecated)] // linger 0 sends RST at once; it does not block
                    sock.set_linger(Some(Duration::from_secs(0)))?;
                    return Ok(());
                }
                Reply::Truncated { status, declared_len, body } => {
                    let head = format!(
                        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {declared_len}\r\n\r\n"
                    );
                    sock.write_all(head.as_bytes()).await?;
                    sock.write_all(&body).await?;
                    sock.flush().await?;
                    return Ok(());
                }
                Reply::Full { status, headers, body } => {
                    let mut head = format!("HTTP/1.1 {status} X\r\ncontent-length: {}\r\n", body.len());
                    for (k, v) in &headers {
                        head.push_str(&format!("{k}: {v}\r\n"));
                    }
                    head.push_str("\r\n");
                    sock.write_all(head.as_bytes()).await?;
                    sock.write_all(&body).await?;
                    sock.flush().await?;
                    break;
                }
            }
        }
    }
    Ok(())
}

/// Shared map type for tests that keep state in closures.
pub type SharedMap = Arc<Mutex<HashMap<String, Value>>>;
