//! Operations with a server of their own.
//!
//! OpenAPI lets an operation (or its path item) name `servers` that replace
//! the document's; progenitor ignores them and builds every URL from the
//! client's base URL. For such an operation this pass builds the URL from
//! `Runtime::server_url(SPEC_URL)` instead: the operation's server, or the
//! replacement the client was built with (`ClientBuilder::operation_server`).
//! Validation has taken the first server listed, with its variables at
//! their defaults, and checked that it is an absolute http(s) URL
//! (`extensions::operation_server`).

use syn::punctuated::Punctuated;
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, File, Ident};

use quote::ToTokens;

use super::shape;

/// Rewrites the base URL argument of the URL `format!`s it visits.
struct Rebase<'u> {
    url: &'u str,
    rewritten: usize,
}

impl VisitMut for Rebase<'_> {
    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        let Some(mut args) = shape::url_format(mac) else {
            return visit_mut::visit_macro_mut(self, mac);
        };
        let Some(base) = args.iter_mut().nth(1) else {
            return;
        };
        let Expr::Field(field) = base else { return };
        let client = &field.base;
        let url = self.url;
        *base = syn::parse_quote!(#client.inner.server_url(#url));
        self.rewritten += 1;
        let args: Punctuated<Expr, syn::Token![,]> = args;
        mac.tokens = args.into_token_stream();
    }
}

/// Makes the `send` of builder `builder` build its URL on `url` (or the
/// client's replacement of it). Fails when there is no such `send` (the
/// positional interface has none) or it builds no URL from the base URL.
pub(crate) fn op_server(file: &mut File, builder: &Ident, url: &str) -> Result<(), String> {
    let send = shape::send_fn_mut(file, builder).ok_or_else(|| {
        format!("an operation with servers of its own needs the builder interface; no `send` on `{builder}`")
    })?;
    let mut rebase = Rebase { url, rewritten: 0 };
    rebase.visit_block_mut(&mut send.block);
    if rebase.rewritten != 1 {
        return Err(format!(
            "expected one request URL built on `client.baseurl` in `{builder}::send`, found {} (assumption: see emit/shape `url_format`)",
            rebase.rewritten
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_is_built_on_the_operations_server() {
        let mut file: File = syn::parse_quote! {
            pub mod builder {
                impl ListThings {
                    pub async fn send(self) -> Result<(), ()> {
                        let url = format!("{}/v1/things/{}", client.baseurl, encode_path(&id.to_string()),);
                        Ok(())
                    }
                }
            }
        };
        let builder: Ident = syn::parse_quote!(ListThings);
        op_server(&mut file, &builder, "https://admin.example").unwrap();
        let text = file.to_token_stream().to_string().replace(' ', "");
        assert!(
            text.contains("format!(\"{}/v1/things/{}\",client.inner.server_url(\"https://admin.example\"),encode_path(&id.to_string()),)"),
            "{text}"
        );
        let other: Ident = syn::parse_quote!(Other);
        assert!(op_server(&mut file, &other, "https://a.example")
            .unwrap_err()
            .contains("builder interface"));
        // Already rewritten: no `client.baseurl` URL is left to find.
        assert!(op_server(&mut file, &builder, "https://a.example")
            .unwrap_err()
            .contains("found 0"));
    }
}
