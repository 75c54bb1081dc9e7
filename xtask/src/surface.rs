//! A readable listing of a generated crate's public surface, for snapshot review:
//! each operation (method, path, parameters, body, success and error types, how it may
//! be repeated and how it authenticates), the environments, and each type (fields or
//! variants with their Rust types and wire names).
//!
//! It is read from the generated source itself, so it shows exactly what users get:
//! the operations are the positional methods of `impl Client` (their doc comment says
//! progenitor's "Sends a `POST` request to `/path`"), and what each declares is its
//! static in `mod operations`.

use std::collections::BTreeMap;
use std::fmt::Write;

use anyhow::{anyhow, bail, Context};
use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::ToTokens;

use crate::rewrite::client_methods;
use syn::{Expr, Fields, FnArg, ImplItem, Item, ItemEnum, ItemImpl, ItemStatic, ItemStruct, Pat, Type};

/// The listing for one generated file.
pub fn listing(source: &str) -> anyhow::Result<String> {
    let file = syn::parse_file(source).context("parsing generated.rs")?;
    let statics = operation_statics(&file)?;
    let mut out = String::from("# Operations\n");
    for operation in operations(&file, &statics)? {
        writeln!(out, "\n{} {} {}", operation.id, operation.method, operation.path)?;
        writeln!(out, "  policy: {}", operation.policy)?;
        writeln!(out, "  auth: {}", operation.auth)?;
        if operation.token_endpoint {
            writeln!(out, "  token endpoint: issues the tokens of the token-endpoint schemes")?;
        }
        for (name, ty) in &operation.params {
            writeln!(out, "  param {name}: {ty}")?;
        }
        if let Some(body) = &operation.body {
            writeln!(out, "  body: {body}")?;
        }
        writeln!(out, "  ok: {}", operation.ok)?;
        writeln!(out, "  error: {} (body: {})", operation.error, operation.error_body)?;
    }
    out.push_str("\n# Environments\n\n");
    for (variant, url) in environments(&file) {
        match url {
            Some(url) => writeln!(out, "{variant} = {url}")?,
            None => writeln!(out, "{variant} (any base URL)")?,
        }
    }
    out.push_str("\n# Types\n");
    let types = module_items(&file.items, "types").unwrap_or_default();
    let wires = enum_wire_values(types);
    let mut listed: Vec<(String, String)> = Vec::new();
    for item in types {
        let mut text = String::new();
        let name = match item {
            Item::Struct(item) => {
                write_struct(&mut text, item)?;
                item.ident.to_string()
            }
            Item::Enum(item) => {
                write_enum(&mut text, item, wires.get(&item.ident.to_string()))?;
                item.ident.to_string()
            }
            _ => continue,
        };
        listed.push((name, text));
    }
    // By name: progenitor writes its types sorted and xtask appends the enums it
    // generates, so the listing sorts them together.
    listed.sort();
    for (_, text) in listed {
        out.push_str(&text);
    }
    Ok(out)
}

struct Operation {
    id: String,
    method: String,
    path: String,
    policy: String,
    auth: String,
    token_endpoint: bool,
    params: Vec<(String, String)>,
    body: Option<String>,
    ok: String,
    error: String,
    error_body: String,
}

/// What one `pub static X: Operation<E> = Operation { .. }` of `mod operations` says.
struct Declared {
    id: String,
    error_body: String,
    policy: String,
    moves_money: bool,
    auth: String,
    token_endpoint: bool,
}

fn module_items<'a>(items: &'a [Item], name: &str) -> Option<&'a [Item]> {
    items.iter().find_map(|item| match item {
        Item::Mod(module) if module.ident == name => module.content.as_ref().map(|(_, items)| items.as_slice()),
        _ => None,
    })
}

/// The statics of `mod operations`, by static name (`CREATE_PAYOUT`).
fn operation_statics(file: &syn::File) -> anyhow::Result<BTreeMap<String, Declared>> {
    let items = module_items(&file.items, "operations").ok_or_else(|| anyhow!("no `mod operations`"))?;
    let mut out = BTreeMap::new();
    for item in items {
        let Item::Static(item) = item else { continue };
        let name = item.ident.to_string();
        out.insert(name.clone(), declared(item).with_context(|| format!("operations::{name}"))?);
    }
    Ok(out)
}

