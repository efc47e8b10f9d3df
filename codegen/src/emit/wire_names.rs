//! Puts documented parameter names back on the wire where progenitor was
//! given other names to keep its Rust names apart (see [`crate::names`]):
//! in each such operation's builder and mock code, a string literal equal
//! to the name progenitor saw becomes the parameter's real name.

use syn::visit_mut::{self, VisitMut};
use syn::{Expr, Item, Lit};

use super::shape;
use crate::model::Operation;

/// The `(name progenitor saw, wire name)` pairs of `op`'s query and header
/// parameters. A path parameter's name is not on the wire (its value goes
/// into the URL), so a renamed one needs nothing put back.
pub(crate) fn renames(op: &Operation) -> Vec<(String, String)> {
    op.parameters
        .iter()
        .filter(|p| p.location != "path")
        .filter_map(|p| Some((p.progenitor_name.clone()?, p.name.clone())))
        .collect()
}

/// Rewrites the literals in the function bodies of every impl in `items`
/// whose type is one of `types` (e.g. `GetThing`, `GetThingWhen`); returns
/// how many literals changed.
pub(crate) fn restore(items: &mut [Item], types: &[String], renames: &[(String, String)]) -> usize {
    struct Restore<'a> {
        renames: &'a [(String, String)],
        changed: usize,
    }
    impl VisitMut for Restore<'_> {
        fn visit_block_mut(&mut self, block: &mut syn::Block) {
            struct Literals<'a, 'b>(&'a mut Restore<'b>);
            impl VisitMut for Literals<'_, '_> {
                fn visit_expr_mut(&mut self, expr: &mut Expr) {
                    if let Expr::Lit(syn::ExprLit {
                        lit: Lit::Str(s), ..
                    }) = expr
                    {
                        if let Some((_, wire)) = self
                            .0
                            .renames
                            .iter()
                            .find(|(shaped, _)| s.value() == *shaped)
                        {
                            *s = syn::LitStr::new(wire, s.span());
                            self.0.changed += 1;
                        }
                    }
                    visit_mut::visit_expr_mut(self, expr);
                }
            }
            Literals(self).visit_block_mut(block);
        }
    }
    let mut restore = Restore {
        renames,
        changed: 0,
    };
    for item in items {
        match item {
            Item::Impl(imp)
                if shape::last_ident(&imp.self_ty)
                    .is_some_and(|i| types.iter().any(|t| i == t)) =>
            {
                restore.visit_item_impl_mut(imp);
            }
            Item::Mod(m) => {
                if let Some((_, items)) = &mut m.content {
                    restore.changed += self::restore(items, types, renames);
                }
            }
            _ => {}
        }
    }
    restore.changed
}
