//! Makes every generated string enum forward compatible.
//!
//! progenitor emits closed enums: a status value a provider adds tomorrow would fail
//! the whole response. This pass, the same for every provider, gives each string enum
//! a last `#[serde(untagged)] Other(String)` variant that keeps an unknown value and
//! writes it back unchanged, and updates the enum's `Display` and `FromStr` to match.

use std::collections::BTreeSet;

use syn::visit_mut::{self, VisitMut};
use syn::{parse_quote, Arm, Expr, Fields, ImplItem, Item, ItemEnum, ItemImpl, Pat, Type};

/// Rewrites every string enum in `file` and its `Display`/`FromStr` impls.
pub fn apply(file: &mut syn::File) {
    let mut enums = EnumPass::default();
    enums.visit_file_mut(file);
    ImplPass {
        names: enums.opened,
    }
    .visit_file_mut(file);
}

#[derive(Default)]
struct EnumPass {
    opened: BTreeSet<String>,
}

impl VisitMut for EnumPass {
    fn visit_item_enum_mut(&mut self, item: &mut ItemEnum) {
        if is_string_enum(item) {
            remove_copy_derive(item);
            item.variants.push(parse_quote! {
                /// A value this version of the spec does not list, kept as received.
                #[serde(untagged)]
                Other(::std::string::String)
            });
            self.opened.insert(item.ident.to_string());
        }
        visit_mut::visit_item_enum_mut(self, item);
    }
}

/// A serde enum whose variants are all unit variants: a JSON string enum.
fn is_string_enum(item: &ItemEnum) -> bool {
    !item.variants.is_empty()
        && item.variants.iter().all(|variant| matches!(variant.fields, Fields::Unit))
        && derives(item, "Deserialize")
}

fn derives(item: &ItemEnum, name: &str) -> bool {
    item.attrs.iter().any(|attr| {
        attr.path().is_ident("derive")
            && attr
                .parse_args_with(
                    syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
                )
                .is_ok_and(|paths| {
                    paths
                        .iter()
                        .any(|path| path.segments.last().is_some_and(|s| s.ident == name))
                })
    })
}

/// `Other(String)` is not `Copy`.
fn remove_copy_derive(item: &mut ItemEnum) {
    for attr in &mut item.attrs {
        if !attr.path().is_ident("derive") {
            continue;
        }
        let Ok(paths) = attr.parse_args_with(
            syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
        ) else {
            continue;
        };
        let kept: Vec<&syn::Path> = paths.iter().filter(|path| !path.is_ident("Copy")).collect();
        *attr = parse_quote!(#[derive(#(#kept),*)]);
    }
}

struct ImplPass {
    names: BTreeSet<String>,
}

impl VisitMut for ImplPass {
    fn visit_item_mut(&mut self, item: &mut Item) {
        if let Item::Impl(item_impl) = item {
            if let Some(trait_name) = self.opened_trait_impl(item_impl) {
                match trait_name.as_str() {
                    "Display" => open_display(item_impl),
                    "FromStr" => open_from_str(item_impl),
                    _ => {}
                }
            }
        }
        visit_mut::visit_item_mut(self, item);
    }
}

impl ImplPass {
    /// The trait's name when `item` implements a trait for an opened enum.
    fn opened_trait_impl(&self, item: &ItemImpl) -> Option<String> {
        let (_, trait_path, _) = item.trait_.as_ref()?;
        let Type::Path(self_ty) = item.self_ty.as_ref() else {
            return None;
        };
        let self_name = self_ty.path.segments.last()?.ident.to_string();
        self.names
            .contains(&self_name)
            .then(|| trait_path.segments.last().map(|s| s.ident.to_string()))
            .flatten()
    }
}

/// `match *self { .. }` becomes `match self { .., Self::Other(value) => f.write_str(value) }`.
fn open_display(item: &mut ItemImpl) {
    for_each_match(item, |expr_match| {
        if let Expr::Unary(unary) = expr_match.expr.as_ref() {
            expr_match.expr = unary.expr.clone();
        }
        expr_match
            .arms
            .push(parse_quote!(Self::Other(value) => f.write_str(value),));
    });
}

/// The `_ => Err(..)` arm becomes `other => Ok(Self::Other(other.to_string()))`.
fn open_from_str(item: &mut ItemImpl) {
    for_each_match(item, |expr_match| {
        for arm in &mut expr_match.arms {
            if matches!(arm.pat, Pat::Wild(_)) {
                let opened: Arm = parse_quote!(other => Ok(Self::Other(other.to_string())),);
                *arm = opened;
            }
        }
    });
}

fn for_each_match(item: &mut ItemImpl, mut edit: impl FnMut(&mut syn::ExprMatch)) {
    for impl_item in &mut item.items {
        if let ImplItem::Fn(method) = impl_item {
            for stmt in &mut method.block.stmts {
                if let syn::Stmt::Expr(Expr::Match(expr_match), _) = stmt {
                    edit(expr_match);
                }
            }
        }
    }
}
