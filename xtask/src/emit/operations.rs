//! `mod operations`: one `payspec_core::operation::Operation` per `operationId`, what
//! the runtime needs to know about it, written from the spec.

use heck::ToShoutySnakeCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::Type;

use crate::emit::provider::scheme;
use crate::emit::types::{type_name, Types};
use crate::model::{ErrorDisplay, Operation, Policy};

/// The name of an operation's static (`CREATE_WITHDRAWAL`).
pub fn static_name(operation_id: &str) -> syn::Ident {
    format_ident!("{}", operation_id.to_shouty_snake_case())
}

/// The static for `operation`, whose error body is `error_type`.
pub fn tokens(
    provider: &str,
    operation: &Operation,
    error_type: &Type,
    types: &Types,
    errors: &[ErrorDisplay],
) -> anyhow::Result<TokenStream> {
    let name = static_name(&operation.id);
    let id = &operation.id;
    let auth = scheme(&operation.auth);
    let policy = match operation.policy {
        Policy::MovesMoney => quote!(MovesMoney),
        Policy::RetrySafe => quote!(RetrySafe),
        Policy::NotRetried => quote!(NotRetried),
    };
    let token_endpoint = operation.token_endpoint;
    let success = &operation.success;
    let refusals = operation.refusals.iter().map(|(from, to)| quote!(#from..=#to));
    let error_name = type_name(error_type);
    let error = quote!(error);
    let says_refused = if operation.refused.is_empty() {
        quote!(::std::option::Option::None)
    } else {
        let tests = operation
            .refused
            .iter()
            .map(|condition| types.condition(&error_name, &error, condition, None))
            .collect::<anyhow::Result<Vec<_>>>()?;
        quote!(::std::option::Option::Some(|error: &#error_type| #(#tests)&&*))
    };
    let says = errors.iter().find(|display| display.schema == error_name).map(|display| display.says.as_slice()).unwrap_or_default();
    let error_says = if says.is_empty() {
        quote!(|_: &#error_type| true)
    } else {
        let tests = says
            .iter()
            .map(|condition| types.condition(&error_name, &error, condition, None))
            .collect::<anyhow::Result<Vec<_>>>()?;
        quote!(|error: &#error_type| #(#tests)&&*)
    };
    let rejected_statuses = &operation.rejected_statuses;
    let rejected_body = if operation.rejected_body.is_empty() {
        quote!(::std::option::Option::None)
    } else {
        let tests = operation
            .rejected_body
            .iter()
            .map(|condition| types.condition(&error_name, &error, condition, None))
            .collect::<anyhow::Result<Vec<_>>>()?;
        quote!(::std::option::Option::Some(|error: &#error_type| #(#tests)&&*))
    };
    let reconcile = operation.money.as_ref().map(|money| money.reconcile.as_str()).unwrap_or_default();
    let doc = format!("`{id}`, as the spec declares it.");
    Ok(quote! {
        #[doc = #doc]
        pub static #name: ::payspec_core::operation::Operation<#error_type> = ::payspec_core::operation::Operation {
            provider: #provider,
            id: #id,
            auth: #auth,
            policy: ::payspec_core::transport::OperationPolicy::#policy,
            token_endpoint: #token_endpoint,
            success: &[#(#success),*],
            refusals: &[#(#refusals),*],
            says_refused: #says_refused,
            error_says: #error_says,
            credential_rejected: ::payspec_core::operation::Rejection {
                statuses: &[#(#rejected_statuses),*],
                body: #rejected_body,
            },
            reconcile: #reconcile,
        };
    })
}
