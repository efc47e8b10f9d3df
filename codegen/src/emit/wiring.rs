//! Wires progenitor's client to `partner-api-runtime`:
//!
//! - requests go through `partner_api_runtime::send` (tokens, retries,
//!   `x-auto-value` headers, path checks) instead of progenitor's
//!   pre/exec/post hooks;
//! - bodies are decoded by `partner_api_runtime::decode`, whose errors keep
//!   the status and an excerpt;
//! - a documented error status is decoded by `error::decode_error`, which
//!   falls back to `Error::UndocumentedResponse` (status, headers, bounded
//!   excerpt) when the body is not the documented error type, and a status
//!   the spec does not document gives that too (`error::undocumented`)
//!   instead of progenitor's unread `UnexpectedResponse(reqwest::Response)`;
//!   a documented error status without a body goes through
//!   `error::empty_error`, which keeps a body that came anyway;
//! - path parameters are encoded by `client::PathSegment` (formatted into
//!   the URL, without a `String` per parameter) or, for a parameter not in
//!   progenitor's usual form, `client::encode_path_segment`; both encode
//!   everything outside RFC 3986's unreserved characters, unlike
//!   progenitor's `encode_path`, which leaves `\` and `;` as they are;
//! - a request starts with `client::request`, which copies the client's
//!   base URL, parsed once, instead of progenitor's `client.client.get(url)`
//!   (and siblings), which parses the whole URL per request;
//! - a request's header map starts empty (`HeaderMap::new()`, which does
//!   not allocate) instead of with progenitor's capacity for every header
//!   parameter, which most calls leave unset;
//! - the crate's `Error` is the runtime's;
//! - the `api-version` header progenitor adds to every request (neither
//!   vendor documents it) is dropped;
//! - `Client::new(baseurl)` needs no runtime argument and trims a trailing
//!   `/` from the base URL, as `Client::builder` does.
//!
//! progenitor's `ClientHooks` cannot carry this: its `exec` returns a
//! `reqwest::Result`, so a token failure (`Error::Auth`) and a retry's
//! typed outcome could not come back through it, and `pre`/`post` return
//! progenitor's own `Error`, not the runtime's.

use std::collections::BTreeSet;

use quote::ToTokens;
use syn::visit::{self, Visit};
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, File, Stmt};

use super::{runtime, shape};

/// Applies every edit of this pass; returns progenitor's names of the
/// operations whose hook calls were replaced by the runtime's `send`.
pub(crate) fn wire(file: &mut File) -> Result<BTreeSet<String>, String> {
    replace_error_import(file)?;
    let mut rewrite = Rewrite::default();
    // typify's `types` module holds no request code; skipping it saves a
    // walk over most of the tree.
    for item in file
        .items
        .iter_mut()
        .filter(|item| !shape::is_types_module(item))
    {
        rewrite.visit_item_mut(item);
    }
    if !rewrite.errors.is_empty() {
        return Err(rewrite.errors.join("; "));
    }
    // Any error construction left in another form would bypass the
    // runtime's error decoding without anyone noticing.
    struct Leftover(usize);
    impl<'ast> Visit<'ast> for Leftover {
        fn visit_expr(&mut self, expr: &'ast Expr) {
            if shape::undecoded_error_construction(expr) {
                self.0 += 1;
            }
            visit::visit_expr(self, expr);
        }
    }
    let mut leftover = Leftover(0);
    for item in file
        .items
        .iter()
        .filter(|item| !shape::is_types_module(item))
    {
        leftover.visit_item(item);
    }
    if leftover.0 > 0 {
        return Err(format!(
            "{} error construction(s) in progenitor's output are not in the expected shape \
             (assumption: `Err(Error::ErrorResponse(ResponseValue::from_response(R).await?))` \
             and `Err(Error::UnexpectedResponse(R))`, see emit/shape `typed_error_response`)",
            leftover.0
        ));
    }
    replace_new(file)?;
    Ok(rewrite.wired)
}

