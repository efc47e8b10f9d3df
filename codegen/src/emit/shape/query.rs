//! progenitor's query parameters: the `QueryParam` each operation's body
//! adds to its request and the type of the value it passes (what the
//! JSON-text pass reads), and typify's struct fields (what it orders).

use syn::visit::{self, Visit};
use syn::{Expr, File, ImplItemFn, Item, Lit};

use super::*;

/// The body of an operation as progenitor generated it: the `send` of its
/// builder, or for the positional interface (`Send::builder` is `Client`)
/// the `Client` method whose `OperationInfo` names it.
pub(crate) fn operation_fn_mut<'a>(file: &'a mut File, send: &Send) -> Option<&'a mut ImplItemFn> {
    if send.builder != "Client" {
        return send_fn_mut(file, &send.builder);
    }
    file.items.iter_mut().find_map(|item| {
        let Item::Impl(imp) = item else { return None };
        if imp.trait_.is_some() || !is_type(&imp.self_ty, "Client") {
            return None;
        }
        imp.items.iter_mut().find_map(|it| match it {
            syn::ImplItem::Fn(f) if operation_info_id(f).as_deref() == Some(&send.method) => {
                Some(f)
            }
            _ => None,
        })
    })
}

/// The binding `PARAM` of `progenitor_client::QueryParam::new("NAME",
/// &PARAM)` in an operation's body.
fn query_binding(f: &ImplItemFn, name: &str) -> Option<Ident> {
    struct Find<'a>(&'a str, Option<Ident>);
    impl<'ast> Visit<'ast> for Find<'_> {
        fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
            visit::visit_expr_call(self, call);
            let Expr::Path(func) = &*call.func else {
                return;
            };
            let names: Vec<String> = func
                .path
                .segments
                .iter()
                .map(|s| s.ident.to_string())
                .collect();
            let named = matches!(
                call.args.first(),
                Some(Expr::Lit(syn::ExprLit { lit: Lit::Str(s), .. })) if s.value() == self.0
            );
            if names.ends_with(&["QueryParam".to_owned(), "new".to_owned()])
                && call.args.len() == 2
                && named
            {
                self.1 = referenced_ident(&call.args[1], false).cloned();
            }
        }
    }
    let mut find = Find(name, None);
    find.visit_block(&f.block);
    find.1
}

/// The `types::T` (its last segment) that query parameter `name` of an
/// operation holds: the first `types::..` path in the type of the builder's
/// field (`Result<Option<Json<types::T>>, ..>`) or, for the positional
/// interface, of the `Client` method's argument (`Option<&'a Json<types::T>>`)
/// that the request code passes for it.
pub(crate) fn query_parameter_type(file: &mut File, send: &Send, name: &str) -> Option<Ident> {
    let binding = query_binding(operation_fn_mut(file, send)?, name)?;
    let ty = if send.builder != "Client" {
        let items = module_mut(file, "builder")?;
        let fields = builder_struct_mut(items, &send.builder)?;
        fields
            .named
            .iter()
            .find(|f| f.ident.as_ref() == Some(&binding))?
            .ty
            .clone()
    } else {
        let f = operation_fn_mut(file, send)?;
        f.sig.inputs.iter().find_map(|input| match input {
            syn::FnArg::Typed(t) => match &*t.pat {
                Pat::Ident(p) if p.ident == binding => Some((*t.ty).clone()),
                _ => None,
            },
            _ => None,
        })?
    };
    #[derive(Default)]
    struct Find(Option<Ident>);
    impl<'ast> Visit<'ast> for Find {
        fn visit_type_path(&mut self, p: &'ast syn::TypePath) {
            let segments: Vec<&syn::PathSegment> = p.path.segments.iter().collect();
            if let [first, last] = segments[..] {
                if first.ident == "types" && self.0.is_none() {
                    self.0 = Some(last.ident.clone());
                }
            }
            visit::visit_type_path(self, p);
        }
    }
    let mut find = Find::default();
    find.visit_type(&ty);
    find.0
}

/// Puts the named fields of struct `name` in `items` in the order of their
/// JSON keys in `keys` (the field's `#[serde(rename)]`, else its name);
/// fields whose key is not listed keep their order after the others.
/// Returns whether the struct was found.
pub(crate) fn order_fields(items: &mut [Item], name: &Ident, keys: &[String]) -> bool {
    let Some(s) = items.iter_mut().find_map(|item| match item {
        Item::Struct(s) if s.ident == *name => Some(s),
        _ => None,
    }) else {
        return false;
    };
    let syn::Fields::Named(fields) = &mut s.fields else {
        return false;
    };
    let position = |field: &syn::Field| {
        let key = serde_rename(&field.attrs)
            .or_else(|| {
                field
                    .ident
                    .as_ref()
                    .map(|i| i.to_string().trim_start_matches("r#").to_owned())
            })
            .unwrap_or_default();
        keys.iter().position(|k| *k == key).unwrap_or(keys.len())
    };
    let mut ordered: Vec<syn::Field> = fields.named.iter().cloned().collect();
    // A stable sort: unlisted fields keep typify's order after the others.
    ordered.sort_by_key(position);
    fields.named = ordered.into_iter().collect();
    true
}
