//! Headers the spec does not document, per call: every operation builder
//! gets `header(name, value)`, for `X-Locale`, tracing headers or Partner
//! Center's `MS-Contract-Version`.
//!
//! progenitor's builder structs have private fields and no extension point
//! for this, so the pass edits each builder structurally: a field holding
//! the runtime's `ExtraHeaders` is added to the struct, initialised in
//! `new`, moved out in `send`'s `let Self { .. } = self;`, and applied to
//! the built request just before `send` hands it to the runtime (so the
//! headers go out with every retry). A bad name or value becomes
//! `Error::InvalidRequest` from `send()`, never a panic.
//!
//! The positional interface has no builders; it is skipped.

use proc_macro2::Span;
use syn::{File, Ident};

use super::runtime;
use super::shape::{self, Send};
use crate::error::OperationId;
use crate::model::Model;

/// The builder method this pass adds.
const METHOD: &str = "header";

/// Adds `header(name, value)` to the builder of every operation. `sends`
/// are progenitor's operations in document order, as `model` lists them;
/// a shape that is not found is an error naming the operation.
pub(crate) fn add(
    file: &mut File,
    model: &Model,
    sends: &[Send],
) -> Result<(), (OperationId, String)> {
    let runtime = runtime();
    for (op, send) in model.operations.iter().zip(sends) {
        let builder = &send.builder;
        // The positional interface: operations are `Client` methods.
        if builder == "Client" {
            continue;
        }
        let fail = |assumption: &str| {
            (
                op.id.clone(),
                format!(
                    "cannot add `{METHOD}(..)` to builder `{builder}`: {assumption} (see emit/shape/mod.rs)"
                ),
            )
        };
        let items = shape::module_mut(file, "builder")
            .ok_or_else(|| fail("no `builder` module in progenitor's output"))?;

        let fields = shape::builder_struct_mut(items, builder).ok_or_else(|| {
            fail("no builder struct with named fields, the first a `&Client`, was found")
        })?;
        let field = unused_name(fields.named.iter().filter_map(|f| f.ident.as_ref()));
        fields.named.push(syn::parse_quote! {
            #field: ::#runtime::ExtraHeaders
        });

        let imp = shape::builder_impl_mut(items, builder)
            .ok_or_else(|| fail("no inherent impl with `new` was found"))?;
        if shape::impl_fn_mut(imp, METHOD).is_some() {
            return Err(fail(
                "the builder already has a method of that name (a parameter named `header`)",
            ));
        }
        let new = shape::impl_fn_mut(imp, "new").ok_or_else(|| fail("no `new`"))?;
        shape::new_self_literal(new)
            .ok_or_else(|| fail("`new` does not end in a `Self { .. }` literal"))?
            .fields
            .push(syn::parse_quote!(#field: ::#runtime::ExtraHeaders::new()));
        imp.items.push(syn::parse_quote! {
            /// Adds the header `name: value` to this call, beyond the
            /// parameters the spec documents (e.g. `X-Locale`, a tracing
            /// header). It replaces a header of the same name that the
            /// operation sets itself; adding a name twice sends both
            /// values. The client's `Authorization` header, when it has a
            /// token source, is set after it and wins.
            ///
            /// `name` and `value` are anything `reqwest`'s `HeaderName` and
            /// `HeaderValue` convert from, such as `&str` and `String`. A
            /// name or value that is not valid in HTTP makes `send()` fail
            /// with `Error::InvalidRequest`, naming the header but not its
            /// value. The header is sent with every retry of the call; of a
            /// `stream()` that follows next-page links, only the first page's
            /// request carries it (`ClientBuilder::on_request` reaches every
            /// request).
            pub fn header<K, V>(mut self, name: K, value: V) -> Self
            where
                K: ::std::convert::TryInto<::reqwest::header::HeaderName>,
                K::Error: ::std::fmt::Display,
                V: ::std::convert::TryInto<::reqwest::header::HeaderValue>,
                V::Error: ::std::fmt::Display,
            {
                self.#field.add(name, value);
                self
            }
        });

        let send_fn =
            shape::impl_fns_mut(items, builder, "send").ok_or_else(|| fail("no `send` method"))?;
        shape::self_destructuring(send_fn)
            .ok_or_else(|| fail("`send` does not start with `let Self { .. } = self;`"))?
            .push(shorthand_field(&field));
        let stmts = &mut send_fn.block.stmts;
        let (at, request) = stmts
            .iter()
            .enumerate()
            .find_map(|(i, stmt)| {
                shape::runtime_send_request(stmt, &runtime).map(|r| (i, r.clone()))
            })
            .ok_or_else(|| {
                fail("`send` has no call of the runtime's `send` with the request (see emit/wiring.rs)")
            })?;
        // Applied in place: moving the request (a few hundred bytes) in and
        // out of `apply` costs two copies per call. Progenitor binds it
        // `let mut`; should it not, it is rebound mutable first.
        stmts.insert(
            at,
            syn::parse_quote! {
                #field.apply(&mut #request)?;
            },
        );
        if !binds_mut(&stmts[..at], &request) {
            stmts.insert(
                at,
                syn::parse_quote! {
                    let mut #request = #request;
                },
            );
        }
    }
    Ok(())
}

/// Whether the last `let` of `name` among `stmts` binds it `mut`.
fn binds_mut(stmts: &[syn::Stmt], name: &Ident) -> bool {
    stmts
        .iter()
        .rev()
        .find_map(|stmt| match stmt {
            syn::Stmt::Local(syn::Local {
                pat: syn::Pat::Ident(pat),
                ..
            }) if pat.ident == *name => Some(pat.mutability.is_some()),
            _ => None,
        })
        .unwrap_or(false)
}

/// The shorthand `NAME` of a struct pattern (`let Self { NAME, .. }`).
fn shorthand_field(name: &Ident) -> syn::FieldPat {
    syn::FieldPat {
        attrs: Vec::new(),
        member: syn::Member::Named(name.clone()),
        colon_token: None,
        pat: Box::new(syn::Pat::Ident(syn::PatIdent {
            attrs: Vec::new(),
            by_ref: None,
            mutability: None,
            ident: name.clone(),
            subpat: None,
        })),
    }
}

/// `extra_headers`, or with as many `_` appended as it takes not to be one
/// of `taken` (a parameter of that name).
fn unused_name<'a>(taken: impl Iterator<Item = &'a Ident> + Clone) -> Ident {
    let mut name = String::from("extra_headers");
    while taken.clone().any(|t| t == name.as_str()) {
        name.push('_');
    }
    Ident::new(&name, Span::call_site())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_field_name_avoids_parameters() {
        let taken: Vec<Ident> = ["client", "extra_headers", "extra_headers_"]
            .iter()
            .map(|n| Ident::new(n, Span::call_site()))
            .collect();
        assert_eq!(unused_name(taken.iter()), "extra_headers__");
        assert_eq!(unused_name(taken[..1].iter()), "extra_headers");
    }

    #[test]
    fn the_requests_last_binding_decides_whether_it_is_mutable() {
        let request = Ident::new("request", Span::call_site());
        let block: syn::Block = syn::parse_quote!({
            let request = 1;
            let mut request = request;
            let other = 2;
        });
        assert!(binds_mut(&block.stmts, &request));
        assert!(!binds_mut(&block.stmts[..1], &request));
        assert!(!binds_mut(&block.stmts[2..], &request), "no binding at all");
    }
}
