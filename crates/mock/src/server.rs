//! The server: a loopback HTTP/1.1 listener (tokio + hyper) that records every request
//! and answers it through the pipeline: route, authenticate, check, then the token
//! endpoint, a queued scenario, or the state.

use std::collections::VecDeque;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use bytes::Bytes;
use http::{header, HeaderValue, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};
use tokio::net::TcpListener;
use tokio::task::{JoinHandle, JoinSet};

use crate::scenario::{gateway_page, Scenario};
use crate::spec::{Answer, Miss, Spec};
use crate::state::{Record, State};
use crate::{auth, Provider};

/// The largest request body read.
const MAX_BODY: usize = 1 << 20;

/// A request the mock received, as it arrived.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Received {
    /// `POST`.
    pub method: String,
    /// `/api/payment/create` (without the query).
    pub path: String,
    /// The query string, if any.
    pub query: Option<String>,
    /// Every header, names in lower case (credentials included: the mock is for tests).
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Bytes,
    /// The spec operation it was routed to, if any.
    pub operation: Option<String>,
}

impl Received {
    /// The value of the header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(key, _)| key.eq_ignore_ascii_case(name)).map(|(_, value)| value.as_str())
    }

    /// The body as JSON, when it is JSON.
    pub fn json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }
}

/// What the connection tasks share.
struct Shared {
    provider: Provider,
    spec: Spec,
    state: Mutex<State>,
    scenarios: Mutex<VecDeque<Scenario>>,
    received: Mutex<Vec<Received>>,
    base_url: String,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A provider's mock, listening on 127.0.0.1; it stops when dropped.
pub struct MockServer {
    shared: Arc<Shared>,
    addr: SocketAddr,
    task: JoinHandle<()>,
}

impl MockServer {
    /// Starts `provider`'s mock on a free port of 127.0.0.1, on the current tokio
    /// runtime.
    pub async fn start(provider: Provider) -> io::Result<Self> {
        Self::start_on(provider, 0).await
    }

    /// Starts `provider`'s mock on `port` of 127.0.0.1 (`0`: a free one).
    pub async fn start_on(provider: Provider, port: u16) -> io::Result<Self> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port)).await?;
        let addr = listener.local_addr()?;
        let spec = Spec::new(provider.spec_json());
        let shared = Arc::new(Shared {
            provider,
            state: Mutex::new(State::new(provider, &spec)),
            spec,
            scenarios: Mutex::new(VecDeque::new()),
            received: Mutex::new(Vec::new()),
            base_url: format!("http://{addr}"),
        });
        let task = tokio::spawn(accept(listener, Arc::clone(&shared)));
        Ok(Self { shared, addr, task })
    }

    /// The provider served.
    pub fn provider(&self) -> Provider {
        self.shared.provider
    }

    /// `http://127.0.0.1:<port>`: the base URL to build a client with
    /// (`Environment::Custom(mock.base_url().parse()?)`).
    pub fn base_url(&self) -> String {
        self.shared.base_url.clone()
    }

    /// The address listened on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The value of the credential `name` the mock accepts (see
    /// [`Provider::credentials`]).
    ///
    /// # Panics
    ///
    /// When the provider has no credential of that name.
    pub fn credential(&self, name: &str) -> &'static str {
        auth::credential(self.shared.provider, name).unwrap_or_else(|| {
            let names: Vec<&str> = self.shared.provider.credentials().iter().map(|(name, _)| *name).collect();
            panic!("{} has no credential {name:?} (it has {})", self.shared.provider, names.join(", "))
        })
    }

    /// Queues `scenario` for the next money-moving call (after those queued before).
    ///
    /// # Panics
    ///
    /// When `scenario` is [`Scenario::Error`] with a name no money-moving operation of
    /// the provider documents (the message lists the names there are).
    pub fn next(&self, scenario: Scenario) -> &Self {
        if let Scenario::Error(name) = &scenario {
            let names = self.documented_errors();
            assert!(
                names.iter().any(|(_, names)| names.contains(name)),
                "no money-moving operation of {} documents an example named {name:?}; documented: {names:?}",
                self.shared.provider
            );
        }
        lock(&self.shared.scenarios).push_back(scenario);
        self
    }

    /// The scenarios queued and not played yet.
    pub fn pending(&self) -> Vec<Scenario> {
        lock(&self.shared.scenarios).iter().cloned().collect()
    }

    /// For each money-moving operation, the names of its documented errors, for
    /// [`Scenario::Error`].
    pub fn documented_errors(&self) -> Vec<(String, Vec<String>)> {
        let spec = &self.shared.spec;
        spec.routes.iter().filter(|route| route.moves_money()).map(|route| (route.id.clone(), spec.error_names(route))).collect()
    }

    /// Every request received so far, in order (token requests included).
    pub fn requests(&self) -> Vec<Received> {
        lock(&self.shared.received).clone()
    }

    /// Every money-moving call the mock processed so far, in order (a lost or slow
    /// answer's included).
    pub fn records(&self) -> Vec<Record> {
        lock(&self.shared.state).records.clone()
    }

    /// What the mock keeps, as JSON: MagicPayments `{"wallets", "transactions"}`,
    /// MediaCube `{"batches"}`, Paymob `{"disbursements"}`, Billon `{"payouts",
    /// "projects"}` (a cancelled payout's `status` is `CANCELLED`).
    pub fn state(&self) -> Value {
        lock(&self.shared.state).snapshot()
    }

    /// Tokens issued from now on last `lifetime` (default: one hour).
    pub fn set_token_lifetime(&self, lifetime: Duration) -> &Self {
        lock(&self.shared.state).tokens.lifetime = lifetime;
        self
    }

    /// Every token issued so far stops working (the next call that sends one gets the
    /// scheme's rejection).
    pub fn expire_tokens(&self) -> &Self {
        lock(&self.shared.state).tokens.expire_all();
        self
    }
}

