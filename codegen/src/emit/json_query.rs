//! Query parameters sent as JSON text (`content: application/json`, see
//! [`crate::json_query`]): progenitor types them
//! `partner_api_runtime::query::Json<T>`, which serializes as the compact
//! JSON text of its `T`. serde writes a struct's members in field order and
//! typify sorts fields by name, so this pass puts the fields of each such
//! `T` in the order its schema declares its properties: the JSON text then
//! has its keys in that order, as documented request lines show them
//! (`{"Field":..,"Value":..,"Operator":..}`).

use syn::File;

use super::shape;
use crate::model::Operation;

/// Orders the fields of the type of each JSON-text parameter of `op` whose
/// schema is an object, as its properties are declared.
pub(crate) fn order_keys(
    file: &mut File,
    op: &Operation,
    send: &shape::Send,
) -> Result<(), String> {
    for param in op
        .parameters
        .iter()
        .filter(|p| p.json_text && !p.json_keys.is_empty())
    {
        let name = param.progenitor_name();
        let ty = shape::query_parameter_type(file, send, name).ok_or_else(|| {
            format!(
                "the type of query parameter `{name}` (sent as JSON text) was not found (assumption: `QueryParam::new(\"{name}\", &PARAM)` in the request code, `PARAM` a builder field or `Client` method argument of type `..Json<types::T>`, see emit/shape/query.rs)"
            )
        })?;
        let types = shape::module_mut(file, "types")
            .ok_or_else(|| "no `types` module in progenitor's output".to_owned())?;
        if !shape::order_fields(types, &ty, &param.json_keys) {
            return Err(format!(
                "query parameter `{name}` (sent as JSON text) has an object schema, but `types::{ty}` is not a struct with named fields"
            ));
        }
    }
    Ok(())
}
