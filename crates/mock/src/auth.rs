//! The provider's auth flow, as its spec declares it: which scheme each operation uses
//! (`security`), where the credential goes (`securitySchemes`: HTTP Basic, Bearer, an
//! API-key header), which operation issues tokens (`x-payspec-token-endpoint`), and how
//! a credential is rejected (`x-payspec-credential-rejected`). Only the credentials the
//! mock accepts are its own.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, SystemTime};

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use http::HeaderMap;
use serde_json::{json, Value};

use crate::spec::{conditions_hold, Answer, Checked, Problem, Route, Spec};
use crate::Provider;

/// The credentials the mock accepts, per provider.
pub(crate) fn credentials(provider: Provider) -> &'static [(&'static str, &'static str)] {
    match provider {
        Provider::MagicPayments => &[("token", "mock-magicpayments-token")],
        Provider::MediaCube => &[("client_id", "1"), ("client_secret", "mock-mediacube-secret")],
        Provider::Paymob => &[
            ("client_id", "mock-paymob-client"),
            ("client_secret", "mock-paymob-secret"),
            ("username", "mock-paymob-user"),
            ("password", "mock-paymob-password"),
        ],
        Provider::Billon => &[("api_key", "mock-billon-api-key")],
    }
}

/// The value of the credential `name` the mock accepts for `provider`.
pub(crate) fn credential(provider: Provider, name: &str) -> Option<&'static str> {
    credentials(provider).iter().find(|(key, _)| *key == name).map(|(_, value)| *value)
}

/// The tokens the mock issued, and for how long new ones last.
pub(crate) struct Tokens {
    issued: HashMap<String, SystemTime>,
    refresh: HashSet<String>,
    pub(crate) lifetime: Duration,
}

impl Tokens {
    pub(crate) fn new() -> Self {
        Self { issued: HashMap::new(), refresh: HashSet::new(), lifetime: Duration::from_secs(3600) }
    }

    fn valid(&self, token: &str) -> bool {
        self.issued.get(token).is_some_and(|expires| SystemTime::now() < *expires)
    }

    /// Every token issued so far stops working.
    pub(crate) fn expire_all(&mut self) {
        let past = SystemTime::now() - Duration::from_secs(1);
        self.issued.values_mut().for_each(|expires| *expires = past);
    }
}

/// Where a scheme's credential goes.
enum Kind {
    Basic,
    Bearer,
    Header(String),
}

/// A security scheme of the spec.
struct Scheme<'a> {
    kind: Kind,
    token_endpoint: bool,
    rejected: &'a Value,
}

impl<'a> Scheme<'a> {
    fn read(spec: &'a Spec, name: &str) -> Option<Self> {
        let scheme = &spec.doc["components"]["securitySchemes"][name];
        let kind = match (scheme["type"].as_str()?, scheme["scheme"].as_str(), scheme["in"].as_str()) {
            ("http", Some(http), _) if http.eq_ignore_ascii_case("basic") => Kind::Basic,
            ("http", Some(http), _) if http.eq_ignore_ascii_case("bearer") => Kind::Bearer,
            ("apiKey", _, Some("header")) => Kind::Header(scheme["name"].as_str()?.to_ascii_lowercase()),
            _ => return None,
        };
        Some(Self {
            kind,
            token_endpoint: scheme.get("x-payspec-token-endpoint").is_some(),
            rejected: &scheme["x-payspec-credential-rejected"],
        })
    }
}

/// Checks the credential `route` needs; `Err` is the rejection to answer with.
pub(crate) fn check(spec: &Spec, provider: Provider, route: &Route, headers: &HeaderMap, tokens: &Tokens) -> Result<(), Answer> {
    let Some(name) = &route.security else { return Ok(()) };
    let Some(scheme) = Scheme::read(spec, name) else { return Ok(()) };
    let header = |name: &str| headers.get(name).and_then(|value| value.to_str().ok());
    let authorization = |prefix: &str| {
        header("authorization").and_then(|value| {
            let (scheme, rest) = value.split_once(' ')?;
            scheme.eq_ignore_ascii_case(prefix).then(|| rest.trim())
        })
    };
    let (presented, what) = match &scheme.kind {
        Kind::Basic => (
            authorization("Basic").and_then(|pair| String::from_utf8(STANDARD.decode(pair).ok()?).ok()),
            "`Authorization: Basic base64(client_id:client_secret)`".to_string(),
        ),
        Kind::Bearer => (authorization("Bearer").map(String::from), "`Authorization: Bearer <token>`".to_string()),
        Kind::Header(name) => (header(name).map(String::from), format!("the `{name}` header")),
    };
    let accepted = match (&presented, &scheme.kind) {
        (None, _) => false,
        (Some(token), _) if scheme.token_endpoint => tokens.valid(token),
        (Some(pair), Kind::Basic) => {
            let expected = (credential(provider, "client_id"), credential(provider, "client_secret"));
            matches!(expected, (Some(id), Some(secret)) if *pair == format!("{id}:{secret}"))
        }
        (Some(token), _) => credential(provider, "token") == Some(token.as_str()),
    };
    if accepted {
        return Ok(());
    }
    let message = match presented {
        None => format!("no credential: this operation needs {what} (payspec-mock's credentials are printed when it starts)"),
        Some(_) if scheme.token_endpoint => "the token is unknown or has expired: obtain a new one from the token endpoint".to_string(),
        Some(_) => "the credential is not the one payspec-mock accepts".to_string(),
    };
    Err(rejection(spec, route, &scheme, message))
}

