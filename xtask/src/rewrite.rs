//! Passes over progenitor's output that wire it to payspec-core's runtime, the same for
//! every provider:
//!
//! - each operation method keeps progenitor's request building (URL, path encoding,
//!   query, body) and hands the request to `payspec_core::call::send`, so it returns
//!   `Result<T, Error>` with the crate's typed error; pre-send checks run first;
//! - the `api-version` header progenitor adds to every request is removed here, at
//!   generation time;
//! - progenitor's own error and response types, its hook seam and the constructor that
//!   builds a redirect-following client are removed, so no raw progenitor error is
//!   reachable;
//! - every integer field of the generated types reads a JSON number or a numeric string
//!   (`payspec_core::lenient`).

use std::collections::HashMap;

use anyhow::{anyhow, bail, Context};
use proc_macro2::TokenStream;
use quote::{quote, ToTokens};
use serde_json::Value;
use syn::visit_mut::{self, VisitMut};
use syn::{parse_quote, Expr, FnArg, GenericArgument, ImplItem, ImplItemFn, Item, PathArguments, ReturnType, Stmt, Type};

use crate::emit::operations::static_name;
use crate::emit::types::{ident, type_name, unwrap, Types, Wrapper};
use crate::model::{Model, Operation, Policy};
use payspec_spec::openapi::{operations, resolve};
use crate::prepare::NOT_BLANK;

/// What progenitor generated for one operation.
pub struct Method {
    /// The `operationId`.
    pub id: String,
    /// The success body type.
    pub success: Type,
    /// The error body type.
    pub error: Type,
    /// The body parameter's type (`types::WithdrawalRequest`), if the operation has one.
    pub body: Option<Type>,
}

/// The operation methods of the generated `impl Client`.
pub fn methods(file: &syn::File) -> anyhow::Result<Vec<Method>> {
    let mut out = Vec::new();
    for method in client_methods(file) {
        let Some(id) = operation_id(method) else { continue };
        let (success, error) = result_types(&method.sig.output).with_context(|| format!("{id}: return type"))?;
        let body = method.sig.inputs.iter().find_map(|input| match input {
            FnArg::Typed(arg) if arg.pat.to_token_stream().to_string() == "body" => match arg.ty.as_ref() {
                Type::Reference(reference) => Some((*reference.elem).clone()),
                _ => None,
            },
            _ => None,
        });
        out.push(Method { id, success, error, body });
    }
    Ok(out)
}

/// The async methods of the generated `impl Client`: one per operation.
pub fn client_methods(file: &syn::File) -> impl Iterator<Item = &ImplItemFn> {
    file.items
        .iter()
        .filter_map(|item| match item {
            Item::Impl(item) if item.trait_.is_none() && type_name(&item.self_ty) == "Client" => Some(item),
            _ => None,
        })
        .flat_map(|item| item.items.iter())
        .filter_map(|item| match item {
            ImplItem::Fn(method) if method.sig.asyncness.is_some() => Some(method),
            _ => None,
        })
}

/// The `operation_id` of `let info = OperationInfo { operation_id: ".." }`.
fn operation_id(method: &ImplItemFn) -> Option<String> {
    method.block.stmts.iter().find_map(|stmt| {
        let Stmt::Local(local) = stmt else { return None };
        let Expr::Struct(info) = local.init.as_ref()?.expr.as_ref() else { return None };
        info.fields.iter().find_map(|field| match &field.expr {
            Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(id), .. }) => Some(id.value()),
            _ => None,
        })
    })
}

/// `T` and `E` of `Result<ResponseValue<T>, Error<E>>`.
fn result_types(output: &ReturnType) -> anyhow::Result<(Type, Type)> {
    let ReturnType::Type(_, ty) = output else { bail!("no return type") };
    let [ok, err] = generic_args(ty)[..] else { bail!("not a Result") };
    let ok = generic_args(ok).first().copied().cloned().ok_or_else(|| anyhow!("not a ResponseValue"))?;
    let err = generic_args(err).first().copied().cloned().ok_or_else(|| anyhow!("not an Error<E>"))?;
    Ok((ok, err))
}

fn generic_args(ty: &Type) -> Vec<&Type> {
    let Type::Path(path) = ty else { return Vec::new() };
    let Some(last) = path.path.segments.last() else { return Vec::new() };
    let PathArguments::AngleBracketed(args) = &last.arguments else { return Vec::new() };
    args.args
        .iter()
        .filter_map(|arg| match arg {
            GenericArgument::Type(ty) => Some(ty),
            _ => None,
        })
        .collect()
}

