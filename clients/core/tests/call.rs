//! The call path against a real (loopback) server: every row of the outcome table in
//! `outcome.rs`, for a money-moving operation and for one that is not; redirects never
//! followed; the body cap; timeouts and refused connections; a rejected credential
//! renewed once. Every error is also checked never to print the card number the request
//! carried and the server echoed.

mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use payspec_core::call::send;
use payspec_core::error::{AuthError, Cause};
use payspec_core::transport::http_client_builder;
use payspec_core::{Error, Limits, Reference};
use support::*;

/// A row of the outcome table: what the server answers, what each kind of operation
/// returns.
struct Row {
    name: String,
    reply: Reply,
    /// The status and body the error must keep as evidence, when an answer arrived.
    answer: Option<(u16, Vec<u8>)>,
    money: &'static str,
    other: &'static str,
}

fn row(name: &str, status: u16, headers: &[(&str, &str)], body: &str, money: &'static str, other: &'static str) -> Row {
    Row {
        name: name.to_string(),
        reply: Reply::Send(response(status, headers, body)),
        answer: Some((status, body.as_bytes().to_vec())),
        money,
        other,
    }
}

const JSON: &[(&str, &str)] = &[("Content-Type", "application/json")];
const HTML: &[(&str, &str)] = &[("Content-Type", "text/html")];

fn success_body() -> String {
    r#"{"id":"p-1","status":"success"}"#.to_string()
}

