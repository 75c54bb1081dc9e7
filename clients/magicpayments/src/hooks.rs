//! The generated client's hooks: every request carries the bearer token and goes
//! through payspec-core's transport (body cap, error evidence).

use payspec_core::transport;
use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};

use crate::client::ClientState;
use crate::generated;

impl ClientHooks<ClientState> for generated::Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        _info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        transport::strip_generator_headers(request);
        transport::set_bearer(request, self.inner().token().expose())
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
