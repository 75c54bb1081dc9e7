//! A fake provider for the integration tests: `TestProvider` and its `TestClient`, a token
//! source that counts and can be told to fail or hang, operations of each kind, and a raw
//! TCP server on 127.0.0.1 that answers with scripted bytes and records what it got.
//!
//! Each test binary uses part of it.
#![allow(dead_code)]

use std::cell::RefCell;
use std::collections::VecDeque;
use std::fmt;
use std::marker::PhantomData;
use std::net::SocketAddr;
use std::ops::RangeInclusive;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::StatusCode;
use payspec_core::auth::{AuthScheme, Credentials, Source};
use payspec_core::call::send;
use payspec_core::operation::{Operation, Rejection};
use payspec_core::retry::RetryPolicy;
use payspec_core::secret::{AccessToken, ApiKey, ClientSecret, Password};
use payspec_core::token::{Clock, Expiry, ManualClock, NoTokenEndpoint, Token, TokenSource};
use payspec_core::transport::OperationPolicy;
use payspec_core::{BuildError, ClientBuilder, Environment, Error, Evidence, Limits, Provider, Reference, Runtime};
use serde::Deserialize;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;

/// A card number the tests send and have the server echo; no error may print it.
pub const CARD: &str = "4111111111111111";

/// What the fake provider's docs say to do when a payout's outcome is unknown.
pub const RECONCILE: &str = "Look the payout up by its order id before sending it again.";

/// When every test's manual clock starts.
pub fn start() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000)
}

// ---------------------------------------------------------------------------------------
// The provider.

/// Where the fake provider lives.
pub struct Env(pub String);

impl Environment for Env {
    fn base_url(&self) -> &str {
        &self.0
    }
}

/// The fake provider: one token-endpoint scheme.
pub struct TestProvider;

/// What a `TestClient` authenticates with at its token endpoint.
#[derive(Debug)]
pub struct TestCredentials {
    pub client_id: String,
    pub client_secret: ClientSecret,
}

impl Credentials for TestCredentials {}

/// The secret of every test client's credentials; never printed.
pub const CLIENT_SECRET: &str = "cs-SECRET-1f2e3d";

pub fn credentials() -> TestCredentials {
    TestCredentials {
        client_id: "client-1".to_string(),
        client_secret: ClientSecret::new(CLIENT_SECRET),
    }
}

/// The provider's documented error, typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TestError {
    pub code: String,
    pub message: Option<String>,
}

impl fmt::Display for TestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.message {
            Some(message) => write!(f, "{}: {message}", self.code),
            None => f.write_str(&self.code),
        }
    }
}

/// The documented error body.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct ErrorBody {
    pub code: String,
    pub message: Option<String>,
    pub success: Option<bool>,
}

impl From<ErrorBody> for TestError {
    fn from(body: ErrorBody) -> Self {
        Self {
            code: body.code,
            message: body.message,
        }
    }
}

impl Provider for TestProvider {
    const NAME: &'static str = "test";
    const SCHEMES: &'static [AuthScheme] = &[AuthScheme::None, AuthScheme::Bearer(Source::TokenEndpoint)];
    type Client = TestClient;
    type Credentials = TestCredentials;
    type Tokens = CountingSource;
    type ApiError = TestError;

    fn client(base_url: &str, http: reqwest::Client, runtime: Runtime<Self>) -> TestClient {
        let control = PENDING.with(|pending| pending.borrow_mut().take()).unwrap_or_else(Control::new);
        FakeClient::new(base_url, http, runtime, control)
    }
}

/// The generated client of a fake provider; `X` is what the test keeps beside it.
pub struct FakeClient<P: Provider, X = ()> {
    pub base: String,
    pub http: reqwest::Client,
    pub runtime: Runtime<P>,
    pub control: X,
}

impl<P: Provider, X> FakeClient<P, X> {
    fn new(base_url: &str, http: reqwest::Client, runtime: Runtime<P>, control: X) -> Self {
        Self {
            base: base_url.to_string(),
            http,
            runtime,
            control,
        }
    }
}

impl<P: Provider, X> progenitor_client::ClientInfo<Runtime<P>> for FakeClient<P, X> {
    fn api_version() -> &'static str {
        "1.0"
    }

    fn baseurl(&self) -> &str {
        &self.base
    }

    fn client(&self) -> &reqwest::Client {
        &self.http
    }

    fn inner(&self) -> &Runtime<P> {
        &self.runtime
    }
}

