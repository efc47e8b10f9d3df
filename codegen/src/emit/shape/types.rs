//! typify's output: string enums, integer newtypes and the impls around
//! them, serde attributes, structs.

use syn::punctuated::Punctuated;
use syn::visit::{self, Visit};
use syn::{Attribute, Expr, Fields, Ident, Item, ItemEnum, ItemImpl, ItemStruct, Lit, Type};

use super::{is_type, last_ident};

/// The keys of `#[serde(..)]` attributes, with their string values
/// (`rename = "x"` → `("rename", Some("x"))`, `untagged` → `("untagged",
/// None)`).
pub(crate) fn serde_keys(attrs: &[Attribute]) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            let key = meta
                .path
                .get_ident()
                .map(ToString::to_string)
                .unwrap_or_default();
            if meta.input.peek(syn::Token![=]) {
                let value: Expr = meta.value()?.parse()?;
                let text = match value {
                    Expr::Lit(syn::ExprLit {
                        lit: Lit::Str(s), ..
                    }) => Some(s.value()),
                    _ => None,
                };
                out.push((key, text));
            } else {
                if meta.input.peek(syn::token::Paren) {
                    let content;
                    syn::parenthesized!(content in meta.input);
                    let _: proc_macro2::TokenStream = content.parse()?;
                }
                out.push((key, None));
            }
            Ok(())
        });
    }
    out
}

/// The wire name a field or variant has under `#[serde(rename = "..")]`.
pub(crate) fn serde_rename(attrs: &[Attribute]) -> Option<String> {
    serde_keys(attrs)
        .into_iter()
        .find(|(key, _)| key == "rename")
        .and_then(|(_, value)| value)
}

/// Whether `attrs` derive a trait named `name` (by its last path segment).
fn derives(attrs: &[Attribute], name: &str) -> bool {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("derive"))
        .any(|a| {
            a.parse_args_with(Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
                .is_ok_and(|paths| {
                    paths
                        .iter()
                        .any(|p| p.segments.last().is_some_and(|s| s.ident == name))
                })
        })
}

/// The doc attributes of an item.
pub(crate) fn docs(attrs: &[Attribute]) -> Vec<Attribute> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .cloned()
        .collect()
}

/// A closed string enum as typify writes it: a deserialisable enum of unit
/// variants, not untagged. Returns each variant with its wire string.
pub(crate) fn string_enum(e: &ItemEnum) -> Option<Vec<(Ident, String)>> {
    let is_string_enum = derives(&e.attrs, "Deserialize")
        && !e.variants.is_empty()
        && e.variants.iter().all(|v| matches!(v.fields, Fields::Unit))
        && !serde_keys(&e.attrs)
            .iter()
            .any(|(key, _)| key == "untagged");
    is_string_enum.then(|| {
        e.variants
            .iter()
            .map(|v| {
                let wire = serde_rename(&v.attrs).unwrap_or_else(|| v.ident.to_string());
                (v.ident.clone(), wire)
            })
            .collect()
    })
}

/// The integer type of a newtype struct `struct T(i32);`.
pub(crate) fn integer_newtype(s: &ItemStruct) -> Option<Ident> {
    let Fields::Unnamed(fields) = &s.fields else {
        return None;
    };
    let [field] = fields.unnamed.iter().collect::<Vec<_>>().try_into().ok()?;
    let Type::Path(p) = &field.ty else {
        return None;
    };
    let ident = p.path.get_ident()?;
    matches!(
        ident.to_string().as_str(),
        "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64"
    )
    .then(|| ident.clone())
}

/// Whether `imp` implements a trait whose last segment is `name` with the
/// type argument `arg` (e.g. `TryFrom<i32>`), or without arguments when
/// `arg` is `None`.
fn implements(imp: &ItemImpl, name: &str, arg: Option<&str>) -> bool {
    let Some((path, _)) = &imp.trait_ else {
        return false;
    };
    let Some(last) = path.segments.last() else {
        return false;
    };
    if last.ident != name {
        return false;
    }
    match (arg, &last.arguments) {
        (None, syn::PathArguments::None) => true,
        (Some(arg), syn::PathArguments::AngleBracketed(args)) => {
            matches!(args.args.first(), Some(syn::GenericArgument::Type(t)) if last_ident(t).is_some_and(|i| i == arg))
        }
        _ => false,
    }
}

