//! The rules the differ applies: each has a stable id (oasdiff's where
//! oasdiff has a rule for the same change) and a wire-compatibility level,
//! which for an oasdiff rule is oasdiff's (ERR is breaking, WARN is possibly
//! breaking, INFO is non-breaking), as read from `checker/rules.go` at the
//! commit named in `oasdiff_rules.txt`. The SemVer level is decided per
//! change, because it depends on how the generator maps the schema involved.
//!
//! A project that grades a rule differently changes its level in the diff
//! settings (`[levels]`, see `crate::diff::config`); the default stays
//! oasdiff's.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::Serialize;

use super::Compat;

/// Where a rule comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// oasdiff has a rule of this id; the level is oasdiff's.
    Oasdiff,
    /// This differ's own rule, for a change oasdiff does not report.
    Ours,
}

/// One kind of change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rule {
    /// The rule's id, used in every output format.
    pub id: &'static str,
    /// The default level for callers on the wire.
    pub compat: Compat,
    /// Whether oasdiff has the rule.
    pub origin: Origin,
    /// What the rule detects, in words.
    pub summary: &'static str,
}

impl Rule {
    /// Whether oasdiff has a rule of this id.
    pub fn is_oasdiff(&self) -> bool {
        self.origin == Origin::Oasdiff
    }
}

/// Declares every rule as a constant and lists them all in [`ALL`].
macro_rules! rules {
    ($( $name:ident = $id:literal, $compat:ident, $origin:ident, $summary:literal; )*) => {
        $(
            #[doc = concat!("`", $id, "`: ", $summary, ".")]
            pub const $name: Rule = Rule {
                id: $id,
                compat: Compat::$compat,
                origin: Origin::$origin,
                summary: $summary,
            };
        )*
        /// Every rule, in the order of the table in the README.
        pub const ALL: &[Rule] = &[$($name),*];
    };
}

