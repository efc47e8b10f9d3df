//! How a schema becomes a Rust type in the generated crate: which `type` and
//! `format` give which Rust type, when a property's field is `Option<T>`, and
//! how optional arrays are typed under each [`OptionalArrays`] setting. The
//! generator shapes the document progenitor sees by these decisions and the
//! differ grades SemVer levels by them, so the two cannot drift apart.

use serde_json::Value;

use crate::settings::OptionalArrays;

/// What typify makes of a schema's `type` and `format`, as far as those two
/// decide it: two schemas with equal values have the same Rust type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ScalarType<'a> {
    /// The Rust type typify picks, e.g. `i64`, `f32` or `::uuid::Uuid`.
    Native(&'static str),
    /// A `uri` string. typify gives it a plain `String`, but a change to or
    /// from `uri` has always been graded as a new Rust type (major), so it
    /// is kept apart from `String`.
    Uri,
    /// Any other `type` (`boolean`, `object`, `array`, or empty when the
    /// schema has none): the rest of the schema decides the Rust type.
    Structural(&'a str),
}

/// The Rust type a schema of this `type` and `format` becomes (typify's
/// mapping). Unknown formats give the type's default Rust type; so do `int`
/// and `uint`, which typify reads as `i32` and `u32` but which are graded
/// here like any other unknown integer format.
pub(crate) fn scalar_type<'a>(ty: Option<&'a str>, format: Option<&str>) -> ScalarType<'a> {
    use ScalarType::{Native, Structural, Uri};
    match (ty, format) {
        (Some("integer"), format) => Native(match format {
            Some("int8") => "i8",
            Some("int16") => "i16",
            Some("int32") => "i32",
            Some("uint8") => "u8",
            Some("uint16") => "u16",
            Some("uint32") => "u32",
            Some("uint64") => "u64",
            _ => "i64",
        }),
        (Some("number"), Some("float")) => Native("f32"),
        (Some("number"), _) => Native("f64"),
        (Some("string"), Some("uri")) => Uri,
        (Some("string"), format) => Native(match format {
            Some("uuid") => "::uuid::Uuid",
            Some("date-time") => "::chrono::DateTime<::chrono::offset::Utc>",
            Some("date") => "::chrono::naive::NaiveDate",
            Some("ip") => "::std::net::IpAddr",
            Some("ipv4") => "::std::net::Ipv4Addr",
            Some("ipv6") => "::std::net::Ipv6Addr",
            _ => "String",
        }),
        (ty, _) => Structural(ty.unwrap_or_default()),
    }
}

/// Whether a property's schema is an array written inline: `ty` is its
/// `type`, `is_ref` whether it is a `$ref`. An inline array becomes typify's
/// `Vec<T>`; a `$ref`'d array is a named newtype, which an optional property
/// wraps in `Option<_>` like any other type.
pub(crate) fn is_inline_array(ty: Option<&str>, is_ref: bool) -> bool {
    ty == Some("array") && !is_ref
}

/// Whether an optional property is a `Vec<T>` that is empty when absent,
/// rather than an `Option<_>`: an inline array under
/// [`OptionalArrays::Empty`], progenitor's default.
pub(crate) fn optional_is_empty_vec(inline_array: bool, arrays: OptionalArrays) -> bool {
    inline_array && arrays == OptionalArrays::Empty
}

/// Whether the generator marks a property `nullable` in the document
/// progenitor sees, which makes its field `Option<Vec<T>>`: an inline array
/// that its object does not require, under [`OptionalArrays::Option`].
pub(crate) fn marked_nullable(inline_array: bool, required: bool, arrays: OptionalArrays) -> bool {
    inline_array && !required && arrays == OptionalArrays::Option
}

/// Whether a property's struct field is `Option<T>`: a nullable property's
/// always is; an optional one's is unless it is a `Vec<T>` empty when absent
/// (see [`optional_is_empty_vec`]); a required one's is the plain `T`.
pub(crate) fn is_option(required: bool, nullable: bool, empty_vec: bool) -> bool {
    nullable || (!required && !empty_vec)
}

/// Whether a property's struct field is `Option<Option<T>>`, which keeps a
/// `null` apart from an absent member: an optional property that is
/// `nullable` itself (beside a `$ref` progenitor ignores `nullable`).
pub(crate) fn is_double_option(required: bool, nullable: bool, is_ref: bool) -> bool {
    !required && nullable && !is_ref
}

/// How many `Option<_>` wrap a property's field type: 2 for
/// [`is_double_option`], 1 for [`is_option`], else 0. Two properties whose
/// fields differ here have different Rust types.
pub(crate) fn option_depth(required: bool, nullable: bool, is_ref: bool, empty_vec: bool) -> u8 {
    if is_double_option(required, nullable, is_ref) {
        2
    } else {
        u8::from(is_option(required, nullable, empty_vec))
    }
}

/// Whether an enum schema becomes a Rust enum of strings rather than one of
/// integer codes: a string enum, declared as such (`ty` is its `type`) or,
/// untyped, only by its `values`.
pub(crate) fn is_string_enum(ty: Option<&str>, values: Option<&[Value]>) -> bool {
    match ty {
        Some(ty) => ty == "string",
        None => {
            values.is_some_and(|values| !values.is_empty() && values.iter().all(Value::is_string))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_format_that_keeps_the_rust_type_is_the_same_type() {
        let same = |a: (&str, Option<&str>), b: (&str, Option<&str>)| {
            scalar_type(Some(a.0), a.1) == scalar_type(Some(b.0), b.1)
        };
        assert!(same(("integer", None), ("integer", Some("int64"))));
        assert!(same(("number", None), ("number", Some("double"))));
        assert!(same(("string", None), ("string", Some("password"))));
        assert!(!same(("integer", None), ("integer", Some("int32"))));
        assert!(!same(("string", None), ("string", Some("date-time"))));
        assert!(!same(("string", None), ("string", Some("uri"))));
        assert!(!same(("integer", None), ("number", None)));
    }

    #[test]
    fn optional_inline_arrays_follow_the_setting() {
        let inline = is_inline_array(Some("array"), false);
        assert!(inline && !is_inline_array(Some("array"), true));
        assert!(!is_option(
            false,
            false,
            optional_is_empty_vec(inline, OptionalArrays::Empty)
        ));
        assert!(is_option(
            false,
            false,
            optional_is_empty_vec(inline, OptionalArrays::Option)
        ));
        assert!(marked_nullable(inline, false, OptionalArrays::Option));
        assert!(!marked_nullable(inline, true, OptionalArrays::Option));
        assert!(!marked_nullable(inline, false, OptionalArrays::Empty));
    }

    #[test]
    fn an_optional_nullable_property_is_a_double_option() {
        assert_eq!(option_depth(false, true, false, false), 2);
        // progenitor ignores `nullable` beside a `$ref`.
        assert_eq!(option_depth(false, true, true, false), 1);
        assert_eq!(option_depth(true, true, false, false), 1);
        assert_eq!(option_depth(false, false, false, false), 1);
        assert_eq!(option_depth(true, false, false, false), 0);
    }
}
