//! Serde functions for an optional property that may also be `null`,
//! typed `Option<Option<T>>`: `None` is an absent member, `Some(None)` a
//! `null`, `Some(Some(v))` a value. The generated types name this module
//! in `#[serde(default, with = "..", skip_serializing_if = "Option::is_none")]`,
//! so a `null` the service sends is written back as `null`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Writes `Some(None)` as `null` and `Some(Some(v))` as `v`; `None` is left
/// out by the field's `skip_serializing_if`.
pub fn serialize<T, S>(value: &Option<Option<T>>, serializer: S) -> Result<S::Ok, S::Error>
where
    T: Serialize,
    S: Serializer,
{
    match value {
        Some(inner) => inner.serialize(serializer),
        None => serializer.serialize_none(),
    }
}

/// Reads a present member: `null` as `Some(None)`, a value as
/// `Some(Some(v))`. An absent member never reaches this function; the
/// field's `default` makes it `None`.
pub fn deserialize<'de, T, D>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};
    use serde_json::json;

    #[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
    struct Sample {
        #[serde(
            default,
            with = "super",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        value: Option<Option<String>>,
    }

    #[test]
    fn absent_null_and_a_value_each_round_trip() {
        for (text, expected) in [
            (json!({}), None),
            (json!({ "value": null }), Some(None)),
            (json!({ "value": "x" }), Some(Some("x".to_owned()))),
        ] {
            let read: Sample = serde_json::from_value(text.clone()).unwrap();
            assert_eq!(read.value, expected, "{text}");
            assert_eq!(serde_json::to_value(&read).unwrap(), text);
        }
    }
}
