//! The crate-level items of a generated client: the `Provider` payspec-core's runtime
//! is generic over, `Environment` from the spec's servers, the crate's `Error` and
//! `ApiError`, `Client::builder`, and `Display` for the spec's error bodies.

use anyhow::Context;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{Fields, Item, Type};

use crate::emit::types::{type_name, types_module, Types};
use crate::model::{Auth, Model};

/// `Provider`, its `impl payspec_core::Provider`, `Environment`, `Error`, `ApiError` and
/// `Client::builder`.
pub fn tokens(model: &Model, provider: &str, error_types: &[Type]) -> TokenStream {
    let schemes = model.schemes().into_iter().map(scheme);
    let has_token_endpoint = model.operations.iter().any(|operation| operation.token_endpoint);
    let tokens = if has_token_endpoint {
        quote!(crate::auth::Tokens)
    } else {
        quote!(::payspec_core::token::NoTokenEndpoint)
    };
    let variants: Vec<_> = model.environments.iter().map(|env| format_ident!("{}", env.variant)).collect();
    let urls: Vec<&str> = model.environments.iter().map(|env| env.url.as_str()).collect();
    let variant_docs: Vec<String> = model
        .environments
        .iter()
        .map(|env| format!("{} (`{}`).", env.description.trim_end_matches('.'), env.url))
        .collect();
    let api_error = api_error(error_types);
    quote! {
        /// This provider, as payspec-core's runtime knows it.
        #[derive(Clone, Copy, Debug)]
        pub struct Provider;

        impl ::payspec_core::Provider for Provider {
            const NAME: &'static str = #provider;
            const SCHEMES: &'static [::payspec_core::auth::AuthScheme] = &[#(#schemes),*];
            type Client = Client;
            type Credentials = crate::Credentials;
            type Tokens = #tokens;
            type ApiError = ApiError;
            fn client(base_url: &str, http: ::reqwest::Client, runtime: ::payspec_core::Runtime<Self>) -> Client {
                Client::new_with_client(base_url, http, runtime)
            }
        }

        /// Where the API lives: the hosts the spec names, or a base URL of yours (a mock
        /// server, a proxy, a host the docs do not name).
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub enum Environment {
            #(#[doc = #variant_docs] #variants,)*
            /// A base URL of yours, e.g. `payspec-mock`'s address in tests.
            Custom(::reqwest::Url),
        }

        impl ::payspec_core::Environment for Environment {
            fn base_url(&self) -> &str {
                match self {
                    #(Self::#variants => #urls,)*
                    Self::Custom(url) => url.as_str(),
                }
            }
        }

        /// The error of every call: the one outcome table of payspec-core, with this
        /// provider's documented errors typed as [`ApiError`].
        pub type Error = ::payspec_core::Error<ApiError>;

        #api_error

        impl Client {
            /// A builder for a client of `environment` that authenticates with
            /// `credentials`; the same for every payspec provider.
            pub fn builder(environment: Environment, credentials: crate::Credentials) -> ::payspec_core::ClientBuilder<Provider> {
                ::payspec_core::ClientBuilder::new(&environment, credentials)
            }
        }
    }
}

/// The runtime's `AuthScheme` for `auth`.
pub fn scheme(auth: &Auth) -> TokenStream {
    let source = |token: bool| {
        if token {
            quote!(::payspec_core::auth::Source::TokenEndpoint)
        } else {
            quote!(::payspec_core::auth::Source::Static)
        }
    };
    match auth {
        Auth::None => quote!(::payspec_core::auth::AuthScheme::None),
        Auth::Basic => quote!(::payspec_core::auth::AuthScheme::Basic),
        Auth::Bearer { token } => {
            let source = source(*token);
            quote!(::payspec_core::auth::AuthScheme::Bearer(#source))
        }
        Auth::ApiKey { header, token } => {
            let source = source(*token);
            quote!(::payspec_core::auth::AuthScheme::ApiKey { header: #header, source: #source })
        }
    }
}

/// `ApiError`: the one error body type, or an enum over several.
fn api_error(error_types: &[Type]) -> TokenStream {
    if let [only] = error_types {
        return quote! {
            /// The provider's documented error.
            pub type ApiError = #only;
        };
    }
    let variants: Vec<_> = error_types.iter().map(|ty| format_ident!("{}", type_name(ty))).collect();
    let docs: Vec<String> = variants.iter().map(|v| format!("A [`{v}`](types::{v}).")).collect();
    quote! {
        /// The provider's documented errors (each operation answers with one of them).
        #[derive(Clone, Debug, PartialEq)]
        pub enum ApiError {
            #(#[doc = #docs] #variants(#error_types),)*
        }
        #(
            impl ::std::convert::From<#error_types> for ApiError {
                fn from(error: #error_types) -> Self {
                    Self::#variants(error)
                }
            }
        )*
        impl ::std::fmt::Display for ApiError {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    #(Self::#variants(error) => ::std::fmt::Display::fmt(error, f),)*
                }
            }
        }
    }
}

