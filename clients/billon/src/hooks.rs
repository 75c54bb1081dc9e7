//! The generated client's hooks: every call but `authenticate` carries the token in
//! `x-access-token`, and every request goes through payspec-core's transport (body
//! cap, error evidence, the retries the spec's policy allows).

use http::HeaderName;
use payspec_core::transport;
use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};

use crate::client::ClientState;
use crate::generated;

/// The header Billon reads the token from.
const ACCESS_TOKEN_HEADER: HeaderName = HeaderName::from_static("x-access-token");

/// The operation that obtains the token, and so is sent without one.
const AUTHENTICATE: &str = "authenticate";

impl ClientHooks<ClientState> for generated::Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        transport::strip_generator_headers(request);
        if info.operation_id == AUTHENTICATE {
            return Ok(());
        }
        let custom = |message: String| progenitor_client::Error::Custom(message);
        let tokens = self.inner().tokens().ok_or_else(|| {
            custom(format!(
                "{}: this client only authenticates",
                info.operation_id
            ))
        })?;
        let token = tokens
            .get()
            .await
            .map_err(|error| custom(error.to_string()))?;
        transport::set_secret_header(request, ACCESS_TOKEN_HEADER, token.access_token.expose())
            .map_err(|error| custom(error.to_string()))
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
