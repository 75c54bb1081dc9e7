//! Building a client: the base URL is checked, and every static credential the
//! provider's operations need must be present and sendable.

mod support;

use payspec_core::secret::{AccessToken, ApiKey, Password};
use payspec_core::{BuildError, ClientBuilder};
use support::*;

fn build(base: &str) -> Result<TestClient, BuildError> {
    build_with(base, Control::new(), |builder| builder)
}

#[test]
fn base_urls_that_are_not_plain_http_are_refused() {
    for url in [
        "ftp://127.0.0.1/api",
        "file:///etc/passwd",
        "ws://127.0.0.1",
        "127.0.0.1:8080",
        "not a url",
        "",
        "https://",
        "http://127.0.0.1/api?key=1",
        "http://127.0.0.1/api?",
        "http://127.0.0.1/api#fragment",
        "http://127.0.0.1/api#",
        "http://user:password@127.0.0.1/api",
        "http://user@127.0.0.1/api",
        "https://:password@example.com",
    ] {
        match build(url) {
            Err(BuildError::InvalidBaseUrl { url: given, problem }) => {
                // As given, but never with its credentials.
                let userinfo = url.split("://").nth(1).and_then(|rest| rest.split_once('@')).map(|(info, _)| info);
                match userinfo {
                    Some(info) => assert_eq!(given, url.replacen(&format!("{info}@"), "***@", 1)),
                    None => assert_eq!(given, url),
                }
                assert!(!problem.is_empty());
            }
            Err(other) => panic!("{url:?}: expected InvalidBaseUrl, got {other:?}"),
            Ok(client) => panic!("{url:?}: built with base {:?}", client.base),
        }
    }
}

#[test]
fn the_refusal_of_a_url_with_credentials_says_where_they_go() {
    let error = build("http://user:hunter2@127.0.0.1/api").err().unwrap();
    assert!(matches!(error, BuildError::InvalidBaseUrl { .. }));
    assert!(error.to_string().contains("credentials"), "{error}");
}

#[test]
fn the_refusal_of_a_url_with_credentials_does_not_print_the_password() {
    let error = build("http://user:hunter2@127.0.0.1/api").err().unwrap();
    assert!(matches!(error, BuildError::InvalidBaseUrl { .. }));
    assert!(!error.to_string().contains("hunter2"), "{error}");
    assert!(!format!("{error:?}").contains("hunter2"), "{error:?}");
}

#[test]
fn good_base_urls_are_kept_without_a_trailing_slash() {
    for (url, base) in [
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
        ("https://api.example.com/", "https://api.example.com"),
        ("https://api.example.com/v2/", "https://api.example.com/v2"),
        ("https://api.example.com/v2", "https://api.example.com/v2"),
        ("HTTPS://API.example.com", "https://api.example.com"),
    ] {
        let client = build(url).unwrap_or_else(|error| panic!("{url}: {error}"));
        assert_eq!(client.base, base, "{url}");
        assert_eq!(progenitor_client::ClientInfo::baseurl(&client), base);
    }
}

#[test]
fn a_base_url_with_surrounding_whitespace_is_refused_or_normalised() {
    for url in ["https://api.example.com ", " https://api.example.com", "https://api.example.com/\n"] {
        match build(url) {
            Err(BuildError::InvalidBaseUrl { .. }) => {}
            Err(other) => panic!("{url:?}: {other:?}"),
            Ok(client) => {
                assert_eq!(client.base, "https://api.example.com", "{url:?}");
            }
        }
    }
}

#[test]
fn a_static_bearer_scheme_needs_a_bearer_token() {
    let error = ClientBuilder::<BearerProvider<ApiKey>>::new(&Env("https://api.example.com".to_string()), ApiKey::new("k"))
        .build()
        .err()
        .expect("no bearer token");
    assert!(matches!(error, BuildError::MissingCredential { scheme: "Bearer" }), "{error:?}");
    assert!(error.to_string().contains("Bearer"), "{error}");

    let client = ClientBuilder::<BearerProvider<AccessToken>>::new(
        &Env("https://api.example.com".to_string()),
        AccessToken::new("t"),
    )
    .build();
    assert!(client.is_ok());
}

fn full() -> StaticCredentials {
    StaticCredentials {
        basic: Some(("merchant".to_string(), Password::new("pw"))),
        bearer: Some(AccessToken::new("token")),
        api_key: Some(ApiKey::new("key")),
    }
}

fn build_static(credentials: StaticCredentials) -> Result<PlainClient<StaticProvider>, BuildError> {
    ClientBuilder::<StaticProvider>::new(&Env("https://api.example.com".to_string()), credentials).build()
}

#[test]
fn every_static_scheme_of_the_provider_needs_its_credential() {
    assert!(build_static(full()).is_ok());
    let missing = [
        (StaticCredentials { basic: None, ..full() }, "Basic"),
        (StaticCredentials { bearer: None, ..full() }, "Bearer"),
        (StaticCredentials { api_key: None, ..full() }, "x-api-key"),
    ];
    for (credentials, scheme) in missing {
        match build_static(credentials) {
            Err(BuildError::MissingCredential { scheme: named }) => assert_eq!(named, scheme),
            other => panic!("{scheme}: expected MissingCredential, got {:?}", other.err()),
        }
    }
}

#[test]
fn a_credential_that_is_not_a_header_value_is_refused() {
    let unsendable = [
        (StaticCredentials { bearer: Some(AccessToken::new("to\nken")), ..full() }, "Bearer"),
        (StaticCredentials { api_key: Some(ApiKey::new("key\r\nX-Injected: 1")), ..full() }, "x-api-key"),
    ];
    for (credentials, scheme) in unsendable {
        match build_static(credentials) {
            Err(error @ BuildError::InvalidCredential { .. }) => {
                assert!(matches!(error, BuildError::InvalidCredential { scheme: named } if named == scheme));
                assert!(!error.to_string().contains("Injected"), "{error}");
            }
            other => panic!("{scheme}: expected InvalidCredential, got {:?}", other.err()),
        }
    }
}

#[test]
fn the_builder_keeps_its_settings() {
    use std::time::Duration;
    let limits = test_limits().request_timeout(Duration::from_secs(7)).max_body_bytes(99);
    let client = client_with("http://127.0.0.1:9", |builder| builder.limits(limits));
    assert_eq!(client.runtime.limits(), &limits);
    assert_eq!(client.runtime.credentials().client_secret.expose(), CLIENT_SECRET);
    // Clones share the token.
    let clone = client.runtime.clone();
    assert!(format!("{clone:?}").contains("test"));
}