/// The values typify's `impl TryFrom<int> for T` accepts, from its check
/// `if ![0_i32, 1_i32].contains(&value)`.
pub(crate) fn accepted_values(items: &[Item], ty: &Ident, int: &Ident) -> Option<Vec<i64>> {
    struct Find(Option<Vec<i64>>);
    fn literal(expr: &Expr) -> Option<i64> {
        match expr {
            Expr::Lit(syn::ExprLit {
                lit: Lit::Int(i), ..
            }) => i.base10_parse().ok(),
            Expr::Unary(u) if matches!(u.op, syn::UnOp::Neg(_)) => literal(&u.expr).map(|v| -v),
            Expr::Paren(p) => literal(&p.expr),
            _ => None,
        }
    }
    impl<'ast> Visit<'ast> for Find {
        fn visit_expr_method_call(&mut self, node: &'ast syn::ExprMethodCall) {
            if node.method == "contains" && self.0.is_none() {
                let mut receiver = &*node.receiver;
                while let Expr::Paren(p) = receiver {
                    receiver = &p.expr;
                }
                if let Expr::Array(array) = receiver {
                    self.0 = array.elems.iter().map(literal).collect();
                }
            }
            visit::visit_expr_method_call(self, node);
        }
    }
    let int = int.to_string();
    items.iter().find_map(|item| {
        let Item::Impl(imp) = item else { return None };
        if !implements(imp, "TryFrom", Some(&int)) || !is_type(&imp.self_ty, &ty.to_string()) {
            return None;
        }
        let mut find = Find(None);
        find.visit_item_impl(imp);
        find.0
    })
}

/// Whether `imp` belongs to a type in `names` that is being replaced: its
/// impls, except `Default` (which names a variant that still exists), and
/// conversions from it into other types (`impl From<T> for i32`).
pub(crate) fn impl_of_replaced(imp: &ItemImpl, is_replaced: impl Fn(&str) -> bool) -> bool {
    if implements(imp, "Default", None) {
        return false;
    }
    if last_ident(&imp.self_ty).is_some_and(|i| is_replaced(&i.to_string())) && is_plain_self(imp) {
        return true;
    }
    let Some((path, _)) = &imp.trait_ else {
        return false;
    };
    let Some(last) = path.segments.last() else {
        return false;
    };
    (last.ident == "From" || last.ident == "TryFrom")
        && matches!(&last.arguments, syn::PathArguments::AngleBracketed(args)
            if matches!(args.args.first(), Some(syn::GenericArgument::Type(t))
                if matches!(t, Type::Path(p) if p.path.get_ident().is_some_and(|i| is_replaced(&i.to_string())))))
}

/// Whether the impl's self type is a plain name (not `&T` or a path into
/// another module).
fn is_plain_self(imp: &ItemImpl) -> bool {
    matches!(&*imp.self_ty, Type::Path(p) if p.qself.is_none() && p.path.get_ident().is_some())
}

/// The struct named `name` among `items`.
pub(crate) fn find_struct<'a>(items: &'a [Item], name: &str) -> Option<&'a ItemStruct> {
    items.iter().find_map(|item| match item {
        Item::Struct(s) if s.ident == name => Some(s),
        _ => None,
    })
}

/// Whether `items` defines a type named `ident`.
pub(crate) fn defines(items: &[Item], ident: &Ident) -> bool {
    items.iter().any(|item| match item {
        Item::Struct(s) => s.ident == *ident,
        Item::Enum(e) => e.ident == *ident,
        Item::Type(t) => t.ident == *ident,
        _ => false,
    })
}