fn declared(item: &ItemStatic) -> anyhow::Result<Declared> {
    let Expr::Struct(value) = item.expr.as_ref() else { bail!("not an `Operation {{ .. }}`") };
    let field = |name: &str| struct_field(value, name);
    let id = match field("id")? {
        Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(id), .. }) => id.value(),
        other => bail!("`id` is not a string: {}", other.to_token_stream()),
    };
    let policy = match last_ident(field("policy")?).as_deref() {
        Some("MovesMoney") => "moves money (never retried)",
        Some("RetrySafe") => "retry safe",
        Some("NotRetried") => "not retried",
        other => bail!("unknown policy {other:?}"),
    };
    let token_endpoint = field("token_endpoint")?.to_token_stream().to_string() == "true";
    let error_body = generic_args(&item.ty).first().map_or_else(|| "()".to_string(), render);
    Ok(Declared {
        id,
        error_body,
        policy: policy.to_string(),
        moves_money: policy.starts_with("moves money"),
        auth: auth(field("auth")?)?,
        token_endpoint,
    })
}

/// `AuthScheme::ApiKey { header: "x-access-token", source: Source::TokenEndpoint }` ->
/// "api key in header `x-access-token`, from the token endpoint".
fn auth(expr: &Expr) -> anyhow::Result<String> {
    let source = |expr: &Expr| match last_ident(expr).as_deref() {
        Some("TokenEndpoint") => Ok(", from the token endpoint"),
        Some("Static") => Ok(", static"),
        other => Err(anyhow!("unknown token source {other:?}")),
    };
    Ok(match expr {
        Expr::Path(_) => match last_ident(expr).as_deref() {
            Some("None") => "none".to_string(),
            Some("Basic") => "http basic".to_string(),
            other => bail!("unknown auth scheme {other:?}"),
        },
        Expr::Call(call) if last_ident(&call.func).as_deref() == Some("Bearer") => {
            let inner = call.args.first().ok_or_else(|| anyhow!("`Bearer` without a source"))?;
            format!("bearer{}", source(inner)?)
        }
        Expr::Struct(scheme) if scheme.path.segments.last().is_some_and(|s| s.ident == "ApiKey") => {
            let member = |name: &str| struct_field(scheme, name).context("`ApiKey`");
            let header = match member("header")? {
                Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(header), .. }) => header.value(),
                other => other.to_token_stream().to_string(),
            };
            format!("api key in header `{header}`{}", source(member("source")?)?)
        }
        other => bail!("unknown auth scheme {}", other.to_token_stream()),
    })
}

/// The value of field `name` in a struct expression.
fn struct_field<'a>(value: &'a syn::ExprStruct, name: &str) -> anyhow::Result<&'a Expr> {
    value
        .fields
        .iter()
        .find(|field| field.member.to_token_stream().to_string() == name)
        .map(|field| &field.expr)
        .ok_or_else(|| anyhow!("no field `{name}`"))
}

/// The last identifier of a path expression (`OperationPolicy::MovesMoney`).
fn last_ident(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Path(path) => path.path.segments.last().map(|segment| segment.ident.to_string()),
        _ => None,
    }
}

/// The operation methods of `impl Client`: async, with a "Sends a `METHOD` request to
/// `/path`" doc line, and a body that hands the request to the runtime with its
/// `operations::X` static.
fn operations(file: &syn::File, statics: &BTreeMap<String, Declared>) -> anyhow::Result<Vec<Operation>> {
    let mut operations = Vec::new();
    for method in client_methods(file) {
        let name = method.sig.ident.to_string();
        let doc = doc_text(&method.attrs);
        let Some((http_method, path)) = parse_sends(&doc) else { continue };
        let static_name = operations_reference(method.block.to_token_stream())
            .ok_or_else(|| anyhow!("{name}: its body names no `operations::` static"))?;
        let declared = statics
            .get(&static_name)
            .ok_or_else(|| anyhow!("{name}: no static operations::{static_name}"))?;
        if declared.id != name {
            bail!("method {name} sends as operations::{static_name}, whose id is {}", declared.id);
        }
        let mut params = Vec::new();
        let mut body = None;
        for input in &method.sig.inputs {
            let FnArg::Typed(arg) = input else { continue };
            let param = match arg.pat.as_ref() {
                Pat::Ident(ident) => ident.ident.to_string(),
                other => other.to_token_stream().to_string(),
            };
            if param == "body" {
                let inner = match arg.ty.as_ref() {
                    Type::Reference(reference) => reference.elem.as_ref(),
                    other => other,
                };
                body = Some(render(inner));
            } else {
                params.push((param, render(&arg.ty)));
            }
        }
        let (ok, error) = result_types(&method.sig.output);
        let policy = if declared.moves_money {
            // What `Error::OutcomeUnknown` names the request by.
            let reference = reference_names(method.block.to_token_stream());
            let reference = if reference.is_empty() { "nothing".to_string() } else { reference.join(", ") };
            format!("{}, referenced by {reference}", declared.policy)
        } else {
            declared.policy.clone()
        };
        operations.push(Operation {
            id: name,
            method: http_method,
            path,
            policy,
            auth: declared.auth.clone(),
            token_endpoint: declared.token_endpoint,
            params,
            body,
            ok,
            error,
            error_body: declared.error_body.clone(),
        });
    }
    if operations.is_empty() && !statics.is_empty() {
        bail!("`mod operations` declares operations, but `impl Client` has no operation method");
    }
    operations.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(operations)
}

