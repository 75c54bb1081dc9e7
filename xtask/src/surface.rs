//! A readable listing of a generated crate's public surface, for snapshot review:
//! each operation (method, path, parameters, body, success and error types, policy)
//! and each type (fields or variants with their Rust types and wire names).
//!
//! It is read from the generated source itself, so it shows exactly what users get.

use std::collections::BTreeMap;
use std::fmt::Write;

use anyhow::{anyhow, Context};
use quote::ToTokens;
use syn::{Fields, ImplItem, Item, ItemEnum, ItemStruct, Type};

/// The listing for one generated file.
pub fn listing(source: &str) -> anyhow::Result<String> {
    let file = syn::parse_file(source).context("parsing generated.rs")?;
    let policies = policies(&file);
    let mut out = String::from("# Operations\n");
    for operation in operations(&file)? {
        let policy = policies
            .get(&operation.id)
            .map_or("not retried", String::as_str);
        writeln!(out, "\n{} {} {}", operation.id, operation.method, operation.path)?;
        writeln!(out, "  policy: {policy}")?;
        for (name, ty) in &operation.params {
            writeln!(out, "  param {name}: {ty}")?;
        }
        if let Some(body) = &operation.body {
            writeln!(out, "  body: {body}")?;
        }
        writeln!(out, "  ok: {}", operation.ok)?;
        writeln!(out, "  error: {}", operation.error)?;
    }
    out.push_str("\n# Types\n");
    for item in module_items(&file.items, "types").unwrap_or_default() {
        match item {
            Item::Struct(item) => write_struct(&mut out, item)?,
            Item::Enum(item) => write_enum(&mut out, item)?,
            _ => {}
        }
    }
    Ok(out)
}

struct Operation {
    id: String,
    method: String,
    path: String,
    params: Vec<(String, String)>,
    body: Option<String>,
    ok: String,
    error: String,
}

fn module_items<'a>(items: &'a [Item], name: &str) -> Option<&'a [Item]> {
    items.iter().find_map(|item| match item {
        Item::Mod(module) if module.ident == name => module.content.as_ref().map(|(_, items)| items.as_slice()),
        _ => None,
    })
}

/// Operations from `mod builder`: one struct per operation, its fields are the
/// parameters, its `send` says the method, path and result types.
fn operations(file: &syn::File) -> anyhow::Result<Vec<Operation>> {
    let builder = module_items(&file.items, "builder").ok_or_else(|| anyhow!("no `mod builder`"))?;
    let mut operations = Vec::new();
    for item in builder {
        let Item::Impl(item_impl) = item else { continue };
        let Some(send) = item_impl.items.iter().find_map(|item| match item {
            ImplItem::Fn(method) if method.sig.ident == "send" => Some(method),
            _ => None,
        }) else {
            continue;
        };
        let name = type_name(&item_impl.self_ty);
        let fields = builder.iter().find_map(|item| match item {
            Item::Struct(item) if item.ident == name => Some(&item.fields),
            _ => None,
        });
        let doc = doc_text(&send.attrs);
        let (method, path) = parse_sends(&doc).ok_or_else(|| anyhow!("{name}: no method/path in `{doc}`"))?;
        let (ok, error) = result_types(&send.sig.output);
        let mut params = Vec::new();
        let mut body = None;
        for field in fields.into_iter().flatten() {
            let field_name = field.ident.as_ref().map(ToString::to_string).unwrap_or_default();
            if field_name == "client" {
                continue;
            }
            let ty = render(&result_ok_type(&field.ty)).replace("types::builder::", "types::");
            if field_name == "body" {
                body = Some(ty);
            } else {
                params.push((field_name, ty));
            }
        }
        operations.push(Operation {
            id: snake_case(&name),
            method,
            path,
            params,
            body,
            ok,
            error,
        });
    }
    operations.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(operations)
}

