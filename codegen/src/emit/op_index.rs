//! Each `send` tells the runtime where its operation is in the `API`
//! table.
//!
//! The wiring pass writes `partner_api_runtime::send(.., &info)`, which
//! finds the operation by its name (a binary search over the table, a few
//! cache lines per call). Once the table's order is known, this pass turns
//! each call into `partner_api_runtime::send_operation(.., &info, INDEX)`
//! with the operation's position; the runtime checks that the entry there
//! has the name in `info` and searches by name when it does not, so a
//! wrong index costs a lookup, never the wrong operation.

use syn::visit_mut::{self, VisitMut};
use syn::{Expr, File, Ident};

use super::{runtime, shape};

/// Replaces the runtime `send` calls of one `send` body.
struct Replace {
    runtime: Ident,
    index: usize,
    replaced: usize,
}

impl VisitMut for Replace {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        visit_mut::visit_expr_mut(self, expr);
        let Some(call) = shape::runtime_call(expr, &self.runtime, "send", 4) else {
            return;
        };
        let runtime = &self.runtime;
        let args = call.args.iter();
        let index = syn::LitInt::new(
            &format!("{}usize", self.index),
            proc_macro2::Span::call_site(),
        );
        *expr = syn::parse_quote!(::#runtime::send_operation(#(#args),*, #index));
        self.replaced += 1;
    }
}

/// Makes the `send` of builder `builder` pass `index`, its operation's
/// position in the `API` table, to the runtime. Fails when there is no
/// such `send` or it has no runtime `send` call.
pub(crate) fn op_index(file: &mut File, builder: &Ident, index: usize) -> Result<(), String> {
    let send = shape::send_fn_mut(file, builder)
        .ok_or_else(|| format!("no `send` on `{builder}` to pass the operation's index in"))?;
    let mut replace = Replace {
        runtime: runtime(),
        index,
        replaced: 0,
    };
    replace.visit_block_mut(&mut send.block);
    if replace.replaced == 0 {
        return Err(format!(
            "`{builder}::send` has no call of `partner_api_runtime::send` (assumption: the wiring pass writes one, see emit/wiring.rs)"
        ));
    }
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
                    pub async fn send(self) -> Result<ResponseValue<()>, Error<()>> {
                        let response = ::partner_api_runtime::send(&client.client, &client.inner, request, &info).await?;
                        todo!()
                    }
                }
            }
        }
    }

    #[test]
    fn the_runtime_call_gets_the_index() {
        let mut file = file();
        let builder: Ident = syn::parse_quote!(GetThing);
        op_index(&mut file, &builder, 7).unwrap();
        let text = file.to_token_stream().to_string().replace(' ', "");
        assert!(
            text.contains("::partner_api_runtime::send_operation(&client.client,&client.inner,request,&info,7usize).await?"),
            "{text}"
        );
    }

    #[test]
    fn a_missing_send_or_call_is_an_error() {
        let mut file = file();
        let other: Ident = syn::parse_quote!(Other);
        assert!(op_index(&mut file, &other, 0)
            .unwrap_err()
            .contains("no `send` on `Other`"));
        let mut empty: File = syn::parse_quote! {
            pub mod builder { impl GetThing { pub async fn send(self) { Ok(()) } } }
        };
        let builder: Ident = syn::parse_quote!(GetThing);
        assert!(op_index(&mut empty, &builder, 0)
            .unwrap_err()
            .contains("no call of `partner_api_runtime::send`"));
    }
}
