//! Optional properties whose schema contains itself (`ItemType.subType` is
//! an `ItemType`).
//!
//! typify types such a property `Box<Option<T>>` and, unlike every other
//! optional property, writes it without `skip_serializing_if`, so an absent
//! member comes back as `null` when the value is serialized again. This pass
//! turns each of them into `Option<Box<T>>`, the usual shape of an optional
//! recursive field, everywhere in the `types` module (the structs and
//! typify's builders), and skips the field when it is `None`.

use syn::visit_mut::{self, VisitMut};
use syn::{Fields, Item, Type};

use super::shape;

/// `T` of `Box<Option<T>>`, if `ty` is that.
fn boxed_option(ty: &Type) -> Option<Type> {
    let Type::Path(p) = ty else { return None };
    if p.path.segments.last()?.ident != "Box" {
        return None;
    }
    let [inner] = shape::generic_args(ty)?.try_into().ok()?;
    shape::option_inner(&inner).cloned()
}

/// Rewrites every `Box<Option<T>>` into `Option<Box<T>>`, counting them.
struct Unbox(usize);

impl VisitMut for Unbox {
    fn visit_type_mut(&mut self, ty: &mut Type) {
        visit_mut::visit_type_mut(self, ty);
        if let Some(inner) = boxed_option(ty) {
            *ty = syn::parse_quote!(::std::option::Option<::std::boxed::Box<#inner>>);
            self.0 += 1;
        }
    }
}

/// Rewrites the recursive optional fields of progenitor's `types` module
/// and returns how many fields it changed. A field of that type that
/// already has `skip_serializing_if` keeps it.
pub(crate) fn recursive(file: &mut syn::File) -> Result<usize, String> {
    let types = shape::module_mut(file, "types")
        .ok_or_else(|| "no `types` module in progenitor's output".to_owned())?;
    let mut fields = 0;
    for item in types.iter_mut() {
        let Item::Struct(s) = item else { continue };
        let Fields::Named(named) = &mut s.fields else {
            continue;
        };
        for field in named.named.iter_mut() {
            if boxed_option(&field.ty).is_none() {
                continue;
            }
            let skips = shape::serde_keys(&field.attrs)
                .iter()
                .any(|(key, _)| key == "skip_serializing_if");
            if !skips {
                field.attrs.push(syn::parse_quote!(
                    #[serde(skip_serializing_if = "::std::option::Option::is_none")]
                ));
            }
            fields += 1;
        }
    }
    let mut unbox = Unbox(0);
    for item in types.iter_mut() {
        unbox.visit_item_mut(item);
    }
    Ok(fields)
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;

    use super::*;

    #[test]
    fn a_recursive_optional_field_becomes_an_option_of_a_box_that_is_skipped_when_none() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                pub struct ItemType {
                    #[serde(rename = "subType", default)]
                    pub sub_type: ::std::boxed::Box<::std::option::Option<ItemType>>,
                    #[serde(skip_serializing_if = "::std::option::Option::is_none")]
                    pub id: ::std::option::Option<::std::string::String>,
                    pub required: ::std::boxed::Box<ItemType>,
                }
                pub mod builder {
                    pub struct ItemType {
                        sub_type: ::std::result::Result<
                            ::std::boxed::Box<::std::option::Option<super::ItemType>>,
                            ::std::string::String,
                        >,
                    }
                }
            }
        };
        assert_eq!(recursive(&mut file).unwrap(), 1);
        let text = file.to_token_stream().to_string().replace(' ', "");
        assert!(
            text.contains("#[serde(rename=\"subType\",default)]#[serde(skip_serializing_if=\"::std::option::Option::is_none\")]pubsub_type:::std::option::Option<::std::boxed::Box<ItemType>>"),
            "{text}"
        );
        assert!(
            text.contains(
                "::std::result::Result<::std::option::Option<::std::boxed::Box<super::ItemType>>"
            ),
            "{text}"
        );
        assert!(
            text.contains("pubrequired:::std::boxed::Box<ItemType>"),
            "{text}"
        );
        assert!(!text.contains("Box<::std::option::Option"), "{text}");
    }

    #[test]
    fn no_types_module_is_an_error() {
        let mut file: syn::File = syn::parse_quote! { pub struct A; };
        assert!(recursive(&mut file).unwrap_err().contains("types"));
    }
}
