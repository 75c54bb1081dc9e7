//! `impl payspec_core::check::Check` for every request type whose schema (or a schema
//! it contains) has a keyword payspec checks before sending; see the table in
//! `payspec_core::check`.

use std::collections::BTreeSet;

use anyhow::Context;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use crate::emit::types::{is_secret, unwrap, Types, Wrapper};
use crate::model::NOT_BEFORE;
use payspec_spec::openapi::ref_name;
use crate::prepare::{is_required_alternatives, NOT_BLANK};

/// The names of the schemas that get a `Check` impl: those with a check of their own,
/// and those that contain one.
pub fn checked_schemas(doc: &Value) -> BTreeSet<String> {
    let schemas = doc.pointer("/components/schemas").and_then(Value::as_object).cloned().unwrap_or_default();
    let mut checked: BTreeSet<String> = schemas
        .iter()
        .filter(|(_, schema)| has_own_check(doc, schema))
        .map(|(name, _)| name.clone())
        .collect();
    loop {
        let before = checked.len();
        for (name, schema) in &schemas {
            let contains = properties(schema).any(|(_, property)| nested_ref(property).is_some_and(|r| checked.contains(r)));
            if contains {
                checked.insert(name.clone());
            }
        }
        if checked.len() == before {
            return checked;
        }
    }
}

fn properties(schema: &Value) -> impl Iterator<Item = (&String, &Value)> {
    schema["properties"].as_object().into_iter().flatten()
}

fn has_own_check(doc: &Value, schema: &Value) -> bool {
    schema.get("anyOf").is_some_and(is_required_alternatives)
        || properties(schema).any(|(_, property)| !property_checks_kinds(doc, property).is_empty())
}

/// The referenced schema of a property (`$ref`, `allOf: [$ref]`, or list items).
fn nested_ref(property: &Value) -> Option<&str> {
    ref_name(property)
        .or_else(|| property["allOf"].as_array()?.first().and_then(ref_name))
        .or_else(|| ref_name(&property["items"]))
}

#[derive(Debug, PartialEq)]
enum Kind {
    Positive,
    NotBlank,
    NotEmpty,
    Unique,
    NotBefore(String),
}

fn property_checks_kinds(doc: &Value, property: &Value) -> Vec<Kind> {
    let mut kinds = Vec::new();
    let target = nested_ref(property)
        .and_then(|name| doc.pointer(&format!("/components/schemas/{name}")))
        .filter(|_| property.get("items").is_none());
    let own_or_target = |key: &str| property.get(key).or_else(|| target.and_then(|t| t.get(key)));
    if property["format"] == "decimal" && property["exclusiveMinimum"] == true && property["minimum"] == 0 {
        kinds.push(Kind::Positive);
    }
    if own_or_target("pattern").and_then(Value::as_str) == Some(NOT_BLANK) {
        kinds.push(Kind::NotBlank);
    }
    if property["type"] == "array" && property["minItems"].as_u64().is_some_and(|n| n >= 1) {
        kinds.push(Kind::NotEmpty);
    }
    if property["type"] == "array" && property["uniqueItems"] == true {
        kinds.push(Kind::Unique);
    }
    if let Some(earlier) = property.get(NOT_BEFORE).and_then(Value::as_str) {
        kinds.push(Kind::NotBefore(earlier.to_string()));
    }
    kinds
}

/// The `Check` impl of schema `name`.
pub fn tokens(doc: &Value, name: &str, types: &Types, checked: &BTreeSet<String>) -> anyhow::Result<TokenStream> {
    let schema = doc
        .pointer(&format!("/components/schemas/{name}"))
        .with_context(|| format!("no schema {name}"))?;
    let mut checks = Vec::new();
    for (property, value) in properties(schema) {
        let field = types.field(name, property).with_context(|| format!("{name}.{property}"))?;
        let ident = &field.ident;
        let (wrapper, inner) = unwrap(&field.ty);
        let secret = is_secret(inner);
        let at = quote!(at.field(#property));
        for kind in property_checks_kinds(doc, value) {
            let check = match kind {
                Kind::Positive => quote!(::payspec_core::check::positive(#at, value)?;),
                Kind::NotBlank if secret => quote!(::payspec_core::check::not_blank(#at, value.expose())?;),
                Kind::NotBlank => quote!(::payspec_core::check::not_blank(#at, value.as_str())?;),
                Kind::NotEmpty => quote!(::payspec_core::check::not_empty(#at, value)?;),
                Kind::Unique => quote!(::payspec_core::check::unique(#at, value)?;),
                Kind::NotBefore(earlier) => {
                    let other = types.field(name, &earlier).with_context(|| format!("{name}.{earlier}"))?;
                    let other_ident = &other.ident;
                    let earlier_value = match unwrap(&other.ty).0 {
                        Wrapper::Option => quote!(self.#other_ident.as_ref()),
                        _ => quote!(::std::option::Option::Some(&self.#other_ident)),
                    };
                    quote! {
                        if let ::std::option::Option::Some(earlier) = #earlier_value {
                            ::payspec_core::check::not_before(#at, value, #earlier, earlier)?;
                        }
                    }
                }
            };
            checks.push(on_value(wrapper, ident, check));
        }
        if nested_ref(value).is_some_and(|r| checked.contains(r)) {
            checks.push(quote!(::payspec_core::check::Check::check(&self.#ident, #at)?;));
        }
    }
    if let Some(alternatives) = schema.get("anyOf").filter(|any_of| is_required_alternatives(any_of)) {
        let mut present = Vec::new();
        for alternative in alternatives.as_array().into_iter().flatten() {
            for property in alternative["required"].as_array().into_iter().flatten().filter_map(Value::as_str) {
                let field = types.field(name, property).with_context(|| format!("{name}.{property}"))?;
                let ident = &field.ident;
                let (wrapper, inner) = unwrap(&field.ty);
                let inner_name = crate::emit::types::type_name(inner);
                let text = if is_secret(inner) {
                    Some(quote!(value.expose()))
                } else if inner_name == "String" || types.is_string_newtype(&inner_name) {
                    Some(quote!(value.as_str()))
                } else {
                    None
                };
                let present_now = match (wrapper, text) {
                    (Wrapper::Option, Some(text)) => quote!(::payspec_core::check::has_text(self.#ident.as_ref().map(|value| #text))),
                    (Wrapper::Option, None) => quote!(self.#ident.is_some()),
                    (_, Some(text)) => quote!({ let value = &self.#ident; ::payspec_core::check::has_text(::std::option::Option::Some(#text)) }),
                    (_, None) => quote!(true),
                };
                present.push(quote!((#property, #present_now)));
            }
        }
        checks.push(quote!(::payspec_core::check::any_present(at, &[#(#present),*])?;));
    }
    let ident = format_ident!("{name}");
    Ok(quote! {
        impl ::payspec_core::check::Check for #ident {
            #[inline]
            fn check(&self, at: ::payspec_core::check::Path<'_>) -> ::std::result::Result<(), ::payspec_core::InvalidRequest> {
                #(#checks)*
                ::std::result::Result::Ok(())
            }
        }
    })
}

/// `check` run on the field's value, if it has one.
fn on_value(wrapper: Wrapper, ident: &syn::Ident, check: TokenStream) -> TokenStream {
    match wrapper {
        Wrapper::Option => quote! {
            if let ::std::option::Option::Some(value) = &self.#ident {
                #check
            }
        },
        _ => quote! {
            {
                let value = &self.#ident;
                #check
            }
        },
    }
}
