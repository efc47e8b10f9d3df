//! progenitor's status dispatch and error construction in each `send`,
//! the URL `format!` and its path parameters, and its mock helpers per
//! operation: what the response-enum, error and path passes edit.

use syn::punctuated::Punctuated;
use syn::{Expr, File, Ident, ImplItemFn, Item, Lit, Stmt};

use super::*;

/// The `send` of builder `builder` (module `builder`).
pub(crate) fn send_fn_mut<'a>(file: &'a mut File, builder: &Ident) -> Option<&'a mut ImplItemFn> {
    let items = module_mut(file, "builder")?;
    items.iter_mut().find_map(|item| {
        let Item::Impl(imp) = item else { return None };
        if last_ident(&imp.self_ty) != Some(builder) {
            return None;
        }
        imp.items.iter_mut().find_map(|it| match it {
            syn::ImplItem::Fn(f) if f.sig.ident == "send" => Some(f),
            _ => None,
        })
    })
}

/// The `match RESPONSE.status().as_u16() { .. }` that ends an operation's
/// body, with `RESPONSE`.
pub(crate) fn status_match_mut(block: &mut syn::Block) -> Option<(&mut Expr, Ident)> {
    let Some(Stmt::Expr(expr, None)) = block.stmts.last_mut() else {
        return None;
    };
    let Expr::Match(m) = &*expr else { return None };
    let Expr::MethodCall(as_u16) = &*m.expr else {
        return None;
    };
    let Expr::MethodCall(status) = &*as_u16.receiver else {
        return None;
    };
    if as_u16.method != "as_u16" || status.method != "status" {
        return None;
    }
    let response = path_ident(&status.receiver)?.clone();
    Some((expr, response))
}

/// Removes progenitor's mock helpers of the operations named `methods`
/// with builders `builders`: their `operations::<Builder>When`/`Then`
/// types and their `MockServerExt` methods.
pub(crate) fn remove_mock_operations(items: &mut [Item], builders: &[String], methods: &[String]) {
    let helper = |name: &Ident| {
        builders
            .iter()
            .any(|b| *name == format!("{b}When") || *name == format!("{b}Then"))
    };
    for item in items {
        match item {
            Item::Mod(m) if m.ident == "operations" => {
                if let Some((_, items)) = &mut m.content {
                    items.retain(|item| match item {
                        Item::Struct(s) => !helper(&s.ident),
                        Item::Impl(imp) => !last_ident(&imp.self_ty).is_some_and(helper),
                        _ => true,
                    });
                }
            }
            Item::Trait(t) if t.ident == "MockServerExt" => {
                t.items.retain(|it| !matches!(it, syn::TraitItem::Fn(f) if methods.iter().any(|m| f.sig.ident == m)));
            }
            Item::Impl(imp)
                if imp
                    .trait_
                    .as_ref()
                    .and_then(|(p, _)| p.segments.last())
                    .is_some_and(|s| s.ident == "MockServerExt") =>
            {
                imp.items.retain(|it| !matches!(it, syn::ImplItem::Fn(f) if methods.iter().any(|m| f.sig.ident == m)));
            }
            // The helpers sit inside the `mock` module the emit stage wraps
            // them in.
            Item::Mod(m) => {
                if let Some((_, items)) = &mut m.content {
                    remove_mock_operations(items, builders, methods);
                }
            }
            _ => {}
        }
    }
}

/// Whether `expr` is the path `a::b::..` with exactly these segments.
fn is_path(expr: &Expr, segments: &[&str]) -> bool {
    let Expr::Path(p) = expr else { return false };
    p.qself.is_none()
        && p.path.leading_colon.is_none()
        && p.path.segments.len() == segments.len()
        && p.path
            .segments
            .iter()
            .zip(segments)
            .all(|(s, name)| s.ident == name && s.arguments.is_none())
}

/// The single argument of the call `FUNC(ARG)` whose function is the path
/// `segments`.
fn call_arg<'a>(expr: &'a Expr, segments: &[&str]) -> Option<&'a Expr> {
    let Expr::Call(call) = expr else { return None };
    (is_path(&call.func, segments) && call.args.len() == 1).then(|| &call.args[0])
}

/// The `RESPONSE` of the arm body progenitor writes for a documented error
/// status with a typed body:
///
/// ```text
/// Err(Error::ErrorResponse(ResponseValue::from_response(RESPONSE).await?))
/// ```
pub(crate) fn typed_error_response(expr: &Expr) -> Option<&Ident> {
    let inner = call_arg(call_arg(expr, &["Err"])?, &["Error", "ErrorResponse"])?;
    let Expr::Try(t) = inner else { return None };
    let Expr::Await(a) = &*t.expr else {
        return None;
    };
    let Expr::Call(call) = &*a.base else {
        return None;
    };
    (is_from_response(&call.func) && call.args.len() == 1)
        .then(|| path_ident(&call.args[0]))
        .flatten()
}

/// The `RESPONSE` of progenitor's catch-all arm for statuses the spec does
/// not document: `Err(Error::UnexpectedResponse(RESPONSE))`.
pub(crate) fn unexpected_response(expr: &Expr) -> Option<&Ident> {
    path_ident(call_arg(
        call_arg(expr, &["Err"])?,
        &["Error", "UnexpectedResponse"],
    )?)
}