/// The `X` of the first `operations::X` in `tokens`.
fn operations_reference(tokens: TokenStream) -> Option<String> {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    for (index, token) in tokens.iter().enumerate() {
        if let TokenTree::Group(group) = token {
            if let Some(found) = operations_reference(group.stream()) {
                return Some(found);
            }
            continue;
        }
        let TokenTree::Ident(ident) = token else { continue };
        if ident != "operations" {
            continue;
        }
        if let [TokenTree::Punct(first), TokenTree::Punct(second), TokenTree::Ident(name), ..] = &tokens[index + 1..] {
            if first.as_char() == ':' && second.as_char() == ':' {
                return Some(name.to_string());
            }
        }
    }
    None
}

/// The names a money-moving call's `Reference` is built from: the string literal that
/// starts each `.with(..)`, `.with_optional(..)` and `.with_list(..)`.
fn reference_names(tokens: TokenStream) -> Vec<String> {
    let mut names = Vec::new();
    collect_reference_names(tokens, &mut names);
    names
}

fn collect_reference_names(tokens: TokenStream, names: &mut Vec<String>) {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    for (index, token) in tokens.iter().enumerate() {
        match token {
            TokenTree::Ident(ident) if ["with", "with_optional", "with_list"].contains(&ident.to_string().as_str()) => {
                let Some(TokenTree::Group(args)) = tokens.get(index + 1) else { continue };
                if args.delimiter() != Delimiter::Parenthesis {
                    continue;
                }
                if let Some(TokenTree::Literal(literal)) = args.stream().into_iter().next() {
                    if let Ok(syn::Lit::Str(name)) = syn::parse_str::<syn::Lit>(&literal.to_string()) {
                        names.push(name.value());
                    }
                }
            }
            TokenTree::Group(group) => collect_reference_names(group.stream(), names),
            _ => {}
        }
    }
}

/// The variants of the generated `Environment` and the base URL each names.
fn environments(file: &syn::File) -> Vec<(String, Option<String>)> {
    let urls: BTreeMap<String, String> = file
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Impl(item) if type_name(&item.self_ty) == "Environment" => Some(item),
            _ => None,
        })
        .flat_map(|item| match_arms(item, "base_url"))
        .collect();
    file.items
        .iter()
        .find_map(|item| match item {
            Item::Enum(item) if item.ident == "Environment" => Some(item),
            _ => None,
        })
        .into_iter()
        .flat_map(|item| &item.variants)
        .map(|variant| {
            let name = variant.ident.to_string();
            let shown = match &variant.fields {
                Fields::Unnamed(fields) => {
                    let types: Vec<String> = fields.unnamed.iter().map(|field| render(&field.ty)).collect();
                    format!("{name}({})", types.join(", "))
                }
                _ => name.clone(),
            };
            (shown, urls.get(&name).cloned())
        })
        .collect()
}

/// `Self::Variant => <literal>` arms of the method `method` of an impl: variant -> the
/// literal's value (`"READY"` -> `READY`, `2i64` -> `2`).
fn match_arms(item: &ItemImpl, method: &str) -> Vec<(String, String)> {
    let Some(function) = item.items.iter().find_map(|item| match item {
        ImplItem::Fn(function) if function.sig.ident == method => Some(function),
        _ => None,
    }) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for stmt in &function.block.stmts {
        let syn::Stmt::Expr(Expr::Match(expr_match), _) = stmt else { continue };
        for arm in &expr_match.arms {
            let variant = match &arm.pat {
                Pat::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
                _ => None,
            };
            let value = match arm.body.as_ref() {
                Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(text), .. }) => Some(format!("{:?}", text.value())),
                Expr::Lit(syn::ExprLit { lit: syn::Lit::Int(int), .. }) => Some(int.base10_digits().to_string()),
                _ => None,
            };
            if let (Some(variant), Some(value)) = (variant, value) {
                out.push((variant, value));
            }
        }
    }
    out
}