/// The fake provider's client, with the test's handle on its token source.
pub type TestClient = FakeClient<TestProvider, Arc<Control>>;

/// The client of a provider without a token endpoint.
pub type PlainClient<P> = FakeClient<P>;

thread_local! {
    /// The control `Provider::client` gives the client being built on this thread.
    static PENDING: RefCell<Option<Arc<Control>>> = const { RefCell::new(None) };
}

/// Limits small enough for tests: short timeouts, quick retries.
pub fn test_limits() -> Limits {
    Limits::default()
        .connect_timeout(Duration::from_secs(2))
        .request_timeout(Duration::from_secs(3))
        .token_deadline(Duration::from_secs(3))
        .retry(quick_retries(3))
}

/// `attempts` attempts with waits of at most a few milliseconds.
pub fn quick_retries(attempts: u32) -> RetryPolicy {
    RetryPolicy {
        max_attempts: attempts,
        max_elapsed: Duration::from_secs(5),
        base_delay: Duration::from_millis(2),
        max_delay: Duration::from_millis(10),
        max_retry_after: Duration::from_secs(1),
    }
}

/// Builds a `TestClient` for `base` through `ClientBuilder`, with the clock of `control`
/// and [`test_limits`], then whatever `configure` sets.
pub fn build_with(
    base: &str,
    control: Arc<Control>,
    configure: impl FnOnce(ClientBuilder<TestProvider>) -> ClientBuilder<TestProvider>,
) -> Result<TestClient, BuildError> {
    let builder = ClientBuilder::<TestProvider>::new(&Env(base.to_string()), credentials())
        .clock(Arc::clone(&control.clock) as Arc<dyn Clock>)
        .limits(test_limits());
    let builder = configure(builder);
    PENDING.with(|pending| *pending.borrow_mut() = Some(control));
    let built = builder.build();
    PENDING.with(|pending| pending.borrow_mut().take());
    built
}

/// A `TestClient` for `base` with default test settings.
pub fn client(base: &str) -> TestClient {
    client_with(base, |builder| builder)
}

/// A `TestClient` for `base`, configured by `configure`.
pub fn client_with(
    base: &str,
    configure: impl FnOnce(ClientBuilder<TestProvider>) -> ClientBuilder<TestProvider>,
) -> TestClient {
    build_with(base, Control::new(), configure).expect("the test client builds")
}

// ---------------------------------------------------------------------------------------
// The token source.

/// What the token source does on a fetch.
#[derive(Clone, Debug)]
pub enum Plan {
    /// Issues `token-<n>` after `delay`, expiring as `expires` says.
    Issue { expires: Expiry, delay: Duration },
    /// Issues `token-<n>` expiring as `expires` says, after the clock moved `by` (a slow
    /// token endpoint).
    IssueLate { expires: Expiry, by: Duration },
    /// Fails with a documented error after `delay`.
    Fail { delay: Duration },
    /// Never answers.
    Hang,
    /// Calls the provider's token endpoint (`POST /token`) through the client.
    Endpoint,
}

impl Plan {
    /// Issues a token valid for `lifetime`, at once.
    pub fn issue(lifetime: Duration) -> Self {
        Self::Issue {
            expires: Expiry::In(lifetime),
            delay: Duration::ZERO,
        }
    }
}

/// The test's handle on a client's token source.
pub struct Control {
    pub clock: Arc<ManualClock>,
    plan: Mutex<Plan>,
    once: Mutex<VecDeque<Plan>>,
    fetches: AtomicUsize,
    previous: Mutex<Vec<Option<String>>>,
}

impl Control {
    /// Issues hour-long tokens at once, by a manual clock at [`start`].
    pub fn new() -> Arc<Self> {
        Self::with_plan(Plan::issue(Duration::from_secs(3600)))
    }

    pub fn with_plan(plan: Plan) -> Arc<Self> {
        Arc::new(Self {
            clock: Arc::new(ManualClock::new(start())),
            plan: Mutex::new(plan),
            once: Mutex::new(VecDeque::new()),
            fetches: AtomicUsize::new(0),
            previous: Mutex::new(Vec::new()),
        })
    }

    /// What every later fetch does.
    pub fn set_plan(&self, plan: Plan) {
        *self.plan.lock().unwrap() = plan;
    }

