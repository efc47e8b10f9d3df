//! Error bodies that arrive with a success status.
//!
//! Some services answer a failure with HTTP 200 and their error body
//! (Partner Center's code 400072). For an operation marked
//! `x-errors-with-success-status`, each success body is decoded by
//! `partner_api_runtime::decode_or_error`, which returns a body naming every
//! required property of the error type as `Error::ErrorResponse`, instead
//! of `decode`, which would report it as a success body that does not
//! decode. The names go in one `static ERROR_KEYS` of the `send` body (a
//! `partner_api_runtime::ErrorKeys`), so that the runtime builds their
//! searchers once, not for every response. Validation has checked that the operation has one error body
//! type with required properties and that no success type declares them
//! all (`extensions::error_keys`).

use syn::visit_mut::{self, VisitMut};
use syn::{Expr, File, Ident};

use super::{runtime, shape};

/// Replaces the `decode` calls of one `send` body.
struct Replace {
    runtime: Ident,
    replaced: usize,
}

/// The name of the `static` that holds the error keys in a `send` body.
const KEYS_STATIC: &str = "ERROR_KEYS";

impl VisitMut for Replace {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        visit_mut::visit_expr_mut(self, expr);
        let Some(call) = shape::runtime_call(expr, &self.runtime, "decode", 1) else {
            return;
        };
        let runtime = &self.runtime;
        let response = &call.args[0];
        let keys = Ident::new(KEYS_STATIC, proc_macro2::Span::call_site());
        *expr = syn::parse_quote!(::#runtime::decode_or_error(#response, &#keys));
        self.replaced += 1;
    }
}

/// Makes the `send` of builder `builder` read error bodies sent with a
/// success status, told apart by `keys`. Fails when there is no such
/// `send` (the positional interface has none) or it decodes no body.
pub(crate) fn success_errors(
    file: &mut File,
    builder: &Ident,
    keys: &[String],
) -> Result<(), String> {
    let send = shape::send_fn_mut(file, builder).ok_or_else(|| {
        format!(
            "`x-errors-with-success-status` needs the builder interface; no `send` on `{builder}`"
        )
    })?;
    let runtime = runtime();
    let mut replace = Replace {
        runtime: runtime.clone(),
        replaced: 0,
    };
    replace.visit_block_mut(&mut send.block);
    if replace.replaced == 0 {
        return Err(format!(
            "`x-errors-with-success-status`: `{builder}::send` decodes no success body with `partner_api_runtime::decode` (assumption: the wiring pass writes one call per JSON success status)"
        ));
    }
    let name = Ident::new(KEYS_STATIC, proc_macro2::Span::call_site());
    send.block.stmts.insert(
        0,
        syn::parse_quote! {
            static #name: ::#runtime::ErrorKeys = ::#runtime::ErrorKeys::new(&[#(#keys),*]);
        },
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;

    use super::*;

    fn file() -> File {
        syn::parse_quote! {
            pub mod builder {
                impl GetThing {
                    pub async fn send(self) -> Result<ResponseValue<types::Thing>, Error<types::Fault>> {
                        match response.status().as_u16() {
                            200u16 => ::partner_api_runtime::decode(response).await,
                            _ => Err(::partner_api_runtime::error::undocumented(response).await),
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn the_success_decode_reads_error_bodies_by_their_keys() {
        let mut file = file();
        let builder: Ident = syn::parse_quote!(GetThing);
        success_errors(&mut file, &builder, &["code".into(), "description".into()]).unwrap();
        let text = file.to_token_stream().to_string().replace(' ', "");
        assert!(
            text.contains("::partner_api_runtime::decode_or_error(response,&ERROR_KEYS).await"),
            "{text}"
        );
        assert!(
            text.contains("asyncfnsend(self)->Result<ResponseValue<types::Thing>,Error<types::Fault>>{staticERROR_KEYS:::partner_api_runtime::ErrorKeys=::partner_api_runtime::ErrorKeys::new(&[\"code\",\"description\"]);"),
            "the keys are one static at the top of `send`: {text}"
        );
        assert!(
            !text.contains("::partner_api_runtime::decode(response)"),
            "{text}"
        );
    }

    #[test]
    fn a_missing_builder_or_decode_is_an_error() {
        let mut file = file();
        let other: Ident = syn::parse_quote!(Other);
        assert!(success_errors(&mut file, &other, &["code".into()])
            .unwrap_err()
            .contains("builder interface"));
        let mut empty: File = syn::parse_quote! {
            pub mod builder { impl GetThing { pub async fn send(self) { Ok(()) } } }
        };
        let builder: Ident = syn::parse_quote!(GetThing);
        assert!(success_errors(&mut empty, &builder, &["code".into()])
            .unwrap_err()
            .contains("decodes no success body"));
    }
}
