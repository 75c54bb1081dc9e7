//! `mod operations`: one `payspec_core::operation::Operation` per `operationId`, what
//! the runtime needs to know about it, written from the spec.

use heck::ToShoutySnakeCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::Type;

use crate::emit::provider::scheme;
use crate::emit::types::{type_name, Types};
use crate::model::{Condition, ErrorDisplay, Operation, Policy};

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
    // `|error: &E| a && b` for a list of conditions on the error body; `None` for none.
    let test = |conditions: &[Condition]| -> anyhow::Result<Option<TokenStream>> {
        if conditions.is_empty() {
            return Ok(None);
        }
        let error = quote!(error);
        let tests = conditions
            .iter()
            .map(|condition| types.condition(&error_name, &error, condition, None))
            .collect::<anyhow::Result<Vec<_>>>()?;
        Ok(Some(quote!(|error: &#error_type| #(#tests)&&*)))
    };
    let optional = |test: Option<TokenStream>| match test {
        Some(test) => quote!(::std::option::Option::Some(#test)),
        None => quote!(::std::option::Option::None),
    };
    let says_refused = optional(test(&operation.refused)?);
    let says = errors.iter().find(|display| display.schema == error_name).map(|display| display.says.as_slice()).unwrap_or_default();
    let error_says = test(says)?.unwrap_or_else(|| quote!(|_: &#error_type| true));
    let rejected_statuses = &operation.rejected_statuses;
    let rejected_body = optional(test(&operation.rejected_body)?);
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