    /// What the next fetch not yet planned does (then the standing plan again).
    pub fn then(&self, plan: Plan) {
        self.once.lock().unwrap().push_back(plan);
    }

    /// Fetches started so far.
    pub fn fetches(&self) -> usize {
        self.fetches.load(Ordering::SeqCst)
    }

    /// The previous token each fetch was given, in order.
    pub fn previous(&self) -> Vec<Option<String>> {
        self.previous.lock().unwrap().clone()
    }

    fn next_plan(&self) -> Plan {
        let once = self.once.lock().unwrap().pop_front();
        once.unwrap_or_else(|| self.plan.lock().unwrap().clone())
    }
}

/// The error a failing token endpoint answers with; it echoes the card number.
pub fn token_endpoint_down() -> Error<TestError> {
    Error::Api {
        status: StatusCode::SERVICE_UNAVAILABLE,
        error: TestError {
            code: "down".to_string(),
            message: Some(format!("card {CARD} cannot be checked now")),
        },
        evidence: Evidence::kept(
            StatusCode::SERVICE_UNAVAILABLE,
            Bytes::from(format!(r#"{{"code":"down","message":"card {CARD} cannot be checked now"}}"#)),
        ),
    }
}

/// The fake provider's `TokenSource`: counts fetches, records the previous token, and
/// does what the client's [`Control`] plans.
#[derive(Debug, Default)]
pub struct CountingSource;

impl TokenSource<TestProvider> for CountingSource {
    async fn fetch<'a>(&'a self, client: &'a TestClient, previous: Option<&'a Token>) -> Result<Token, Error<TestError>> {
        let control = &client.control;
        let n = control.fetches.fetch_add(1, Ordering::SeqCst) + 1;
        control
            .previous
            .lock()
            .unwrap()
            .push(previous.map(|token| token.access_token.expose().to_string()));
        match control.next_plan() {
            Plan::Issue { expires, delay } => {
                if !delay.is_zero() {
                    tokio::time::sleep(delay).await;
                }
                Ok(Token::new(AccessToken::new(format!("token-{n}")), expires))
            }
            Plan::IssueLate { expires, by } => {
                control.clock.advance(by);
                Ok(Token::new(AccessToken::new(format!("token-{n}")), expires))
            }
            Plan::Fail { delay } => {
                if !delay.is_zero() {
                    tokio::time::sleep(delay).await;
                }
                Err(token_endpoint_down())
            }
            Plan::Hang => std::future::pending().await,
            Plan::Endpoint => {
                let secret = client.runtime.credentials().client_secret.expose();
                let request = client
                    .http
                    .post(format!("{}/token", client.base))
                    .header("content-type", "application/json")
                    .body(format!(r#"{{"client_id":"client-1","client_secret":"{secret}"}}"#))
                    .build()?;
                let issued: Issued = send::<TestProvider, Issued, ErrorBody>(client, request, &ISSUE_TOKEN, |_: &Issued| true, Reference::new).await?;
                Ok(Token::new(issued.access_token, Expiry::In(Duration::from_secs(issued.expires_in))))
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Operations.

/// The success body of a payout (money-moving) and of a message (neither).
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct Payout {
    pub id: String,
    pub status: String,
}

/// The success body of a read: every field optional, as generated types often are.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct Balance {
    pub amount: Option<payspec_core::DecimalString>,
    pub currency: Option<String>,
}

/// The token endpoint's success body.
#[derive(Debug, Deserialize)]
pub struct Issued {
    pub access_token: AccessToken,
    pub expires_in: u64,
}

fn says_refused(error: &ErrorBody) -> bool {
    error.success == Some(false)
}

/// Every operation's refusal statuses.
const REFUSALS: &[RangeInclusive<u16>] = &[400..=499];

const REJECTED_401: Rejection<ErrorBody> = Rejection {
    statuses: &[401],
    body: None,
};

/// Moves money: `POST /payouts`.
pub static CREATE_PAYOUT: Operation<ErrorBody> = Operation {
    provider: "test",
    id: "create_payout",
    auth: AuthScheme::Bearer(Source::TokenEndpoint),
    policy: OperationPolicy::MovesMoney,
    token_endpoint: false,
    success: &[200],
    refusals: REFUSALS,
    says_refused: Some(says_refused),
    error_says: |_| true,
    credential_rejected: REJECTED_401,
    reconcile: RECONCILE,
};

/// A read, safe to repeat: `GET /balance`.
pub static GET_BALANCE: Operation<ErrorBody> = Operation {
    provider: "test",
    id: "get_balance",
    auth: AuthScheme::Bearer(Source::TokenEndpoint),
    policy: OperationPolicy::RetrySafe,
    token_endpoint: false,
    success: &[200],
    refusals: REFUSALS,
    says_refused: Some(says_refused),
    error_says: |_| true,
    credential_rejected: REJECTED_401,
    reconcile: "",
};

/// Changes state without moving money, not repeated: `POST /messages`.
pub static SEND_MESSAGE: Operation<ErrorBody> = Operation {
    provider: "test",
    id: "send_message",
    auth: AuthScheme::Bearer(Source::TokenEndpoint),
    policy: OperationPolicy::NotRetried,
    token_endpoint: false,
    success: &[200],
    refusals: REFUSALS,
    says_refused: Some(says_refused),
    error_says: |_| true,
    credential_rejected: REJECTED_401,
    reconcile: "",
};

/// Moves money; the provider says "bad token" in a body under any status.
pub static CREATE_PAYOUT_BODY_REJECTION: Operation<ErrorBody> = Operation {
    provider: "test",
    id: "create_payout",
    auth: AuthScheme::Bearer(Source::TokenEndpoint),
    policy: OperationPolicy::MovesMoney,
    token_endpoint: false,
    success: &[200],
    refusals: REFUSALS,
    says_refused: Some(says_refused),
    error_says: |_| true,
    credential_rejected: Rejection {
        statuses: &[],
        body: Some(|error: &ErrorBody| error.code == "invalid_token"),
    },
    reconcile: RECONCILE,
};

/// The token endpoint: `POST /token`, authenticated by its body.
pub static ISSUE_TOKEN: Operation<ErrorBody> = Operation {
    provider: "test",
    id: "issue_token",
    auth: AuthScheme::None,
    policy: OperationPolicy::RetrySafe,
    token_endpoint: true,
    success: &[200],
    refusals: REFUSALS,
    says_refused: None,
    error_says: |_| true,
    credential_rejected: Rejection::NONE,
    reconcile: "",
};

/// The body of every payout request: it carries the card number.
pub fn payout_body() -> String {
    format!(r#"{{"order":"o-1","card":"{CARD}","amount":"10.00"}}"#)
}

/// The reference of every payout request.
pub fn reference() -> Reference {
    Reference::new().with("order", "o-1")
}

fn says_success(payout: &Payout) -> bool {
    payout.status == "success"
}

/// `POST {base}{path}` with a JSON `body`.
pub fn post(client: &TestClient, path: &str, body: &str) -> reqwest::Request {
    client
        .http
        .post(format!("{}{path}", client.base))
        .header("content-type", "application/json")
        .body(body.to_string())
        .build()
        .expect("a valid request")
}

/// Sends a payout (money-moving) with the card number in its body.
pub async fn create_payout(client: &TestClient) -> Result<Payout, Error<TestError>> {
    let request = post(client, "/payouts", &payout_body());
    send::<TestProvider, Payout, ErrorBody>(client, request, &CREATE_PAYOUT, says_success, reference).await
}

/// Sends a payout through `operation`.
pub async fn create_payout_with(
    client: &TestClient,
    operation: &'static Operation<ErrorBody>,
) -> Result<Payout, Error<TestError>> {
    let request = post(client, "/payouts", &payout_body());
    send::<TestProvider, Payout, ErrorBody>(client, request, operation, says_success, reference).await
}

/// Reads the balance (retry-safe).
pub async fn get_balance(client: &TestClient) -> Result<Balance, Error<TestError>> {
    let request = client
        .http
        .get(format!("{}/balance", client.base))
        .build()
        .expect("a valid request");
    send::<TestProvider, Balance, ErrorBody>(client, request, &GET_BALANCE, |_: &Balance| true, || {
        panic!("a read has no reference")
    })
    .await
}

/// Sends a message (not money-moving, not repeated); its body is a `Payout`.
pub async fn send_message(client: &TestClient) -> Result<Payout, Error<TestError>> {
    let request = post(client, "/messages", &payout_body());
    send::<TestProvider, Payout, ErrorBody>(client, request, &SEND_MESSAGE, says_success, || {
        panic!("a message has no reference")
    })
    .await
}

/// A short name for what a call returned, to compare against the outcome table.
pub fn kind<T, A>(result: &Result<T, Error<A>>) -> String {
    use payspec_core::error::{AuthError, Cause, Undocumented};
    let error = match result {
        Ok(_) => return "Ok".to_string(),
        Err(error) => error,
    };
    match error {
        Error::InvalidRequest(_) => "InvalidRequest".to_string(),
        Error::Api { status, .. } => format!("Api({})", status.as_u16()),
        Error::Auth(AuthError::Rejected(_)) => "Auth(Rejected)".to_string(),
        Error::Auth(AuthError::TokenEndpoint(_)) => "Auth(TokenEndpoint)".to_string(),
        Error::Auth(AuthError::Deadline(_)) => "Auth(Deadline)".to_string(),
        Error::Auth(_) => "Auth(other)".to_string(),
        Error::OutcomeUnknown(unknown) => match &unknown.cause {
            Cause::NoAnswer(_) => "Unknown(NoAnswer)".to_string(),
            Cause::TooLarge { .. } => "Unknown(TooLarge)".to_string(),
            Cause::Answer { why, .. } => match why {
                Undocumented::Status => "Unknown(Status)".to_string(),
                Undocumented::Redirect => "Unknown(Redirect)".to_string(),
                Undocumented::NotSuccess => "Unknown(NotSuccess)".to_string(),
                Undocumented::Unreadable(_) => "Unknown(Unreadable)".to_string(),
                _ => "Unknown(other)".to_string(),
            },
            _ => "Unknown(other cause)".to_string(),
        },
        Error::UnexpectedStatus { .. } => "UnexpectedStatus".to_string(),
        Error::InvalidResponse { .. } => "InvalidResponse".to_string(),
        Error::BodyTooLarge { .. } => "BodyTooLarge".to_string(),
        Error::Transport(_) => "Transport".to_string(),
        _ => "other".to_string(),
    }
}

/// Asserts that nothing printed about `error` (Display, Debug, pretty Debug, and the
/// same for every error in its source chain) contains `secret`.
pub fn assert_never_prints<E: std::error::Error>(error: &E, secret: &str) {
    let mut printed = vec![error.to_string(), format!("{error:?}"), format!("{error:#?}")];
    let mut source = error.source();
    while let Some(inner) = source {
        printed.push(inner.to_string());
        printed.push(format!("{inner:?}"));
        source = inner.source();
    }
    for text in printed {
        assert!(!text.contains(secret), "printed the secret {secret:?}: {text}");
    }
}

// ---------------------------------------------------------------------------------------
// Providers with static credentials.

/// Static credentials of every kind, each optional.
#[derive(Debug, Default)]
pub struct StaticCredentials {
    pub basic: Option<(String, Password)>,
    pub bearer: Option<AccessToken>,
    pub api_key: Option<ApiKey>,
}

impl Credentials for StaticCredentials {
    fn bearer_token(&self) -> Option<&AccessToken> {
        self.bearer.as_ref()
    }

    fn basic(&self) -> Option<(&str, &str)> {
        self.basic.as_ref().map(|(user, password)| (user.as_str(), password.expose()))
    }

    fn api_key(&self) -> Option<&ApiKey> {
        self.api_key.as_ref()
    }
}

/// A provider whose operations use Basic, a static Bearer token and an API-key header.
pub struct StaticProvider;

impl Provider for StaticProvider {
    const NAME: &'static str = "static";
    const SCHEMES: &'static [AuthScheme] = &[
        AuthScheme::Basic,
        AuthScheme::Bearer(Source::Static),
        AuthScheme::ApiKey {
            header: "x-api-key",
            source: Source::Static,
        },
    ];
    type Client = PlainClient<Self>;
    type Credentials = StaticCredentials;
    type Tokens = NoTokenEndpoint;
    type ApiError = TestError;

    fn client(base_url: &str, http: reqwest::Client, runtime: Runtime<Self>) -> PlainClient<Self> {
        FakeClient::new(base_url, http, runtime, ())
    }
}

/// A provider with one static Bearer scheme, authenticating with `C`.
pub struct BearerProvider<C>(PhantomData<fn() -> C>);

impl<C: Credentials> Provider for BearerProvider<C> {
    const NAME: &'static str = "bearer";
    const SCHEMES: &'static [AuthScheme] = &[AuthScheme::Bearer(Source::Static)];
    type Client = PlainClient<Self>;
    type Credentials = C;
    type Tokens = NoTokenEndpoint;
    type ApiError = TestError;

    fn client(base_url: &str, http: reqwest::Client, runtime: Runtime<Self>) -> PlainClient<Self> {
        FakeClient::new(base_url, http, runtime, ())
    }
}

/// A read of `StaticProvider` authenticated by `auth`.
pub const fn static_read(auth: AuthScheme) -> Operation<ErrorBody> {
    Operation {
        provider: "static",
        id: "read",
        auth,
        policy: OperationPolicy::RetrySafe,
        token_endpoint: false,
        success: &[200],
        refusals: REFUSALS,
        says_refused: None,
        error_says: |_| true,
        credential_rejected: REJECTED_401,
        reconcile: "",
    }
}

// ---------------------------------------------------------------------------------------
// The server.

/// A request as the server received it.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Recorded {
    /// The value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(header, _)| header.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// What the server does with a request.
#[derive(Clone, Debug)]
pub enum Reply {
    /// Writes these bytes, then closes.
    Send(Vec<u8>),
    /// Waits, then writes these bytes and closes.
    After(Duration, Vec<u8>),
    /// Never answers (holds the connection open).
    Hang,
    /// Closes without answering.
    Close,
}

/// A whole response: status line, `Connection: close`, `Content-Length`, `headers`, body.
pub fn response(status: u16, headers: &[(&str, &str)], body: impl AsRef<[u8]>) -> Vec<u8> {
    let body = body.as_ref();
    let mut head = format!("HTTP/1.1 {status} Scripted\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

/// A JSON answer.
pub fn json(status: u16, body: &str) -> Reply {
    Reply::Send(response(status, &[("Content-Type", "application/json")], body))
}

/// An HTML answer (what a gateway sends).
pub fn html(status: u16, body: &str) -> Reply {
    Reply::Send(response(status, &[("Content-Type", "text/html")], body))
}

/// The most connections one server accepts.
const MAX_CONNECTIONS: usize = 64;
/// The longest the server waits for a request's bytes.
const READ_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a hanging reply holds its connection (the test ends long before).
const HANG: Duration = Duration::from_secs(30);

type Script = dyn Fn(usize, &Recorded) -> Reply + Send + Sync;

/// A raw HTTP/1.1 server on 127.0.0.1 that answers each request as its script says.
pub struct Server {
    addr: SocketAddr,
    requests: Arc<Mutex<Vec<Recorded>>>,
    connections: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl Server {
    /// Answers request `n` (from 0) with `script(n, &request)`.
    pub async fn start(script: impl Fn(usize, &Recorded) -> Reply + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("a local address");
        let requests = Arc::new(Mutex::new(Vec::new()));
        let connections = Arc::new(AtomicUsize::new(0));
        let script: Arc<Script> = Arc::new(script);
        let task = tokio::spawn({
            let requests = Arc::clone(&requests);
            let connections = Arc::clone(&connections);
            async move {
                // Dropped with this task: every connection still open is closed.
                let mut open = JoinSet::new();
                for _ in 0..MAX_CONNECTIONS {
                    let Ok((stream, _)) = listener.accept().await else { break };
                    connections.fetch_add(1, Ordering::SeqCst);
                    open.spawn(serve(stream, Arc::clone(&script), Arc::clone(&requests)));
                }
                // Keep the open connections until the test drops the server.
                std::future::pending::<()>().await;
            }
        });
        Self {
            addr,
            requests,
            connections,
            task,
        }
    }

    /// Answers every request with `reply`.
    pub async fn replying(reply: Reply) -> Self {
        Self::start(move |_, _| reply.clone()).await
    }

    /// Answers the requests in turn with `replies`, the last one from then on.
    pub async fn sequence(replies: Vec<Reply>) -> Self {
        assert!(!replies.is_empty());
        Self::start(move |n, _| replies[n.min(replies.len() - 1)].clone()).await
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The requests received whole, in order.
    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }

    /// How many requests were received whole.
    pub fn request_count(&self) -> usize {
        self.requests.lock().unwrap().len()
    }

    /// How many connections were accepted.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(mut stream: TcpStream, script: Arc<Script>, requests: Arc<Mutex<Vec<Recorded>>>) {
    let Ok(Some(request)) = tokio::time::timeout(READ_TIMEOUT, read_request(&mut stream)).await else {
        return;
    };
    let n = {
        let mut requests = requests.lock().unwrap();
        requests.push(request.clone());
        requests.len() - 1
    };
    let bytes = match script(n, &request) {
        Reply::Send(bytes) => bytes,
        Reply::After(delay, bytes) => {
            tokio::time::sleep(delay).await;
            bytes
        }
        Reply::Hang => {
            tokio::time::sleep(HANG).await;
            return;
        }
        Reply::Close => return,
    };
    // The client may have given up already: nothing to do about a failed write.
    let _ = stream.write_all(&bytes).await;
    let _ = stream.flush().await;
    let _ = stream.shutdown().await;
}

/// Reads one request: head, then a body of its `Content-Length`.
async fn read_request(stream: &mut TcpStream) -> Option<Recorded> {
    const MAX_HEAD: usize = 64 * 1024;
    const MAX_BODY: usize = 1024 * 1024;
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = buffer.windows(4).position(|window| window == b"\r\n\r\n") {
            break at;
        }
        if buffer.len() > MAX_HEAD {
            return None;
        }
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..read]);
    };
    let head = std::str::from_utf8(&buffer[..head_end]).ok()?.to_string();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_string();
    let path = request_line.next()?.to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_string(), value.trim().to_string()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.parse().ok())
        .unwrap_or(0);
    if length > MAX_BODY {
        return None;
    }
    let mut body = buffer[head_end + 4..].to_vec();
    while body.len() < length {
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        body.extend_from_slice(&chunk[..read]);
    }
    body.truncate(length);
    Some(Recorded {
        method,
        path,
        headers,
        body,
    })
}

/// A port that refuses connections: bound (so no other test's server can get it) but
/// not listening. Dropping it frees the port.
pub struct DeadPort {
    pub url: String,
    _socket: tokio::net::TcpSocket,
}

/// A port that refuses connections for as long as the returned value lives.
pub fn dead_port() -> DeadPort {
    let socket = tokio::net::TcpSocket::new_v4().expect("a socket");
    socket.bind("127.0.0.1:0".parse().unwrap()).expect("bind 127.0.0.1");
    let addr = socket.local_addr().expect("a local address");
    DeadPort {
        url: format!("http://{addr}"),
        _socket: socket,
    }
}

// ---------------------------------------------------------------------------------------
// Tracing.

/// A span or event field as recorded: (span or event name, field, value).
pub type Field = (String, String, String);

/// A subscriber that records every span and event field, for checking what calls log.
#[derive(Clone, Default)]
pub struct Capture {
    fields: Arc<Mutex<Vec<Field>>>,
    names: Arc<Mutex<Vec<String>>>,
}

impl Capture {
    /// Every field recorded so far.
    pub fn fields(&self) -> Vec<Field> {
        self.fields.lock().unwrap().clone()
    }

    /// The values recorded for `field` of spans or events named `name`.
    pub fn values(&self, name: &str, field: &str) -> Vec<String> {
        self.fields()
            .into_iter()
            .filter(|(recorded, name_of_field, _)| recorded == name && name_of_field == field)
            .map(|(_, _, value)| value)
            .collect()
    }
}

struct Visitor<'a> {
    name: String,
    fields: &'a Mutex<Vec<Field>>,
}

impl tracing::field::Visit for Visitor<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn fmt::Debug) {
        self.fields
            .lock()
            .unwrap()
            .push((self.name.clone(), field.name().to_string(), format!("{value:?}")));
    }
}

impl tracing::Subscriber for Capture {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let name = span.metadata().name().to_string();
        let id = {
            let mut names = self.names.lock().unwrap();
            names.push(name.clone());
            names.len() as u64
        };
        span.record(&mut Visitor { name, fields: &self.fields });
        tracing::span::Id::from_u64(id)
    }

    fn record(&self, span: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        let name = self.names.lock().unwrap()[span.into_u64() as usize - 1].clone();
        values.record(&mut Visitor { name, fields: &self.fields });
    }

    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}

    fn event(&self, event: &tracing::Event<'_>) {
        let name = event.metadata().name().to_string();
        event.record(&mut Visitor { name, fields: &self.fields });
    }

    fn enter(&self, _: &tracing::span::Id) {}

    fn exit(&self, _: &tracing::span::Id) {}
}
