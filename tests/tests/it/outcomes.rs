//! The README's outcome table, proven against hostile servers for every money-moving
//! operation of every provider.
//!
//! [`expected`] states the table from the scenario and the spec (schemas validated
//! with jsonschema, not with the client's types), so it is an oracle, not a copy of the
//! classifier. Each scenario is one request to a loopback server that answers as drawn:
//! a status (with 3xx redirects to the same origin, another origin or a refusing port),
//! a body (documented success, documented error, other JSON, HTML, empty, oversized), a
//! content type, and a delivery (close, keep-alive, cut short, dropped, stalled). For
//! each: the class is the table's, at most one request reached any server (two after a
//! rejected token that is renewed), and no secret appears in what the caller can print
//! or in the traces.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{json, Value};

use crate::fixtures::{limits, money_calls, Class, MoneyCall, CARD, CARD_SPACED, MSISDN, SENTINEL};
use payspec_tests::hostile::{refusing_port, HostileServer, Reply};
use payspec_tests::traces::Traces;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Body {
    Success,
    Error,
    OtherJson,
    /// What a gateway in front of the provider answers, in JSON.
    GatewayJson,
    Html,
    Empty,
    Oversized,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delivery {
    Close,
    KeepAlive,
    CutShort,
    Dropped,
    Stalled,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Redirect {
    SameOrigin,
    OtherOrigin,
    RefusingPort,
}

#[derive(Clone, Copy, Debug)]
pub struct Scenario {
    pub status: u16,
    pub body: Body,
    pub content_type: &'static str,
    pub delivery: Delivery,
    pub redirect: Redirect,
}

const STATUSES: &[u16] = &[
    200, 200, 200, 201, 202, 204, 300, 301, 302, 303, 307, 308, 400, 401, 403, 404, 408, 409, 422, 425, 429, 499,
    500, 502, 503, 504,
];

/// The request timeout of these tests, and how long a stalled answer waits: generous in
/// a debug build, where 50 scenarios in flight beside the binary's other tests share two
/// cores (an answered scenario took 41 ms at most there); tight in release, where the full
/// 10,000 per provider run.
const TIMEOUT: Duration = if cfg!(debug_assertions) { Duration::from_millis(1000) } else { Duration::from_millis(250) };
const STALL: Duration = if cfg!(debug_assertions) { Duration::from_millis(2000) } else { Duration::from_millis(600) };
/// The request timeout when the answer stalls: the call ends at its timeout whatever it
/// is, so a short one keeps each batch from waiting out the generous one. The token is
/// fetched under it too (MediaCube's token request is never repeated), which is why it
/// is not shorter.
const STALLED_TIMEOUT: Duration = if cfg!(debug_assertions) { Duration::from_millis(200) } else { Duration::from_millis(100) };

fn scenario() -> impl Strategy<Value = Scenario> {
    (
        prop::sample::select(STATUSES),
        prop::sample::select(&[Body::Success, Body::Success, Body::Error, Body::Error, Body::OtherJson, Body::GatewayJson, Body::Html, Body::Empty, Body::Oversized][..]),
        prop::sample::select(&["application/json", "text/html", "text/plain"][..]),
        prop::sample::select(&[
            Delivery::Close,
            Delivery::Close,
            Delivery::Close,
            Delivery::Close,
            Delivery::KeepAlive,
            Delivery::KeepAlive,
            Delivery::CutShort,
            Delivery::Dropped,
            Delivery::Stalled,
        ][..]),
        prop::sample::select(&[Redirect::SameOrigin, Redirect::OtherOrigin, Redirect::RefusingPort][..]),
    )
        .prop_map(|(status, body, content_type, delivery, redirect)| Scenario { status, body, content_type, delivery, redirect })
}

fn valid(schema: &jsonschema::Validator, body: &Value) -> bool {
    schema.is_valid(body)
}

/// The README's table for `call` and `scenario`: the class, and how many requests
/// reach the money-moving path.
pub fn expected(call: &MoneyCall, scenario: &Scenario) -> (Class, usize) {
    use Class::*;
    match scenario.delivery {
        Delivery::CutShort | Delivery::Dropped | Delivery::Stalled => return (OutcomeUnknown, 1),
        Delivery::Close | Delivery::KeepAlive => {}
    }
    if scenario.body == Body::Oversized {
        return (OutcomeUnknown, 1);
    }
    let body = match scenario.body {
        Body::Success => Some(call.success.clone()),
        Body::Error => Some(call.error.clone()),
        Body::OtherJson => Some(json!({"unexpected": true})),
        Body::GatewayJson => Some(gateway_json()),
        _ => None,
    };
    let status = scenario.status;
    let error_body = body.as_ref().is_some_and(|body| valid(&call.error_schema, body) && (call.error_says)(body));
    let says_success = body.as_ref().is_some_and(|body| valid(&call.success_schema, body) && (call.says_success)(body));
    // A rejection status whose body says success contradicts itself: not a rejection.
    let rejected = (call.rejections.contains(&status) && !says_success) || (error_body && body.as_ref().is_some_and(call.rejected_body));
    if rejected {
        return (Auth, if call.renews { 2 } else { 1 });
    }
    if [408, 425, 499].contains(&status) {
        return (OutcomeUnknown, 1);
    }
    if status == 200 {
        let Some(body) = body else { return (OutcomeUnknown, 1) };
        if valid(&call.success_schema, &body) && (call.says_success)(&body) {
            return (Ok, 1);
        }
        if error_body && (call.refused_under_success)(&body) {
            return (Api, 1);
        }
        return (OutcomeUnknown, 1);
    }
    if call.refusals.iter().any(|(from, to)| (*from..=*to).contains(&status)) {
        return (if error_body { Api } else { OutcomeUnknown }, 1);
    }
    (OutcomeUnknown, 1)
}

/// What a slot's servers answer for the case in progress.
struct Case {
    token: Option<(&'static str, Value)>,
    money_path: &'static str,
    body: Vec<u8>,
    scenario: Scenario,
}

/// A provider server and a redirect target that live for a whole test and are
/// reconfigured case by case: servers started per case would bind tens of thousands of
/// ports, and their connections in TIME_WAIT would exhaust the ephemeral range.
struct Slot {
    server: HostileServer,
    other: HostileServer,
    case: Arc<Mutex<Option<Case>>>,
}

impl Slot {
    async fn new(refusing: u16) -> Self {
        let other = HostileServer::start(|_| Reply::json(200, "{}")).await;
        let case: Arc<Mutex<Option<Case>>> = Arc::new(Mutex::new(None));
        let (script_case, other_uri) = (Arc::clone(&case), other.uri());
        let server = HostileServer::start(move |request| {
            let case = script_case.lock().expect("lock");
            let Some(case) = case.as_ref() else { return Reply::json(404, "{}") };
            answer(case, request, &other_uri, refusing)
        })
        .await;
        Self { server, other, case }
    }
}

/// The answer `case` gives to `request`.
fn answer(case: &Case, request: &payspec_tests::hostile::Received, other_uri: &str, refusing: u16) -> Reply {
    if let Some((path, body)) = &case.token {
        if request.path == *path {
            return Reply::Answer {
                status: 200,
                headers: vec!["content-type: application/json".into()],
                body: body.to_string().into_bytes(),
                keep_alive: true,
            };
        }
    }
    let (money_path, scenario) = (case.money_path, case.scenario);
    if request.path != money_path {
        return Reply::json(404, "{}");
    }
    let location = match scenario.redirect {
        Redirect::SameOrigin => format!("location: {money_path}"),
        Redirect::OtherOrigin => format!("location: {other_uri}{money_path}"),
        Redirect::RefusingPort => format!("location: http://127.0.0.1:{refusing}{money_path}"),
    };
    let answer = Reply::Answer {
        status: scenario.status,
        headers: vec![format!("content-type: {}", scenario.content_type), location],
        body: case.body.clone(),
        keep_alive: scenario.delivery == Delivery::KeepAlive,
    };
    match scenario.delivery {
        Delivery::Close | Delivery::KeepAlive => answer,
        Delivery::CutShort => Reply::CutShort { status: scenario.status, body: case.body.clone() },
        Delivery::Dropped => Reply::Drop,
        Delivery::Stalled => Reply::Stall(STALL, Box::new(answer)),
    }
}

/// Runs `scenario` for `call` on `slot`: whether what the caller got is the table's.
async fn run(slot: &Slot, call: &MoneyCall, scenario: Scenario) -> Result<(), String> {
    let body = match scenario.body {
        Body::Success => call.success.to_string().into_bytes(),
        Body::Error => call.error.to_string().into_bytes(),
        Body::OtherJson => br#"{"unexpected":true}"#.to_vec(),
        Body::GatewayJson => gateway_json().to_string().into_bytes(),
        Body::Html => b"<html><body>502 Bad Gateway</body></html>".to_vec(),
        Body::Empty => Vec::new(),
        Body::Oversized => vec![b' '; 70 * 1024],
    };
    *slot.case.lock().expect("lock") = Some(Case { token: call.token.clone(), money_path: call.path, body, scenario });
    slot.server.take();
    slot.other.take();
    // Computed before sending: nothing slow runs while other scenarios are in flight.
    let (class, sends) = expected(call, &scenario);
    let timeout = if scenario.delivery == Delivery::Stalled { STALLED_TIMEOUT } else { TIMEOUT };
    let sent = call.send(&slot.server.uri(), limits().request_timeout(timeout)).await;
    let money_path = call.path;
    let count = |requests: Vec<payspec_tests::hostile::Received>| requests.iter().filter(|r| r.path == money_path).count();
    let reached = count(slot.server.take()) + count(slot.other.take());
    let mut problems = Vec::new();
    if sent.class != class {
        problems.push(format!("class {:?}, the table says {class:?} ({})", sent.class, sent.printed.lines().next().unwrap_or_default()));
    }
    // At most once, always; exactly, when an answer proves the request arrived (under
    // load a request can time out before the server reads it).
    let answered = matches!(sent.class, Class::Ok | Class::Api | Class::Auth);
    if reached > sends || (answered && reached != sends) {
        problems.push(format!("{reached} requests reached a server, expected {sends}"));
    }
    if class == Class::OutcomeUnknown && sent.reference.as_deref().is_none_or(str::is_empty) {
        problems.push("an outcome-unknown error without a reference".into());
    }
    for secret in [CARD, CARD_SPACED, SENTINEL, MSISDN] {
        if sent.printed.contains(secret) {
            problems.push(format!("{secret} printed: {}", sent.printed));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("{} {scenario:?}: {}", call.name(), problems.join("; ")))
    }
}

/// A Spring gateway's timeout, in JSON: it fits loose error schemas, but is no refusal.
fn gateway_json() -> Value {
    json!({"timestamp": "2026-11-22T02:00:00.000+00:00", "status": 504, "error": "Gateway Timeout", "message": "", "path": "/"})
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime")
}

fn block_on<F: Future>(future: F) -> F::Output {
    runtime().block_on(future)
}

/// How many scenarios run per provider: a quick count by default, the full count
/// (10,000 per provider) when `PAYSPEC_OUTCOME_CASES` says so (CI's release step).
fn scenarios_per_provider() -> usize {
    std::env::var("PAYSPEC_OUTCOME_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(120)
}

#[test]
fn every_row_of_the_table_for_every_money_moving_operation() {
    let rows = [
        (200, Body::Success, Delivery::Close),
        (200, Body::Error, Delivery::Close),
        (200, Body::OtherJson, Delivery::Close),
        (200, Body::Empty, Delivery::Close),
        (200, Body::Html, Delivery::Close),
        (400, Body::Error, Delivery::Close),
        (422, Body::Html, Delivery::Close),
        (504, Body::GatewayJson, Delivery::Close),
        (400, Body::GatewayJson, Delivery::Close),
        (401, Body::Success, Delivery::Close),
        (408, Body::Error, Delivery::Close),
        (425, Body::Error, Delivery::Close),
        (499, Body::Error, Delivery::Close),
        (401, Body::Error, Delivery::Close),
        (403, Body::Error, Delivery::Close),
        (201, Body::Success, Delivery::Close),
        (202, Body::Empty, Delivery::Close),
        (204, Body::Empty, Delivery::Close),
        (307, Body::Empty, Delivery::Close),
        (308, Body::Success, Delivery::Close),
        (302, Body::Success, Delivery::Close),
        (500, Body::Error, Delivery::Close),
        (502, Body::Html, Delivery::Close),
        (504, Body::Empty, Delivery::Close),
        (200, Body::Oversized, Delivery::Close),
        (200, Body::Success, Delivery::CutShort),
        (200, Body::Success, Delivery::Dropped),
        (200, Body::Success, Delivery::Stalled),
    ];
    let failures: Vec<String> = block_on(async {
        let slot = Slot::new(refusing_port().await).await;
        let mut failures = Vec::new();
        for call in money_calls() {
            for (status, body, delivery) in rows {
                for redirect in [Redirect::SameOrigin, Redirect::OtherOrigin, Redirect::RefusingPort] {
                    if redirect != Redirect::SameOrigin && !(300..400).contains(&status) {
                        continue;
                    }
                    let scenario = Scenario { status, body, content_type: "application/json", delivery, redirect };
                    if let Err(failure) = run(&slot, &call, scenario).await {
                        failures.push(failure);
                    }
                }
            }
        }
        failures
    });
    assert!(failures.is_empty(), "{} rows differ from the table:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn hostile_servers_never_get_a_payout_twice_nor_a_secret_printed() {
    let calls = money_calls();
    // payspec's own span and events; every library's TRACE output for 40,000 scenarios
    // would starve the calls in flight.
    let (traces, _guard) = Traces::capture_at(tracing::Level::INFO);
    let batch = 50;
    // One runtime and one set of servers for the whole test, one slot per scenario of a
    // batch: the servers outlive every case.
    let runtime = runtime();
    let slots: Vec<Slot> = runtime.block_on(async {
        let refusing = refusing_port().await;
        let mut slots = Vec::with_capacity(batch);
        for _ in 0..batch {
            slots.push(Slot::new(refusing).await);
        }
        slots
    });
    let mut total = 0;
    for provider in ["magicpayments", "mediacube", "paymob", "billon"] {
        let provider_calls: Vec<&MoneyCall> = calls.iter().filter(|call| call.provider == provider).collect();
        let cases = scenarios_per_provider().div_ceil(batch) as u32;
        let mut runner = TestRunner::new(Config { cases, failure_persistence: None, ..Config::default() });
        let strategy = (prop::collection::vec((0..provider_calls.len(), scenario()), batch..=batch),);
        let result = runner.run(&strategy, |(scenarios,)| {
            let failures: Vec<String> = runtime.block_on(async {
                let runs = scenarios.iter().zip(&slots).map(|((index, scenario), slot)| run(slot, provider_calls[*index], *scenario));
                futures_util::future::join_all(runs).await.into_iter().filter_map(Result::err).collect()
            });
            prop_assert!(failures.is_empty(), "{}", failures.join("\n"));
            Ok(())
        });
        if let Err(failure) = result {
            panic!("{provider}: {failure}");
        }
        total += cases as usize * batch;
        eprintln!("{provider}: {} hostile scenarios", cases as usize * batch);
    }
    let traced = traces.text();
    for secret in [CARD, CARD_SPACED, SENTINEL, MSISDN] {
        assert!(!traced.contains(secret), "{secret} in the traces");
    }
    assert!(total >= 4 * scenarios_per_provider());
}

/// The connection pool a caller's default client keeps: a money request may go out on a
/// kept-alive connection that the server then closes without answering (its idle timeout
/// firing as the request arrives). The request was read: the payout must reach the
/// server at most once, an `Ok` means it did, and a lost answer is outcome-unknown. The
/// server answers every request on a fresh connection, and drops every payout request
/// on a connection that has answered one already.
#[test]
fn a_pooled_connection_closed_under_a_payout_never_carries_it_twice() {
    let failures: Vec<String> = block_on(async {
        let http = payspec_tests::http();
        let mut failures = Vec::new();
        let mut dropped = 0;
        for call in money_calls() {
            let paid_on = Arc::new(Mutex::new(std::collections::HashSet::new()));
            let (token, money_path, success) = (call.token.clone(), call.path, call.success.to_string());
            let server = HostileServer::start(move |request| {
                let body = match &token {
                    Some((path, body)) if request.path == *path => body.to_string(),
                    _ if request.path == money_path => {
                        if !paid_on.lock().expect("lock").insert(request.connection) {
                            return Reply::Drop;
                        }
                        success.clone()
                    }
                    _ => return Reply::json(404, "{}"),
                };
                Reply::Answer { status: 200, headers: vec!["content-type: application/json".into()], body: body.into_bytes(), keep_alive: true }
            })
            .await;
            for round in 0..6 {
                let sent = call.send_with(http.clone(), &server.uri(), limits().request_timeout(TIMEOUT)).await;
                let reached = server.take().iter().filter(|request| request.path == call.path).count();
                let fine = match sent.class {
                    Class::Ok => reached == 1,
                    Class::OutcomeUnknown => {
                        dropped += 1;
                        reached <= 1
                    }
                    _ => false,
                };
                if !fine {
                    failures.push(format!("{} round {round}: {:?} with {reached} payout requests: {}", call.name(), sent.class, sent.printed));
                }
            }
        }
        // The pool did reuse connections, so the drop was met.
        if dropped == 0 {
            failures.push("no payout went out on a reused connection".into());
        }
        failures
    });
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