/// A refusal under a success status (`x-payspec-refused`), echoing the card.
fn refused_body() -> String {
    format!(r#"{{"success":false,"code":"card_declined","message":"card {CARD} was declined"}}"#)
}

/// The documented error body, echoing the card.
fn error_body() -> String {
    format!(r#"{{"code":"invalid_card","message":"card {CARD} is not valid"}}"#)
}

/// What a gateway answers, echoing the card.
fn gateway_page(status: u16) -> String {
    format!("<html><body><h1>{status} Bad Gateway</h1><!-- upstream body: card={CARD} --></body></html>")
}

/// The outcome table of `outcome.rs`, row by row. 3xx answers point to `elsewhere`.
fn table(elsewhere: &str) -> Vec<Row> {
    let location = format!("{elsewhere}/payouts");
    let mut rows = vec![
        row("documented success", 200, JSON, &success_body(), "Ok", "Ok"),
        row("documented refusal under a success status", 200, JSON, &refused_body(), "Api(200)", "Api(200)"),
        row(
            "success status, body parses but does not say success",
            200,
            JSON,
            r#"{"id":"p-1","status":"pending"}"#,
            "Unknown(NotSuccess)",
            "Ok",
        ),
        row("success status, empty body", 200, JSON, "", "Unknown(Unreadable)", "InvalidResponse"),
        row("success status, HTML body", 200, HTML, &gateway_page(200), "Unknown(Unreadable)", "InvalidResponse"),
        row("success status, JSON of another shape", 200, JSON, &format!(r#"{{"card":"{CARD}"}}"#), "Unknown(Unreadable)", "InvalidResponse"),
        row("refusal status 400, documented error body", 400, JSON, &error_body(), "Api(400)", "Api(400)"),
        row("refusal status 422, documented error body", 422, JSON, &error_body(), "Api(422)", "Api(422)"),
        row("refusal status 404, HTML body", 404, HTML, &gateway_page(404), "Unknown(Unreadable)", "InvalidResponse"),
        row("refusal status 400, empty body", 400, JSON, "", "Unknown(Unreadable)", "InvalidResponse"),
        row("500 HTML", 500, HTML, &gateway_page(500), "Unknown(Status)", "UnexpectedStatus"),
        row("502 HTML", 502, HTML, &gateway_page(502), "Unknown(Status)", "UnexpectedStatus"),
        row("503 with an error-shaped body", 503, JSON, &error_body(), "Unknown(Status)", "UnexpectedStatus"),
        row("504 empty", 504, JSON, "", "Unknown(Status)", "UnexpectedStatus"),
        row("201 with a success body", 201, JSON, &success_body(), "Unknown(Status)", "UnexpectedStatus"),
        row("202 with a success body", 202, JSON, &success_body(), "Unknown(Status)", "UnexpectedStatus"),
        row("204", 204, &[], "", "Unknown(Status)", "UnexpectedStatus"),
        row("299, an undocumented 2xx", 299, JSON, &success_body(), "Unknown(Status)", "UnexpectedStatus"),
    ];
    for status in [408, 425, 499] {
        rows.push(row(
            &format!("{status} with an error-shaped body"),
            status,
            JSON,
            &error_body(),
            "Unknown(Status)",
            match status {
                408 => "Api(408)",
                425 => "Api(425)",
                _ => "Api(499)",
            },
        ));
    }
    for status in [300, 301, 302, 303, 307, 308] {
        rows.push(row(
            &format!("{status} to another server"),
            status,
            &[("Location", location.as_str()), ("Content-Type", "application/json")],
            &success_body(),
            "Unknown(Redirect)",
            "UnexpectedStatus",
        ));
    }
    rows.push(Row {
        name: "body cut short (Content-Length larger than sent)".to_string(),
        reply: Reply::Send(b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"id\":\"p-1\",".to_vec()),
        answer: None,
        money: "Unknown(NoAnswer)",
        other: "Transport",
    });
    rows.push(Row {
        name: "connection closed without an answer".to_string(),
        reply: Reply::Close,
        answer: None,
        money: "Unknown(NoAnswer)",
        other: "Transport",
    });
    rows.push(Row {
        name: "garbage instead of HTTP".to_string(),
        reply: Reply::Send(format!("card {CARD}\r\n\r\n").into_bytes()),
        answer: None,
        money: "Unknown(NoAnswer)",
        other: "Transport",
    });
    rows
}

/// Checks what every error of a money-moving call must carry.
fn check_error(name: &str, error: &Error<TestError>, answer: &Option<(u16, Vec<u8>)>) {
    assert_never_prints(error, CARD);
    if let Some(unknown) = error.outcome_unknown() {
        assert_eq!(unknown.operation, "create_payout", "{name}");
        assert_eq!(unknown.reference.get("order"), Some("o-1"), "{name}");
        assert_eq!(unknown.reconcile, RECONCILE, "{name}");
        assert!(!error.nothing_sent(), "{name}: it may have been processed");
        assert!(error.to_string().contains(RECONCILE), "{name}: says how to reconcile: {error}");
        assert!(error.to_string().contains("o-1"), "{name}: names the reference: {error}");
    }
    let kept = matches!(
        error,
        Error::Api { .. } | Error::OutcomeUnknown(_) | Error::UnexpectedStatus { .. } | Error::InvalidResponse { .. }
    );
    match answer {
        Some((status, body)) if kept => {
            assert_eq!(error.status().map(|status| status.as_u16()), Some(*status), "{name}");
            let evidence = error.evidence().unwrap_or_else(|| panic!("{name}: evidence kept"));
            assert_eq!(evidence.status().as_u16(), *status, "{name}");
            assert_eq!(evidence.body(), Some(&Bytes::from(body.clone())), "{name}: the body exactly as received");
            assert_eq!(evidence.len(), body.len(), "{name}");
        }
        _ => assert!(error.evidence().is_none(), "{name}: no answer, no evidence"),
    }
}

#[tokio::test]
async fn every_row_of_the_outcome_table() {
    let elsewhere = Server::replying(json(200, &success_body())).await;
    let mut failures = Vec::new();
    for row in table(&elsewhere.url()) {
        let server = Server::replying(row.reply.clone()).await;
        let client = client(&server.url());

        let result = create_payout(&client).await;
        let got = kind(&result);
        if got != row.money {
            failures.push(format!("{}: money-moving: expected {}, got {got} ({result:?})", row.name, row.money));
        }
        assert_eq!(server.request_count(), 1, "{}: a money-moving request is sent once", row.name);
        match &result {
            Ok(payout) => assert_eq!(payout, &Payout { id: "p-1".to_string(), status: "success".to_string() }),
            Err(error) => check_error(&row.name, error, &row.answer),
        }
        if row.money == "Unknown(NotSuccess)" {
            let unknown = result.as_ref().unwrap_err().outcome_unknown().unwrap();
            let parsed = unknown.response::<Payout>().expect("the parsed answer is kept");
            assert_eq!(parsed.status, "pending");
        }

        let result = send_message(&client).await;
        let got = kind(&result);
        if got != row.other {
            failures.push(format!("{}: other: expected {}, got {got} ({result:?})", row.name, row.other));
        }
        assert_eq!(server.request_count(), 2, "{}: a request that is not retry-safe is sent once", row.name);
        if let Err(error) = &result {
            assert_never_prints(error, CARD);
            assert!(error.outcome_unknown().is_none());
        }
        assert_eq!(client.control.fetches(), 1, "{}: one token for both calls", row.name);
    }
    assert_eq!(elsewhere.connections(), 0, "a redirect is never followed");
    assert!(failures.is_empty(), "rows that differ from the table:\n{}", failures.join("\n"));
}

#[tokio::test]
async fn the_request_is_sent_with_the_token_and_the_body() {
    let server = Server::replying(json(200, &success_body())).await;
    let client = client(&server.url());
    create_payout(&client).await.unwrap();
    let request = &server.requests()[0];
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, "/payouts");
    assert_eq!(request.header("authorization"), Some("Bearer token-1"));
    assert_eq!(request.body, payout_body().into_bytes());
}

#[tokio::test]
async fn the_reference_is_built_only_when_the_outcome_is_unknown() {
    let server = Server::sequence(vec![
        json(200, &success_body()),
        json(400, &error_body()),
        html(502, &gateway_page(502)),
    ])
    .await;
    let client = client(&server.url());
    let built = AtomicUsize::new(0);
    for expected in ["Ok", "Api(400)", "Unknown(Status)"] {
        let request = post(&client, "/payouts", &payout_body());
        let result = send::<TestProvider, Payout, ErrorBody>(
            &client,
            request,
            &CREATE_PAYOUT,
            |payout: &Payout| payout.status == "success",
            || {
                built.fetch_add(1, Ordering::SeqCst);
                Reference::new().with("order", "o-1")
            },
        )
        .await;
        assert_eq!(kind(&result), expected);
    }
    assert_eq!(built.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn what_says_success_may_depend_on_the_request() {
    // The same answer is a success for one request and not for another.
    let server = Server::replying(json(200, r#"{"id":"p-1","status":"queued"}"#)).await;
    let client = client(&server.url());
    for (accepted, expected) in [("queued", "Ok"), ("success", "Unknown(NotSuccess)")] {
        let request = post(&client, "/payouts", &payout_body());
        let result = send::<TestProvider, Payout, ErrorBody>(
            &client,
            request,
            &CREATE_PAYOUT,
            |payout: &Payout| payout.status == accepted,
            reference,
        )
        .await;
        assert_eq!(kind(&result), expected);
    }
}

#[tokio::test]
async fn a_client_that_follows_redirects_is_caught_after_the_fact() {
    let elsewhere = Server::replying(json(200, &success_body())).await;
    let location = format!("{}/payouts", elsewhere.url());
    let server = Server::replying(Reply::Send(response(307, &[("Location", location.as_str())], ""))).await;
    let following = reqwest::Client::builder().build().unwrap();
    let client = client_with(&server.url(), |builder| builder.http_client(following));
    let result = create_payout(&client).await;
    assert_eq!(kind(&result), "Unknown(Redirect)", "{result:?}");
    assert_eq!(server.request_count(), 1);
    check_error("followed redirect", result.as_ref().unwrap_err(), &Some((200, success_body().into_bytes())));
}

#[tokio::test]
async fn redirects_are_not_followed_by_a_client_built_from_http_client_builder() {
    let elsewhere = Server::replying(json(200, &success_body())).await;
    let location = format!("{}/payouts", elsewhere.url());
    let server = Server::replying(Reply::Send(response(308, &[("Location", location.as_str())], ""))).await;
    let http = http_client_builder(&Limits::default()).build().unwrap();
    let client = client_with(&server.url(), |builder| builder.http_client(http));
    assert_eq!(kind(&create_payout(&client).await), "Unknown(Redirect)");
    assert_eq!(kind(&get_balance(&client).await), "UnexpectedStatus");
    assert_eq!(server.request_count(), 2);
    assert_eq!(elsewhere.connections(), 0);
}

/// A JSON payout body of exactly `length` bytes.
fn padded_success(length: usize) -> String {
    let bare = r#"{"id":"p-1","status":"success","pad":""}"#;
    assert!(length >= bare.len());
    format!(r#"{{"id":"p-1","status":"success","pad":"{}"}}"#, "x".repeat(length - bare.len()))
}

/// The same body without `Content-Length`, ended by closing the connection.
fn close_delimited(body: &str) -> Reply {
    let mut bytes = b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Type: application/json\r\n\r\n".to_vec();
    bytes.extend_from_slice(body.as_bytes());
    Reply::Send(bytes)
}

/// The same body chunked, in chunks of 100 bytes.
fn chunked(body: &str) -> Reply {
    let mut bytes = b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
    for chunk in body.as_bytes().chunks(100) {
        bytes.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        bytes.extend_from_slice(chunk);
        bytes.extend_from_slice(b"\r\n");
    }
    bytes.extend_from_slice(b"0\r\n\r\n");
    Reply::Send(bytes)
}

/// How a body is framed on the wire.
type Framing = fn(&str) -> Reply;

#[tokio::test]
async fn a_body_over_the_cap_is_outcome_unknown_or_body_too_large() {
    const CAP: usize = 1024;
    let limits = test_limits().max_body_bytes(CAP);
    let framings: [(&str, Framing); 3] = [
        ("with Content-Length", |body| json(200, body)),
        ("ended by close", close_delimited),
        ("chunked", chunked),
    ];
    for (framing, frame) in framings {
        // Exactly at the cap: read.
        let server = Server::replying(frame(&padded_success(CAP))).await;
        let client = client_with(&server.url(), |builder| builder.limits(limits));
        assert_eq!(kind(&create_payout(&client).await), "Ok", "{framing}: a body of exactly the cap");

        // One byte over.
        let server = Server::replying(frame(&padded_success(CAP + 1))).await;
        let client = client_with(&server.url(), |builder| builder.limits(limits));
        let result = create_payout(&client).await;
        assert_eq!(kind(&result), "Unknown(TooLarge)", "{framing}: {result:?}");
        let error = result.unwrap_err();
        assert!(matches!(
            &error.outcome_unknown().unwrap().cause,
            Cause::TooLarge { status, limit: CAP } if status.as_u16() == 200
        ));
        check_error(framing, &error, &None);
        let result = get_balance(&client).await;
        assert!(
            matches!(&result, Err(Error::BodyTooLarge { status, limit: CAP }) if status.as_u16() == 200),
            "{framing}: {result:?}"
        );
        assert_eq!(server.request_count(), 2, "{framing}: neither is repeated");
    }
}

#[tokio::test]
async fn an_answer_later_than_the_request_timeout() {
    let limits = test_limits()
        .request_timeout(Duration::from_millis(80))
        .retry(quick_retries(3));
    let server = Server::replying(Reply::Hang).await;
    let client = client_with(&server.url(), |builder| builder.limits(limits));

    let started = Instant::now();
    let result = create_payout(&client).await;
    assert_eq!(kind(&result), "Unknown(NoAnswer)", "{result:?}");
    assert!(started.elapsed() < Duration::from_millis(1000));
    assert_eq!(server.request_count(), 1, "a money-moving request is never repeated once sent");
    let error = result.unwrap_err();
    check_error("timeout", &error, &None);
    assert!(matches!(&error.outcome_unknown().unwrap().cause, Cause::NoAnswer(cause) if cause.is_timeout()));

    let result = get_balance(&client).await;
    match &result {
        Err(Error::Transport(cause)) => assert!(cause.is_timeout(), "{cause:?}"),
        other => panic!("expected Transport, got {other:?}"),
    }
    assert_eq!(server.request_count(), 4, "a retry-safe read is tried 3 times");
    assert!(!result.unwrap_err().nothing_sent());
}

#[tokio::test]
async fn an_answer_just_within_the_request_timeout_is_read() {
    let server = Server::replying(Reply::After(Duration::from_millis(30), response(200, JSON, success_body()))).await;
    let client = client_with(&server.url(), |builder| {
        builder.limits(test_limits().request_timeout(Duration::from_millis(1000)))
    });
    assert_eq!(kind(&create_payout(&client).await), "Ok");
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error_and_nothing_was_sent() {
    let dead = dead_port();
    let client = client(&dead.url);
    let result = create_payout(&client).await;
    match &result {
        Err(error @ Error::Transport(cause)) => {
            assert!(cause.is_connect(), "{cause:?}");
            assert!(error.nothing_sent());
            assert!(error.to_string().contains("nothing was sent"), "{error}");
            assert_never_prints(error, CARD);
        }
        other => panic!("expected Transport, got {other:?}"),
    }
    let result = get_balance(&client).await;
    assert!(matches!(&result, Err(Error::Transport(cause)) if cause.is_connect()), "{result:?}");
    assert!(result.unwrap_err().nothing_sent());
}

#[tokio::test]
async fn a_rejected_token_is_renewed_once_and_the_request_sent_again() {
    let server = Server::sequence(vec![json(401, &error_body()), json(200, &success_body())]).await;
    let client = client(&server.url());
    let result = create_payout(&client).await;
    assert_eq!(kind(&result), "Ok", "{result:?}");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].header("authorization"), Some("Bearer token-1"));
    assert_eq!(requests[1].header("authorization"), Some("Bearer token-2"));
    assert_eq!(requests[1].body, payout_body().into_bytes());
    assert_eq!(client.control.fetches(), 2);
    assert_eq!(client.control.previous(), vec![None, Some("token-1".to_string())]);
}

#[tokio::test]
async fn a_token_rejected_twice_is_an_auth_error() {
    let body = error_body();
    let server = Server::replying(json(401, &body)).await;
    let client = client(&server.url());
    let result = create_payout(&client).await;
    match &result {
        Err(error @ Error::Auth(AuthError::Rejected(evidence))) => {
            assert_eq!(evidence.status().as_u16(), 401);
            assert_eq!(evidence.body(), Some(&Bytes::from(body.clone())));
            assert_eq!(error.status().map(|status| status.as_u16()), Some(401));
            assert_never_prints(error, CARD);
        }
        other => panic!("expected Auth(Rejected), got {other:?}"),
    }
    assert_eq!(server.request_count(), 2);
    assert_eq!(client.control.fetches(), 2);

    // The same for a read: sent with the cached token, renewed once, sent again.
    let result = get_balance(&client).await;
    assert_eq!(kind(&result), "Auth(Rejected)");
    assert_eq!(server.request_count(), 4);
    let requests = server.requests();
    assert_ne!(requests[2].header("authorization"), requests[3].header("authorization"));
}

#[tokio::test]
async fn a_rejection_declared_by_the_body_renews_the_token() {
    let rejected = r#"{"code":"invalid_token","message":"expired"}"#;
    let server = Server::sequence(vec![json(403, rejected), json(200, &success_body())]).await;
    let client = client(&server.url());
    let result = create_payout_with(&client, &CREATE_PAYOUT_BODY_REJECTION).await;
    assert_eq!(kind(&result), "Ok", "{result:?}");
    assert_eq!(server.request_count(), 2);
    assert_eq!(client.control.fetches(), 2);

    let server = Server::replying(json(200, &format!(r#"{{"success":false,"code":"invalid_token","message":"{CARD}"}}"#))).await;
    let client = crate::client(&server.url());
    let result = create_payout_with(&client, &CREATE_PAYOUT_BODY_REJECTION).await;
    assert_eq!(kind(&result), "Auth(Rejected)", "{result:?}");
    assert_never_prints(result.as_ref().unwrap_err(), CARD);
    assert_eq!(server.request_count(), 2);
}

#[tokio::test]
async fn a_token_endpoint_failure_fails_the_call_before_anything_is_sent() {
    let server = Server::replying(json(200, &success_body())).await;
    let client = client(&server.url());
    client.control.set_plan(Plan::Fail { delay: Duration::ZERO });
    let result = create_payout(&client).await;
    assert_eq!(kind(&result), "Auth(TokenEndpoint)");
    let error = result.unwrap_err();
    assert!(error.nothing_sent());
    assert_never_prints(&error, CARD);
    assert_eq!(server.request_count(), 0);
}

#[tokio::test]
async fn a_retry_safe_read_is_repeated_after_a_5xx_or_429() {
    let server = Server::sequence(vec![
        html(503, &gateway_page(503)),
        Reply::Send(response(429, &[("Retry-After", "0")], "")),
        json(200, r#"{"amount":"10.50","currency":"EUR"}"#),
    ])
    .await;
    let client = client(&server.url());
    let balance = get_balance(&client).await.unwrap();
    assert_eq!(balance.amount.unwrap().to_string(), "10.50");
    assert_eq!(server.request_count(), 3);

    // Attempts are bounded.
    let server = Server::replying(html(502, &gateway_page(502))).await;
    let client = crate::client(&server.url());
    let result = get_balance(&client).await;
    assert_eq!(kind(&result), "UnexpectedStatus");
    assert_eq!(server.request_count(), 3);
    assert_eq!(result.unwrap_err().status().map(|status| status.as_u16()), Some(502));
}

#[tokio::test]
async fn a_retry_after_beyond_the_cap_ends_the_retries() {
    let server = Server::replying(Reply::Send(response(503, &[("Retry-After", "3600")], ""))).await;
    let client = client(&server.url());
    let started = Instant::now();
    assert_eq!(kind(&get_balance(&client).await), "UnexpectedStatus");
    assert_eq!(server.request_count(), 1);
    assert!(started.elapsed() < Duration::from_secs(1));
}

#[tokio::test]
async fn a_read_answered_with_the_documented_refusal_under_200_is_api() {
    // `Balance` has only optional fields, so the refusal parses as one.
    let server = Server::replying(json(200, &refused_body())).await;
    let client = client(&server.url());
    let result = get_balance(&client).await;
    assert_eq!(kind(&result), "Api(200)", "{result:?}");
}

#[tokio::test]
async fn the_token_endpoint_through_the_call_path() {
    let server = Server::start(|_, request| {
        if request.path == "/token" {
            json(200, r#"{"access_token":"tok-from-endpoint","expires_in":3600}"#)
        } else {
            json(200, &success_body())
        }
    })
    .await;
    let client = client(&server.url());
    client.control.set_plan(Plan::Endpoint);
    assert_eq!(kind(&create_payout(&client).await), "Ok");
    assert_eq!(kind(&create_payout(&client).await), "Ok");
    let requests = server.requests();
    let paths: Vec<&str> = requests.iter().map(|request| request.path.as_str()).collect();
    assert_eq!(paths, ["/token", "/payouts", "/payouts"]);
    assert_eq!(requests[0].header("authorization"), None, "the token endpoint's scheme is none");
    assert_eq!(requests[1].header("authorization"), Some("Bearer tok-from-endpoint"));
    assert_eq!(requests[2].header("authorization"), Some("Bearer tok-from-endpoint"));
}

#[tokio::test]
async fn a_token_endpoint_answer_is_never_kept_or_printed() {
    const SECRET: &str = "tok-SECRET-a1b2c3";
    // Parses as JSON but not as the documented shape: serde would quote the value.
    let server = Server::replying(json(200, &format!(r#"{{"access_token":"{SECRET}","expires_in":"{SECRET}"}}"#))).await;
    let client = client(&server.url());
    client.control.set_plan(Plan::Endpoint);
    let result = create_payout(&client).await;
    let error = result.unwrap_err();
    assert_never_prints(&error, SECRET);
    assert_never_prints(&error, CLIENT_SECRET);
    match &error {
        Error::Auth(AuthError::TokenEndpoint(cause)) => {
            assert!(matches!(**cause, Error::InvalidResponse { .. }), "{cause:?}");
            let evidence = cause.evidence().expect("the status and length are kept");
            assert_eq!(evidence.body(), None, "a token endpoint's body is withheld");
            assert!(!evidence.is_empty());
        }
        other => panic!("expected Auth(TokenEndpoint), got {other:?}"),
    }

    // A refusal of the token endpoint: the typed error, the body withheld.
    let server = Server::replying(json(400, &format!(r#"{{"code":"invalid_client","message":"secret {CLIENT_SECRET}"}}"#))).await;
    let client = crate::client(&server.url());
    client.control.set_plan(Plan::Endpoint);
    let error = create_payout(&client).await.unwrap_err();
    match &error {
        Error::Auth(AuthError::TokenEndpoint(cause)) => {
            assert_eq!(cause.api_error().map(|error| error.code.as_str()), Some("invalid_client"));
            assert_eq!(cause.evidence().and_then(|evidence| evidence.body()), None);
        }
        other => panic!("expected Auth(TokenEndpoint), got {other:?}"),
    }
    assert_eq!(server.request_count(), 1, "the payout was never sent");
}

#[tokio::test]
async fn static_schemes_send_their_credential() {
    use payspec_core::auth::{AuthScheme, Source};
    use payspec_core::operation::Operation;
    use payspec_core::secret::{AccessToken, ApiKey, Password};
    use payspec_core::ClientBuilder;

    static BASIC: Operation<ErrorBody> = static_read(AuthScheme::Basic);
    static BEARER: Operation<ErrorBody> = static_read(AuthScheme::Bearer(Source::Static));
    static API_KEY: Operation<ErrorBody> = static_read(AuthScheme::ApiKey {
        header: "x-api-key",
        source: Source::Static,
    });
    static NONE: Operation<ErrorBody> = static_read(AuthScheme::None);

    let server = Server::replying(json(200, &success_body())).await;
    let credentials = StaticCredentials {
        basic: Some(("merchant".to_string(), Password::new("p@ss:word"))),
        bearer: Some(AccessToken::new("static-token")),
        api_key: Some(ApiKey::new("key-123")),
    };
    let client = ClientBuilder::<StaticProvider>::new(&Env(server.url()), credentials).build().unwrap();
    for operation in [&BASIC, &BEARER, &API_KEY, &NONE] {
        let request = client.http.get(format!("{}/read", client.base)).build().unwrap();
        let result = send::<StaticProvider, Payout, ErrorBody>(&client, request, operation, |_: &Payout| true, Reference::new).await;
        assert_eq!(kind(&result), "Ok");
    }
    let requests = server.requests();
    // base64("merchant:p@ss:word")
    assert_eq!(requests[0].header("authorization"), Some("Basic bWVyY2hhbnQ6cEBzczp3b3Jk"));
    assert_eq!(requests[1].header("authorization"), Some("Bearer static-token"));
    assert_eq!(requests[2].header("x-api-key"), Some("key-123"));
    assert_eq!(requests[2].header("authorization"), None);
    assert_eq!(requests[3].header("authorization"), None);
    assert_eq!(requests[3].header("x-api-key"), None);

    // A static credential that is rejected is not renewed: one request.
    let server = Server::replying(json(401, &error_body())).await;
    let client = ClientBuilder::<StaticProvider>::new(
        &Env(server.url()),
        StaticCredentials {
            basic: Some(("merchant".to_string(), Password::new("wrong"))),
            bearer: Some(AccessToken::new("static-token")),
            api_key: Some(ApiKey::new("key-123")),
        },
    )
    .build()
    .unwrap();
    let request = client.http.get(format!("{}/read", client.base)).build().unwrap();
    let result = send::<StaticProvider, Payout, ErrorBody>(&client, request, &BASIC, |_: &Payout| true, Reference::new).await;
    assert_eq!(kind(&result), "Auth(Rejected)");
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn huge_limits_do_not_panic() {
    let server = Server::replying(json(200, &success_body())).await;
    let limits = Limits::default()
        .request_timeout(Duration::MAX)
        .connect_timeout(Duration::MAX)
        .max_body_bytes(usize::MAX);
    let client = client_with(&server.url(), |builder| builder.limits(limits));
    assert_eq!(kind(&create_payout(&client).await), "Ok");
}
