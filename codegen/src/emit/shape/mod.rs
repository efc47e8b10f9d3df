//! Every assumption the emit passes make about the shape of progenitor's
//! and typify's output, in one place, each matched on the syntax tree.
//!
//! progenitor's own code (modules, operations, hooks, headers, decoding,
//! re-exports) is matched here, typify's types in [`types`]. When progenitor
//! or typify change what they generate, this module is the place to read
//! and adapt; a shape that is not found is reported by the caller
//! as an error naming the operation and the assumption, never skipped.

mod builders;
mod dispatch;
mod query;
mod types;

pub(crate) use builders::*;
pub(crate) use dispatch::*;
pub(crate) use query::*;
pub(crate) use types::*;

use proc_macro2::Span;
use syn::punctuated::Punctuated;
use syn::visit::{self, Visit};
use syn::{Expr, File, Ident, ImplItemFn, Item, Lit, Pat, Stmt, Type};

/// The items of the top-level module `name` (progenitor's `types`,
/// `builder`).
pub(crate) fn module<'a>(file: &'a File, name: &str) -> Option<&'a Vec<Item>> {
    file.items.iter().find_map(|item| match item {
        Item::Mod(m) if m.ident == name => m.content.as_ref().map(|(_, items)| items),
        _ => None,
    })
}

/// Whether `item` is the `types` module, where typify's types are and
/// progenitor's request code is not.
pub(crate) fn is_types_module(item: &Item) -> bool {
    matches!(item, Item::Mod(m) if m.ident == "types")
}

/// Mutable access to the items of the top-level module `name`.
pub(crate) fn module_mut<'a>(file: &'a mut File, name: &str) -> Option<&'a mut Vec<Item>> {
    file.items.iter_mut().find_map(|item| match item {
        Item::Mod(m) if m.ident == name => m.content.as_mut().map(|(_, items)| items),
        _ => None,
    })
}

/// The identifier of a path type's last segment (`types::Customer` →
/// `Customer`).
pub(crate) fn last_ident(ty: &Type) -> Option<&Ident> {
    match ty {
        Type::Path(p) => p.path.segments.last().map(|s| &s.ident),
        _ => None,
    }
}

/// Whether `ty` is the plain path `name` (e.g. `Client`).
pub(crate) fn is_type(ty: &Type, name: &str) -> bool {
    matches!(ty, Type::Path(p) if p.qself.is_none() && p.path.is_ident(name))
}

/// The type arguments of the last segment of a path type.
pub(crate) fn generic_args(ty: &Type) -> Option<Vec<Type>> {
    let Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return Some(Vec::new());
    };
    Some(
        args.args
            .iter()
            .filter_map(|a| match a {
                syn::GenericArgument::Type(t) => Some(t.clone()),
                _ => None,
            })
            .collect(),
    )
}

