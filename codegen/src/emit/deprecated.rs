//! Deprecated operations.
//!
//! progenitor drops `deprecated: true`. For each deprecated operation this
//! pass puts `#[deprecated]` on its `Client` method, with a note naming the
//! method of the operation that replaces it (`x-replaced-by`), so a caller
//! hears of it from the compiler and learns where to go.

use syn::{File, ImplItem, Item};

use super::shape;

/// Marks the `Client` method `method` deprecated, pointing to `instead`
/// (the replacing operation's method) when there is one. Fails when no
/// `Client` method of that name exists.
pub(crate) fn deprecate(
    file: &mut File,
    method: &str,
    instead: Option<&str>,
) -> Result<(), String> {
    let note = match instead {
        Some(other) => format!("deprecated by the API; use `{other}` instead"),
        None => "deprecated by the API".to_owned(),
    };
    for item in &mut file.items {
        let Item::Impl(imp) = item else { continue };
        if imp.trait_.is_some() || shape::last_ident(&imp.self_ty).is_none_or(|i| i != "Client") {
            continue;
        }
        for it in &mut imp.items {
            if let ImplItem::Fn(f) = it {
                if f.sig.ident == method {
                    f.attrs.push(syn::parse_quote!(#[deprecated(note = #note)]));
                    return Ok(());
                }
            }
        }
    }
    Err(format!(
        "no `Client::{method}` to mark deprecated (assumption: progenitor writes one `Client` method per operation)"
    ))
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;

    use super::*;

    #[test]
    fn the_client_method_is_deprecated_with_its_replacement() {
        let mut file: File = syn::parse_quote! {
            impl Client {
                pub fn list_old(&self) -> builder::ListOld<'_> { builder::ListOld::new(self) }
                pub fn list_new(&self) -> builder::ListNew<'_> { builder::ListNew::new(self) }
            }
        };
        deprecate(&mut file, "list_old", Some("list_new")).unwrap();
        let text = file.to_token_stream().to_string();
        assert!(
            text.contains("# [deprecated (note = \"deprecated by the API; use `list_new` instead\")] pub fn list_old"),
            "{text}"
        );
        assert_eq!(text.matches("deprecated").count(), 2, "{text}");
        assert!(deprecate(&mut file, "gone", None)
            .unwrap_err()
            .contains("Client::gone"));
    }
}
