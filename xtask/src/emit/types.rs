//! The generated types, indexed by name, to write code that reaches into them: a JSON
//! pointer in the spec (`/data/status`) becomes field accesses on the Rust types
//! typify generated (`.data.status`), through whatever `Option`s and lists they have.

use std::collections::HashMap;

use anyhow::{anyhow, bail};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{Fields, GenericArgument, Item, ItemStruct, PathArguments, Type};

use crate::model::{Condition, Test};

/// The structs of the generated `types` module.
pub struct Types {
    structs: HashMap<String, ItemStruct>,
}

/// One field of a generated struct.
pub struct Field {
    pub ident: syn::Ident,
    pub ty: Type,
}

/// How a field's type wraps its value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wrapper {
    Plain,
    Option,
    Vec,
}

impl Types {
    /// Indexes the structs of `mod types` in `file`.
    pub fn index(file: &syn::File) -> Self {
        let mut structs = HashMap::new();
        for item in types_module(file) {
            if let Item::Struct(item) = item {
                structs.insert(item.ident.to_string(), item.clone());
            }
        }
        Self { structs }
    }

    /// The field of struct `type_name` whose JSON name is `json_name`.
    pub fn field(&self, type_name: &str, json_name: &str) -> anyhow::Result<Field> {
        let item = self
            .structs
            .get(type_name)
            .ok_or_else(|| anyhow!("no generated struct {type_name}"))?;
        let Fields::Named(fields) = &item.fields else {
            bail!("{type_name} has no named fields");
        };
        fields
            .named
            .iter()
            .find(|field| serde_name(field).as_deref() == Some(json_name))
            .map(|field| Field {
                ident: field.ident.clone().expect("named field"),
                ty: field.ty.clone(),
            })
            .ok_or_else(|| anyhow!("{type_name} has no field `{json_name}`"))
    }

    /// Whether `type_name` is a newtype over a string (typify's constrained strings).
    pub fn is_string_newtype(&self, type_name: &str) -> bool {
        self.structs
            .get(type_name)
            .is_some_and(|item| matches!(&item.fields, Fields::Unnamed(fields) if fields.unnamed.len() == 1))
    }

    /// A `bool` expression: `condition` holds for `root` (an expression of type
    /// `&root_type`); `request` (of type `&request_type`) is what `unless` reads.
    pub fn condition(
        &self,
        root_type: &str,
        root: &TokenStream,
        condition: &Condition,
        request: Option<(&str, &TokenStream)>,
    ) -> anyhow::Result<TokenStream> {
        let (value, leaf) = self.reach(root_type, root, &condition.field)?;
        let test = match &condition.test {
            Test::In(texts) => quote!(#value.is_some_and(|value| ::payspec_core::operation::wire_is(value, &[#(#texts),*]))),
            Test::Present if leaf == Wrapper::Vec => quote!(#value.is_some_and(|value| !value.is_empty())),
            Test::Present => quote!(#value.is_some()),
            Test::Minimum(minimum) => quote!(#value.is_some_and(|value| *value >= #minimum)),
        };
        match (&condition.unless, request) {
            (None, _) => Ok(test),
            (Some(unless), Some((request_type, request))) => {
                let waived = self.condition(request_type, request, unless, None)?;
                Ok(quote!((#waived || #test)))
            }
            (Some(_), None) => bail!("`unless` on {} needs a request body", condition.field),
        }
    }

    /// An `Option<&T>` expression for the value at `pointer` in `root`, and how the last
    /// field wraps it.
    pub fn reach(&self, root_type: &str, root: &TokenStream, pointer: &str) -> anyhow::Result<(TokenStream, Wrapper)> {
        let mut expr = quote!(::std::option::Option::Some(#root));
        let mut current = root_type.to_string();
        let mut wrapper = Wrapper::Plain;
        for segment in pointer.split('/').skip(1) {
            let field = self.field(&current, segment)?;
            let ident = &field.ident;
            let (outer, inner) = unwrap(&field.ty);
            expr = match outer {
                Wrapper::Option => quote!(#expr.and_then(|value| value.#ident.as_ref())),
                Wrapper::Plain | Wrapper::Vec => quote!(#expr.map(|value| &value.#ident)),
            };
            wrapper = match (outer, unwrap(inner).0) {
                (Wrapper::Option, Wrapper::Vec) | (Wrapper::Vec, _) => Wrapper::Vec,
                (outer, _) => outer,
            };
            current = type_name(inner);
        }
        Ok((expr, wrapper))
    }
}

/// The items of `mod types`.
pub fn types_module(file: &syn::File) -> &[Item] {
    file.items
        .iter()
        .find_map(|item| match item {
            Item::Mod(module) if module.ident == "types" => module.content.as_ref().map(|(_, items)| items.as_slice()),
            _ => None,
        })
        .unwrap_or_default()
}

/// The JSON name of a field: its `#[serde(rename = "..")]`, or its ident.
fn serde_name(field: &syn::Field) -> Option<String> {
    for attr in &field.attrs {
        if !attr.path().is_ident("serde") {
            continue;
        }
        let mut renamed = None;
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                let value: syn::LitStr = meta.value()?.parse()?;
                renamed = Some(value.value());
            } else if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
        if renamed.is_some() {
            return renamed;
        }
    }
    field.ident.as_ref().map(|ident| ident.to_string().trim_start_matches("r#").to_string())
}

/// `Option<T>` -> (Option, T); `Vec<T>` -> (Vec, T); anything else -> (Plain, itself).
pub fn unwrap(ty: &Type) -> (Wrapper, &Type) {
    if let Type::Path(path) = ty {
        if let Some(last) = path.path.segments.last() {
            let wrapper = match last.ident.to_string().as_str() {
                "Option" => Wrapper::Option,
                "Vec" => Wrapper::Vec,
                _ => return (Wrapper::Plain, ty),
            };
            if let PathArguments::AngleBracketed(args) = &last.arguments {
                if let Some(GenericArgument::Type(inner)) = args.args.first() {
                    return (wrapper, inner);
                }
            }
        }
    }
    (Wrapper::Plain, ty)
}

/// The last path segment of a type (`types::PaymentResult` -> `PaymentResult`).
pub fn type_name(ty: &Type) -> String {
    match ty {
        Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default(),
        _ => String::new(),
    }
}

/// Whether `ty` is one of payspec-core's secret types.
pub fn is_secret(ty: &Type) -> bool {
    matches!(ty, Type::Path(path) if path.path.segments.iter().any(|s| s.ident == "secret"))
}

/// An identifier for a Rust name that may be a keyword.
pub fn ident(name: &str) -> syn::Ident {
    syn::parse_str::<syn::Ident>(name).unwrap_or_else(|_| format_ident!("r#{name}"))
}