/// `T` of `Option<T>`, if `ty` is an option.
pub(crate) fn option_inner(ty: &Type) -> Option<&Type> {
    let Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    if last.ident != "Option" {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first()? {
        syn::GenericArgument::Type(t) => Some(t),
        _ => None,
    }
}

// ---------------------------------------------------------------------------
// Operations: progenitor's `send` functions

/// One operation as progenitor generated it.
pub(crate) struct Send {
    /// progenitor's snake-case name of the operation: the `operation_id` of
    /// its `OperationInfo`, which is also the `Client` method's name.
    pub method: String,
    /// The builder type (e.g. `GetCustomer`), or `Client` for the
    /// positional interface.
    pub builder: Ident,
    /// `T` of `ResponseValue<T>`.
    pub response: Type,
    /// `E` of `Error<E>`.
    pub error: Type,
}

/// The `operation_id` string of the `OperationInfo { operation_id: ".." }`
/// literal progenitor writes into each operation's body.
pub(crate) fn operation_info_id(f: &ImplItemFn) -> Option<String> {
    #[derive(Default)]
    struct Find(Option<String>);
    impl<'ast> Visit<'ast> for Find {
        fn visit_expr_struct(&mut self, node: &'ast syn::ExprStruct) {
            let is_info = node
                .path
                .segments
                .last()
                .is_some_and(|s| s.ident == "OperationInfo");
            if is_info && self.0.is_none() {
                for field in &node.fields {
                    let syn::Member::Named(name) = &field.member else {
                        continue;
                    };
                    if name == "operation_id" {
                        if let Expr::Lit(syn::ExprLit {
                            lit: Lit::Str(s), ..
                        }) = &field.expr
                        {
                            self.0 = Some(s.value());
                        }
                    }
                }
            }
            visit::visit_expr_struct(self, node);
        }
    }
    let mut find = Find::default();
    find.visit_block(&f.block);
    find.0
}

/// Every operation's `send` (builder interface: `send` of each builder in
/// module `builder`) or `Client` method (positional interface), in the
/// order progenitor generated them, which is document order.
pub(crate) fn sends(file: &File) -> Vec<Send> {
    let mut out = Vec::new();
    if let Some(items) = module(file, "builder") {
        for item in items {
            let Item::Impl(imp) = item else { continue };
            let Some(builder) = last_ident(&imp.self_ty) else {
                continue;
            };
            for it in &imp.items {
                let syn::ImplItem::Fn(f) = it else { continue };
                if f.sig.ident != "send" {
                    continue;
                }
                if let Some(send) = parse_send(builder, f) {
                    out.push(send);
                }
            }
        }
    }
    if out.is_empty() {
        for item in &file.items {
            let Item::Impl(imp) = item else { continue };
            if imp.trait_.is_some() || !is_type(&imp.self_ty, "Client") {
                continue;
            }
            for it in &imp.items {
                let syn::ImplItem::Fn(f) = it else { continue };
                if let Some(send) = parse_send(&Ident::new("Client", Span::call_site()), f) {
                    out.push(send);
                }
            }
        }
    }
    out
}

fn parse_send(builder: &Ident, f: &ImplItemFn) -> Option<Send> {
    let method = operation_info_id(f)?;
    let syn::ReturnType::Type(_, ret) = &f.sig.output else {
        return None;
    };
    // Result<ResponseValue<T>, Error<E>>
    let [ok, err] = generic_args(ret)?.try_into().ok()?;
    let response = generic_args(&ok)?.into_iter().next()?;
    let error = generic_args(&err)?
        .into_iter()
        .next()
        .unwrap_or_else(|| syn::parse_quote!(()));
    Some(Send {
        method,
        builder: builder.clone(),
        response,
        error,
    })
}

/// progenitor's hook calls in an operation body, as four consecutive
/// statements (the names are progenitor's, made unique against the
/// operation's parameters):
///
/// ```text
/// CLIENT.pre(&mut REQUEST, &INFO).await?;
/// let RESULT = CLIENT.exec(REQUEST, &INFO).await;
/// CLIENT.post(&RESULT, &INFO).await?;
/// let RESPONSE = RESULT?;
/// ```
pub(crate) struct Hooks {
    /// The `CLIENT` expression.
    pub client: Expr,
    pub request: Ident,
    pub info: Ident,
    pub response: Ident,
}

/// `X.method(args).await`, optionally followed by `?`.
fn awaited_call<'a>(expr: &'a Expr, method: &str) -> Option<&'a syn::ExprMethodCall> {
    let expr = match expr {
        Expr::Try(t) => &*t.expr,
        other => other,
    };
    let Expr::Await(awaited) = expr else {
        return None;
    };
    match &*awaited.base {
        Expr::MethodCall(call) if call.method == method => Some(call),
        _ => None,
    }
}

/// The identifier of a plain path expression (`request`).
fn path_ident(expr: &Expr) -> Option<&Ident> {
    match expr {
        Expr::Path(p) if p.qself.is_none() => p.path.get_ident(),
        _ => None,
    }
}

/// The identifier behind `&x` (or `&mut x` when `mutable`).
fn referenced_ident(expr: &Expr, mutable: bool) -> Option<&Ident> {
    match expr {
        Expr::Reference(r) if r.mutability.is_some() == mutable => path_ident(&r.expr),
        _ => None,
    }
}

fn local(stmt: &Stmt) -> Option<(&Ident, &Expr)> {
    let Stmt::Local(local) = stmt else {
        return None;
    };
    let Pat::Ident(pat) = &local.pat else {
        return None;
    };
    Some((&pat.ident, &local.init.as_ref()?.expr))
}

fn expr_stmt(stmt: &Stmt) -> Option<&Expr> {
    match stmt {
        Stmt::Expr(expr, Some(_)) => Some(expr),
        _ => None,
    }
}

/// Matches [`Hooks`] at `stmts[0..4]`.
pub(crate) fn hooks(stmts: &[Stmt]) -> Option<Hooks> {
    let [pre, exec, post, unwrap, ..] = stmts else {
        return None;
    };
    let pre = awaited_call(expr_stmt(pre)?, "pre")?;
    let [request, info] = [&pre.args[0], pre.args.get(1)?];
    let (request, info) = (
        referenced_ident(request, true)?,
        referenced_ident(info, false)?,
    );
    let client = path_ident(&pre.receiver)?;

    let (result, exec_expr) = local(exec)?;
    let exec = awaited_call(exec_expr, "exec")?;
    (matches!(exec_expr, Expr::Await(_))
        && path_ident(&exec.receiver) == Some(client)
        && exec.args.len() == 2
        && path_ident(&exec.args[0]) == Some(request)
        && referenced_ident(&exec.args[1], false) == Some(info))
    .then_some(())?;

    let post = awaited_call(expr_stmt(post)?, "post")?;
    (path_ident(&post.receiver) == Some(client)
        && post.args.len() == 2
        && referenced_ident(&post.args[0], false) == Some(result)
        && referenced_ident(&post.args[1], false) == Some(info))
    .then_some(())?;

    let (response, unwrapped) = local(unwrap)?;
    let Expr::Try(t) = unwrapped else { return None };
    (path_ident(&t.expr) == Some(result)).then_some(())?;

    Some(Hooks {
        client: (*pre.receiver).clone(),
        request: request.clone(),
        info: info.clone(),
        response: response.clone(),
    })
}