/// For every enum xtask generates (an `as_str` or `code` method mapping each variant
/// to its wire value): enum -> variant -> wire value as written (`"READY"`, `2`).
fn enum_wire_values(types: &[Item]) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut out: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for item in types {
        let Item::Impl(item) = item else { continue };
        if item.trait_.is_some() {
            continue;
        }
        for method in ["as_str", "code"] {
            let arms = match_arms(item, method);
            if !arms.is_empty() {
                out.entry(type_name(&item.self_ty)).or_default().extend(arms);
            }
        }
    }
    out
}

fn write_struct(out: &mut String, item: &ItemStruct) -> anyhow::Result<()> {
    match &item.fields {
        Fields::Named(fields) => {
            writeln!(out, "\nstruct {}", item.ident)?;
            for field in &fields.named {
                let name = field.ident.as_ref().map(ToString::to_string).unwrap_or_default();
                let wire = serde_rename(&field.attrs).map(|wire| format!(" (wire: {wire:?})")).unwrap_or_default();
                // The generator's leniency: a number or a numeric string reads.
                let lenient = if field
                    .attrs
                    .iter()
                    .any(|attr| attr.to_token_stream().to_string().contains("payspec_core::lenient::"))
                {
                    " (lenient: number or numeric string)"
                } else {
                    ""
                };
                writeln!(out, "  {name}: {}{wire}{lenient}", render(&field.ty))?;
            }
        }
        Fields::Unnamed(fields) => {
            let types: Vec<String> = fields.unnamed.iter().map(|field| render(&field.ty)).collect();
            writeln!(out, "\nstruct {}({})", item.ident, types.join(", "))?;
        }
        Fields::Unit => writeln!(out, "\nstruct {}", item.ident)?,
    }
    Ok(())
}

/// An enum: xtask's open enums with each variant's wire value and the `Other` variant
/// that keeps any other value; progenitor's (untagged unions) with their serde names.
fn write_enum(out: &mut String, item: &ItemEnum, wires: Option<&BTreeMap<String, String>>) -> anyhow::Result<()> {
    let untagged = has_serde_word(&item.attrs, "untagged");
    let open = item.variants.iter().any(|variant| variant.ident == "Other") && !untagged;
    let shape = match (untagged, open) {
        (true, _) => " (untagged)",
        (false, true) => " (open; lenient: its value as a string or a number)",
        (false, false) => "",
    };
    writeln!(out, "\nenum {}{shape}", item.ident)?;
    for variant in &item.variants {
        let name = variant.ident.to_string();
        let data = match &variant.fields {
            Fields::Unit => String::new(),
            Fields::Unnamed(fields) => {
                let types: Vec<String> = fields.unnamed.iter().map(|field| render(&field.ty)).collect();
                format!("({})", types.join(", "))
            }
            Fields::Named(fields) => {
                let names: Vec<String> = fields
                    .named
                    .iter()
                    .map(|field| format!("{}: {}", field.ident.as_ref().map(ToString::to_string).unwrap_or_default(), render(&field.ty)))
                    .collect();
                format!(" {{ {} }}", names.join(", "))
            }
        };
        let wire = match wires {
            Some(wires) => match wires.get(&name) {
                Some(value) => format!(" = {value}"),
                None if name == "Other" && !data.is_empty() => " (any other value)".to_string(),
                None => String::new(),
            },
            None if has_serde_word(&variant.attrs, "untagged") => " (any other value)".to_string(),
            None => serde_rename(&variant.attrs).map(|wire| format!(" = {wire:?}")).unwrap_or_default(),
        };
        writeln!(out, "  {name}{data}{wire}")?;
    }
    Ok(())
}

fn serde_rename(attrs: &[syn::Attribute]) -> Option<String> {
    let mut rename = None;
    for attr in attrs.iter().filter(|attr| attr.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                let value: syn::LitStr = meta.value()?.parse()?;
                rename = Some(value.value());
            } else if meta.input.peek(syn::Token![=]) {
                meta.value()?.parse::<syn::Expr>()?;
            }
            Ok(())
        });
    }
    rename
}