rules! {
    // operations
    ENDPOINT_ADDED = "endpoint-added", NonBreaking, Oasdiff, "an operation was added";
    API_PATH_REMOVED_WITHOUT_DEPRECATION = "api-path-removed-without-deprecation", Breaking, Oasdiff, "a whole path was removed without being deprecated first";
    API_PATH_REMOVED_WITH_DEPRECATION = "api-path-removed-with-deprecation", NonBreaking, Oasdiff, "a whole path was removed after being deprecated";
    API_PATH_REMOVED_BEFORE_SUNSET = "api-path-removed-before-sunset", Breaking, Oasdiff, "a whole path was removed before its sunset date";
    API_REMOVED_WITHOUT_DEPRECATION = "api-removed-without-deprecation", Breaking, Oasdiff, "an operation was removed without being deprecated first";
    API_REMOVED_WITH_DEPRECATION = "api-removed-with-deprecation", NonBreaking, Oasdiff, "an operation was removed after being deprecated";
    API_REMOVED_BEFORE_SUNSET = "api-removed-before-sunset", Breaking, Oasdiff, "an operation was removed before its sunset date";
    API_PATH_SUNSET_PARSE = "api-path-sunset-parse", Breaking, Oasdiff, "a removed path's sunset date cannot be read";
    ENDPOINT_DEPRECATED = "endpoint-deprecated", NonBreaking, Oasdiff, "an operation was marked deprecated";
    ENDPOINT_DEPRECATED_WITH_SUNSET = "endpoint-deprecated-with-sunset", NonBreaking, Oasdiff, "an operation was marked deprecated, with a sunset date";
    ENDPOINT_REACTIVATED = "endpoint-reactivated", NonBreaking, Oasdiff, "an operation is no longer deprecated";
    API_DEPRECATED_SUNSET_PARSE = "api-deprecated-sunset-parse", Breaking, Oasdiff, "a newly deprecated operation's sunset date cannot be read";
    API_DEPRECATED_SUNSET_MISSING = "api-deprecated-sunset-missing", Breaking, Oasdiff, "an operation was deprecated without a sunset date under a deprecation policy (a minimum of days above 0)";
    API_SUNSET_DATE_TOO_SMALL = "api-sunset-date-too-small", Breaking, Oasdiff, "a newly deprecated operation's sunset date is already past";
    SUNSET_DELETED = "sunset-deleted", Breaking, Oasdiff, "a deprecated operation lost its sunset date";
    API_SUNSET_DATE_CHANGED_TOO_SMALL = "api-sunset-date-changed-too-small", Breaking, Oasdiff, "a deprecated operation's sunset date moved earlier";
    API_INVALID_STABILITY_LEVEL = "api-invalid-stability-level", Breaking, Oasdiff, "an operation's `x-stability-level` is not one of draft, alpha, beta, stable";
    API_STABILITY_DECREASED = "api-stability-decreased", Breaking, Oasdiff, "an operation's `x-stability-level` went down";
    API_STABILITY_INCREASED = "api-stability-increased", NonBreaking, Oasdiff, "an operation's `x-stability-level` went up";
    API_OPERATION_ID_REMOVED = "api-operation-id-removed", NonBreaking, Oasdiff, "the operationId changed or was removed";
    API_OPERATION_ID_ADDED = "api-operation-id-added", NonBreaking, Oasdiff, "an operation got an operationId";
    API_TAG_ADDED = "api-tag-added", NonBreaking, Oasdiff, "an operation got a tag";
    API_TAG_REMOVED = "api-tag-removed", NonBreaking, Oasdiff, "an operation lost a tag";
    REQUEST_PATH_PARAMETER_RENAMED = "request-path-parameter-renamed", NonBreaking, Ours, "a path parameter was renamed (same position in the same endpoint)";
    // parameters
    NEW_REQUIRED_REQUEST_PARAMETER = "new-required-request-parameter", Breaking, Oasdiff, "a required parameter was added";
    NEW_REQUEST_PATH_PARAMETER = "new-request-path-parameter", Breaking, Oasdiff, "a path parameter was added";
    NEW_OPTIONAL_REQUEST_PARAMETER = "new-optional-request-parameter", NonBreaking, Oasdiff, "an optional parameter was added";
    NEW_REQUIRED_REQUEST_DEFAULT_PARAMETER_TO_EXISTING_PATH = "new-required-request-default-parameter-to-existing-path", Breaking, Oasdiff, "a required non-path parameter was added to an existing path item (so to each of its operations)";
    NEW_OPTIONAL_REQUEST_DEFAULT_PARAMETER_TO_EXISTING_PATH = "new-optional-request-default-parameter-to-existing-path", NonBreaking, Oasdiff, "an optional non-path parameter was added to an existing path item (so to each of its operations)";
    REQUEST_PARAMETER_REMOVED = "request-parameter-removed", PossiblyBreaking, Oasdiff, "a parameter was removed without being deprecated first";
    REQUEST_PARAMETER_REMOVED_WITH_DEPRECATION = "request-parameter-removed-with-deprecation", NonBreaking, Oasdiff, "a deprecated parameter was removed";
    REQUEST_PARAMETER_REMOVED_BEFORE_SUNSET = "request-parameter-removed-before-sunset", Breaking, Oasdiff, "a deprecated parameter was removed before its sunset date";
    REQUEST_PARAMETER_SUNSET_PARSE = "request-parameter-sunset-parse", Breaking, Oasdiff, "a removed or newly deprecated parameter's sunset date cannot be read";
    REQUEST_PARAMETER_LOCATION_CHANGED = "request-parameter-location-changed", Breaking, Ours, "a parameter moved to another location (path, query, header)";
    REQUEST_PARAMETER_DEPRECATED = "request-parameter-deprecated", NonBreaking, Oasdiff, "a parameter was marked deprecated";
    REQUEST_PARAMETER_DEPRECATED_SUNSET_MISSING = "request-parameter-deprecated-sunset-missing", Breaking, Oasdiff, "a parameter was deprecated without a sunset date under a deprecation policy";
    REQUEST_PARAMETER_REACTIVATED = "request-parameter-reactivated", NonBreaking, Oasdiff, "a parameter is no longer deprecated";
    REQUEST_PARAMETER_SUNSET_DELETED = "request-parameter-sunset-deleted", Breaking, Oasdiff, "a deprecated parameter lost its sunset date";
    REQUEST_PARAMETER_SUNSET_DATE_CHANGED_TOO_SMALL = "request-parameter-sunset-date-changed-too-small", Breaking, Oasdiff, "a deprecated parameter's sunset date moved earlier";
    REQUEST_PARAMETER_SUNSET_DATE_TOO_SMALL = "request-parameter-sunset-date-too-small", Breaking, Oasdiff, "a newly deprecated parameter's sunset date is already past";
    REQUEST_PARAMETER_BECAME_REQUIRED = "request-parameter-became-required", Breaking, Oasdiff, "a parameter became required";
    REQUEST_PARAMETER_BECAME_OPTIONAL = "request-parameter-became-optional", NonBreaking, Oasdiff, "a parameter became optional";
    REQUEST_PARAMETER_TYPE_CHANGED = "request-parameter-type-changed", Breaking, Oasdiff, "a parameter's type or format changed incompatibly";
    REQUEST_PARAMETER_TYPE_GENERALIZED = "request-parameter-type-generalized", NonBreaking, Oasdiff, "a parameter's type or format widened (it accepts more)";
    REQUEST_PARAMETER_BECAME_NULLABLE = "request-parameter-became-nullable", NonBreaking, Oasdiff, "a parameter accepts null";
    REQUEST_PARAMETER_BECAME_NOT_NULLABLE = "request-parameter-became-not-nullable", Breaking, Oasdiff, "a parameter no longer accepts null";
    REQUEST_PARAMETER_BECAME_ENUM = "request-parameter-became-enum", Breaking, Oasdiff, "a parameter was restricted to enum values";
    REQUEST_PARAMETER_ENUM_VALUE_ADDED = "request-parameter-enum-value-added", NonBreaking, Oasdiff, "a parameter accepts a new enum value";
    REQUEST_PARAMETER_ENUM_VALUE_REMOVED = "request-parameter-enum-value-removed", Breaking, Oasdiff, "a parameter no longer accepts an enum value";
    REQUEST_PARAMETER_X_EXTENSIBLE_ENUM_VALUE_REMOVED = "request-parameter-x-extensible-enum-value-removed", Breaking, Oasdiff, "a parameter's `x-extensible-enum` lost a value";
    REQUEST_PARAMETER_DEFAULT_VALUE_ADDED = "request-parameter-default-value-added", Breaking, Oasdiff, "a parameter got a default value";
    REQUEST_PARAMETER_DEFAULT_VALUE_REMOVED = "request-parameter-default-value-removed", Breaking, Oasdiff, "a parameter lost its default value";
    REQUEST_PARAMETER_DEFAULT_VALUE_CHANGED = "request-parameter-default-value-changed", Breaking, Oasdiff, "a parameter's default value changed";
    REQUEST_PARAMETER_MAX_SET = "request-parameter-max-set", PossiblyBreaking, Oasdiff, "a parameter got a maximum";
    REQUEST_PARAMETER_MAX_INCREASED = "request-parameter-max-increased", NonBreaking, Oasdiff, "a parameter's maximum went up";
    REQUEST_PARAMETER_MAX_DECREASED = "request-parameter-max-decreased", Breaking, Oasdiff, "a parameter's maximum went down";
    REQUEST_PARAMETER_MIN_SET = "request-parameter-min-set", PossiblyBreaking, Oasdiff, "a parameter got a minimum";
    REQUEST_PARAMETER_MIN_INCREASED = "request-parameter-min-increased", Breaking, Oasdiff, "a parameter's minimum went up";
    REQUEST_PARAMETER_MIN_DECREASED = "request-parameter-min-decreased", NonBreaking, Oasdiff, "a parameter's minimum went down";
    REQUEST_PARAMETER_EXCLUSIVE_MAX_SET = "request-parameter-exclusive-max-set", PossiblyBreaking, Oasdiff, "a parameter's maximum became exclusive";
    REQUEST_PARAMETER_EXCLUSIVE_MIN_SET = "request-parameter-exclusive-min-set", PossiblyBreaking, Oasdiff, "a parameter's minimum became exclusive";
    REQUEST_PARAMETER_MAX_LENGTH_SET = "request-parameter-max-length-set", PossiblyBreaking, Oasdiff, "a parameter got a maxLength";
    REQUEST_PARAMETER_MAX_LENGTH_INCREASED = "request-parameter-max-length-increased", NonBreaking, Oasdiff, "a parameter's maxLength went up";
    REQUEST_PARAMETER_MAX_LENGTH_DECREASED = "request-parameter-max-length-decreased", Breaking, Oasdiff, "a parameter's maxLength went down";
    REQUEST_PARAMETER_MIN_LENGTH_INCREASED = "request-parameter-min-length-increased", Breaking, Oasdiff, "a parameter's minLength went up";
    REQUEST_PARAMETER_MIN_LENGTH_DECREASED = "request-parameter-min-length-decreased", NonBreaking, Oasdiff, "a parameter's minLength went down";
    REQUEST_PARAMETER_MAX_ITEMS_INCREASED = "request-parameter-max-items-increased", NonBreaking, Oasdiff, "an array parameter's maxItems went up";
    REQUEST_PARAMETER_MAX_ITEMS_DECREASED = "request-parameter-max-items-decreased", Breaking, Oasdiff, "an array parameter's maxItems went down";
    REQUEST_PARAMETER_MIN_ITEMS_SET = "request-parameter-min-items-set", PossiblyBreaking, Oasdiff, "an array parameter got a minItems";
    REQUEST_PARAMETER_MIN_ITEMS_INCREASED = "request-parameter-min-items-increased", Breaking, Oasdiff, "an array parameter's minItems went up";
    REQUEST_PARAMETER_MIN_ITEMS_DECREASED = "request-parameter-min-items-decreased", NonBreaking, Oasdiff, "an array parameter's minItems went down";
    REQUEST_PARAMETER_PATTERN_ADDED = "request-parameter-pattern-added", Breaking, Oasdiff, "a parameter got a pattern";
    REQUEST_PARAMETER_PATTERN_REMOVED = "request-parameter-pattern-removed", NonBreaking, Oasdiff, "a parameter lost its pattern";
    REQUEST_PARAMETER_PATTERN_CHANGED = "request-parameter-pattern-changed", PossiblyBreaking, Oasdiff, "a parameter's pattern changed";
    REQUEST_PARAMETER_PATTERN_GENERALIZED = "request-parameter-pattern-generalized", NonBreaking, Oasdiff, "a parameter's pattern became `.*` (it accepts any text)";
    REQUEST_PARAMETER_PROPERTY_BECAME_NULLABLE = "request-parameter-property-became-nullable", NonBreaking, Oasdiff, "a property of an object parameter accepts null";
    REQUEST_PARAMETER_PROPERTY_BECAME_NOT_NULLABLE = "request-parameter-property-became-not-nullable", Breaking, Oasdiff, "a property of an object parameter no longer accepts null";
    REQUEST_PARAMETER_PROPERTY_ENUM_VALUE_ADDED = "request-parameter-property-enum-value-added", NonBreaking, Oasdiff, "a property (or the items) of a parameter accepts a new enum value";
    REQUEST_PARAMETER_PROPERTY_ENUM_VALUE_REMOVED = "request-parameter-property-enum-value-removed", Breaking, Oasdiff, "a property (or the items) of a parameter no longer accepts an enum value";
    REQUEST_PARAMETER_PROPERTY_TYPE_CHANGED = "request-parameter-property-type-changed", PossiblyBreaking, Oasdiff, "a property (or the items) of a parameter changed type in a way that breaks only some serializations (text or JSON)";
    REQUEST_PARAMETER_PROPERTY_TYPE_GENERALIZED = "request-parameter-property-type-generalized", NonBreaking, Oasdiff, "a property (or the items) of a parameter changed type in a way no serialization rejects";
    REQUEST_PARAMETER_PROPERTY_TYPE_SPECIALIZED = "request-parameter-property-type-specialized", Breaking, Oasdiff, "a property (or the items) of a parameter changed type in a way every serialization rejects";
    NEW_REQUIRED_REQUEST_HEADER_PROPERTY = "new-required-request-header-property", Breaking, Oasdiff, "an object header parameter got a required property";
    REQUEST_HEADER_PROPERTY_BECAME_ENUM = "request-header-property-became-enum", Breaking, Oasdiff, "a header parameter, or a property of it, was restricted to enum values";
    REQUEST_HEADER_PROPERTY_BECAME_REQUIRED = "request-header-property-became-required", Breaking, Oasdiff, "a property of an object header parameter became required";
    // request bodies
    REQUEST_BODY_ADDED_REQUIRED = "request-body-added-required", Breaking, Oasdiff, "a required request body was added";
    REQUEST_BODY_ADDED_OPTIONAL = "request-body-added-optional", NonBreaking, Oasdiff, "an optional request body was added";
    REQUEST_BODY_REMOVED = "request-body-removed", Breaking, Oasdiff, "the request body was removed";
    REQUEST_BODY_BECAME_REQUIRED = "request-body-became-required", Breaking, Oasdiff, "the request body became required";
    REQUEST_BODY_BECAME_OPTIONAL = "request-body-became-optional", NonBreaking, Oasdiff, "the request body became optional";
    REQUEST_BODY_MEDIA_TYPE_ADDED = "request-body-media-type-added", NonBreaking, Oasdiff, "the request body accepts a new media type";
    REQUEST_BODY_MEDIA_TYPE_REMOVED = "request-body-media-type-removed", Breaking, Oasdiff, "the request body no longer accepts a media type";
    REQUEST_BODY_MEDIA_TYPE_SCHEMA_ADDED = "request-body-media-type-schema-added", Breaking, Oasdiff, "a request media type that had no schema got one";
    REQUEST_BODY_MEDIA_TYPE_SCHEMA_REMOVED = "request-body-media-type-schema-removed", NonBreaking, Oasdiff, "a request media type lost its schema";
    REQUEST_BODY_TYPE_CHANGED = "request-body-type-changed", Breaking, Oasdiff, "the request body's type or format changed incompatibly";
    REQUEST_BODY_TYPE_GENERALIZED = "request-body-type-generalized", NonBreaking, Oasdiff, "the request body's type or format widened";
    REQUEST_BODY_TYPE_COMPATIBLE = "request-body-type-compatible", NonBreaking, Oasdiff, "the request body's type changed where the media type is not strongly typed";
    REQUEST_BODY_BECAME_NULLABLE = "request-body-became-nullable", NonBreaking, Oasdiff, "the request body accepts null";
    REQUEST_BODY_BECAME_NOT_NULLABLE = "request-body-became-not-nullable", Breaking, Oasdiff, "the request body no longer accepts null";
    REQUEST_BODY_BECAME_ENUM = "request-body-became-enum", Breaking, Oasdiff, "the request body was restricted to enum values";
    REQUEST_BODY_ENUM_VALUE_REMOVED = "request-body-enum-value-removed", Breaking, Oasdiff, "the request body no longer accepts an enum value";
    REQUEST_BODY_DEFAULT_VALUE_ADDED = "request-body-default-value-added", NonBreaking, Oasdiff, "the request body got a default value";
    REQUEST_BODY_DEFAULT_VALUE_REMOVED = "request-body-default-value-removed", NonBreaking, Oasdiff, "the request body lost its default value";
    REQUEST_BODY_DEFAULT_VALUE_CHANGED = "request-body-default-value-changed", NonBreaking, Oasdiff, "the request body's default value changed";
    REQUEST_BODY_MAX_INCREASED = "request-body-max-increased", NonBreaking, Oasdiff, "the request body's maximum went up";
    REQUEST_BODY_MAX_DECREASED = "request-body-max-decreased", Breaking, Oasdiff, "the request body's maximum went down";
    REQUEST_BODY_MAX_SET = "request-body-max-set", PossiblyBreaking, Oasdiff, "the request body got a maximum";
    REQUEST_BODY_MIN_INCREASED = "request-body-min-increased", Breaking, Oasdiff, "the request body's minimum went up";
    REQUEST_BODY_MIN_DECREASED = "request-body-min-decreased", NonBreaking, Oasdiff, "the request body's minimum went down";
    REQUEST_BODY_MIN_SET = "request-body-min-set", PossiblyBreaking, Oasdiff, "the request body got a minimum";
    REQUEST_BODY_EXCLUSIVE_MAX_SET = "request-body-exclusive-max-set", PossiblyBreaking, Oasdiff, "the request body's maximum became exclusive";
    REQUEST_BODY_EXCLUSIVE_MIN_SET = "request-body-exclusive-min-set", PossiblyBreaking, Oasdiff, "the request body's minimum became exclusive";
    REQUEST_BODY_MAX_LENGTH_INCREASED = "request-body-max-length-increased", NonBreaking, Oasdiff, "the request body's maxLength went up";
    REQUEST_BODY_MAX_LENGTH_DECREASED = "request-body-max-length-decreased", Breaking, Oasdiff, "the request body's maxLength went down";
    REQUEST_BODY_MAX_LENGTH_SET = "request-body-max-length-set", PossiblyBreaking, Oasdiff, "the request body got a maxLength";
    REQUEST_BODY_MIN_LENGTH_INCREASED = "request-body-min-length-increased", Breaking, Oasdiff, "the request body's minLength went up";
    REQUEST_BODY_MIN_LENGTH_DECREASED = "request-body-min-length-decreased", NonBreaking, Oasdiff, "the request body's minLength went down";
    REQUEST_BODY_MIN_ITEMS_INCREASED = "request-body-min-items-increased", Breaking, Oasdiff, "the request body's minItems went up";
    REQUEST_BODY_MIN_ITEMS_SET = "request-body-min-items-set", PossiblyBreaking, Oasdiff, "the request body got a minItems";
    REQUEST_BODY_ONE_OF_ADDED = "request-body-one-of-added", NonBreaking, Oasdiff, "the request body accepts a new `oneOf` alternative";
    REQUEST_BODY_ONE_OF_REMOVED = "request-body-one-of-removed", Breaking, Oasdiff, "the request body lost a `oneOf` alternative";
REQUEST_BODY_WRAPPED_IN_ONE_OF = "request-body-wrapped-in-one-of", Breaking, Oasdiff, "an object request body became a `oneOf` of alternatives holding its properties";
    REQUEST_BODY_ANY_OF_ADDED = "request-body-any-of-added", NonBreaking, Oasdiff, "the request body accepts a new `anyOf` alternative";
    REQUEST_BODY_ANY_OF_REMOVED = "request-body-any-of-removed", Breaking, Oasdiff, "the request body lost an `anyOf` alternative";
    REQUEST_BODY_ALL_OF_ADDED = "request-body-all-of-added", Breaking, Oasdiff, "the request body must also match a new `allOf` member";
    REQUEST_BODY_ALL_OF_REMOVED = "request-body-all-of-removed", PossiblyBreaking, Oasdiff, "the request body lost an `allOf` member";
    REQUEST_BODY_ALL_OF_ADDED_ANNOTATION_ONLY = "request-body-all-of-added-annotation-only", NonBreaking, Oasdiff, "the request body's `allOf` got a member that only annotates (title, description, examples...)";
    REQUEST_BODY_ALL_OF_REMOVED_ANNOTATION_ONLY = "request-body-all-of-removed-annotation-only", NonBreaking, Oasdiff, "the request body's `allOf` lost a member that only annotated";
    REQUEST_BODY_DISCRIMINATOR_ADDED = "request-body-discriminator-added", NonBreaking, Oasdiff, "the request body got a discriminator";
    REQUEST_BODY_DISCRIMINATOR_REMOVED = "request-body-discriminator-removed", NonBreaking, Oasdiff, "the request body lost its discriminator";
    REQUEST_BODY_DISCRIMINATOR_PROPERTY_NAME_CHANGED = "request-body-discriminator-property-name-changed", NonBreaking, Oasdiff, "the request body's discriminator property changed";
    REQUEST_BODY_DISCRIMINATOR_MAPPING_ADDED = "request-body-discriminator-mapping-added", NonBreaking, Oasdiff, "the request body's discriminator mapping got a value";
    REQUEST_BODY_DISCRIMINATOR_MAPPING_DELETED = "request-body-discriminator-mapping-deleted", NonBreaking, Oasdiff, "the request body's discriminator mapping lost a value";
    REQUEST_BODY_DISCRIMINATOR_MAPPING_CHANGED = "request-body-discriminator-mapping-changed", NonBreaking, Oasdiff, "a value of the request body's discriminator mapping points elsewhere";
    // request properties
    NEW_REQUIRED_REQUEST_PROPERTY = "new-required-request-property", Breaking, Oasdiff, "a required request property was added";
    NEW_REQUIRED_REQUEST_PROPERTY_WITH_DEFAULT = "new-required-request-property-with-default", Breaking, Oasdiff, "a required request property with a default was added";
    NEW_OPTIONAL_REQUEST_PROPERTY = "new-optional-request-property", NonBreaking, Oasdiff, "an optional request property was added";
    REQUEST_PROPERTY_REMOVED = "request-property-removed", PossiblyBreaking, Oasdiff, "a request property was removed";
    REQUEST_READ_ONLY_PROPERTY_ADDED = "request-read-only-property-added", NonBreaking, Ours, "a read-only property was added to a request schema (it is not sent)";
    REQUEST_READ_ONLY_PROPERTY_REMOVED = "request-read-only-property-removed", NonBreaking, Ours, "a read-only property was removed from a request schema (it was not sent)";
    REQUEST_READ_ONLY_PROPERTY_BECAME_REQUIRED = "request-read-only-property-became-required", NonBreaking, Ours, "a read-only request property became required (it is not sent)";
    REQUEST_PROPERTY_TYPE_CHANGED = "request-property-type-changed", Breaking, Oasdiff, "a request property's type or format changed incompatibly";
    REQUEST_PROPERTY_TYPE_GENERALIZED = "request-property-type-generalized", NonBreaking, Oasdiff, "a request property's type or format widened";
    REQUEST_PROPERTY_TYPE_COMPATIBLE = "request-property-type-compatible", NonBreaking, Oasdiff, "a request property's type changed where the media type is not strongly typed";
    REQUEST_PROPERTY_BECAME_REQUIRED = "request-property-became-required", Breaking, Oasdiff, "a request property became required";
    REQUEST_PROPERTY_BECAME_REQUIRED_WITH_DEFAULT = "request-property-became-required-with-default", Breaking, Oasdiff, "a request property with a default became required";
    REQUEST_PROPERTY_BECAME_OPTIONAL = "request-property-became-optional", NonBreaking, Oasdiff, "a request property became optional";
    REQUEST_PROPERTY_BECAME_NULLABLE = "request-property-became-nullable", NonBreaking, Oasdiff, "a request property accepts null";
    REQUEST_PROPERTY_BECAME_NOT_NULLABLE = "request-property-became-not-nullable", Breaking, Oasdiff, "a request property no longer accepts null";
    REQUEST_PROPERTY_BECAME_ENUM = "request-property-became-enum", Breaking, Oasdiff, "a request property was restricted to enum values";
    REQUEST_PROPERTY_ENUM_VALUE_ADDED = "request-property-enum-value-added", NonBreaking, Oasdiff, "a request property accepts a new enum value";
    REQUEST_PROPERTY_ENUM_VALUE_REMOVED = "request-property-enum-value-removed", Breaking, Oasdiff, "a request property no longer accepts an enum value";
    REQUEST_READ_ONLY_PROPERTY_ENUM_VALUE_REMOVED = "request-read-only-property-enum-value-removed", NonBreaking, Oasdiff, "a read-only request property lost an enum value";
    REQUEST_PROPERTY_X_EXTENSIBLE_ENUM_VALUE_REMOVED = "request-property-x-extensible-enum-value-removed", Breaking, Oasdiff, "a request property's `x-extensible-enum` lost a value";
    REQUEST_PROPERTY_DEFAULT_VALUE_ADDED = "request-property-default-value-added", NonBreaking, Oasdiff, "a request property got a default value";
    REQUEST_PROPERTY_DEFAULT_VALUE_REMOVED = "request-property-default-value-removed", NonBreaking, Oasdiff, "a request property lost its default value";
    REQUEST_PROPERTY_DEFAULT_VALUE_CHANGED = "request-property-default-value-changed", NonBreaking, Oasdiff, "a request property's default value changed";
    REQUEST_PROPERTY_MAX_INCREASED = "request-property-max-increased", NonBreaking, Oasdiff, "a request property's maximum went up";
    REQUEST_PROPERTY_MAX_DECREASED = "request-property-max-decreased", Breaking, Oasdiff, "a request property's maximum went down";
    REQUEST_READ_ONLY_PROPERTY_MAX_DECREASED = "request-read-only-property-max-decreased", NonBreaking, Oasdiff, "a read-only request property's maximum went down";
    REQUEST_PROPERTY_MAX_SET = "request-property-max-set", PossiblyBreaking, Oasdiff, "a request property got a maximum";
    REQUEST_PROPERTY_MIN_INCREASED = "request-property-min-increased", Breaking, Oasdiff, "a request property's minimum went up";
    REQUEST_READ_ONLY_PROPERTY_MIN_INCREASED = "request-read-only-property-min-increased", NonBreaking, Oasdiff, "a read-only request property's minimum went up";
    REQUEST_PROPERTY_MIN_DECREASED = "request-property-min-decreased", NonBreaking, Oasdiff, "a request property's minimum went down";
    REQUEST_PROPERTY_MIN_SET = "request-property-min-set", PossiblyBreaking, Oasdiff, "a request property got a minimum";
    REQUEST_PROPERTY_EXCLUSIVE_MAX_SET = "request-property-exclusive-max-set", PossiblyBreaking, Oasdiff, "a request property's maximum became exclusive";
    REQUEST_PROPERTY_EXCLUSIVE_MIN_SET = "request-property-exclusive-min-set", PossiblyBreaking, Oasdiff, "a request property's minimum became exclusive";
    REQUEST_PROPERTY_MAX_LENGTH_INCREASED = "request-property-max-length-increased", NonBreaking, Oasdiff, "a request property's maxLength went up";
    REQUEST_PROPERTY_MAX_LENGTH_DECREASED = "request-property-max-length-decreased", Breaking, Oasdiff, "a request property's maxLength went down";
    REQUEST_READ_ONLY_PROPERTY_MAX_LENGTH_DECREASED = "request-read-only-property-max-length-decreased", NonBreaking, Oasdiff, "a read-only request property's maxLength went down";
    REQUEST_PROPERTY_MAX_LENGTH_SET = "request-property-max-length-set", PossiblyBreaking, Oasdiff, "a request property got a maxLength";
    REQUEST_PROPERTY_MIN_LENGTH_INCREASED = "request-property-min-length-increased", Breaking, Oasdiff, "a request property's minLength went up";
    REQUEST_PROPERTY_MIN_LENGTH_DECREASED = "request-property-min-length-decreased", NonBreaking, Oasdiff, "a request property's minLength went down";
    REQUEST_PROPERTY_MIN_ITEMS_INCREASED = "request-property-min-items-increased", Breaking, Oasdiff, "a request property's minItems went up";
    REQUEST_PROPERTY_MIN_ITEMS_SET = "request-property-min-items-set", PossiblyBreaking, Oasdiff, "a request property got a minItems";
    REQUEST_PROPERTY_PATTERN_ADDED = "request-property-pattern-added", Breaking, Oasdiff, "a request property got a pattern";
    REQUEST_PROPERTY_PATTERN_REMOVED = "request-property-pattern-removed", NonBreaking, Oasdiff, "a request property lost its pattern";
    REQUEST_PROPERTY_PATTERN_CHANGED = "request-property-pattern-changed", PossiblyBreaking, Oasdiff, "a request property's pattern changed";
    REQUEST_PROPERTY_PATTERN_GENERALIZED = "request-property-pattern-generalized", NonBreaking, Oasdiff, "a request property's pattern became `.*` (it accepts any text)";
    REQUEST_PROPERTY_ONE_OF_ADDED = "request-property-one-of-added", NonBreaking, Oasdiff, "a request property accepts a new `oneOf` alternative";
    REQUEST_PROPERTY_ONE_OF_REMOVED = "request-property-one-of-removed", Breaking, Oasdiff, "a request property lost a `oneOf` alternative";
    REQUEST_PROPERTY_ANY_OF_ADDED = "request-property-any-of-added", NonBreaking, Oasdiff, "a request property accepts a new `anyOf` alternative";
    REQUEST_PROPERTY_ANY_OF_REMOVED = "request-property-any-of-removed", Breaking, Oasdiff, "a request property lost an `anyOf` alternative";
    REQUEST_PROPERTY_ALL_OF_ADDED = "request-property-all-of-added", Breaking, Oasdiff, "a request property must also match a new `allOf` member";
    REQUEST_PROPERTY_ALL_OF_REMOVED = "request-property-all-of-removed", PossiblyBreaking, Oasdiff, "a request property lost an `allOf` member";
    REQUEST_PROPERTY_ALL_OF_ADDED_ANNOTATION_ONLY = "request-property-all-of-added-annotation-only", NonBreaking, Oasdiff, "a request property's `allOf` got a member that only annotates";
    REQUEST_PROPERTY_ALL_OF_REMOVED_ANNOTATION_ONLY = "request-property-all-of-removed-annotation-only", NonBreaking, Oasdiff, "a request property's `allOf` lost a member that only annotated";
    REQUEST_PROPERTY_DISCRIMINATOR_ADDED = "request-property-discriminator-added", NonBreaking, Oasdiff, "a request property got a discriminator";
    REQUEST_PROPERTY_DISCRIMINATOR_REMOVED = "request-property-discriminator-removed", NonBreaking, Oasdiff, "a request property lost its discriminator";
    REQUEST_PROPERTY_DISCRIMINATOR_PROPERTY_NAME_CHANGED = "request-property-discriminator-property-name-changed", NonBreaking, Oasdiff, "a request property's discriminator property changed";
    REQUEST_PROPERTY_DISCRIMINATOR_MAPPING_ADDED = "request-property-discriminator-mapping-added", NonBreaking, Oasdiff, "a request property's discriminator mapping got a value";
    REQUEST_PROPERTY_DISCRIMINATOR_MAPPING_DELETED = "request-property-discriminator-mapping-deleted", NonBreaking, Oasdiff, "a request property's discriminator mapping lost a value";
    REQUEST_PROPERTY_DISCRIMINATOR_MAPPING_CHANGED = "request-property-discriminator-mapping-changed", NonBreaking, Oasdiff, "a value of a request property's discriminator mapping points elsewhere";
    REQUEST_PROPERTY_DEPRECATED = "request-property-deprecated", NonBreaking, Oasdiff, "a request property was marked deprecated";
    REQUEST_PROPERTY_DEPRECATED_WITH_SUNSET = "request-property-deprecated-with-sunset", NonBreaking, Oasdiff, "a request property was marked deprecated, with a sunset date";
    REQUEST_PROPERTY_DEPRECATED_SUNSET_INVALID = "request-property-deprecated-sunset-invalid", Breaking, Oasdiff, "a newly deprecated request property's sunset date cannot be read";
    REQUEST_PROPERTY_DEPRECATED_SUNSET_MISSING = "request-property-deprecated-sunset-missing", Breaking, Oasdiff, "a request property was deprecated without a sunset date under a deprecation policy";
    REQUEST_PROPERTY_SUNSET_DATE_TOO_SMALL = "request-property-sunset-date-too-small", Breaking, Oasdiff, "a newly deprecated request property's sunset date is already past";
    REQUEST_PROPERTY_REACTIVATED = "request-property-reactivated", NonBreaking, Oasdiff, "a request property is no longer deprecated";
    REQUEST_PROPERTY_STABILITY_DECREASED = "request-property-stability-decreased", Breaking, Oasdiff, "a request property's `x-stability-level` went down";
    REQUEST_PROPERTY_STABILITY_INCREASED = "request-property-stability-increased", NonBreaking, Oasdiff, "a request property's `x-stability-level` went up";
    REQUEST_OPTIONAL_PROPERTY_BECAME_READ_ONLY = "request-optional-property-became-read-only", NonBreaking, Oasdiff, "an optional request property became read-only";
    REQUEST_OPTIONAL_PROPERTY_BECAME_NOT_READ_ONLY = "request-optional-property-became-not-read-only", NonBreaking, Oasdiff, "an optional request property is no longer read-only";
    REQUEST_OPTIONAL_PROPERTY_BECAME_WRITE_ONLY = "request-optional-property-became-write-only", NonBreaking, Oasdiff, "an optional request property became write-only";
    REQUEST_OPTIONAL_PROPERTY_BECAME_NOT_WRITE_ONLY = "request-optional-property-became-not-write-only", NonBreaking, Oasdiff, "an optional request property is no longer write-only";
    REQUEST_REQUIRED_PROPERTY_BECAME_READ_ONLY = "request-required-property-became-read-only", NonBreaking, Oasdiff, "a required request property became read-only";
    REQUEST_REQUIRED_PROPERTY_BECAME_NOT_READ_ONLY = "request-required-property-became-not-read-only", NonBreaking, Oasdiff, "a required request property is no longer read-only";
    REQUEST_REQUIRED_PROPERTY_BECAME_WRITE_ONLY = "request-required-property-became-write-only", NonBreaking, Oasdiff, "a required request property became write-only";
    REQUEST_REQUIRED_PROPERTY_BECAME_NOT_WRITE_ONLY = "request-required-property-became-not-write-only", NonBreaking, Oasdiff, "a required request property is no longer write-only";
    // responses
    RESPONSE_SUCCESS_STATUS_ADDED = "response-success-status-added", NonBreaking, Oasdiff, "a success status was added";
    RESPONSE_SUCCESS_STATUS_REMOVED = "response-success-status-removed", Breaking, Oasdiff, "a success status was removed";
    RESPONSE_NON_SUCCESS_STATUS_ADDED = "response-non-success-status-added", NonBreaking, Oasdiff, "an error status was added";
    RESPONSE_NON_SUCCESS_STATUS_REMOVED = "response-non-success-status-removed", NonBreaking, Oasdiff, "an error status was removed";
    RESPONSE_DEFAULT_ADDED = "response-default-added", NonBreaking, Ours, "a `default` response was added (oasdiff has no rule for it)";
    RESPONSE_DEFAULT_REMOVED = "response-default-removed", NonBreaking, Ours, "a `default` response was removed (oasdiff has no rule for it)";
    RESPONSE_MEDIA_TYPE_ADDED = "response-media-type-added", NonBreaking, Oasdiff, "a response media type was added";
    RESPONSE_MEDIA_TYPE_REMOVED = "response-media-type-removed", Breaking, Oasdiff, "a response media type was removed";
RESPONSE_MEDIA_TYPE_NAME_CHANGED = "response-media-type-name-changed", NonBreaking, Oasdiff, "a response media type's parameters changed (`application/json` to `application/json; charset=utf-8`)";
    RESPONSE_MEDIA_TYPE_NAME_GENERALIZED = "response-media-type-name-generalized", Breaking, Oasdiff, "a response media type became a more general one (`application/problem+json` to `application/json`)";
    RESPONSE_MEDIA_TYPE_NAME_SPECIALIZED = "response-media-type-name-specialized", NonBreaking, Oasdiff, "a response media type became a more specific one (`application/json` to `application/problem+json`)";
    RESPONSE_BODY_MEDIA_TYPE_SCHEMA_ADDED = "response-body-media-type-schema-added", NonBreaking, Oasdiff, "a response media type that had no schema got one";
    RESPONSE_BODY_MEDIA_TYPE_SCHEMA_REMOVED = "response-body-media-type-schema-removed", PossiblyBreaking, Oasdiff, "a response media type lost its schema";
    RESPONSE_HEADER_ADDED = "response-header-added", NonBreaking, Oasdiff, "a response header was added";
    REQUIRED_RESPONSE_HEADER_REMOVED = "required-response-header-removed", Breaking, Oasdiff, "a required response header was removed";
    OPTIONAL_RESPONSE_HEADER_REMOVED = "optional-response-header-removed", PossiblyBreaking, Oasdiff, "an optional response header was removed";
    RESPONSE_HEADER_BECAME_OPTIONAL = "response-header-became-optional", Breaking, Oasdiff, "a response header may now be absent";
    RESPONSE_HEADER_BECAME_NULLABLE = "response-header-became-nullable", Breaking, Oasdiff, "a response header may now be null";
    RESPONSE_HEADER_BECAME_NOT_NULLABLE = "response-header-became-not-nullable", NonBreaking, Oasdiff, "a response header is no longer null";
    RESPONSE_HEADER_TYPE_CHANGED = "response-header-type-changed", Breaking, Oasdiff, "a response header's type or format changed incompatibly";
    RESPONSE_HEADER_TYPE_GENERALIZED = "response-header-type-generalized", Breaking, Oasdiff, "a response header's type or format widened (it may carry more)";
    RESPONSE_HEADER_TYPE_SPECIALIZED = "response-header-type-specialized", NonBreaking, Oasdiff, "a response header's type or format narrowed";
    RESPONSE_HEADER_TYPE_COMPATIBLE = "response-header-type-compatible", NonBreaking, Oasdiff, "a response header's type changed to one whose text the old type's values still match";
    RESPONSE_BODY_TYPE_CHANGED = "response-body-type-changed", Breaking, Oasdiff, "the response body's type or format changed incompatibly";
    RESPONSE_BODY_TYPE_GENERALIZED = "response-body-type-generalized", Breaking, Oasdiff, "the response body's type or format widened (it may carry more)";
    RESPONSE_BODY_TYPE_SPECIALIZED = "response-body-type-specialized", NonBreaking, Oasdiff, "the response body's type or format narrowed";
    RESPONSE_BODY_TYPE_COMPATIBLE = "response-body-type-compatible", NonBreaking, Oasdiff, "the response body's type changed where the media type is not strongly typed";
    RESPONSE_BODY_BECAME_NULLABLE = "response-body-became-nullable", Breaking, Oasdiff, "the response body may now be null";
    RESPONSE_BODY_BECAME_NOT_NULLABLE = "response-body-became-not-nullable", NonBreaking, Oasdiff, "the response body is no longer null";
    RESPONSE_MEDIATYPE_ENUM_VALUE_REMOVED = "response-mediatype-enum-value-removed", NonBreaking, Oasdiff, "the response body no longer carries an enum value";
    RESPONSE_BODY_DEFAULT_VALUE_ADDED = "response-body-default-value-added", NonBreaking, Oasdiff, "the response body got a default value";
    RESPONSE_BODY_DEFAULT_VALUE_REMOVED = "response-body-default-value-removed", NonBreaking, Oasdiff, "the response body lost its default value";
    RESPONSE_BODY_DEFAULT_VALUE_CHANGED = "response-body-default-value-changed", NonBreaking, Oasdiff, "the response body's default value changed";
    RESPONSE_BODY_MAX_INCREASED = "response-body-max-increased", Breaking, Oasdiff, "the response body's maximum went up";
    RESPONSE_BODY_MIN_DECREASED = "response-body-min-decreased", Breaking, Oasdiff, "the response body's minimum went down";
    RESPONSE_BODY_MAX_LENGTH_INCREASED = "response-body-max-length-increased", Breaking, Oasdiff, "the response body's maxLength went up";
    RESPONSE_BODY_MAX_LENGTH_UNSET = "response-body-max-length-unset", Breaking, Oasdiff, "the response body lost its maxLength";
    RESPONSE_BODY_MIN_LENGTH_DECREASED = "response-body-min-length-decreased", Breaking, Oasdiff, "the response body's minLength went down";
    RESPONSE_BODY_MIN_ITEMS_DECREASED = "response-body-min-items-decreased", Breaking, Oasdiff, "the response body's minItems went down";
    RESPONSE_BODY_MIN_ITEMS_UNSET = "response-body-min-items-unset", Breaking, Oasdiff, "the response body lost its minItems";
    RESPONSE_BODY_ONE_OF_ADDED = "response-body-one-of-added", Breaking, Oasdiff, "the response body may match a new `oneOf` alternative";
    RESPONSE_BODY_ONE_OF_REMOVED = "response-body-one-of-removed", NonBreaking, Oasdiff, "the response body lost a `oneOf` alternative";
    RESPONSE_BODY_WRAPPED_IN_ONE_OF = "response-body-wrapped-in-one-of", Breaking, Oasdiff, "an object response body became a `oneOf` of alternatives holding its properties";
    RESPONSE_BODY_ANY_OF_ADDED = "response-body-any-of-added", NonBreaking, Oasdiff, "the response body may match a new `anyOf` alternative";
    RESPONSE_BODY_ANY_OF_REMOVED = "response-body-any-of-removed", NonBreaking, Oasdiff, "the response body lost an `anyOf` alternative";
    RESPONSE_BODY_ALL_OF_ADDED = "response-body-all-of-added", NonBreaking, Oasdiff, "the response body matches a new `allOf` member";
    RESPONSE_BODY_ALL_OF_REMOVED = "response-body-all-of-removed", NonBreaking, Oasdiff, "the response body lost an `allOf` member";
    RESPONSE_BODY_ALL_OF_ADDED_ANNOTATION_ONLY = "response-body-all-of-added-annotation-only", NonBreaking, Oasdiff, "the response body's `allOf` got a member that only annotates";
    RESPONSE_BODY_ALL_OF_REMOVED_ANNOTATION_ONLY = "response-body-all-of-removed-annotation-only", NonBreaking, Oasdiff, "the response body's `allOf` lost a member that only annotated";
    RESPONSE_BODY_DISCRIMINATOR_ADDED = "response-body-discriminator-added", NonBreaking, Oasdiff, "the response body got a discriminator";
    RESPONSE_BODY_DISCRIMINATOR_REMOVED = "response-body-discriminator-removed", NonBreaking, Oasdiff, "the response body lost its discriminator";
    RESPONSE_BODY_DISCRIMINATOR_PROPERTY_NAME_CHANGED = "response-body-discriminator-property-name-changed", NonBreaking, Oasdiff, "the response body's discriminator property changed";
    RESPONSE_BODY_DISCRIMINATOR_MAPPING_ADDED = "response-body-discriminator-mapping-added", NonBreaking, Oasdiff, "the response body's discriminator mapping got a value";
    RESPONSE_BODY_DISCRIMINATOR_MAPPING_DELETED = "response-body-discriminator-mapping-deleted", NonBreaking, Oasdiff, "the response body's discriminator mapping lost a value";
    RESPONSE_BODY_DISCRIMINATOR_MAPPING_CHANGED = "response-body-discriminator-mapping-changed", NonBreaking, Oasdiff, "a value of the response body's discriminator mapping points elsewhere";
    // response properties
    RESPONSE_REQUIRED_PROPERTY_ADDED = "response-required-property-added", NonBreaking, Oasdiff, "a required response property was added";
    RESPONSE_REQUIRED_WRITE_ONLY_PROPERTY_ADDED = "response-required-write-only-property-added", NonBreaking, Oasdiff, "a required write-only response property was added";
    RESPONSE_OPTIONAL_PROPERTY_ADDED = "response-optional-property-added", NonBreaking, Oasdiff, "an optional response property was added";
    RESPONSE_OPTIONAL_WRITE_ONLY_PROPERTY_ADDED = "response-optional-write-only-property-added", NonBreaking, Oasdiff, "an optional write-only response property was added";
    RESPONSE_REQUIRED_PROPERTY_REMOVED = "response-required-property-removed", Breaking, Oasdiff, "a required response property was removed";
    RESPONSE_REQUIRED_WRITE_ONLY_PROPERTY_REMOVED = "response-required-write-only-property-removed", NonBreaking, Oasdiff, "a required write-only response property was removed";
    RESPONSE_OPTIONAL_PROPERTY_REMOVED = "response-optional-property-removed", PossiblyBreaking, Oasdiff, "an optional response property was removed";
    RESPONSE_OPTIONAL_WRITE_ONLY_PROPERTY_REMOVED = "response-optional-write-only-property-removed", NonBreaking, Oasdiff, "an optional write-only response property was removed";
    RESPONSE_PROPERTY_TYPE_CHANGED = "response-property-type-changed", Breaking, Oasdiff, "a response property's type or format changed incompatibly";
    RESPONSE_PROPERTY_TYPE_GENERALIZED = "response-property-type-generalized", Breaking, Oasdiff, "a response property's type or format widened (it may carry more)";
    RESPONSE_PROPERTY_TYPE_SPECIALIZED = "response-property-type-specialized", NonBreaking, Oasdiff, "a response property's type or format narrowed";
    RESPONSE_PROPERTY_TYPE_COMPATIBLE = "response-property-type-compatible", NonBreaking, Oasdiff, "a response property's type changed where the media type is not strongly typed";
    RESPONSE_PROPERTY_BECAME_OPTIONAL = "response-property-became-optional", Breaking, Oasdiff, "a response property may now be absent";
    RESPONSE_WRITE_ONLY_PROPERTY_BECAME_OPTIONAL = "response-write-only-property-became-optional", NonBreaking, Oasdiff, "a write-only response property became optional";
    RESPONSE_PROPERTY_BECAME_REQUIRED = "response-property-became-required", NonBreaking, Oasdiff, "a response property is now always present";
    RESPONSE_WRITE_ONLY_PROPERTY_BECAME_REQUIRED = "response-write-only-property-became-required", NonBreaking, Oasdiff, "a write-only response property became required";
    RESPONSE_PROPERTY_BECAME_NULLABLE = "response-property-became-nullable", Breaking, Oasdiff, "a response property may now be null";
    RESPONSE_PROPERTY_BECAME_NOT_NULLABLE = "response-property-became-not-nullable", NonBreaking, Oasdiff, "a response property is no longer null";
    RESPONSE_PROPERTY_ENUM_VALUE_ADDED = "response-property-enum-value-added", PossiblyBreaking, Oasdiff, "a response property may carry a new enum value";
    RESPONSE_WRITE_ONLY_PROPERTY_ENUM_VALUE_ADDED = "response-write-only-property-enum-value-added", NonBreaking, Oasdiff, "a write-only response property got a new enum value";
    RESPONSE_PROPERTY_ENUM_VALUE_REMOVED = "response-property-enum-value-removed", NonBreaking, Oasdiff, "a response property no longer carries an enum value";
    RESPONSE_PROPERTY_DEFAULT_VALUE_ADDED = "response-property-default-value-added", NonBreaking, Oasdiff, "a response property got a default value";
    RESPONSE_PROPERTY_DEFAULT_VALUE_REMOVED = "response-property-default-value-removed", NonBreaking, Oasdiff, "a response property lost its default value";
    RESPONSE_PROPERTY_DEFAULT_VALUE_CHANGED = "response-property-default-value-changed", NonBreaking, Oasdiff, "a response property's default value changed";
    RESPONSE_PROPERTY_MAX_INCREASED = "response-property-max-increased", Breaking, Oasdiff, "a response property's maximum went up";
    RESPONSE_PROPERTY_MIN_DECREASED = "response-property-min-decreased", Breaking, Oasdiff, "a response property's minimum went down";
    RESPONSE_PROPERTY_MAX_LENGTH_INCREASED = "response-property-max-length-increased", Breaking, Oasdiff, "a response property's maxLength went up";
    RESPONSE_PROPERTY_MAX_LENGTH_UNSET = "response-property-max-length-unset", Breaking, Oasdiff, "a response property lost its maxLength";
    RESPONSE_PROPERTY_MIN_LENGTH_DECREASED = "response-property-min-length-decreased", Breaking, Oasdiff, "a response property's minLength went down";
    RESPONSE_PROPERTY_MIN_ITEMS_DECREASED = "response-property-min-items-decreased", Breaking, Oasdiff, "a response property's minItems went down";
    RESPONSE_PROPERTY_MIN_ITEMS_UNSET = "response-property-min-items-unset", Breaking, Oasdiff, "a response property lost its minItems";
    RESPONSE_PROPERTY_PATTERN_ADDED = "response-property-pattern-added", NonBreaking, Oasdiff, "a response property got a pattern";
    RESPONSE_PROPERTY_PATTERN_REMOVED = "response-property-pattern-removed", NonBreaking, Oasdiff, "a response property lost its pattern";
    RESPONSE_PROPERTY_PATTERN_CHANGED = "response-property-pattern-changed", NonBreaking, Oasdiff, "a response property's pattern changed";
    RESPONSE_PROPERTY_ONE_OF_ADDED = "response-property-one-of-added", Breaking, Oasdiff, "a response property may match a new `oneOf` alternative";
    RESPONSE_PROPERTY_ONE_OF_REMOVED = "response-property-one-of-removed", NonBreaking, Oasdiff, "a response property lost a `oneOf` alternative";
    RESPONSE_PROPERTY_ANY_OF_ADDED = "response-property-any-of-added", NonBreaking, Oasdiff, "a response property may match a new `anyOf` alternative";
    RESPONSE_PROPERTY_ANY_OF_REMOVED = "response-property-any-of-removed", NonBreaking, Oasdiff, "a response property lost an `anyOf` alternative";
    RESPONSE_PROPERTY_ALL_OF_ADDED = "response-property-all-of-added", NonBreaking, Oasdiff, "a response property matches a new `allOf` member";
    RESPONSE_PROPERTY_ALL_OF_REMOVED = "response-property-all-of-removed", NonBreaking, Oasdiff, "a response property lost an `allOf` member";
    RESPONSE_PROPERTY_ALL_OF_ADDED_ANNOTATION_ONLY = "response-property-all-of-added-annotation-only", NonBreaking, Oasdiff, "a response property's `allOf` got a member that only annotates";
    RESPONSE_PROPERTY_ALL_OF_REMOVED_ANNOTATION_ONLY = "response-property-all-of-removed-annotation-only", NonBreaking, Oasdiff, "a response property's `allOf` lost a member that only annotated";
    RESPONSE_PROPERTY_DISCRIMINATOR_ADDED = "response-property-discriminator-added", NonBreaking, Oasdiff, "a response property got a discriminator";
    RESPONSE_PROPERTY_DISCRIMINATOR_REMOVED = "response-property-discriminator-removed", NonBreaking, Oasdiff, "a response property lost its discriminator";
    RESPONSE_PROPERTY_DISCRIMINATOR_PROPERTY_NAME_CHANGED = "response-property-discriminator-property-name-changed", NonBreaking, Oasdiff, "a response property's discriminator property changed";
    RESPONSE_PROPERTY_DISCRIMINATOR_MAPPING_ADDED = "response-property-discriminator-mapping-added", NonBreaking, Oasdiff, "a response property's discriminator mapping got a value";
    RESPONSE_PROPERTY_DISCRIMINATOR_MAPPING_DELETED = "response-property-discriminator-mapping-deleted", NonBreaking, Oasdiff, "a response property's discriminator mapping lost a value";
    RESPONSE_PROPERTY_DISCRIMINATOR_MAPPING_CHANGED = "response-property-discriminator-mapping-changed", NonBreaking, Oasdiff, "a value of a response property's discriminator mapping points elsewhere";
    RESPONSE_PROPERTY_DEPRECATED = "response-property-deprecated", NonBreaking, Oasdiff, "a response property was marked deprecated";
    RESPONSE_PROPERTY_DEPRECATED_WITH_SUNSET = "response-property-deprecated-with-sunset", NonBreaking, Oasdiff, "a response property was marked deprecated, with a sunset date";
    RESPONSE_PROPERTY_DEPRECATED_SUNSET_INVALID = "response-property-deprecated-sunset-invalid", Breaking, Oasdiff, "a newly deprecated response property's sunset date cannot be read";
    RESPONSE_PROPERTY_DEPRECATED_SUNSET_MISSING = "response-property-deprecated-sunset-missing", Breaking, Oasdiff, "a response property was deprecated without a sunset date under a deprecation policy";
    RESPONSE_PROPERTY_SUNSET_DATE_TOO_SMALL = "response-property-sunset-date-too-small", Breaking, Oasdiff, "a newly deprecated response property's sunset date is already past";
    RESPONSE_PROPERTY_REACTIVATED = "response-property-reactivated", NonBreaking, Oasdiff, "a response property is no longer deprecated";
    RESPONSE_PROPERTY_STABILITY_DECREASED = "response-property-stability-decreased", Breaking, Oasdiff, "a response property's `x-stability-level` went down";
    RESPONSE_PROPERTY_STABILITY_INCREASED = "response-property-stability-increased", NonBreaking, Oasdiff, "a response property's `x-stability-level` went up";
    RESPONSE_OPTIONAL_PROPERTY_BECAME_READ_ONLY = "response-optional-property-became-read-only", NonBreaking, Oasdiff, "an optional response property became read-only";
    RESPONSE_OPTIONAL_PROPERTY_BECAME_NOT_READ_ONLY = "response-optional-property-became-not-read-only", NonBreaking, Oasdiff, "an optional response property is no longer read-only";
    RESPONSE_OPTIONAL_PROPERTY_BECAME_WRITE_ONLY = "response-optional-property-became-write-only", NonBreaking, Oasdiff, "an optional response property became write-only";
    RESPONSE_OPTIONAL_PROPERTY_BECAME_NOT_WRITE_ONLY = "response-optional-property-became-not-write-only", NonBreaking, Oasdiff, "an optional response property is no longer write-only";
    RESPONSE_REQUIRED_PROPERTY_BECAME_READ_ONLY = "response-required-property-became-read-only", NonBreaking, Oasdiff, "a required response property became read-only";
    RESPONSE_REQUIRED_PROPERTY_BECAME_NOT_READ_ONLY = "response-required-property-became-not-read-only", NonBreaking, Oasdiff, "a required response property is no longer read-only";
    RESPONSE_REQUIRED_PROPERTY_BECAME_WRITE_ONLY = "response-required-property-became-write-only", NonBreaking, Oasdiff, "a required response property became write-only";
    RESPONSE_REQUIRED_PROPERTY_BECAME_NOT_WRITE_ONLY = "response-required-property-became-not-write-only", PossiblyBreaking, Oasdiff, "a required response property is no longer write-only";
    // security, components, document
    API_SECURITY_ADDED = "api-security-added", NonBreaking, Oasdiff, "an operation accepts a further security requirement";
    API_SECURITY_REMOVED = "api-security-removed", NonBreaking, Oasdiff, "an operation no longer accepts a security requirement";
    API_SECURITY_SCOPE_ADDED = "api-security-scope-added", NonBreaking, Oasdiff, "an operation's security requirement needs a further scope";
    API_SECURITY_SCOPE_REMOVED = "api-security-scope-removed", NonBreaking, Oasdiff, "an operation's security requirement needs one scope less";
    API_GLOBAL_SECURITY_ADDED = "api-global-security-added", NonBreaking, Oasdiff, "the document accepts a further security requirement";
    API_GLOBAL_SECURITY_REMOVED = "api-global-security-removed", NonBreaking, Oasdiff, "the document no longer accepts a security requirement";
    API_GLOBAL_SECURITY_SCOPE_ADDED = "api-global-security-scope-added", NonBreaking, Oasdiff, "a global security requirement needs a further scope";
    API_GLOBAL_SECURITY_SCOPE_REMOVED = "api-global-security-scope-removed", NonBreaking, Oasdiff, "a global security requirement needs one scope less";
    API_SECURITY_COMPONENT_ADDED = "api-security-component-added", NonBreaking, Oasdiff, "a security scheme was declared";
    API_SECURITY_COMPONENT_REMOVED = "api-security-component-removed", NonBreaking, Oasdiff, "a security scheme declaration was removed";
    API_SECURITY_COMPONENT_TYPE_CHANGED = "api-security-component-type-changed", NonBreaking, Oasdiff, "a security scheme's type changed";
    API_SECURITY_COMPONENT_OAUTH_URL_CHANGED = "api-security-component-oauth-url-changed", NonBreaking, Oasdiff, "an OAuth2 authorization URL changed";
    API_SECURITY_COMPONENT_OAUTH_TOKEN_URL_CHANGED = "api-security-component-oauth-token-url-changed", NonBreaking, Oasdiff, "an OAuth2 token URL changed";
    API_SECURITY_COMPONENT_OAUTH_SCOPE_ADDED = "api-security-component-oauth-scope-added", NonBreaking, Oasdiff, "an OAuth2 scheme offers a new scope";
    API_SECURITY_COMPONENT_OAUTH_SCOPE_REMOVED = "api-security-component-oauth-scope-removed", NonBreaking, Oasdiff, "an OAuth2 scheme no longer offers a scope";
    API_SECURITY_COMPONENT_OAUTH_SCOPE_CHANGED = "api-security-component-oauth-scope-changed", NonBreaking, Oasdiff, "an OAuth2 scope's description changed";
    API_SCHEMA_REMOVED = "api-schema-removed", NonBreaking, Oasdiff, "a schema under `components/schemas` was removed";
    API_VERSION_NOT_BUMPED = "api-version-not-bumped", NonBreaking, Oasdiff, "there is a breaking change but `info.version` stayed the same";
    API_VERSION_DECREASED = "api-version-decreased", NonBreaking, Oasdiff, "there is a breaking change and `info.version` went down";
    API_MAJOR_VERSION_NOT_BUMPED = "api-major-version-not-bumped", NonBreaking, Oasdiff, "there is a breaking change but the major version of `info.version` did not go up";
    SERVER_ADDED = "server-added", NonBreaking, Ours, "a server URL was added";
    SERVER_REMOVED = "server-removed", PossiblyBreaking, Ours, "a server URL was removed";
    SERVER_CONSTANT_RENAMED = "server-constant-renamed", NonBreaking, Ours, "a server's constant in the generated `servers` module has another name";
}
// end of the rule table