/// `pub use progenitor_client::{.., Error, ..}` loses `Error`, and the
/// runtime's `Error` is re-exported instead.
fn replace_error_import(file: &mut File) -> Result<(), String> {
    let runtime = runtime();
    let at = file
        .items
        .iter_mut()
        .position(|item| shape::progenitor_reexports(item).is_some())
        .ok_or("progenitor's output does not re-export `progenitor_client::Error`")?;
    if let Some(items) = shape::progenitor_reexports(&mut file.items[at]) {
        *items = std::mem::take(items)
            .into_iter()
            .filter(|t| !matches!(t, syn::UseTree::Name(n) if n.ident == "Error"))
            .collect();
    }
    file.items.insert(
        0,
        syn::parse_quote! {
            /// The error of every operation (from the runtime, which keeps the
            /// status and an excerpt of bodies that do not decode).
            pub use ::#runtime::Error;
        },
    );
    Ok(())
}

/// progenitor's `Client::new(baseurl, inner)` needs a runtime the caller
/// cannot make; it becomes `Client::new(baseurl)`: no authentication, the
/// default retry policy, and an HTTP client whose construction cannot panic.
/// A trailing `/` of the base URL is trimmed, as `Client::builder` does, so
/// that `http://h/` does not send `//path`.
fn replace_new(file: &mut File) -> Result<(), String> {
    let runtime = runtime();
    let new = shape::client_new(file).ok_or("progenitor's output has no `Client::new`")?;
    *new = syn::parse_quote! {
        /// A client for the server at `baseurl` without authentication and
        /// with the default retry policy; [`Client::builder`] sets both.
        pub fn new(baseurl: &str) -> Self {
            Self::new_with_client(
                baseurl.trim_end_matches('/'),
                ::#runtime::default_http_client(),
                ::#runtime::Runtime::new(&API),
            )
        }
    };
    Ok(())
}

/// Rewrites statements and calls inside every function body.
#[derive(Default)]
struct Rewrite {
    /// Hook sequences replaced so far.
    hooks: usize,
    /// The operations wired to `send`.
    wired: BTreeSet<String>,
    /// URL `format!`s whose path parameters were re-encoded so far.
    urls: usize,
    /// Shapes that were not as expected, for the function being visited.
    pending: Vec<String>,
    /// Every such problem, naming the operation.
    errors: Vec<String>,
}

