//! The generated client's hooks: the token call authenticates the API client with HTTP
//! Basic, every other request carries the bearer token, and everything goes through
//! payspec-core's transport (body cap, error evidence).

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use http::header::AUTHORIZATION;
use payspec_core::transport;
use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};

use crate::client::TOKEN_OPERATION;
use crate::{generated, ClientState, Credentials};

impl ClientHooks<ClientState> for generated::Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        transport::strip_generator_headers(request);
        let state = self.inner();
        let authorization = if info.operation_id == TOKEN_OPERATION {
            basic(state.credentials())
        } else {
            let tokens = state
                .tokens()
                .ok_or_else(|| custom(&"this client calls only the token endpoint"))?;
            let token = tokens.get().await.map_err(|error| custom(&error))?;
            format!("Bearer {}", token.access_token.expose())
        };
        transport::set_secret_header(request, AUTHORIZATION, &authorization)
            .map_err(|error| custom(&error))
    }

    async fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        let call = generated::call(info.operation_id);
        transport::execute(self.client(), request, self.inner().limits(), call).await
    }
}

/// `Basic base64(client_id:client_secret)`: what the docs' token calls send by putting
/// the credentials in the URL (`https://{CLIENT_ID}:{CLIENT_SECRET}@{ENV}/o/token/`).
fn basic(credentials: &Credentials) -> String {
    let pair = format!(
        "{}:{}",
        credentials.client_id,
        credentials.client_secret.expose()
    );
    format!("Basic {}", BASE64.encode(pair))
}

fn custom<E>(error: &impl std::fmt::Display) -> progenitor_client::Error<E> {
    progenitor_client::Error::Custom(error.to_string())
}
