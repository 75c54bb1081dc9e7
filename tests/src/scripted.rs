//! A loopback HTTP/1.1 server that answers from a script, byte for byte, so tests can
//! produce what a well-behaved mock cannot: a reset mid-body, a body shorter than its
//! `Content-Length`, an answer that never comes. It counts the requests it received.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the server does with one request.
#[derive(Clone, Debug)]
pub enum Reply {
    /// Writes these bytes, then closes the connection.
    Raw(Vec<u8>),
    /// Waits, then replies.
    After(Duration, Box<Reply>),
}

impl Reply {
    /// A complete response with `status`, a `Content-Type` and `body`.
    pub fn with_body(status: u16, content_type: &str, body: &[u8]) -> Self {
        let mut bytes = format!(
            "HTTP/1.1 {status} X\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
            body.len()
        )
        .into_bytes();
        bytes.extend_from_slice(body);
        Self::Raw(bytes)
    }

    /// A JSON response.
    pub fn json(status: u16, body: &str) -> Self {
        Self::with_body(status, "application/json", body.as_bytes())
    }

    /// A response with extra header lines (`"retry-after: 1"`).
    pub fn json_with_headers(status: u16, headers: &[&str], body: &str) -> Self {
        let mut bytes = format!("HTTP/1.1 {status} X\r\ncontent-type: application/json\r\n").into_bytes();
        for header in headers {
            bytes.extend_from_slice(header.as_bytes());
            bytes.extend_from_slice(b"\r\n");
        }
        bytes.extend_from_slice(format!("content-length: {}\r\nconnection: close\r\n\r\n{body}", body.len()).as_bytes());
        Self::Raw(bytes)
    }

    /// Headers promising `declared` bytes, then only `sent`, then the connection closes.
    pub fn truncated(declared: usize, sent: &[u8]) -> Self {
        let mut bytes = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {declared}\r\n\r\n"
        )
        .into_bytes();
        bytes.extend_from_slice(sent);
        Self::Raw(bytes)
    }
}

/// A request the server received.
#[derive(Clone, Debug)]
pub struct Received {
    /// The request line and headers, as text.
    pub head: String,
    /// The body.
    pub body: Vec<u8>,
}

/// The running server; it stops when dropped.
pub struct ScriptedServer {
    addr: SocketAddr,
    received: Arc<Mutex<Vec<Received>>>,
    accepted: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl ScriptedServer {
    /// Listens on 127.0.0.1; request `n` (from 0) is answered with `script(n)`.
    pub async fn start(script: impl Fn(usize) -> Reply + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
        let addr = listener.local_addr().expect("address");
        let received = Arc::new(Mutex::new(Vec::new()));
        let accepted = Arc::new(AtomicUsize::new(0));
        let script = Arc::new(script);
        let task = {
            let received = Arc::clone(&received);
            let accepted = Arc::clone(&accepted);
            tokio::spawn(async move {
                while let Ok((stream, _)) = listener.accept().await {
                    let index = accepted.fetch_add(1, Ordering::SeqCst);
                    let reply = script(index);
                    let received = Arc::clone(&received);
                    tokio::spawn(serve(stream, reply, received));
                }
            })
        };
        Self { addr, received, accepted, task }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn uri(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Requests received in full so far.
    pub fn received(&self) -> Vec<Received> {
        self.received.lock().expect("lock").clone()
    }

    /// Connections accepted so far (one per request: every reply closes).
    pub fn connections(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }
}

impl Drop for ScriptedServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(mut stream: TcpStream, reply: Reply, received: Arc<Mutex<Vec<Received>>>) {
    let Some(request) = read_request(&mut stream).await else { return };
    received.lock().expect("lock").push(request);
    let mut reply = reply;
    while let Reply::After(wait, next) = reply {
        tokio::time::sleep(wait).await;
        reply = *next;
    }
    if let Reply::Raw(bytes) = reply {
        let _ = stream.write_all(&bytes).await;
        let _ = stream.shutdown().await;
    }
}

/// Reads one request: headers, then `Content-Length` bytes of body (bounded).
async fn read_request(stream: &mut TcpStream) -> Option<Received> {
    const LIMIT: usize = 1 << 20;
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
        if buffer.len() > LIMIT {
            return None;
        }
        let read = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut chunk)).await.ok()?.ok()?;
        if read == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..read]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let length = head
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length").then(|| value.trim().parse::<usize>().ok())?
        })
        .unwrap_or(0)
        .min(LIMIT);
    while buffer.len() < head_end + length {
        let read = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut chunk)).await.ok()?.ok()?;
        if read == 0 {
            break;
        }
        buffer.extend_from_slice(&chunk[..read]);
    }
    Some(Received { head, body: buffer[head_end..].to_vec() })
}