/// The operation ids in the generated `policy` function, by policy.
fn policies(file: &syn::File) -> BTreeMap<String, String> {
    let mut policies = BTreeMap::new();
    let Some(policy) = file.items.iter().find_map(|item| match item {
        Item::Fn(function) if function.sig.ident == "policy" => Some(function),
        _ => None,
    }) else {
        return policies;
    };
    for stmt in &policy.block.stmts {
        let syn::Stmt::Expr(syn::Expr::Match(expr_match), _) = stmt else { continue };
        for arm in &expr_match.arms {
            let label = match arm.body.to_token_stream().to_string() {
                body if body.contains("MovesMoney") => "moves money (never retried)",
                body if body.contains("RetrySafe") => "retry safe",
                _ => continue,
            };
            let mut ids = Vec::new();
            collect_literals(&arm.pat, &mut ids);
            for id in ids {
                policies.insert(id, label.to_string());
            }
        }
    }
    policies
}

fn collect_literals(pat: &syn::Pat, out: &mut Vec<String>) {
    match pat {
        syn::Pat::Or(or) => or.cases.iter().for_each(|case| collect_literals(case, out)),
        syn::Pat::Lit(syn::PatLit { lit: syn::Lit::Str(lit), .. }) => out.push(lit.value()),
        _ => {}
    }
}

fn write_struct(out: &mut String, item: &ItemStruct) -> anyhow::Result<()> {
    match &item.fields {
        Fields::Named(fields) => {
            writeln!(out, "\nstruct {}", item.ident)?;
            for field in &fields.named {
                let name = field.ident.as_ref().map(ToString::to_string).unwrap_or_default();
                let wire = serde_rename(&field.attrs).map(|wire| format!(" (wire: {wire:?})")).unwrap_or_default();
                writeln!(out, "  {name}: {}{wire}", render(&field.ty))?;
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

fn write_enum(out: &mut String, item: &ItemEnum) -> anyhow::Result<()> {
    let untagged = has_serde_word(&item.attrs, "untagged");
    writeln!(out, "\nenum {}{}", item.ident, if untagged { " (untagged)" } else { "" })?;
    for variant in &item.variants {
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
        let wire = if has_serde_word(&variant.attrs, "untagged") {
            " (any other value)".to_string()
        } else {
            serde_rename(&variant.attrs).map(|wire| format!(" = {wire:?}")).unwrap_or_default()
        };
        writeln!(out, "  {}{data}{wire}", variant.ident)?;
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

/// "Sends a `POST` request to `/path`" -> ("POST", "/path").
fn parse_sends(doc: &str) -> Option<(String, String)> {
    let mut quoted = doc.split('`').skip(1).step_by(2);
    Some((quoted.next()?.to_string(), quoted.next()?.to_string()))
}

/// `Result<ResponseValue<T>, Error<E>>` -> (T, E).
fn result_types(output: &syn::ReturnType) -> (String, String) {
    let syn::ReturnType::Type(_, ty) = output else {
        return ("()".into(), "()".into());
    };
    let args = generic_args(ty);
    let ok = args.first().map(|ok| generic_args(ok).first().map_or_else(|| render(ok), render));
    let error = args.get(1).map(|error| generic_args(error).first().map_or_else(|| "()".to_string(), render));
    (ok.unwrap_or_default(), error.unwrap_or_default())
}

/// `Result<T, String>` -> T.
fn result_ok_type(ty: &Type) -> Type {
    generic_args(ty).first().cloned().unwrap_or_else(|| ty.clone())
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

/// A type as a reader would write it: no `::std::` prefixes, no token spacing.
fn render(ty: &Type) -> String {
    let text = ty.to_token_stream().to_string().replace(' ', "");
    let mut text = text.replace("::std::option::", "").replace("::std::string::", "")
        .replace("::std::vec::", "").replace("::std::collections::", "")
        .replace("::serde_json::", "serde_json::").replace("::payspec_core::", "payspec_core::")
        .replace("::std::num::", "").replace("::chrono::", "chrono::").replace("::uuid::", "uuid::").replace("super::", "types::");
    text = text.replace(",>", ">").replace(',', ", ");
    text
}

fn snake_case(name: &str) -> String {
    let mut out = String::new();
    for (index, ch) in name.chars().enumerate() {
        if ch.is_uppercase() {
            if index > 0 {
                out.push('_');
            }
            out.extend(ch.to_lowercase());
        } else {
            out.push(ch);
        }
    }
    out
}