fn has_serde_word(attrs: &[syn::Attribute], word: &str) -> bool {
    let mut found = false;
    for attr in attrs.iter().filter(|attr| attr.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident(word) {
                found = true;
            } else if meta.input.peek(syn::Token![=]) {
                meta.value()?.parse::<syn::Expr>()?;
            }
            Ok(())
        });
    }
    found
}

fn doc_text(attrs: &[syn::Attribute]) -> String {
    attrs
        .iter()
        .filter(|attr| attr.path().is_ident("doc"))
        .filter_map(|attr| match &attr.meta {
            syn::Meta::NameValue(syn::MetaNameValue {
                value: syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(text), .. }),
                ..
            }) => Some(text.value()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The line "Sends a `POST` request to `/path`" of a method's doc -> ("POST", "/path").
fn parse_sends(doc: &str) -> Option<(String, String)> {
    doc.lines().find_map(|line| {
        let rest = line.trim().strip_prefix("Sends a `")?;
        let (method, rest) = rest.split_once('`')?;
        let path = rest.strip_prefix(" request to `")?.split('`').next()?;
        Some((method.to_string(), path.to_string()))
    })
}

/// `Result<T, E>` -> (T, E).
fn result_types(output: &syn::ReturnType) -> (String, String) {
    let syn::ReturnType::Type(_, ty) = output else {
        return ("()".into(), "()".into());
    };
    let args = generic_args(ty);
    let ok = args.first().map_or_else(|| "()".to_string(), render);
    let error = args.get(1).map_or_else(|| "()".to_string(), render);
    (ok, error)
}

fn generic_args(ty: &Type) -> Vec<Type> {
    let Type::Path(path) = ty else { return Vec::new() };
    let Some(last) = path.path.segments.last() else { return Vec::new() };
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else { return Vec::new() };
    args.args
        .iter()
        .filter_map(|arg| match arg {
            syn::GenericArgument::Type(ty) => Some(ty.clone()),
            _ => None,
        })
        .collect()
}

fn type_name(ty: &Type) -> String {
    match ty {
        Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default(),
        _ => String::new(),
    }
}

/// A type as a reader would write it: no `::std::` prefixes, no lifetimes, no token
/// spacing (`&'a ::uuid::Uuid` -> `&uuid::Uuid`).
fn render(ty: &Type) -> String {
    let text = without_lifetimes(&ty.to_token_stream().to_string()).replace(' ', "");
    let text = text
        .replace("::std::option::", "")
        .replace("::std::string::", "")
        .replace("::std::vec::", "")
        .replace("::std::collections::", "")
        .replace("::std::num::", "")
        .replace("::serde_json::", "serde_json::")
        .replace("::payspec_core::", "payspec_core::")
        .replace("::chrono::", "chrono::")
        .replace("::uuid::", "uuid::")
        .replace("::reqwest::", "reqwest::")
        .replace("super::", "types::");
    text.replace(",>", ">").replace(',', ", ")
}

/// Token text without its lifetimes (`& 'a str` -> `& str`, `Cow<'static, str>` ->
/// `Cow<str>`).
fn without_lifetimes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(ch) = chars.next() {
        if ch != '\'' {
            out.push(ch);
            continue;
        }
        while chars.peek().is_some_and(|c| c.is_alphanumeric() || *c == '_') {
            chars.next();
        }
        // The separator after a lifetime in a generic list (`'a, T`).
        while chars.peek() == Some(&' ') {
            chars.next();
        }
        if chars.peek() == Some(&',') {
            chars.next();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_sends_line_among_other_backticks() {
        let doc = "Create a payout\n\nSends `apiKey` in the body.\n\nSends a `POST` request to `/api/payment/create`\n\n";
        assert_eq!(parse_sends(doc), Some(("POST".into(), "/api/payment/create".into())));
        assert_eq!(parse_sends("No request line."), None);
    }

    #[test]
    fn renders_types_without_lifetimes_or_std_paths() {
        let ty: Type = syn::parse_str("Option<&'a ::std::string::String>").unwrap();
        assert_eq!(render(&ty), "Option<&String>");
        let ty: Type = syn::parse_str("&'a ::uuid::Uuid").unwrap();
        assert_eq!(render(&ty), "&uuid::Uuid");
        let ty: Type = syn::parse_str("::std::collections::HashMap<::std::string::String, ::std::vec::Vec<i64>>").unwrap();
        assert_eq!(render(&ty), "HashMap<String, Vec<i64>>");
    }
}