/// The rules by id.
static BY_ID: LazyLock<HashMap<&'static str, &'static Rule>> =
    LazyLock::new(|| ALL.iter().map(|r| (r.id, r)).collect());

/// The rule with this id, if there is one.
pub fn find(id: &str) -> Option<&'static Rule> {
    BY_ID.get(id).copied()
}

/// oasdiff's rules, as `oasdiff_rules.txt` lists them: id, level and
/// whether the rule can apply to an OpenAPI 3.0 document.
pub fn oasdiff_rules() -> impl Iterator<Item = (&'static str, Compat, bool)> {
    include_str!("oasdiff_rules.txt")
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .filter_map(|line| {
            let mut fields = line.split_whitespace();
            let id = fields.next()?;
            let level = match fields.next()? {
                "ERR" => Compat::Breaking,
                "WARN" => Compat::PossiblyBreaking,
                _ => Compat::NonBreaking,
            };
            Some((id, level, fields.next()? == "3.0"))
        })
}

/// The README's rule table, as [`ALL`] describes it.
pub fn readme_table() -> String {
    let mut out = String::from("| rule | wire | oasdiff | detects |\n| --- | --- | --- | --- |\n");
    for rule in ALL {
        let origin = match rule.origin {
            Origin::Oasdiff => "yes",
            Origin::Ours => "no (ours)",
        };
        out.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            rule.id, rule.compat, origin, rule.summary
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{find, oasdiff_rules, readme_table, Origin, ALL};

    const TABLE_START: &str =
        "<!-- rule table: generated by `UPDATE_README=1 cargo test -p codegen --lib rules` -->\n";
    const TABLE_END: &str = "<!-- end of rule table -->";

    /// The README's rule table is the one [`ALL`] gives; with
    /// `UPDATE_README=1` the test rewrites it instead.
    #[test]
    fn readme_lists_every_rule() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md");
        let readme = std::fs::read_to_string(path).expect("README.md is readable");
        let start = readme
            .find(TABLE_START)
            .expect("README has the rule table marker")
            + TABLE_START.len();
        let end = readme[start..]
            .find(TABLE_END)
            .expect("README has the end marker")
            + start;
        let table = readme_table();
        if readme[start..end] == table {
            return;
        }
        if std::env::var_os("UPDATE_README").is_some() {
            let updated = format!("{}{}{}", &readme[..start], table, &readme[end..]);
            crate::write::write_atomic(std::path::Path::new(path), &updated)
                .expect("README.md is writable");
            return;
        }
        panic!("the README's rule table is stale; run `UPDATE_README=1 cargo test -p codegen --lib rules`");
    }

    /// Rule ids are unique.
    #[test]
    fn rule_ids_are_unique() {
        let mut ids: Vec<&str> = ALL.iter().map(|r| r.id).collect();
        ids.sort_unstable();
        let before = ids.len();
        ids.dedup();
        assert_eq!(before, ids.len());
        assert!(ALL.iter().all(|r| find(r.id) == Some(r)));
    }

    /// Every rule marked as oasdiff's exists in oasdiff's table, applies to
    /// OpenAPI 3.0 and has oasdiff's level; every rule marked as ours is
    /// not in oasdiff's table.
    #[test]
    fn levels_are_oasdiffs() {
        let theirs: Vec<_> = oasdiff_rules().collect();
        assert!(
            theirs.len() > 500,
            "oasdiff_rules.txt lists {} rules",
            theirs.len()
        );
        let mut problems = Vec::new();
        for rule in ALL {
            let found = theirs.iter().find(|(id, ..)| *id == rule.id);
            match (rule.origin, found) {
                (Origin::Oasdiff, None) => {
                    problems.push(format!("{}: not an oasdiff rule", rule.id))
                }
                (Origin::Oasdiff, Some((_, level, applies))) => {
                    if *level != rule.compat {
                        problems.push(format!(
                            "{}: {} here, {} in oasdiff",
                            rule.id, rule.compat, level
                        ));
                    }
                    if !applies {
                        problems.push(format!(
                            "{}: oasdiff_rules.txt says it is 3.1-only",
                            rule.id
                        ));
                    }
                }
                (Origin::Ours, Some(_)) => {
                    problems.push(format!("{}: oasdiff has it; mark it Oasdiff", rule.id))
                }
                (Origin::Ours, None) => {}
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }
}
