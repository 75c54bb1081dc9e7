//! A loopback HTTP/1.1 server that answers as a hostile or unlucky server would: any
//! status with any body, redirects to itself, to another origin or to a port that
//! refuses connections, a body cut short, a reset, a stall, a kept-alive connection. It
//! counts every request it receives, by path, so a test can assert that a payout was
//! sent at most once.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the server does with one request.
#[derive(Clone, Debug)]
pub enum Reply {
    /// A complete answer. `keep_alive` leaves the connection open for the next request.
    Answer {
        /// Status code.
        status: u16,
        /// Extra header lines (`"location: http://..."`).
        headers: Vec<String>,
        /// The body.
        body: Vec<u8>,
        /// Keep the connection open after answering.
        keep_alive: bool,
    },
    /// Headers promising more than the body, then only its first half, then a close.
    CutShort {
        /// Status code.
        status: u16,
        /// The body that was promised.
        body: Vec<u8>,
    },
    /// Reads the request and closes the connection without a byte of answer.
    Drop,
    /// Waits, then answers.
    Stall(Duration, Box<Reply>),
}

impl Reply {
    /// A JSON answer that closes the connection.
    pub fn json(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Self::with(status, "application/json", body)
    }

    /// An answer with this content type that closes the connection.
    pub fn with(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        Self::Answer {
            status,
            headers: vec![format!("content-type: {content_type}")],
            body: body.into(),
            keep_alive: false,
        }
    }
}

/// A request the server received.
#[derive(Clone, Debug)]
pub struct Received {
    /// `POST`.
    pub method: String,
    /// `/api/payment/create` (without the query).
    pub path: String,
    /// The request line and headers, as text.
    pub head: String,
    /// The body.
    pub body: Vec<u8>,
    /// Which connection it came on: connections are numbered from 0 as accepted.
    pub connection: usize,
}

type Script = dyn Fn(&Received) -> Reply + Send + Sync;

/// The running server; it stops when dropped.
pub struct HostileServer {
    addr: SocketAddr,
    received: Arc<Mutex<Vec<Received>>>,
    task: tokio::task::JoinHandle<()>,
    /// The connections' tasks: aborted with the server, so a kept-alive connection never
    /// outlives it (a later server on the same port must not be answered by this one).
    connections: Arc<Mutex<Vec<tokio::task::AbortHandle>>>,
}

impl HostileServer {
    /// Listens on 127.0.0.1 and answers each request with `script(request)`.
    pub async fn start(script: impl Fn(&Received) -> Reply + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
        let addr = listener.local_addr().expect("address");
        let received = Arc::new(Mutex::new(Vec::new()));
        let script: Arc<Script> = Arc::new(script);
        let connections = Arc::new(Mutex::new(Vec::new()));
        let task = {
            let received = Arc::clone(&received);
            let connections = Arc::clone(&connections);
            tokio::spawn(async move {
                let mut accepted = 0;
                while let Ok((stream, _)) = listener.accept().await {
                    let connection = tokio::spawn(serve(stream, accepted, Arc::clone(&script), Arc::clone(&received)));
                    accepted += 1;
                    connections.lock().expect("lock").push(connection.abort_handle());
                }
            })
        };
        Self { addr, received, task, connections }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn uri(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every request received so far.
    pub fn received(&self) -> Vec<Received> {
        self.received.lock().expect("lock").clone()
    }

    /// Every request received so far, and forgets them (a server reused for the next
    /// case starts counting from zero).
    pub fn take(&self) -> Vec<Received> {
        std::mem::take(&mut *self.received.lock().expect("lock"))
    }

    /// How many requests were received on `path`.
    pub fn count(&self, path: &str) -> usize {
        self.received.lock().expect("lock").iter().filter(|r| r.path == path).count()
    }

    /// Requests received, by path.
    pub fn counts(&self) -> HashMap<String, usize> {
        let mut counts = HashMap::new();
        for request in self.received.lock().expect("lock").iter() {
            *counts.entry(request.path.clone()).or_insert(0) += 1;
        }
        counts
    }
}

impl Drop for HostileServer {
    fn drop(&mut self) {
        self.task.abort();
        for connection in self.connections.lock().expect("lock").drain(..) {
            connection.abort();
        }
    }
}

/// A port on 127.0.0.1 where nothing listens (connections are refused).
pub async fn refusing_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
    listener.local_addr().expect("address").port()
}

async fn serve(mut stream: TcpStream, connection: usize, script: Arc<Script>, received: Arc<Mutex<Vec<Received>>>) {
    // A bounded number of requests per connection.
    for _ in 0..16 {
        let Some(request) = read_request(&mut stream, connection).await else { return };
        let mut reply = script(&request);
        received.lock().expect("lock").push(request);
        while let Reply::Stall(wait, next) = reply {
            tokio::time::sleep(wait).await;
            reply = *next;
        }
        match reply {
            Reply::Answer { status, headers, body, keep_alive } => {
                let mut bytes = format!("HTTP/1.1 {status} X\r\n").into_bytes();
                for header in headers {
                    bytes.extend_from_slice(header.as_bytes());
                    bytes.extend_from_slice(b"\r\n");
                }
                let connection = if keep_alive { "keep-alive" } else { "close" };
                bytes.extend_from_slice(format!("content-length: {}\r\nconnection: {connection}\r\n\r\n", body.len()).as_bytes());
                bytes.extend_from_slice(&body);
                if stream.write_all(&bytes).await.is_err() || !keep_alive {
                    let _ = stream.shutdown().await;
                    return;
                }
            }
            Reply::CutShort { status, body } => {
                let mut bytes = format!(
                    "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
                    body.len() + 16
                )
                .into_bytes();
                bytes.extend_from_slice(&body[..body.len() / 2]);
                let _ = stream.write_all(&bytes).await;
                let _ = stream.shutdown().await;
                return;
            }
            Reply::Drop => return,
            Reply::Stall(..) => unreachable!("unwrapped above"),
        }
    }
}

/// Reads one request: headers, then `Content-Length` bytes of body (bounded).
async fn read_request(stream: &mut TcpStream, connection: usize) -> Option<Received> {
    const LIMIT: usize = 4 << 20;
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 8192];
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
    let mut line = head.lines().next().unwrap_or_default().split_whitespace();
    let method = line.next().unwrap_or_default().to_string();
    let target = line.next().unwrap_or_default();
    let path = target.split('?').next().unwrap_or_default().to_string();
    Some(Received { method, path, head, body: buffer[head_end..(head_end + length).min(buffer.len())].to_vec(), connection })
}