/// Rewrites the tuple-struct constructions `T(value)` (any path ending in
/// `T`, e.g. `super::T(0_i64)` in typify's `defaults` module) of the named
/// newtypes into `T::from(value)`, for types replaced by enums that convert
/// from their integer.
pub(crate) struct NewtypeConstructors<'a> {
    names: &'a std::collections::BTreeSet<String>,
}

impl<'a> NewtypeConstructors<'a> {
    /// A rewrite of the constructors of `names`.
    pub(crate) fn new(names: &'a std::collections::BTreeSet<String>) -> Self {
        Self { names }
    }
}

impl syn::visit_mut::VisitMut for NewtypeConstructors<'_> {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        if let Expr::Call(call) = expr {
            if let Expr::Path(p) = &mut *call.func {
                let replaced = p
                    .path
                    .segments
                    .last()
                    .is_some_and(|s| self.names.contains(&s.ident.to_string()));
                if replaced && call.args.len() == 1 && p.qself.is_none() {
                    p.path.segments.push(syn::PathSegment::from(Ident::new(
                        "from",
                        proc_macro2::Span::call_site(),
                    )));
                }
            }
        }
        syn::visit_mut::visit_expr_mut(self, expr);
    }
}

/// typify's `Deserialize` of a constrained string newtype (`maxLength`,
/// `minLength`, `pattern`): `impl<'de> Deserialize<'de> for T` whose
/// `deserialize` is the one expression
/// `Inner::deserialize(deserializer)?.parse().map_err(..)`, on a
/// `struct T(Inner);`. Returns the call `Inner::deserialize(deserializer)`
/// that reads the unchecked value, beside the function.
pub(crate) fn checked_newtype_deserialize<'a>(
    items: &[Item],
    imp: &'a mut ItemImpl,
) -> Option<(&'a mut syn::ImplItemFn, Expr)> {
    if !implements_with_lifetime(imp, "Deserialize") {
        return None;
    }
    let name = last_ident(&imp.self_ty)?.to_string();
    let newtype = find_struct(items, &name)?;
    let Fields::Unnamed(fields) = &newtype.fields else {
        return None;
    };
    if fields.unnamed.len() != 1 {
        return None;
    }
    let inner = &fields.unnamed[0].ty;
    let f = imp.items.iter_mut().find_map(|it| match it {
        syn::ImplItem::Fn(f) if f.sig.ident == "deserialize" => Some(f),
        _ => None,
    })?;
    let [syn::Stmt::Expr(expr, None)] = f.block.stmts.as_slice() else {
        return None;
    };
    let Expr::MethodCall(map_err) = expr else {
        return None;
    };
    let Expr::MethodCall(parse) = &*map_err.receiver else {
        return None;
    };
    let Expr::Try(read) = &*parse.receiver else {
        return None;
    };
    let Expr::Call(call) = &*read.expr else {
        return None;
    };
    let Expr::Path(callee) = &*call.func else {
        return None;
    };
    let reads_inner = callee
        .path
        .segments
        .last()
        .is_some_and(|s| s.ident == "deserialize")
        && callee.path.segments.len() >= 2
        && callee.path.segments[callee.path.segments.len() - 2].ident == *last_ident(inner)?;
    let matches = map_err.method == "map_err" && parse.method == "parse" && reads_inner;
    let read = (*read.expr).clone();
    matches.then_some((f, read))
}

/// Whether `imp` implements `name<'de>` (a trait with only a lifetime
/// argument, as `Deserialize<'de>`).
fn implements_with_lifetime(imp: &ItemImpl, name: &str) -> bool {
    let Some((path, _)) = &imp.trait_ else {
        return false;
    };
    path.segments.last().is_some_and(|last| {
        last.ident == name
            && matches!(&last.arguments, syn::PathArguments::AngleBracketed(args)
                if args.args.len() == 1 && matches!(args.args[0], syn::GenericArgument::Lifetime(_)))
    })
}