/// The receiver of `X.append(HeaderName::from_static("api-version"), ..);`
/// (or with the bare string), the undocumented header progenitor adds to
/// every request.
pub(crate) fn api_version_append(stmt: &Stmt) -> Option<&Ident> {
    let Expr::MethodCall(call) = expr_stmt(stmt)? else {
        return None;
    };
    fn is_name(expr: &Expr) -> bool {
        match expr {
            Expr::Lit(syn::ExprLit {
                lit: Lit::Str(name),
                ..
            }) => name.value() == "api-version",
            Expr::Call(c) => {
                matches!(&*c.func, Expr::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "from_static"))
                    && c.args.len() == 1
                    && is_name(&c.args[0])
            }
            _ => false,
        }
    }
    (call.method == "append" && call.args.first().is_some_and(is_name))
        .then(|| path_ident(&call.receiver))
        .flatten()
}

/// Whether `stmt` contains a call `map.append(..)` anywhere inside it.
pub(crate) fn appends_to(stmt: &Stmt, map: &Ident) -> bool {
    struct Find<'a>(&'a Ident, bool);
    impl<'ast> Visit<'ast> for Find<'_> {
        fn visit_expr_method_call(&mut self, node: &'ast syn::ExprMethodCall) {
            if node.method == "append" && path_ident(&node.receiver) == Some(self.0) {
                self.1 = true;
            }
            visit::visit_expr_method_call(self, node);
        }
    }
    let mut find = Find(map, false);
    find.visit_stmt(stmt);
    find.1
}

/// The `let mut NAME = ...;` binding of `name`, if `stmt` is one.
pub(crate) fn let_binding_mut<'a>(
    stmt: &'a mut Stmt,
    name: &Ident,
) -> Option<&'a mut syn::PatIdent> {
    let Stmt::Local(local) = stmt else {
        return None;
    };
    match &mut local.pat {
        Pat::Ident(pat) if pat.ident == *name => Some(pat),
        _ => None,
    }
}

/// Whether a call's function is `ResponseValue::from_response`, which
/// progenitor uses to decode typed bodies.
pub(crate) fn is_from_response(func: &Expr) -> bool {
    let Expr::Path(p) = func else { return false };
    let names: Vec<String> = p
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    p.path.leading_colon.is_none() && names == ["ResponseValue", "from_response"]
}

/// progenitor's `pub use progenitor_client::{.., Error, ..};`: the group it
/// re-exports `Error` from.
pub(crate) fn progenitor_reexports(
    item: &mut Item,
) -> Option<&mut Punctuated<syn::UseTree, syn::Token![,]>> {
    let Item::Use(u) = item else { return None };
    if !matches!(u.vis, syn::Visibility::Public(_)) {
        return None;
    }
    let syn::UseTree::Path(path) = &mut u.tree else {
        return None;
    };
    if path.ident != "progenitor_client" {
        return None;
    }
    let syn::UseTree::Group(group) = &mut *path.tree else {
        return None;
    };
    let has_error = group
        .items
        .iter()
        .any(|t| matches!(t, syn::UseTree::Name(n) if n.ident == "Error"));
    has_error.then_some(&mut group.items)
}

/// `Client::new` in progenitor's inherent `impl Client`.
pub(crate) fn client_new(file: &mut File) -> Option<&mut ImplItemFn> {
    file.items.iter_mut().find_map(|item| {
        let Item::Impl(imp) = item else { return None };
        if imp.trait_.is_some() || !is_type(&imp.self_ty, "Client") {
            return None;
        }
        imp.items.iter_mut().find_map(|it| match it {
            syn::ImplItem::Fn(f) if f.sig.ident == "new" => Some(f),
            _ => None,
        })
    })
}

/// The setter methods of builder `builder` (module `builder`).
pub(crate) fn builder_methods<'a>(file: &'a File, builder: &Ident) -> Vec<&'a Ident> {
    let Some(items) = module(file, "builder") else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| match item {
            Item::Impl(imp) if last_ident(&imp.self_ty) == Some(builder) => Some(imp),
            _ => None,
        })
        .flat_map(|imp| imp.items.iter())
        .filter_map(|it| match it {
            syn::ImplItem::Fn(f) => Some(&f.sig.ident),
            _ => None,
        })
        .collect()
}