/// `Display` for every error body (from its `x-payspec-error`) and for every
/// message-or-field-errors union, inside `mod types`.
pub fn displays(model: &Model, types: &Types, file: &syn::File, error_types: &[Type]) -> anyhow::Result<TokenStream> {
    let enum_names: Vec<&str> = model.enums.iter().map(|item| item.name.as_str()).collect();
    let mut out = TokenStream::new();
    for ty in error_types {
        let name = type_name(ty);
        let ident = format_ident!("{name}");
        let display = model.errors.iter().find(|error| error.schema == name);
        let root = quote!(self);
        let code = match display.and_then(|d| d.code.as_deref()) {
            Some(pointer) => types.reach(&name, &root, pointer).with_context(|| format!("{name}: x-payspec-error code"))?,
            None => (quote!(::std::option::Option::<&::std::string::String>::None), crate::emit::types::Wrapper::Plain),
        };
        let code_type = display
            .and_then(|d| d.code.as_deref())
            .map(|pointer| leaf_type(types, &name, pointer))
            .transpose()?
            .flatten();
        let meaning = match code_type {
            Some(code_type) if enum_names.contains(&code_type.as_str()) => quote!(code.and_then(|code| code.meaning())),
            _ => quote!(::std::option::Option::None),
        };
        let message = match display.and_then(|d| d.message.as_deref()) {
            Some(pointer) => types.reach(&name, &root, pointer).with_context(|| format!("{name}: x-payspec-error message"))?.0,
            None => quote!(::std::option::Option::<&::std::string::String>::None),
        };
        let code = code.0;
        out.extend(quote! {
            impl ::std::fmt::Display for #ident {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    let code = #code;
                    let message = #message;
                    ::payspec_core::error::describe(
                        f,
                        code.map(|code| code as &dyn ::std::fmt::Display),
                        #meaning,
                        message.map(|message| message as &dyn ::std::fmt::Display),
                    )
                }
            }
        });
    }
    for item in types_module(file) {
        if let Item::Enum(item) = item {
            if is_message_union(item) {
                let ident = &item.ident;
                out.extend(quote! {
                    impl ::std::fmt::Display for #ident {
                        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                            match self {
                                Self::String(message) => f.write_str(message),
                                Self::Object(fields) => ::std::fmt::Display::fmt(&::payspec_core::error::FieldErrors(fields), f),
                            }
                        }
                    }
                });
            }
        }
    }
    Ok(out)
}

/// The type name at the end of `pointer` in `root_type`.
fn leaf_type(types: &Types, root_type: &str, pointer: &str) -> anyhow::Result<Option<String>> {
    let mut current = root_type.to_string();
    for segment in pointer.split('/').skip(1) {
        let field = types.field(&current, segment)?;
        let (_, inner) = crate::emit::types::unwrap(&field.ty);
        current = type_name(inner);
    }
    Ok(Some(current))
}

/// typify's rendering of `oneOf: [string, {additionalProperties: [string]}]`: a message,
/// or field -> messages.
fn is_message_union(item: &syn::ItemEnum) -> bool {
    let names: Vec<String> = item.variants.iter().map(|v| v.ident.to_string()).collect();
    names == ["String", "Object"]
        && item.variants.iter().all(|v| matches!(&v.fields, Fields::Unnamed(f) if f.unnamed.len() == 1))
}
