//! progenitor's operation builders: the struct, `new` and `send` of each,
//! and their fields and setters (what the extra-headers and paging passes
//! edit and read).

use syn::punctuated::Punctuated;
use syn::{Expr, File, Ident, ImplItemFn, Item, Stmt, Type};

use super::*;

// Operation builders: the struct, `new` and `send` of each (extra headers)

/// The struct of the operation builder `builder` in module `builder`:
/// `pub struct Builder<'a> { client: &'a super::Client, PARAM: .., .. }`,
/// with named fields, the first a reference to the client (named `client`
/// unless a parameter took that name).
pub(crate) fn builder_struct_mut<'a>(
    items: &'a mut [Item],
    builder: &Ident,
) -> Option<&'a mut syn::FieldsNamed> {
    let refers_to_client = |ty: &Type| match ty {
        Type::Reference(r) => {
            matches!(&*r.elem, Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "Client"))
        }
        _ => false,
    };
    items.iter_mut().find_map(|item| match item {
        Item::Struct(s) if s.ident == *builder => match &mut s.fields {
            syn::Fields::Named(fields)
                if fields
                    .named
                    .first()
                    .is_some_and(|f| refers_to_client(&f.ty)) =>
            {
                Some(fields)
            }
            _ => None,
        },
        _ => None,
    })
}

/// The inherent `impl Builder<'a>` of the operation builder `builder` that
/// holds its `new` (and the parameter setters).
pub(crate) fn builder_impl_mut<'a>(
    items: &'a mut [Item],
    builder: &Ident,
) -> Option<&'a mut syn::ItemImpl> {
    items.iter_mut().find_map(|item| match item {
        Item::Impl(imp)
            if imp.trait_.is_none()
                && last_ident(&imp.self_ty) == Some(builder)
                && imp
                    .items
                    .iter()
                    .any(|it| matches!(it, syn::ImplItem::Fn(f) if f.sig.ident == "new")) =>
        {
            Some(imp)
        }
        _ => None,
    })
}

/// A method of an impl block, by name.
pub(crate) fn impl_fn_mut<'a>(
    imp: &'a mut syn::ItemImpl,
    name: &str,
) -> Option<&'a mut ImplItemFn> {
    imp.items.iter_mut().find_map(|it| match it {
        syn::ImplItem::Fn(f) if f.sig.ident == name => Some(f),
        _ => None,
    })
}

/// The `Self { client: client, PARAM: .., .. }` literal a builder's `new`
/// returns: the last statement of its body, as a tail expression.
pub(crate) fn new_self_literal(new: &mut ImplItemFn) -> Option<&mut syn::ExprStruct> {
    match new.block.stmts.last_mut()? {
        Stmt::Expr(Expr::Struct(s), None) if s.path.is_ident("Self") => Some(s),
        _ => None,
    }
}

/// The fields of `let Self { client, PARAM, .. } = self;` in a builder's
/// `send`, which moves every field out of the builder.
pub(crate) fn self_destructuring(
    send: &mut ImplItemFn,
) -> Option<&mut Punctuated<syn::FieldPat, syn::Token![,]>> {
    send.block.stmts.iter_mut().find_map(|stmt| {
        let Stmt::Local(local) = stmt else {
            return None;
        };
        let init = local.init.as_ref()?;
        let is_self = matches!(&*init.expr, Expr::Path(p) if p.path.is_ident("self"));
        match &mut local.pat {
            Pat::Struct(s) if is_self && s.path.is_ident("Self") => Some(&mut s.fields),
            _ => None,
        }
    })
}

/// The request binding of the statement the `wiring` pass puts in place of
/// progenitor's hooks, `let RESPONSE = ::RUNTIME::send(HTTP, RUNTIME, REQUEST,
/// &INFO).await?;`, if `stmt` is that statement.
pub(crate) fn runtime_send_request<'a>(stmt: &'a Stmt, runtime: &Ident) -> Option<&'a Ident> {
    let (_, init) = local(stmt)?;
    let call = match init {
        Expr::Try(t) => match &*t.expr {
            Expr::Await(a) => &*a.base,
            _ => return None,
        },
        _ => return None,
    };
    let call = runtime_call(call, runtime, "send", 4)?;
    path_ident(&call.args[2])
}

/// `expr` as a call of the runtime's function `name` with `args`
/// arguments, `::RUNTIME::name(..)`, if it is one.
pub(crate) fn runtime_call<'a>(
    expr: &'a Expr,
    runtime: &Ident,
    name: &str,
    args: usize,
) -> Option<&'a syn::ExprCall> {
    let Expr::Call(call) = expr else { return None };
    let Expr::Path(func) = &*call.func else {
        return None;
    };
    let names: Vec<&Ident> = func.path.segments.iter().map(|s| &s.ident).collect();
    (func.path.leading_colon.is_some()
        && names.len() == 2
        && names[0] == runtime
        && names[1] == name
        && call.args.len() == args)
        .then_some(call)
}

/// The method `name` of the operation builder `builder`, in whichever of
/// its inherent impls it is.
pub(crate) fn impl_fns_mut<'a>(
    items: &'a mut [Item],
    builder: &Ident,
    name: &str,
) -> Option<&'a mut ImplItemFn> {
    items.iter_mut().find_map(|item| match item {
        Item::Impl(imp) if imp.trait_.is_none() && last_ident(&imp.self_ty) == Some(builder) => {
            impl_fn_mut(imp, name)
        }
        _ => None,
    })
}

/// The fields of builder struct `builder` (module `builder`) other than
/// its `client`, in declaration order. progenitor's builders hold the
/// client by reference and every parameter by value, so a builder can be
/// rebuilt around another reference to (a clone of) the client.
pub(crate) fn builder_fields(file: &File, builder: &Ident) -> Option<Vec<Ident>> {
    let items = module(file, "builder")?;
    let s = find_struct(items, &builder.to_string())?;
    let syn::Fields::Named(fields) = &s.fields else {
        return None;
    };
    let names: Vec<&Ident> = fields
        .named
        .iter()
        .filter_map(|f| f.ident.as_ref())
        .collect();
    if !names.iter().any(|n| *n == "client") {
        return None;
    }
    Some(
        names
            .into_iter()
            .filter(|n| *n != "client")
            .cloned()
            .collect(),
    )
}