/// The `RESPONSE` of progenitor's arm for a documented error status without
/// a body: `Err(Error::ErrorResponse(ResponseValue::empty(RESPONSE)))`.
pub(crate) fn empty_error_response(expr: &Expr) -> Option<&Ident> {
    path_ident(call_arg(
        call_arg(call_arg(expr, &["Err"])?, &["Error", "ErrorResponse"])?,
        &["ResponseValue", "empty"],
    )?)
}

/// Whether `expr` constructs `Error::UnexpectedResponse` or decodes a body
/// inside `Error::ErrorResponse(..)` in any form: what must be left after
/// [`typed_error_response`] and [`unexpected_response`] were replaced is
/// only `Error::ErrorResponse(ResponseValue::empty(..))` or `::stream(..)`
/// (documented error statuses without a JSON body).
pub(crate) fn undecoded_error_construction(expr: &Expr) -> bool {
    let Expr::Call(call) = expr else { return false };
    if is_path(&call.func, &["Error", "UnexpectedResponse"]) {
        return true;
    }
    if is_path(&call.func, &["Error", "ErrorResponse"]) {
        return !call.args.first().is_some_and(|arg| {
            matches!(arg, Expr::Call(c) if is_path(&c.func, &["ResponseValue", "empty"])
                || is_path(&c.func, &["ResponseValue", "stream"]))
        });
    }
    false
}

/// The arguments of the `format!` that builds an operation's URL, e.g.
///
/// ```text
/// format!("{}/v1/customers/{}", CLIENT.baseurl, encode_path(&ID.to_string()),)
/// ```
///
/// recognised by its literal starting with `{}/` and its second argument
/// being a `.baseurl` field. Every further argument is a path parameter,
/// which progenitor encodes with [`is_encode_path`]'s function.
pub(crate) fn url_format(mac: &syn::Macro) -> Option<Punctuated<Expr, syn::Token![,]>> {
    if !mac.path.is_ident("format") {
        return None;
    }
    let args = mac
        .parse_body_with(Punctuated::<Expr, syn::Token![,]>::parse_terminated)
        .ok()?;
    let mut it = args.iter();
    let Some(Expr::Lit(syn::ExprLit {
        lit: Lit::Str(template),
        ..
    })) = it.next()
    else {
        return None;
    };
    let is_base = matches!(it.next(), Some(Expr::Field(f))
        if matches!(&f.member, syn::Member::Named(n) if n == "baseurl"));
    (template.value().starts_with("{}/") && is_base).then_some(args)
}

/// The number of `{}` placeholders for path parameters in a [`url_format`]
/// literal (all but the base URL's).
pub(crate) fn url_format_parameters(args: &Punctuated<Expr, syn::Token![,]>) -> Option<usize> {
    match args.first()? {
        Expr::Lit(syn::ExprLit {
            lit: Lit::Str(template),
            ..
        }) => template.value().matches("{}").count().checked_sub(1),
        _ => None,
    }
}

/// Whether a call's function is progenitor's `encode_path`, which it
/// applies to each path parameter (`encode_path(&x.to_string())`).
pub(crate) fn is_encode_path(func: &Expr) -> bool {
    is_path(func, &["encode_path"])
}

/// The `&x` of an [`is_encode_path`] call whose argument is the text of a
/// value, `encode_path(&x.to_string())`: progenitor's form for every path
/// parameter.
pub(crate) fn encoded_display(call: &syn::ExprCall) -> Option<Expr> {
    let [Expr::Reference(text)] = call.args.iter().collect::<Vec<_>>()[..] else {
        return None;
    };
    let Expr::MethodCall(to_string) = &*text.expr else {
        return None;
    };
    (text.mutability.is_none()
        && to_string.method == "to_string"
        && to_string.args.is_empty()
        && to_string.turbofish.is_none())
    .then(|| {
        let value = &to_string.receiver;
        syn::parse_quote!(&#value)
    })
}

/// The start of an operation's request, `CLIENT.client.METHOD(URL)`
/// (`get`, `post`, `put`, `patch`, `delete`, `head`, `options` or `trace`
/// of progenitor's `reqwest::Client`): `CLIENT`, the upper-case method and
/// `URL`.
pub(crate) fn request_start(expr: &Expr) -> Option<(&Expr, &'static str, &Expr)> {
    let Expr::MethodCall(call) = expr else {
        return None;
    };
    let Expr::Field(http) = &*call.receiver else {
        return None;
    };
    let method = match call.method.to_string().as_str() {
        "get" => "GET",
        "post" => "POST",
        "put" => "PUT",
        "patch" => "PATCH",
        "delete" => "DELETE",
        "head" => "HEAD",
        // progenitor writes these too, though `reqwest::Client` has no such
        // methods; the runtime's `client::request` takes any method.
        "options" => "OPTIONS",
        "trace" => "TRACE",
        _ => return None,
    };
    let is_http = matches!(&http.member, syn::Member::Named(n) if n == "client");
    (is_http && call.args.len() == 1 && call.turbofish.is_none())
        .then(|| (&*http.base, method, &call.args[0]))
}

/// Whether `expr` is the `::reqwest::header::HeaderMap::with_capacity(N)`
/// progenitor starts each request's header map with.
pub(crate) fn is_header_map_with_capacity(expr: &Expr) -> bool {
    let Expr::Call(call) = expr else { return false };
    let Expr::Path(p) = &*call.func else {
        return false;
    };
    let names: Vec<String> = p
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    p.qself.is_none()
        && call.args.len() == 1
        && names == ["reqwest", "header", "HeaderMap", "with_capacity"]
}