impl std::fmt::Debug for MockServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockServer").field("provider", &self.shared.provider).field("addr", &self.addr).finish()
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        // The connections are in the accept task's JoinSet: aborted with it.
        self.task.abort();
    }
}

/// Accepts connections until aborted; each is served in its own task.
async fn accept(listener: TcpListener, shared: Arc<Shared>) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else {
                    // Out of descriptors, say: wait a little rather than spin.
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                };
                let shared = Arc::clone(&shared);
                connections.spawn(async move {
                    let service = service_fn(move |request| answer(Arc::clone(&shared), request));
                    // An error ends the connection: a lost answer drops it on purpose.
                    let _ = hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
                });
            }
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

/// A lost answer: the service fails, and hyper closes the connection without a byte.
#[derive(Debug)]
struct LostAnswer;

impl std::fmt::Display for LostAnswer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the answer is lost on purpose (Scenario::LoseAnswer)")
    }
}

impl std::error::Error for LostAnswer {}

type Reply = Result<Response<Full<Bytes>>, LostAnswer>;

/// The pipeline for one request.
async fn answer(shared: Arc<Shared>, request: Request<Incoming>) -> Reply {
    let (parts, body) = request.into_parts();
    let body = match Limited::new(body, MAX_BODY).collect().await {
        Ok(body) => body.to_bytes(),
        Err(_) => return Ok(plain(StatusCode::PAYLOAD_TOO_LARGE, "the request body is too large or cut short")),
    };
    let spec = &shared.spec;
    let path = parts.uri.path().to_string();
    let found = spec.find(&parts.method, &path);
    lock(&shared.received).push(Received {
        method: parts.method.to_string(),
        path: path.clone(),
        query: parts.uri.query().map(String::from),
        headers: parts
            .headers
            .iter()
            .map(|(name, value)| (name.to_string(), String::from_utf8_lossy(value.as_bytes()).into_owned()))
            .collect(),
        body: body.clone(),
        operation: found.as_ref().ok().map(|(route, _)| route.id.clone()),
    });
    let (route, path_params) = match found {
        Ok(found) => found,
        Err(Miss::NotFound) => return Ok(plain(StatusCode::NOT_FOUND, &format!("{} has no operation at {path}", shared.provider))),
        Err(Miss::MethodNotAllowed) => {
            return Ok(plain(StatusCode::METHOD_NOT_ALLOWED, &format!("{path} does not take {}", parts.method)));
        }
    };
    let rejected = auth::check(spec, shared.provider, route, &parts.headers, &lock(&shared.state).tokens);
    if let Err(rejection) = rejected {
        return Ok(json_answer(rejection));
    }
    let checked = match spec.check(route, &path_params, parts.uri.query(), &body) {
        Ok(checked) => checked,
        Err(problem) => return Ok(json_answer(spec.refusal(route, &problem))),
    };
    if route.token_endpoint {
        let issued = auth::issue(spec, shared.provider, route, &checked, &mut lock(&shared.state).tokens);
        return Ok(json_answer(issued));
    }
    let scenario = if route.moves_money() { lock(&shared.scenarios).pop_front() } else { None };
    let process = || lock(&shared.state).handle(spec, route, &checked);
    match scenario {
        None => Ok(json_answer(process())),
        Some(Scenario::Error(name)) => Ok(match spec.example(route, &name) {
            Some(example) => json_answer(example),
            None => plain(StatusCode::INTERNAL_SERVER_ERROR, &format!("payspec-mock: {} documents no example named {name:?}", route.id)),
        }),
        Some(Scenario::LoseAnswer) => {
            process();
            Err(LostAnswer)
        }
        Some(Scenario::ServerError(status)) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
            let mut response = Response::new(Full::new(Bytes::from(gateway_page(status.as_u16()))));
            *response.status_mut() = status;
            response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
            Ok(response)
        }
        Some(Scenario::Slow(delay)) => {
            let answer = process();
            tokio::time::sleep(delay).await;
            Ok(json_answer(answer))
        }
        Some(Scenario::Redirect) => {
            let mut response = Response::new(Full::new(Bytes::new()));
            *response.status_mut() = StatusCode::TEMPORARY_REDIRECT;
            let location = format!("{}{}", shared.base_url, parts.uri);
            if let Ok(location) = HeaderValue::from_str(&location) {
                response.headers_mut().insert(header::LOCATION, location);
            }
            Ok(response)
        }
    }
}

fn json_answer(answer: Answer) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(answer.body.to_string())));
    *response.status_mut() = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    for (name, value) in answer.headers {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    }
    response
}

/// An answer outside the spec (no such path): JSON with the mock's message.
fn plain(status: StatusCode, message: &str) -> Response<Full<Bytes>> {
    json_answer(Answer {
        status: status.as_u16(),
        body: json!({ "payspec_mock": message }),
        headers: vec![("x-payspec-mock-problem", message.to_string())],
    })
}