impl VisitMut for Rewrite {
    fn visit_impl_item_fn_mut(&mut self, f: &mut syn::ImplItemFn) {
        let (hooks, urls) = (self.hooks, self.urls);
        visit_mut::visit_impl_item_fn_mut(self, f);
        // Only a function whose hooks were replaced or that builds a URL is
        // looked at again, for the operation it belongs to.
        if self.hooks > hooks || !self.pending.is_empty() {
            let op = shape::operation_info_id(f).unwrap_or_else(|| f.sig.ident.to_string());
            if self.hooks > hooks && self.urls == urls {
                self.pending.push(
                    "the request URL's `format!(\"{}/..\", client.baseurl, ..)` was not found \
                     (assumption: see emit/shape `url_format`)"
                        .into(),
                );
            }
            for problem in self.pending.drain(..) {
                self.errors.push(format!("operation `{op}`: {problem}"));
            }
            if self.hooks > hooks {
                self.wired.insert(op);
            }
        }
    }

    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        let Some(mut args) = shape::url_format(mac) else {
            return visit_mut::visit_macro_mut(self, mac);
        };
        let runtime = runtime();
        self.urls += 1;
        if shape::url_format_parameters(&args) != Some(args.len() - 2) {
            self.pending.push(
                "the request URL's `format!` has not one argument per `{}` \
                 (assumption: see emit/shape `url_format`)"
                    .into(),
            );
        }
        for arg in args.iter_mut().skip(2) {
            match arg {
                Expr::Call(call) if shape::is_encode_path(&call.func) => {
                    match shape::encoded_display(call) {
                        // `as_display` finds the value's `Display` the way
                        // progenitor's `to_string()` did, through `Deref`
                        // (typify's constrained strings deref to `String`).
                        Some(value) => {
                            let value = match &value {
                                Expr::Reference(r) => &*r.expr,
                                other => other,
                            };
                            *arg = syn::parse_quote!(::#runtime::client::PathSegment({
                                use ::#runtime::client::AsDisplay as _;
                                #value.as_display()
                            }));
                        }
                        None => {
                            *call.func = syn::parse_quote!(::#runtime::client::encode_path_segment);
                        }
                    }
                }
                _ => self.pending.push(
                    "a path parameter of the request URL is not encoded with \
                     `encode_path(..)` (assumption: see emit/shape `is_encode_path`)"
                        .into(),
                ),
            }
        }
        mac.tokens = args.into_token_stream();
    }

    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        let runtime = runtime();
        let stmts = std::mem::take(&mut block.stmts);
        // First decide, then move the statements: no statement is cloned.
        let mut replacements: Vec<(usize, Stmt)> = Vec::new();
        let mut dropped = vec![false; stmts.len()];
        let mut header_maps = Vec::new();
        let mut i = 0;
        while i < stmts.len() {
            if let Some(shape::Hooks {
                client,
                request,
                info,
                response,
            }) = shape::hooks(&stmts[i..])
            {
                replacements.push((i, syn::parse_quote! {
                    let #response = ::#runtime::send(&#client.client, &#client.inner, #request, &#info).await?;
                }));
                dropped[i..i + 4].iter_mut().for_each(|d| *d = true);
                self.hooks += 1;
                i += 4;
                continue;
            }
            if let Some(map) = shape::api_version_append(&stmts[i]) {
                header_maps.push(map.clone());
                dropped[i] = true;
            }
            i += 1;
        }
        let mut replacements = replacements.into_iter().peekable();
        let mut out: Vec<Stmt> = Vec::with_capacity(stmts.len());
        for (i, stmt) in stmts.into_iter().enumerate() {
            if replacements.peek().is_some_and(|(at, _)| *at == i) {
                out.extend(replacements.next().map(|(_, s)| s));
            }
            if !dropped[i] {
                out.push(stmt);
            }
        }
        // Without `api-version`, a header map may get no entries at all.
        for map in header_maps {
            if !out.iter().any(|s| shape::appends_to(s, &map)) {
                for stmt in &mut out {
                    if let Some(pat) = shape::let_binding_mut(stmt, &map) {
                        pat.mutability = None;
                    }
                }
            }
        }
        block.stmts = out;
        visit_mut::visit_block_mut(self, block);
    }

    fn visit_local_mut(&mut self, local: &mut syn::Local) {
        if let Some(init) = &mut local.init {
            if shape::is_header_map_with_capacity(&init.expr) {
                *init.expr = syn::parse_quote!(::reqwest::header::HeaderMap::new());
            }
        }
        visit_mut::visit_local_mut(self, local);
    }

    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        let runtime = runtime();
        if let Some(response) = shape::typed_error_response(expr).cloned() {
            *expr = syn::parse_quote!(Err(::#runtime::error::decode_error(#response).await));
        } else if let Some(response) = shape::unexpected_response(expr).cloned() {
            *expr = syn::parse_quote!(Err(::#runtime::error::undocumented(#response).await));
        } else if let Some(response) = shape::empty_error_response(expr).cloned() {
            *expr = syn::parse_quote!(Err(::#runtime::error::empty_error(#response).await));
        }
        if let Expr::Call(call) = expr {
            if shape::is_from_response(&call.func) {
                *call.func = syn::parse_quote!(::#runtime::decode);
            }
        }
        if let Some((client, method, url)) = shape::request_start(expr) {
            let method = syn::Ident::new(method, proc_macro2::Span::call_site());
            *expr = syn::parse_quote! {
                ::#runtime::client::request(
                    &#client.client,
                    &#client.inner,
                    ::reqwest::Method::#method,
                    &#client.baseurl,
                    #url,
                )
            };
        }
        visit_mut::visit_expr_mut(self, expr);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `wire` needs besides the operation: progenitor's re-export of
    /// `Error` and its `Client::new`.
    const PRELUDE: &str = "pub use progenitor_client::{Error, ResponseValue};
        impl Client { pub fn new(baseurl: &str, inner: ()) -> Self { todo!() } }";

    fn wired(operation: &str) -> Result<String, String> {
        let mut file: File = syn::parse_str(&format!("{PRELUDE} impl Op {{ {operation} }}"))
            .expect("the test source parses");
        wire(&mut file).map(|_| prettyplease::unparse(&file))
    }

    #[test]
    fn error_arms_path_parameters_and_new_go_through_the_runtime() {
        let out = wired(
            r#"async fn send(self) -> R {
                let url = format!("{}/a/{}/b/{}", client.baseurl,
                    encode_path(&id.to_string()), encode_path(&part),);
                let mut header_map = ::reqwest::header::HeaderMap::with_capacity(2usize);
                let request = client.client.post(url).headers(header_map).build()?;
                match response.status().as_u16() {
                    200u16 => ResponseValue::from_response(response).await,
                    404u16 => Err(Error::ErrorResponse(ResponseValue::from_response(response).await?)),
                    409u16 => Err(Error::ErrorResponse(ResponseValue::empty(response))),
                    _ => Err(Error::UnexpectedResponse(response)),
                }
            }"#,
        )
        .expect("every shape is the expected one");
        for expected in [
            "::partner_api_runtime::decode(response).await",
            "Err(::partner_api_runtime::error::decode_error(response).await)",
            "Err(::partner_api_runtime::error::undocumented(response).await)",
            "Err(::partner_api_runtime::error::empty_error(response).await)",
            "baseurl.trim_end_matches('/')",
        ] {
            assert!(out.contains(expected), "{expected} missing in:\n{out}");
        }
        // The `format!` arguments are printed as tokens, with blanks.
        let compact: String = out.split_whitespace().collect();
        for expected in [
            "::partner_api_runtime::client::PathSegment({use::partner_api_runtime::client::AsDisplayas_;id.as_display()})",
            "::partner_api_runtime::client::encode_path_segment(&part)",
            "::partner_api_runtime::client::request(&client.client,&client.inner,\
             ::reqwest::Method::POST,&client.baseurl,url,)",
        ] {
            assert_eq!(compact.matches(expected).count(), 1, "{out}");
        }
        assert!(out.contains("HeaderMap::new()"), "{out}");
        assert!(!out.contains("with_capacity"), "{out}");
        assert!(!out.contains(" encode_path("), "{out}");
        assert!(!out.contains("UnexpectedResponse"), "{out}");
    }

    #[test]
    fn an_error_construction_of_another_shape_fails_loudly() {
        let error = wired(
            r#"async fn send(self) -> R {
                match s { _ => Err(Error::UnexpectedResponse(response.into())) }
            }"#,
        )
        .expect_err("the shape is unknown");
        assert!(error.contains("typed_error_response"), "{error}");
    }

    #[test]
    fn a_path_parameter_not_encoded_by_encode_path_fails_loudly() {
        let error = wired(
            r#"async fn send(self) -> R {
                let info = OperationInfo { operation_id: "get_thing" };
                let url = format!("{}/a/{}", client.baseurl, id.to_string(),);
            }"#,
        )
        .expect_err("the parameter is not encoded as assumed");
        assert!(
            error.contains("get_thing") && error.contains("is_encode_path"),
            "{error}"
        );
    }
}