/// Rewrites every operation method of `file` to go through the runtime.
pub fn wire_methods(file: &mut syn::File, doc: &Value, model: &Model, types: &Types, checked: &[String]) -> anyhow::Result<()> {
    let declared: HashMap<&str, &Operation> = model.operations.iter().map(|op| (op.id.as_str(), op)).collect();
    let spec_ops: HashMap<String, &Value> = operations(doc)
        .into_iter()
        .filter_map(|op| Some((op.id()?.to_string(), op.value)))
        .collect();
    for item in &mut file.items {
        let Item::Impl(item) = item else { continue };
        if item.trait_.is_some() || type_name(&item.self_ty) != "Client" {
            continue;
        }
        for impl_item in &mut item.items {
            let ImplItem::Fn(method) = impl_item else { continue };
            let Some(id) = operation_id(method) else { continue };
            let operation = declared.get(id.as_str()).ok_or_else(|| anyhow!("{id} not in the model"))?;
            let spec_op = spec_ops.get(&id).ok_or_else(|| anyhow!("{id} not in the spec"))?;
            wire_method(method, doc, spec_op, operation, types, checked).with_context(|| format!("wiring {id}"))?;
        }
    }
    Ok(())
}

fn wire_method(
    method: &mut ImplItemFn,
    doc: &Value,
    spec_op: &Value,
    operation: &Operation,
    types: &Types,
    checked: &[String],
) -> anyhow::Result<()> {
    let (success, _) = result_types(&method.sig.output)?;
    let body_type = method.sig.inputs.iter().find_map(|input| match input {
        FnArg::Typed(arg) if arg.pat.to_token_stream().to_string() == "body" => match arg.ty.as_ref() {
            Type::Reference(reference) => Some(type_name(&reference.elem)),
            _ => None,
        },
        _ => None,
    });
    method.sig.output = parse_quote!(-> ::std::result::Result<#success, Error>);

    // Keep the request building, without the `api-version` header.
    let mut kept: Vec<Stmt> = Vec::new();
    let mut request_ident = None;
    for stmt in method.block.stmts.drain(..) {
        if request_ident.is_some() {
            break;
        }
        let text = stmt.to_token_stream().to_string();
        if text.contains("\"api-version\"") || text.starts_with("let mut header_map") {
            continue;
        }
        if let Stmt::Local(local) = &stmt {
            if text.contains(". build ()") {
                request_ident = Some(local.pat.to_token_stream().to_string().replace("mut ", "").trim().to_string());
            }
        }
        kept.push(stmt);
    }
    let request = ident(&request_ident.ok_or_else(|| anyhow!("no request built"))?);
    let mut strip = StripHeaderMap;
    let mut plain = PlainPathSegments { params: unencoded_params(&method.sig) };
    for stmt in &mut kept {
        strip.visit_stmt_mut(stmt);
        plain.visit_stmt_mut(stmt);
    }

    let mut checks = Vec::new();
    if body_type.as_ref().is_some_and(|name| checked.contains(name)) {
        checks.push(quote!(::payspec_core::check::Check::check(body, ::payspec_core::check::Path::BODY)?;));
    }
    checks.extend(parameter_checks(doc, spec_op)?);

    let success_name = type_name(&success);
    let response = quote!(response);
    let says_success = match &operation.money {
        Some(money) if !money.success.is_empty() => {
            let body = quote!(body);
            let request = body_type.as_deref().map(|name| (name, &body));
            let tests = money
                .success
                .iter()
                .map(|condition| types.condition(&success_name, &response, condition, request))
                .collect::<anyhow::Result<Vec<_>>>()?;
            quote!(|response: &#success| #(#tests)&&*)
        }
        _ => quote!(|_: &#success| true),
    };
    let reference = match &operation.money {
        Some(money) => {
            let parts = money
                .reference
                .iter()
                .map(|name| reference_part(types, body_type.as_deref(), name, &method.sig))
                .collect::<anyhow::Result<Vec<_>>>()?;
            quote!(|| ::payspec_core::Reference::new() #(#parts)*)
        }
        None => quote!(::payspec_core::Reference::new),
    };
    let operation_static = static_name(&operation.id);
    let block: syn::Block = parse_quote!({
        #(#checks)*
        #(#kept)*
        ::payspec_core::call::send::<Provider, _, _>(
            self,
            #request,
            &operations::#operation_static,
            #says_success,
            #reference,
        )
        .await
    });
    method.block = block;
    method.attrs.push(policy_doc(operation));
    Ok(())
}

/// Removes `.headers(header_map)` (only the `api-version` header was in it).
struct StripHeaderMap;

impl VisitMut for StripHeaderMap {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        if let Expr::MethodCall(call) = expr {
            if call.method == "headers" && call.args.to_token_stream().to_string() == "header_map" {
                *expr = (*call.receiver).clone();
                self.visit_expr_mut(expr);
                return;
            }
            if call.method == "form_urlencoded" {
                call.method = parse_quote!(payspec_form);
            }
        }
        visit_mut::visit_expr_mut(self, expr);
    }
}

/// Path parameters whose text never needs percent-encoding: UUIDs (hex and hyphens)
/// and integers (digits and a sign).
fn unencoded_params(sig: &syn::Signature) -> Vec<String> {
    // Matched by the whole path: a spec schema named `Uuid` is `types::Uuid`, a string
    // newtype whose text must still be encoded.
    const PLAIN: [&str; 10] = [":: uuid :: Uuid", "uuid :: Uuid", "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64"];
    let plain = |ty: &Type| PLAIN.contains(&ty.to_token_stream().to_string().as_str());
    sig.inputs
        .iter()
        .filter_map(|input| match input {
            FnArg::Typed(arg) => Some(arg),
            FnArg::Receiver(_) => None,
        })
        .filter(|arg| match arg.ty.as_ref() {
            Type::Reference(reference) => plain(&reference.elem),
            ty => plain(ty),
        })
        .map(|arg| arg.pat.to_token_stream().to_string())
        .collect()
}

/// In the URL's `format!`, `encode_path(&x.to_string())` becomes `x` for the parameters
/// of [`unencoded_params`]: the same text, without a `String` and an encoding pass per
/// call.
struct PlainPathSegments {
    params: Vec<String>,
}

impl PlainPathSegments {
    fn plain(&self, arg: &Expr) -> Option<Expr> {
        let Expr::Call(call) = arg else { return None };
        if call.func.to_token_stream().to_string() != "encode_path" || call.args.len() != 1 {
            return None;
        }
        let Expr::Reference(reference) = &call.args[0] else { return None };
        let Expr::MethodCall(to_string) = reference.expr.as_ref() else { return None };
        let name = to_string.receiver.to_token_stream().to_string();
        (to_string.method == "to_string" && self.params.contains(&name)).then(|| (*to_string.receiver).clone())
    }
}

impl VisitMut for PlainPathSegments {
    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        if !mac.path.is_ident("format") {
            return;
        }
        let Ok(mut args) = mac.parse_body_with(syn::punctuated::Punctuated::<Expr, syn::Token![,]>::parse_terminated) else {
            return;
        };
        for arg in args.iter_mut() {
            if let Some(plain) = self.plain(arg) {
                *arg = plain;
            }
        }
        mac.tokens = args.to_token_stream();
    }
}

/// `.with("order", ..)` for one reference field: a body property or a parameter.
fn reference_part(types: &Types, body_type: Option<&str>, name: &str, sig: &syn::Signature) -> anyhow::Result<TokenStream> {
    let is_param = sig.inputs.iter().any(|input| matches!(input, FnArg::Typed(arg) if arg.pat.to_token_stream().to_string() == name));
    if is_param {
        let param = ident(name);
        return Ok(quote!(.with(#name, #param)));
    }
    let body_type = body_type.ok_or_else(|| anyhow!("reference {name}: no body and no such parameter"))?;
    let field = types.field(body_type, name)?;
    let field_ident = &field.ident;
    let (wrapper, inner) = unwrap(&field.ty);
    let newtype = types.is_string_newtype(&type_name(inner));
    Ok(match wrapper {
        Wrapper::Option if newtype => quote!(.with_optional(#name, body.#field_ident.as_deref())),
        Wrapper::Option => quote!(.with_optional(#name, body.#field_ident.as_ref())),
        Wrapper::Vec => quote!(.with_list(#name, body.#field_ident.iter())),
        Wrapper::Plain if newtype => quote!(.with(#name, body.#field_ident.as_str())),
        Wrapper::Plain => quote!(.with(#name, &body.#field_ident)),
    })
}

/// Checks on parameters: `pattern: '\S'` and `x-payspec-not-before`.
fn parameter_checks(doc: &Value, spec_op: &Value) -> anyhow::Result<Vec<TokenStream>> {
    let mut checks = Vec::new();
    for param in spec_op["parameters"].as_array().into_iter().flatten() {
        let param = resolve(doc, param);
        let Some(name) = param["name"].as_str() else { continue };
        let value = ident(&heck::ToSnakeCase::to_snake_case(name));
        let required = param["required"] == true;
        if param["schema"]["pattern"].as_str() == Some(NOT_BLANK) {
            let check = quote!(::payspec_core::check::not_blank(::payspec_core::check::Path::BODY.field(#name), #value)?;);
            checks.push(if required {
                check
            } else {
                quote!(if let ::std::option::Option::Some(#value) = #value { #check })
            });
        }
        if let Some(earlier) = param.get(crate::model::NOT_BEFORE).and_then(Value::as_str) {
            let earlier_ident = ident(&heck::ToSnakeCase::to_snake_case(earlier));
            checks.push(quote! {
                if let (::std::option::Option::Some(later), ::std::option::Option::Some(earlier)) = (#value.as_ref(), #earlier_ident.as_ref()) {
                    ::payspec_core::check::not_before(::payspec_core::check::Path::BODY.field(#name), later, #earlier, earlier)?;
                }
            });
        }
    }
    Ok(checks)
}

/// A doc paragraph saying what the spec declares about repeating the operation.
fn policy_doc(operation: &Operation) -> syn::Attribute {
    let text = match (&operation.policy, &operation.money) {
        (Policy::MovesMoney, Some(money)) => format!(
            "\n\n**Moves money.** Never repeated once it may have reached the provider. An answer the spec does not document as success or refusal is `Error::OutcomeUnknown`, referenced by {}. {}",
            if money.reference.is_empty() { "nothing".to_string() } else { money.reference.iter().map(|r| format!("`{r}`")).collect::<Vec<_>>().join(", ") },
            money.reconcile
        ),
        (Policy::RetrySafe, _) => "\n\nSafe to repeat: repeated on a lost answer, a 429 or a 5xx, within the client's retry limits.".to_string(),
        _ => "\n\nNot repeated once it may have reached the provider.".to_string(),
    };
    parse_quote!(#[doc = #text])
}

/// Makes progenitor's scaffolding private or removes it: its re-exported error and
/// response types, the hook seam, and the constructor that builds a client of its own
/// (one that follows redirects).
pub fn remove_scaffolding(file: &mut syn::File) {
    file.items.retain(|item| match item {
        Item::Use(item) => !item.to_token_stream().to_string().contains("ResponseValue"),
        Item::Impl(item) => item.trait_.as_ref().is_none_or(|(_, path, _)| path.segments.last().is_none_or(|s| s.ident != "ClientHooks")),
        Item::Const(_) => false,
        _ => true,
    });
    for item in &mut file.items {
        match item {
            Item::Use(item) => {
                *item = parse_quote!(#[allow(unused_imports)] use progenitor_client::{encode_path, ClientInfo};);
            }
            Item::Impl(item) if item.trait_.is_none() && type_name(&item.self_ty) == "Client" => {
                item.items.retain(|item| !matches!(item, ImplItem::Fn(method) if method.sig.ident == "new"));
                for item in &mut item.items {
                    if let ImplItem::Fn(method) = item {
                        if method.sig.ident == "new_with_client" {
                            method.vis = parse_quote!(pub(crate));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    file.items.push(parse_quote!(use ::payspec_core::call::FormBody as _;));
}

/// Every integer field of the generated types reads a JSON number or a numeric string.
pub fn lenient_integers(file: &mut syn::File) {
    for item in &mut file.items {
        let Item::Mod(module) = item else { continue };
        if module.ident != "types" {
            continue;
        }
        for item in module.content.iter_mut().flat_map(|(_, items)| items.iter_mut()) {
            let Item::Struct(item) = item else { continue };
            if !item.attrs.iter().any(|attr| attr.to_token_stream().to_string().contains("Deserialize")) {
                continue;
            }
            for field in item.fields.iter_mut() {
                let reader = match field.ty.to_token_stream().to_string().replace(' ', "").as_str() {
                    "i64" => "::payspec_core::lenient::integer",
                    "::std::option::Option<i64>" => "::payspec_core::lenient::optional_integer",
                    "::std::vec::Vec<i64>" => "::payspec_core::lenient::integers",
                    _ => continue,
                };
                field.attrs.push(parse_quote!(#[serde(deserialize_with = #reader)]));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url_after_pass(method: ImplItemFn) -> String {
        let mut method = method;
        let mut plain = PlainPathSegments { params: unencoded_params(&method.sig) };
        plain.visit_impl_item_fn_mut(&mut method);
        method.block.stmts[0].to_token_stream().to_string()
    }

    #[test]
    fn uuid_and_integer_segments_are_written_as_they_are_text_is_still_encoded() {
        let url = url_after_pass(parse_quote! {
            pub async fn op<'a>(&'a self, wallet: &'a ::uuid::Uuid, page: i64, name: &'a str) {
                let url = format!("{}/{}/{}/{}", self.baseurl, encode_path(&wallet.to_string()), encode_path(&page.to_string()), encode_path(&name.to_string()),);
            }
        });
        assert!(url.contains("self . baseurl , wallet , page , encode_path (& name . to_string ())"), "{url}");
    }

    #[test]
    fn a_spec_schema_named_uuid_is_still_encoded() {
        let url = url_after_pass(parse_quote! {
            pub async fn op<'a>(&'a self, wallet: &'a types::Uuid, page: &'a types::i64) {
                let url = format!("{}/{}/{}", self.baseurl, encode_path(&wallet.to_string()), encode_path(&page.to_string()),);
            }
        });
        assert!(url.contains("encode_path (& wallet . to_string ()) , encode_path (& page . to_string ())"), "{url}");
    }
}
