//! Every enum of every spec, string or integer, generated one way: the documented
//! values, a last `Other` variant that keeps a value the spec does not list (and writes
//! it back), `meaning()` from the spec's `x-enum-descriptions`, and a lenient reader
//! (a code sent as `"3000"` or `200` reads the same as `3000` or `"200"`).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::model::Enum;

/// The items of one enum.
pub fn tokens(item: &Enum) -> TokenStream {
    let name = format_ident!("{}", item.name);
    let doc = doc_lines(&item.description);
    let variants: Vec<_> = item.values.iter().map(|value| format_ident!("{}", value.variant)).collect();
    let variant_docs: Vec<String> = item
        .values
        .iter()
        .map(|value| match &value.meaning {
            Some(meaning) => format!("`{}`: {meaning}", value.wire),
            None => format!("`{}`.", value.wire),
        })
        .collect();
    let meanings: Vec<TokenStream> = item
        .values
        .iter()
        .map(|value| match &value.meaning {
            Some(meaning) => quote!(::std::option::Option::Some(#meaning)),
            None => quote!(::std::option::Option::None),
        })
        .collect();
    let common = quote! {
        impl #name {
            /// What the value means, per the spec; `None` for a value it does not describe.
            pub fn meaning(&self) -> ::std::option::Option<&'static str> {
                match self {
                    #(Self::#variants => #meanings,)*
                    Self::Other(_) => ::std::option::Option::None,
                }
            }

            /// Whether the spec lists this value.
            pub fn is_documented(&self) -> bool {
                !matches!(self, Self::Other(_))
            }
        }
    };
    if item.integer {
        let codes: Vec<i64> = item.values.iter().map(|value| value.wire.parse().expect("an integer enum value")).collect();
        quote! {
            #doc
            #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
            pub enum #name {
                #(#[doc = #variant_docs] #variants,)*
                /// A value this version of the spec does not list, kept as received.
                Other(i64),
            }
            impl #name {
                /// The value as sent on the wire.
                pub fn code(&self) -> i64 {
                    match self {
                        #(Self::#variants => #codes,)*
                        Self::Other(code) => *code,
                    }
                }
            }
            #common
            impl ::std::convert::From<i64> for #name {
                fn from(code: i64) -> Self {
                    match code {
                        #(#codes => Self::#variants,)*
                        other => Self::Other(other),
                    }
                }
            }
            impl ::std::convert::From<#name> for i64 {
                fn from(value: #name) -> Self {
                    value.code()
                }
            }
            impl ::std::fmt::Display for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    ::std::fmt::Display::fmt(&self.code(), f)
                }
            }
            impl ::serde::Serialize for #name {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                    serializer.serialize_i64(self.code())
                }
            }
            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                    ::payspec_core::lenient::integer_code(deserializer)
                }
            }
        }
    } else {
        let wires: Vec<&str> = item.values.iter().map(|value| value.wire.as_str()).collect();
        quote! {
            #doc
            #[derive(Clone, Debug, PartialEq, Eq, Hash)]
            pub enum #name {
                #(#[doc = #variant_docs] #variants,)*
                /// A value this version of the spec does not list, kept as received.
                Other(::std::string::String),
            }
            impl #name {
                /// The value as sent on the wire.
                pub fn as_str(&self) -> &str {
                    match self {
                        #(Self::#variants => #wires,)*
                        Self::Other(value) => value,
                    }
                }
            }
            #common
            impl ::std::str::FromStr for #name {
                type Err = ::std::convert::Infallible;
                fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                    ::std::result::Result::Ok(match value {
                        #(#wires => Self::#variants,)*
                        other => Self::Other(other.to_string()),
                    })
                }
            }
            impl ::std::convert::From<&str> for #name {
                fn from(value: &str) -> Self {
                    match value.parse() {
                        ::std::result::Result::Ok(parsed) => parsed,
                        ::std::result::Result::Err(never) => match never {},
                    }
                }
            }
            impl ::std::fmt::Display for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(self.as_str())
                }
            }
            impl ::serde::Serialize for #name {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                    serializer.serialize_str(self.as_str())
                }
            }
            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                    ::payspec_core::lenient::code(deserializer)
                }
            }
        }
    }
}

/// `#[doc = ".."]` attributes for a description, one per line.
pub fn doc_lines(text: &str) -> TokenStream {
    let lines: Vec<&str> = text.trim().lines().collect();
    if lines.is_empty() {
        return TokenStream::new();
    }
    quote!(#(#[doc = #lines])*)
}
