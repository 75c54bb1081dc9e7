//! The generated client's hooks: every payment request carries the payment token, and
//! every request goes through payspec-core's transport (body cap, error evidence).

use payspec_core::transport;
use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};

use crate::auth::ClientState;
use crate::generated;

/// The token operation authenticates with its body, not with a token.
const TOKEN_OPERATION: &str = "issue_token";

impl ClientHooks<ClientState> for generated::Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        transport::strip_generator_headers(request);
        if info.operation_id == TOKEN_OPERATION {
            return Ok(());
        }
        let tokens = self.inner().tokens().ok_or_else(|| {
            progenitor_client::Error::Custom(
                "this client only calls the token endpoint".to_string(),
            )
        })?;
        let token = tokens
            .get()
            .await
            .map_err(|error| progenitor_client::Error::Custom(error.to_string()))?;
        transport::set_bearer(request, token.access_token.expose())
            .map_err(|error| progenitor_client::Error::Custom(error.to_string()))
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