/// The rejection `scheme` declares (`x-payspec-credential-rejected`): its first status,
/// with the documented example that says so (its `body` conditions) or an empty JSON
/// body. A scheme that declares none: HTTP 401 with the operation's documented error.
fn rejection(spec: &Spec, route: &Route, scheme: &Scheme<'_>, message: String) -> Answer {
    let Some(status) = scheme.rejected["statuses"].as_array().and_then(|statuses| statuses.first()?.as_u64()) else {
        return spec.refusal(route, &Problem::new("authorization", message).status(401).credential());
    };
    let conditions = &scheme.rejected["body"];
    let documented = conditions.as_array().filter(|conditions| !conditions.is_empty()).and_then(|_| {
        spec.error_names(route)
            .into_iter()
            .filter_map(|name| spec.example(route, &name))
            .map(|answer| answer.body)
            .find(|body| conditions_hold(conditions, body))
    });
    let body = documented.unwrap_or_else(|| json!({}));
    Answer {
        status: status as u16,
        body,
        headers: vec![("x-payspec-mock-problem", message)],
    }
}

/// The answer of the token endpoint `route` to the checked request: a new token
/// lasting `tokens.lifetime`, in the spec's token answer (the property whose format is
/// `access-token`; `expires_in`; a JWT with `exp` when the documented token is a JWT),
/// or the documented error when the credentials are wrong.
pub(crate) fn issue(spec: &Spec, provider: Provider, route: &Route, request: &Checked, tokens: &mut Tokens) -> Answer {
    if let Err(problem) = grant(provider, &request.body, tokens) {
        return spec.refusal(route, &problem);
    }
    let schema = spec.success_schema(route);
    let mut body = spec.success_body(route);
    let expires = SystemTime::now() + tokens.lifetime;
    for (name, property) in schema["properties"].as_object().into_iter().flatten() {
        let property = payspec_spec::openapi::resolve(&spec.doc, property);
        match property["format"].as_str() {
            Some("access-token") => {
                let jwt = body[name].as_str().is_some_and(|example| example.starts_with("eyJ") && example.matches('.').count() == 2);
                let token = if jwt { new_jwt(provider, expires) } else { format!("mock-{provider}-{}", uuid::Uuid::new_v4().simple()) };
                tokens.issued.insert(token.clone(), expires);
                body[name] = Value::String(token);
            }
            Some("refresh-token") if body.get(name).is_some() => {
                let refresh = format!("mock-{provider}-refresh-{}", uuid::Uuid::new_v4().simple());
                tokens.refresh.insert(refresh.clone());
                body[name] = Value::String(refresh);
            }
            _ if name == "expires_in" => body[name] = json!(tokens.lifetime.as_secs()),
            _ if name == "token_type" && body.get(name).is_none() => body[name] = json!("Bearer"),
            _ => {}
        }
    }
    Answer::ok(body)
}

/// Whether the token request's credentials (in its body) are the mock's.
fn grant(provider: Provider, body: &Value, tokens: &mut Tokens) -> Result<(), Problem> {
    let field = |name: &str| body[name].as_str().unwrap_or_default();
    let expected = |name: &str| credential(provider, name).unwrap_or_default();
    match provider {
        Provider::MediaCube => {
            let id_matches = body["client_id"].as_i64().is_some_and(|id| id.to_string() == expected("client_id"));
            if !id_matches || field("client_secret") != expected("client_secret") {
                return Err(Problem::new("client_secret", "the client id or secret is not the one payspec-mock accepts")
                    .status(401)
                    .code("invalid_client"));
            }
        }
        Provider::Paymob => match field("grant_type") {
            "refresh_token" => {
                if !tokens.refresh.remove(field("refresh_token")) {
                    return Err(Problem::new("refresh_token", "the refresh token is unknown or was used already").code("invalid_grant"));
                }
            }
            _ => {
                if field("username") != expected("username") || field("password") != expected("password") {
                    return Err(Problem::new("password", "Invalid credentials given.").code("invalid_grant"));
                }
            }
        },
        Provider::Billon => {
            if field("apiKey") != expected("api_key") {
                return Err(Problem::new("apiKey", "the authentication password is not the one payspec-mock accepts").status(401));
            }
        }
        Provider::MagicPayments => {}
    }
    Ok(())
}

/// An unsigned-looking JWT whose `exp` claim is `expires`.
fn new_jwt(provider: Provider, expires: SystemTime) -> String {
    let exp = expires.duration_since(SystemTime::UNIX_EPOCH).unwrap_or_default().as_secs_f64();
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let claims = json!({ "sub": format!("payspec-mock-{provider}"), "jti": uuid::Uuid::new_v4().to_string(), "exp": exp });
    let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
    format!("{header}.{payload}.bW9jaw")
}
