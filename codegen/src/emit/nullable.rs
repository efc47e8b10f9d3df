//! Optional nullable properties: `null` and absent stay apart.
//!
//! typify types a property that is both optional and `nullable` as one
//! `Option<T>`, so a `null` the service sends is written back as nothing.
//! The document progenitor sees marks such a property with the type
//! `partner_api_runtime::Nullable<T>` (see `generate::mark_optional_nullables`);
//! this pass turns each marked field into `Option<Option<T>>` (`None`
//! absent, `Some(None)` null, `Some(Some(v))` a value) read and written
//! through `partner_api_runtime::nullable`, and every other use of the
//! marker (typify's builders) into `Option<T>`.

use syn::visit_mut::{self, VisitMut};
use syn::{Fields, Item, Type};

use super::{shape, RUNTIME};

/// The marker's last path segment.
const MARKER: &str = "Nullable";

/// `T` of `partner_api_runtime::Nullable<T>`, if `ty` is the marker.
fn marked(ty: &Type) -> Option<Type> {
    let Type::Path(p) = ty else { return None };
    let segments: Vec<_> = p.path.segments.iter().collect();
    let [krate, last] = segments.as_slice() else {
        return None;
    };
    if krate.ident != RUNTIME || last.ident != MARKER {
        return None;
    }
    shape::generic_args(ty)?.into_iter().next()
}

/// Rewrites every marker type into `Option<T>`.
struct Unmark(usize);

impl VisitMut for Unmark {
    fn visit_type_mut(&mut self, ty: &mut Type) {
        visit_mut::visit_type_mut(self, ty);
        if let Some(inner) = marked(ty) {
            *ty = syn::parse_quote!(::std::option::Option<#inner>);
            self.0 += 1;
        }
    }
}

/// Makes every marked field of `types` (progenitor's `types` module)
/// `Option<Option<T>>` with the runtime's serde functions, and removes the
/// marker everywhere. Fails when the field is not typify's optional
/// `Option<Nullable<T>>` with `skip_serializing_if`, or when a marker
/// is left that is not in a field (the crate would not compile).
pub(crate) fn nullable(file: &mut syn::File, expected: usize) -> Result<(), String> {
    let runtime = super::runtime();
    let mut fields = 0;
    let mut structs = Vec::new();
    let types = shape::module_mut(file, "types")
        .ok_or_else(|| "no `types` module in progenitor's output".to_owned())?;
    collect_structs(types, &mut structs);
    for s in structs {
        let name = s.ident.to_string();
        let Fields::Named(named) = &mut s.fields else {
            continue;
        };
        for field in named.named.iter_mut() {
            let Some(inner) = shape::option_inner(&field.ty) else {
                continue;
            };
            if marked(inner).is_none() {
                continue;
            }
            let field_name = field
                .ident
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default();
            let skips = shape::serde_keys(&field.attrs)
                .iter()
                .any(|(key, _)| key == "skip_serializing_if");
            if !skips {
                return Err(format!(
                    "field `{name}.{field_name}` of an optional nullable property has no `skip_serializing_if` (assumption: typify writes optional properties as `Option<T>` skipped when `None`, see emit/nullable.rs)"
                ));
            }
            let with = format!("::{runtime}::nullable");
            field
                .attrs
                .push(syn::parse_quote!(#[serde(default, with = #with)]));
            fields += 1;
        }
    }
    // Fewer fields than marked properties is typify sharing one type among
    // structurally identical inline schemas; more, or none of several, is a
    // shape this pass does not know.
    if fields > expected || (expected > 0 && fields == 0) {
        return Err(format!(
            "{expected} optional nullable propert(y/ies) marked, {fields} field(s) found (assumption: typify turns each marked property into a struct field `Option<{RUNTIME}::{MARKER}<T>>`, see emit/nullable.rs)"
        ));
    }
    Unmark(0).visit_file_mut(file);
    Ok(())
}

/// The structs of `items` and of the modules in it (typify's `builder`).
fn collect_structs<'a>(items: &'a mut [Item], out: &mut Vec<&'a mut syn::ItemStruct>) {
    for item in items {
        match item {
            Item::Struct(s) => out.push(s),
            Item::Mod(m) => {
                if let Some((_, items)) = &mut m.content {
                    collect_structs(items, out);
                }
            }
            _ => {}
        }
    }
}
