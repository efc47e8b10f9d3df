//! Responses decode whatever fits the type: typify checks the constraints
//! of a string newtype (`maxLength`, `minLength`, `pattern`) when it is
//! deserialised, so one value the service sends beyond what it accepts
//! (a `state` of `NSW` where requests allow two characters) would fail a
//! whole page. The constraints describe what the service accepts; they stay
//! on the newtype's constructors (`FromStr`, `TryFrom`), which build request
//! values, and are dropped from its `Deserialize`, which reads responses.

use syn::Item;

use super::shape;

/// Rewrites the `Deserialize` impl of every constrained string newtype in
/// `items` (progenitor's `types` module) to accept any value of the inner
/// type. Returns how many impls were rewritten.
pub(crate) fn lenient_decode(items: &mut [Item]) -> usize {
    let snapshot: Vec<Item> = items
        .iter()
        .filter(|item| matches!(item, Item::Struct(_)))
        .cloned()
        .collect();
    let mut rewritten = 0;
    for item in items.iter_mut() {
        let Item::Impl(imp) = item else { continue };
        let Some((f, read)) = shape::checked_newtype_deserialize(&snapshot, imp) else {
            continue;
        };
        let body: syn::Block = syn::parse_quote!({
            ::std::result::Result::Ok(Self(#read?))
        });
        f.block = body;
        rewritten += 1;
    }
    rewritten
}
