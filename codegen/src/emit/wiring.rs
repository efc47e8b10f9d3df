//! Wires progenitor's client to `partner-api-runtime`:
//!
//! - requests go through `partner_api_runtime::send` (tokens, retries,
//!   `x-auto-value` headers, path checks) instead of progenitor's
//!   pre/exec/post hooks;
//! - bodies are decoded by `partner_api_runtime::decode`, whose errors keep
//!   the status and an excerpt;
//! - the crate's `Error` is the runtime's;
//! - the `api-version` header progenitor adds to every request (neither
//!   vendor documents it) is dropped;
//! - `Client::new(baseurl)` needs no runtime argument.
//!
//! progenitor's `ClientHooks` cannot carry this: its `exec` returns a
//! `reqwest::Result`, so a token failure (`Error::Auth`) and a retry's
//! typed outcome could not come back through it, and `pre`/`post` return
//! progenitor's own `Error`, not the runtime's.

use std::collections::BTreeSet;

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
fn replace_new(file: &mut File) -> Result<(), String> {
    let runtime = runtime();
    let new = shape::client_new(file).ok_or("progenitor's output has no `Client::new`")?;
    *new = syn::parse_quote! {
        /// A client for the server at `baseurl` without authentication and
        /// with the default retry policy; [`Client::builder`] sets both.
        pub fn new(baseurl: &str) -> Self {
            Self::new_with_client(
                baseurl,
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
}

impl VisitMut for Rewrite {
    fn visit_impl_item_fn_mut(&mut self, f: &mut syn::ImplItemFn) {
        let before = self.hooks;
        visit_mut::visit_impl_item_fn_mut(self, f);
        // Only a function whose hooks were replaced is looked at again, for
        // the operation it belongs to.
        if self.hooks > before {
            self.wired.extend(shape::operation_info_id(f));
        }
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

    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        if let Expr::Call(call) = expr {
            if shape::is_from_response(&call.func) {
                let runtime = runtime();
                *call.func = syn::parse_quote!(::#runtime::decode);
            }
        }
        visit_mut::visit_expr_mut(self, expr);
    }
}
