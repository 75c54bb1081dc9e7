//! The OAuth authorization URL and invoice URLs.

use payspec_mediacube::{AuthorizationRequest, Client, Credentials, Scope, STAGE_BASE_URL};

#[test]
fn authorization_url_is_the_docs_redirect_with_optional_state() {
    let request = AuthorizationRequest::new(1, "https://example.com/callback")
        .scopes([Scope::UserCommon, Scope::UserChannels, Scope::UserBalance])
        .state("csrf 1&2");
    let url = request.url(STAGE_BASE_URL).unwrap();
    assert_eq!(url.path(), "/oauth/authorize/");
    let query: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    let query: Vec<(&str, &str)> = query
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        query,
        [
            ("client_id", "1"),
            ("redirect_uri", "https://example.com/callback"),
            ("response_type", "code"),
            ("scope", "user.common user.channels user.balance"),
            ("state", "csrf 1&2"),
        ]
    );
}

#[test]
fn undocumented_scopes_are_kept() {
    assert_eq!(Scope::from("user.balance"), Scope::UserBalance);
    assert_eq!(
        Scope::from("payments.write"),
        Scope::Other("payments.write".to_string())
    );
    let url = AuthorizationRequest::new(7, "https://example.com/cb")
        .scopes([Scope::from("payments.write")])
        .url("http://127.0.0.1:8080/")
        .unwrap();
    assert_eq!(
        url.as_str(),
        "http://127.0.0.1:8080/oauth/authorize/?client_id=7&redirect_uri=https%3A%2F%2Fexample.com%2Fcb\
         &response_type=code&scope=payments.write"
    );
}

#[test]
fn invoice_paths_become_urls_on_the_client_base() {
    let client = Client::new(STAGE_BASE_URL, Credentials::new(1, "<secret>")).unwrap();
    assert_eq!(
        client
            .invoice_url("/api/transactions/1/invoice")
            .unwrap()
            .as_str(),
        "https://mp-stage.mediacube.dev/api/transactions/1/invoice"
    );
    let behind_a_prefix = Client::new(
        "http://127.0.0.1:9000/mediacube/",
        Credentials::new(1, "<secret>"),
    )
    .unwrap();
    assert_eq!(
        behind_a_prefix
            .invoice_url("/api/transactions/2/invoice")
            .unwrap()
            .as_str(),
        "http://127.0.0.1:9000/mediacube/api/transactions/2/invoice"
    );
}

#[test]
fn invoice_paths_that_could_leave_the_host_are_refused() {
    let client = Client::new(STAGE_BASE_URL, Credentials::new(1, "<secret>")).unwrap();
    for path in [
        "https://evil.example/x",
        "//evil.example/x",
        "api/transactions/1/invoice",
        "",
    ] {
        assert!(client.invoice_url(path).is_err(), "{path:?}");
    }
}
