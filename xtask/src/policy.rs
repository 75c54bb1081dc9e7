//! Emits each provider's operation policy from the spec's `x-payspec-*` extensions, so
//! which operations move money (never retried, outcome-unknown on a lost answer) and
//! which are safe to repeat is declared once, in the spec.

use anyhow::bail;
use proc_macro2::TokenStream;
use quote::quote;

/// Extension marking an operation that moves money.
pub const MOVES_MONEY: &str = "x-payspec-moves-money";
/// Extension marking an operation that is safe to repeat (a read, a token call).
pub const RETRY_SAFE: &str = "x-payspec-retry-safe";

/// `pub fn policy(operation_id) -> OperationPolicy` for every operation in `openapi`, and
/// `pub fn call(operation_id) -> Call`, what the crate's hooks hand the transport.
pub fn tokens(openapi: &openapiv3::OpenAPI, provider: &str) -> anyhow::Result<TokenStream> {
    let mut moves_money = Vec::new();
    let mut retry_safe = Vec::new();
    for (path, method, operation) in openapi.operations() {
        let Some(id) = operation.operation_id.as_deref() else {
            bail!("{method} {path} has no operationId");
        };
        let flag = |name: &str| operation.extensions.get(name).and_then(|v| v.as_bool()) == Some(true);
        match (flag(MOVES_MONEY), flag(RETRY_SAFE)) {
            (true, true) => bail!("{id} is marked both {MOVES_MONEY} and {RETRY_SAFE}"),
            (true, false) => moves_money.push(id.to_string()),
            (false, true) => retry_safe.push(id.to_string()),
            (false, false) => {}
        }
    }
    moves_money.sort();
    retry_safe.sort();
    let moves_money_arm = arm(&moves_money, quote!(MovesMoney));
    let retry_safe_arm = arm(&retry_safe, quote!(RetrySafe));
    Ok(quote! {
        /// What the spec declares about repeating each operation (`x-payspec-moves-money`,
        /// `x-payspec-retry-safe`), by `operationId`.
        pub fn policy(operation_id: &str) -> ::payspec_core::transport::OperationPolicy {
            match operation_id {
                #moves_money_arm
                #retry_safe_arm
                _ => ::payspec_core::transport::OperationPolicy::NotRetried,
            }
        }

        /// The call to `operation_id` as the transport sees it: provider, operation and
        /// the spec's policy.
        pub fn call(operation_id: &'static str) -> ::payspec_core::transport::Call {
            ::payspec_core::transport::Call {
                provider: #provider,
                operation: operation_id,
                policy: policy(operation_id),
            }
        }
    })
}

fn arm(ids: &[String], variant: TokenStream) -> TokenStream {
    if ids.is_empty() {
        return TokenStream::new();
    }
    quote!(#(#ids)|* => ::payspec_core::transport::OperationPolicy::#variant,)
}
