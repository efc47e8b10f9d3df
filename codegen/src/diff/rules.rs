//! The rules the differ applies: each has a stable name (oasdiff's where
//! oasdiff has a rule for the same change) and a wire-compatibility level.
//! The SemVer level is decided per change, because it depends on how the
//! generator maps the schema involved.

use serde::Serialize;

use super::Compat;

/// One kind of change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rule {
    /// The rule's name, used in every output format.
    pub id: &'static str,
    /// The level for callers on the wire.
    pub compat: Compat,
    /// Whether oasdiff has a rule of this name.
    pub oasdiff: bool,
    /// What the rule detects, in words.
    pub summary: &'static str,
}

/// `endpoint-added`: an operation was added.
pub const ENDPOINT_ADDED: Rule = Rule {
    id: "endpoint-added",
    compat: Compat::NonBreaking,
    oasdiff: true,
    summary: "an operation was added",
};

/// `api-path-removed-without-deprecation`: a whole path was removed without being deprecated first.
pub const API_PATH_REMOVED_WITHOUT_DEPRECATION: Rule = Rule {
    id: "api-path-removed-without-deprecation",
    compat: Compat::Breaking,
    oasdiff: true,
    summary: "a whole path was removed without being deprecated first",
};

/// `api-path-removed-with-deprecation`: a whole path was removed after being deprecated.
pub const API_PATH_REMOVED_WITH_DEPRECATION: Rule = Rule {
    id: "api-path-removed-with-deprecation",
    compat: Compat::NonBreaking,
    oasdiff: true,
    summary: "a whole path was removed after being deprecated",
};

/// `api-removed-without-deprecation`: an operation was removed without being deprecated first.
pub const API_REMOVED_WITHOUT_DEPRECATION: Rule = Rule {
    id: "api-removed-without-deprecation",
    compat: Compat::Breaking,
    oasdiff: true,
    summary: "an operation was removed without being deprecated first",
};

/// `api-removed-with-deprecation`: an operation was removed after being deprecated.
pub const API_REMOVED_WITH_DEPRECATION: Rule = Rule {
    id: "api-removed-with-deprecation",
    compat: Compat::NonBreaking,
    oasdiff: true,
    summary: "an operation was removed after being deprecated",
};

/// `endpoint-deprecated`: an operation was marked deprecated.
pub const ENDPOINT_DEPRECATED: Rule = Rule {
    id: "endpoint-deprecated",
    compat: Compat::NonBreaking,
    oasdiff: true,
    summary: "an operation was marked deprecated",
};

/// `endpoint-reactivated`: an operation is no longer deprecated.
pub const ENDPOINT_REACTIVATED: Rule = Rule {
    id: "endpoint-reactivated",
    compat: Compat::NonBreaking,
    oasdiff: true,
    summary: "an operation is no longer deprecated",
};

/// `api-operation-id-removed`: the operationId changed (oasdiff reports a
/// changed id under this name too).
pub const API_OPERATION_ID_UPDATED: Rule = Rule {
    id: "api-operation-id-removed",
    compat: Compat::NonBreaking,
    oasdiff: true,
    summary: "the operationId changed",
};

/// `new-required-request-parameter`: a required parameter was added.
pub const NEW_REQUIRED_REQUEST_PARAMETER: Rule = Rule {
    id: "new-required-request-parameter",
    compat: Compat::Breaking,
    oasdiff: true,
    summary: "a required parameter was added",
};

/// `new-optional-request-parameter`: an optional parameter was added.
pub const NEW_OPTIONAL_REQUEST_PARAMETER: Rule = Rule {
    id: "new-optional-request-parameter",
    compat: Compat::NonBreaking,
    oasdiff: true,
    summary: "an optional parameter was added",
};

/// `request-parameter-removed`: a parameter was removed.
pub const REQUEST_PARAMETER_REMOVED: Rule = Rule {
    id: "request-parameter-removed",
    compat: Compat::PossiblyBreaking,
    oasdiff: true,
    summary: "a parameter was removed",
};

/// `request-parameter-location-changed`: a parameter moved to another location (path, query, header).
pub const REQUEST_PARAMETER_LOCATION_CHANGED: Rule = Rule {
    id: "request-parameter-location-changed",
    compat: Compat::Breaking,
    oasdiff: false,
    summary: "a parameter moved to another location (path, query, header)",
};

/// `request-parameter-became-required`: a parameter became required.
pub const REQUEST_PARAMETER_BECAME_REQUIRED: Rule = Rule {
    id: "request-parameter-became-required",
    compat: Compat::Breaking,
    oasdiff: true,
    summary: "a parameter became required",
};

/// `request-parameter-became-optional`: a parameter became optional.
pub const REQUEST_PARAMETER_BECAME_OPTIONAL: Rule = Rule {
    id: "request-parameter-became-optional",
    compat: Compat::NonBreaking,
    oasdiff: true,
    summary: "a parameter became optional",
};

/// `request-parameter-type-changed`: a parameter's type or format changed.
pub const REQUEST_PARAMETER_TYPE_CHANGED: Rule = Rule {
    id: "request-parameter-type-changed",
    compat: Compat::Breaking,
    oasdiff: true,
    summary: "a parameter's type or format changed",
};

/// `request-parameter-enum-value-added`: a parameter accepts a new enum value.
pub const REQUEST_PARAMETER_ENUM_VALUE_ADDED: Rule = Rule {
    id: "request-parameter-enum-value-added",
    compat: Compat::NonBreaking,
    oasdiff: true,
    summary: "a parameter accepts a new enum value",
};

/// `request-parameter-enum-value-removed`: a parameter no longer accepts an enum value.
pub const REQUEST_PARAMETER_ENUM_VALUE_REMOVED: Rule = Rule {
    id: "request-parameter-enum-value-removed",
    compat: Compat::Breaking,
    oasdiff: true,
    summary: "a parameter no longer accepts an enum value",
};

/// `request-parameter-default-value-added`: a parameter got a default value.
pub const REQUEST_PARAMETER_DEFAULT_VALUE_ADDED: Rule = Rule {
    id: "request-parameter-default-value-added",
    compat: Compat::NonBreaking,
    oasdiff: true,
    summary: "a parameter got a default value",
};

/// `request-parameter-default-value-removed`: a parameter lost its default value.
pub const REQUEST_PARAMETER_DEFAULT_VALUE_REMOVED: Rule = Rule {
    id: "request-parameter-default-value-removed",
    compat: Compat::NonBreaking,
    oasdiff: true,
    summary: "a parameter lost its default value",
};

/// `request-parameter-default-value-changed`: a parameter's default value changed.
pub const REQUEST_PARAMETER_DEFAULT_VALUE_CHANGED: Rule = Rule {
    id: "request-parameter-default-value-changed",
    compat: Compat::NonBreaking,
    oasdiff: true,
    summary: "a parameter's default value changed",
};

/// `request-body-added-required`: a required request body was added.
pub const ADDED_REQUIRED_REQUEST_BODY: Rule = Rule {
    id: "request-body-added-required",
    compat: Compat::Breaking,
    oasdiff: true,
    summary: "a required request body was added",
};

/// `request-body-added-optional`: an optional request body was added.
pub const ADDED_OPTIONAL_REQUEST_BODY: Rule = Rule {
    id: "request-body-added-optional",
    compat: Compat::NonBreaking,
    oasdiff: true,
    summary: "an optional request body was added",
};

/// `request-body-removed`: the request body was removed.
pub const REQUEST_BODY_REMOVED: Rule = Rule {
    id: "request-body-removed",
    compat: Compat::Breaking,
    oasdiff: true,
    summary: "the request body was removed",
};

/// `request-body-became-required`: the request body became required.
pub const REQUEST_BODY_BECAME_REQUIRED: Rule = Rule {
    id: "request-body-became-required",
    compat: Compat::Breaking,
    oasdiff: true,
    summary: "the request body became required",
};

/// `request-body-became-optional`: the request body became optional.
pub const REQUEST_BODY_BECAME_OPTIONAL: Rule = Rule {
    id: "request-body-became-optional",
    compat: Compat::NonBreaking,
    oasdiff: true,
    summary: "the request body became optional",
};

/// `request-body-media-type-added`: the request body accepts a new media type.
pub const REQUEST_BODY_MEDIA_TYPE_ADDED: Rule = Rule {
    id: "request-body-media-type-added",
    compat: Compat::NonBreaking,
    oasdiff: true,
    summary: "the request body accepts a new media type",
};

/// `request-body-media-type-removed`: the request body no longer accepts a media type.
pub const REQUEST_BODY_MEDIA_TYPE_REMOVED: Rule = Rule {
    id: "request-body-media-type-removed",
    compat: Compat::Breaking,
    oasdiff: true,
    summary: "the request body no longer accepts a media type",
};

/// `request-body-type-changed`: the request body's type changed.
pub const REQUEST_BODY_TYPE_CHANGED: Rule = Rule {
    id: "request-body-type-changed",
    compat: Compat::Breaking,
    oasdiff: true,
    summary: "the request body's type changed",
};

/// `new-required-request-property`: a required request property was added.
pub const NEW_REQUIRED_REQUEST_PROPERTY: Rule = Rule {
    id: "new-required-request-property",
    compat: Compat::Breaking,
    oasdiff: true,
    summary: "a required request property was added",
};

/// `new-optional-request-property`: an optional request property was added.
pub const NEW_OPTIONAL_REQUEST_PROPERTY: Rule = Rule {
    id: "new-optional-request-property",
    compat: Compat::NonBreaking,
    oasdiff: true,
    summary: "an optional request property was added",
};

/// `request-property-removed`: a request property was removed.
pub const REQUEST_PROPERTY_REMOVED: Rule = Rule {
    id: "request-property-removed",
    compat: Compat::PossiblyBreaking,
    oasdiff: true,
    summary: "a request property was removed",
};

/// `request-property-type-changed`: a request property's type or format changed.
pub const REQUEST_PROPERTY_TYPE_CHANGED: Rule = Rule {
    id: "request-property-type-changed",
    compat: Compat::Breaking,
    oasdiff: true,
    summary: "a request property's type or format changed",
};

/// `request-property-became-required`: a request property became required.
pub const REQUEST_PROPERTY_BECAME_REQUIRED: Rule = Rule {
    id: "request-property-became-required",
    compat: Compat::Breaking,
    oasdiff: true,
    summary: "a request property became required",
};

/// `request-property-became-optional`: a request property became optional.
pub const REQUEST_PROPERTY_BECAME_OPTIONAL: Rule = Rule {
    id: "request-property-became-optional",
    compat: Compat::NonBreaking,
    oasdiff: true,
    summary: "a request property became optional",
};

/// `request-property-became-nullable`: a request property accepts null.
pub const REQUEST_PROPERTY_BECAME_NULLABLE: Rule = Rule {
    id: "request-property-became-nullable",
    compat: Compat::NonBreaking,
    oasdiff: true,
    summary: "a request property accepts null",
};

/// `request-property-became-not-nullable`: a request property no longer accepts null.
pub const REQUEST_PROPERTY_BECAME_NOT_NULLABLE: Rule = Rule {
    id: "request-property-became-not-nullable",
    compat: Compat::Breaking,
    oasdiff: true,
    summary: "a request property no longer accepts null",
};

/// `request-property-enum-value-added`: a request property accepts a new enum value.
pub const REQUEST_PROPERTY_ENUM_VALUE_ADDED: Rule = Rule {
    id: "request-property-enum-value-added",
    compat: Compat::NonBreaking,
    oasdiff: true,
    summary: "a request property accepts a new enum value",
};

/// `request-property-enum-value-removed`: a request property no longer accepts an enum value.
pub const REQUEST_PROPERTY_ENUM_VALUE_REMOVED: Rule = Rule {
    id: "request-property-enum-value-removed",
    compat: Compat::Breaking,
    oasdiff: true,
    summary: "a request property no longer accepts an enum value",
};

/// `response-success-status-added`: a success status was added.
pub const RESPONSE_SUCCESS_STATUS_ADDED: Rule = Rule {
    id: "response-success-status-added",
    compat: Compat::NonBreaking,
    oasdiff: true,
    summary: "a success status was added",
};

/// `response-success-status-removed`: a success status was removed.
pub const RESPONSE_SUCCESS_STATUS_REMOVED: Rule = Rule {
    id: "response-success-status-removed",
    compat: Compat::Breaking,
    oasdiff: true,
    summary: "a success status was removed",
};

/// `response-non-success-status-added`: an error status was added.
pub const RESPONSE_NON_SUCCESS_STATUS_ADDED: Rule = Rule {
    id: "response-non-success-status-added",
    compat: Compat::NonBreaking,
    oasdiff: true,
    summary: "an error status was added",
};

/// `response-non-success-status-removed`: an error status was removed.
pub const RESPONSE_NON_SUCCESS_STATUS_REMOVED: Rule = Rule {
    id: "response-non-success-status-removed",
    compat: Compat::NonBreaking,
    oasdiff: true,
    summary: "an error status was removed",
};

/// `response-media-type-added`: a response media type was added.
pub const RESPONSE_MEDIA_TYPE_ADDED: Rule = Rule {
    id: "response-media-type-added",
    compat: Compat::NonBreaking,
    oasdiff: true,
    summary: "a response media type was added",
};

/// `response-media-type-removed`: a response media type was removed.
pub const RESPONSE_MEDIA_TYPE_REMOVED: Rule = Rule {
    id: "response-media-type-removed",
    compat: Compat::Breaking,
    oasdiff: true,
    summary: "a response media type was removed",
};

/// `response-body-type-changed`: the response body's type changed.
pub const RESPONSE_BODY_TYPE_CHANGED: Rule = Rule {
    id: "response-body-type-changed",
    compat: Compat::Breaking,
    oasdiff: true,
    summary: "the response body's type changed",
};

/// `response-required-property-added`: a required response property was added.
pub const RESPONSE_REQUIRED_PROPERTY_ADDED: Rule = Rule {
    id: "response-required-property-added",
    compat: Compat::NonBreaking,
    oasdiff: true,
    summary: "a required response property was added",
};

/// `response-optional-property-added`: an optional response property was added.
pub const RESPONSE_OPTIONAL_PROPERTY_ADDED: Rule = Rule {
    id: "response-optional-property-added",
    compat: Compat::NonBreaking,
    oasdiff: true,
    summary: "an optional response property was added",
};

/// `response-required-property-removed`: a required response property was removed.
pub const RESPONSE_REQUIRED_PROPERTY_REMOVED: Rule = Rule {
    id: "response-required-property-removed",
    compat: Compat::Breaking,
    oasdiff: true,
    summary: "a required response property was removed",
};

/// `response-optional-property-removed`: an optional response property was removed.
pub const RESPONSE_OPTIONAL_PROPERTY_REMOVED: Rule = Rule {
    id: "response-optional-property-removed",
    compat: Compat::NonBreaking,
    oasdiff: true,
    summary: "an optional response property was removed",
};

/// `response-property-type-changed`: a response property's type or format changed.
pub const RESPONSE_PROPERTY_TYPE_CHANGED: Rule = Rule {
    id: "response-property-type-changed",
    compat: Compat::Breaking,
    oasdiff: true,
    summary: "a response property's type or format changed",
};

/// `response-property-became-optional`: a response property may now be absent.
pub const RESPONSE_PROPERTY_BECAME_OPTIONAL: Rule = Rule {
    id: "response-property-became-optional",
    compat: Compat::Breaking,
    oasdiff: true,
    summary: "a response property may now be absent",
};

/// `response-property-became-required`: a response property is now always present.
pub const RESPONSE_PROPERTY_BECAME_REQUIRED: Rule = Rule {
    id: "response-property-became-required",
    compat: Compat::NonBreaking,
    oasdiff: true,
    summary: "a response property is now always present",
};

/// `response-property-became-nullable`: a response property may now be null.
pub const RESPONSE_PROPERTY_BECAME_NULLABLE: Rule = Rule {
    id: "response-property-became-nullable",
    compat: Compat::Breaking,
    oasdiff: true,
    summary: "a response property may now be null",
};

/// `response-property-became-not-nullable`: a response property is no longer null.
pub const RESPONSE_PROPERTY_BECAME_NOT_NULLABLE: Rule = Rule {
    id: "response-property-became-not-nullable",
    compat: Compat::NonBreaking,
    oasdiff: true,
    summary: "a response property is no longer null",
};

/// `response-property-enum-value-added`: a response property may carry a new enum value.
pub const RESPONSE_PROPERTY_ENUM_VALUE_ADDED: Rule = Rule {
    id: "response-property-enum-value-added",
    compat: Compat::Breaking,
    oasdiff: true,
    summary: "a response property may carry a new enum value",
};

/// `response-property-enum-value-removed`: a response property no longer carries an enum value.
pub const RESPONSE_PROPERTY_ENUM_VALUE_REMOVED: Rule = Rule {
    id: "response-property-enum-value-removed",
    compat: Compat::NonBreaking,
    oasdiff: true,
    summary: "a response property no longer carries an enum value",
};

/// `api-security-added`: an operation accepts a further security scheme.
pub const API_SECURITY_ADDED: Rule = Rule {
    id: "api-security-added",
    compat: Compat::NonBreaking,
    oasdiff: true,
    summary: "an operation accepts a further security scheme",
};

/// `api-security-removed`: an operation no longer accepts a security scheme.
pub const API_SECURITY_REMOVED: Rule = Rule {
    id: "api-security-removed",
    compat: Compat::Breaking,
    oasdiff: true,
    summary: "an operation no longer accepts a security scheme",
};

/// `api-security-scope-added`: an operation's security requirement needs a further scope.
pub const API_SECURITY_SCOPE_ADDED: Rule = Rule {
    id: "api-security-scope-added",
    compat: Compat::Breaking,
    oasdiff: true,
    summary: "an operation's security requirement needs a further scope",
};

/// `api-security-scope-removed`: an operation's security requirement needs one scope less.
pub const API_SECURITY_SCOPE_REMOVED: Rule = Rule {
    id: "api-security-scope-removed",
    compat: Compat::NonBreaking,
    oasdiff: true,
    summary: "an operation's security requirement needs one scope less",
};

/// `api-global-security-added`: the document accepts a further security scheme.
pub const API_GLOBAL_SECURITY_ADDED: Rule = Rule {
    id: "api-global-security-added",
    compat: Compat::NonBreaking,
    oasdiff: true,
    summary: "the document accepts a further security scheme",
};

/// `api-global-security-removed`: the document no longer accepts a security scheme.
pub const API_GLOBAL_SECURITY_REMOVED: Rule = Rule {
    id: "api-global-security-removed",
    compat: Compat::Breaking,
    oasdiff: true,
    summary: "the document no longer accepts a security scheme",
};

/// `api-global-security-scope-added`: a global security requirement needs a further scope.
pub const API_GLOBAL_SECURITY_SCOPE_ADDED: Rule = Rule {
    id: "api-global-security-scope-added",
    compat: Compat::Breaking,
    oasdiff: true,
    summary: "a global security requirement needs a further scope",
};

/// `api-global-security-scope-removed`: a global security requirement needs one scope less.
pub const API_GLOBAL_SECURITY_SCOPE_REMOVED: Rule = Rule {
    id: "api-global-security-scope-removed",
    compat: Compat::NonBreaking,
    oasdiff: true,
    summary: "a global security requirement needs one scope less",
};

/// `api-security-component-added`: a security scheme was declared.
pub const API_SECURITY_COMPONENT_ADDED: Rule = Rule {
    id: "api-security-component-added",
    compat: Compat::NonBreaking,
    oasdiff: true,
    summary: "a security scheme was declared",
};

/// `api-security-component-removed`: a security scheme declaration was removed.
pub const API_SECURITY_COMPONENT_REMOVED: Rule = Rule {
    id: "api-security-component-removed",
    compat: Compat::NonBreaking,
    oasdiff: true,
    summary: "a security scheme declaration was removed",
};

/// `api-security-component-type-changed`: a security scheme's type changed.
pub const API_SECURITY_COMPONENT_TYPE_CHANGED: Rule = Rule {
    id: "api-security-component-type-changed",
    compat: Compat::NonBreaking,
    oasdiff: true,
    summary: "a security scheme's type changed",
};

/// `api-security-component-oauth-token-url-changed`: an OAuth2 token URL changed.
pub const API_SECURITY_COMPONENT_OAUTH_TOKEN_URL_CHANGED: Rule = Rule {
    id: "api-security-component-oauth-token-url-changed",
    compat: Compat::NonBreaking,
    oasdiff: true,
    summary: "an OAuth2 token URL changed",
};

/// `api-security-component-oauth-scope-added`: an OAuth2 scheme offers a new scope.
pub const API_SECURITY_COMPONENT_OAUTH_SCOPE_ADDED: Rule = Rule {
    id: "api-security-component-oauth-scope-added",
    compat: Compat::NonBreaking,
    oasdiff: true,
    summary: "an OAuth2 scheme offers a new scope",
};

/// `api-security-component-oauth-scope-removed`: an OAuth2 scheme no longer offers a scope.
pub const API_SECURITY_COMPONENT_OAUTH_SCOPE_REMOVED: Rule = Rule {
    id: "api-security-component-oauth-scope-removed",
    compat: Compat::NonBreaking,
    oasdiff: true,
    summary: "an OAuth2 scheme no longer offers a scope",
};

/// `server-added`: a server URL was added.
pub const SERVER_ADDED: Rule = Rule {
    id: "server-added",
    compat: Compat::NonBreaking,
    oasdiff: false,
    summary: "a server URL was added",
};

/// `server-removed`: a server URL was removed.
pub const SERVER_REMOVED: Rule = Rule {
    id: "server-removed",
    compat: Compat::PossiblyBreaking,
    oasdiff: false,
    summary: "a server URL was removed",
};

/// `new-request-path-parameter`: a path parameter was added.
pub const NEW_REQUEST_PATH_PARAMETER: Rule = Rule {
    id: "new-request-path-parameter",
    compat: Compat::Breaking,
    oasdiff: true,
    summary: "a path parameter was added",
};

/// Every rule, in the order of the table in the README.
pub const ALL: &[Rule] = &[
    ENDPOINT_ADDED,
    API_PATH_REMOVED_WITHOUT_DEPRECATION,
    API_PATH_REMOVED_WITH_DEPRECATION,
    API_REMOVED_WITHOUT_DEPRECATION,
    API_REMOVED_WITH_DEPRECATION,
    ENDPOINT_DEPRECATED,
    ENDPOINT_REACTIVATED,
    API_OPERATION_ID_UPDATED,
    NEW_REQUIRED_REQUEST_PARAMETER,
    NEW_REQUEST_PATH_PARAMETER,
    NEW_OPTIONAL_REQUEST_PARAMETER,
    REQUEST_PARAMETER_REMOVED,
    REQUEST_PARAMETER_LOCATION_CHANGED,
    REQUEST_PARAMETER_BECAME_REQUIRED,
    REQUEST_PARAMETER_BECAME_OPTIONAL,
    REQUEST_PARAMETER_TYPE_CHANGED,
    REQUEST_PARAMETER_ENUM_VALUE_ADDED,
    REQUEST_PARAMETER_ENUM_VALUE_REMOVED,
    REQUEST_PARAMETER_DEFAULT_VALUE_ADDED,
    REQUEST_PARAMETER_DEFAULT_VALUE_REMOVED,
    REQUEST_PARAMETER_DEFAULT_VALUE_CHANGED,
    ADDED_REQUIRED_REQUEST_BODY,
    ADDED_OPTIONAL_REQUEST_BODY,
    REQUEST_BODY_REMOVED,
    REQUEST_BODY_BECAME_REQUIRED,
    REQUEST_BODY_BECAME_OPTIONAL,
    REQUEST_BODY_MEDIA_TYPE_ADDED,
    REQUEST_BODY_MEDIA_TYPE_REMOVED,
    REQUEST_BODY_TYPE_CHANGED,
    NEW_REQUIRED_REQUEST_PROPERTY,
    NEW_OPTIONAL_REQUEST_PROPERTY,
    REQUEST_PROPERTY_REMOVED,
    REQUEST_PROPERTY_TYPE_CHANGED,
    REQUEST_PROPERTY_BECAME_REQUIRED,
    REQUEST_PROPERTY_BECAME_OPTIONAL,
    REQUEST_PROPERTY_BECAME_NULLABLE,
    REQUEST_PROPERTY_BECAME_NOT_NULLABLE,
    REQUEST_PROPERTY_ENUM_VALUE_ADDED,
    REQUEST_PROPERTY_ENUM_VALUE_REMOVED,
    RESPONSE_SUCCESS_STATUS_ADDED,
    RESPONSE_SUCCESS_STATUS_REMOVED,
    RESPONSE_NON_SUCCESS_STATUS_ADDED,
    RESPONSE_NON_SUCCESS_STATUS_REMOVED,
    RESPONSE_MEDIA_TYPE_ADDED,
    RESPONSE_MEDIA_TYPE_REMOVED,
    RESPONSE_BODY_TYPE_CHANGED,
    RESPONSE_REQUIRED_PROPERTY_ADDED,
    RESPONSE_OPTIONAL_PROPERTY_ADDED,
    RESPONSE_REQUIRED_PROPERTY_REMOVED,
    RESPONSE_OPTIONAL_PROPERTY_REMOVED,
    RESPONSE_PROPERTY_TYPE_CHANGED,
    RESPONSE_PROPERTY_BECAME_OPTIONAL,
    RESPONSE_PROPERTY_BECAME_REQUIRED,
    RESPONSE_PROPERTY_BECAME_NULLABLE,
    RESPONSE_PROPERTY_BECAME_NOT_NULLABLE,
    RESPONSE_PROPERTY_ENUM_VALUE_ADDED,
    RESPONSE_PROPERTY_ENUM_VALUE_REMOVED,
    API_SECURITY_ADDED,
    API_SECURITY_REMOVED,
    API_SECURITY_SCOPE_ADDED,
    API_SECURITY_SCOPE_REMOVED,
    API_GLOBAL_SECURITY_ADDED,
    API_GLOBAL_SECURITY_REMOVED,
    API_GLOBAL_SECURITY_SCOPE_ADDED,
    API_GLOBAL_SECURITY_SCOPE_REMOVED,
    API_SECURITY_COMPONENT_ADDED,
    API_SECURITY_COMPONENT_REMOVED,
    API_SECURITY_COMPONENT_TYPE_CHANGED,
    API_SECURITY_COMPONENT_OAUTH_TOKEN_URL_CHANGED,
    API_SECURITY_COMPONENT_OAUTH_SCOPE_ADDED,
    API_SECURITY_COMPONENT_OAUTH_SCOPE_REMOVED,
    SERVER_ADDED,
    SERVER_REMOVED,
];

#[cfg(test)]
mod tests {
    use super::ALL;

    /// The README documents every rule; a new rule must be added there.
    #[test]
    fn readme_lists_every_rule() {
        let readme = include_str!("../../../README.md");
        let missing: Vec<&str> = ALL
            .iter()
            .map(|r| r.id)
            .filter(|id| !readme.contains(&format!("| `{id}` |")))
            .collect();
        assert!(
            missing.is_empty(),
            "rules missing from README.md: {missing:?}"
        );
    }

    /// Rule names are unique.
    #[test]
    fn rule_ids_are_unique() {
        let mut ids: Vec<&str> = ALL.iter().map(|r| r.id).collect();
        ids.sort_unstable();
        let before = ids.len();
        ids.dedup();
        assert_eq!(before, ids.len());
    }
}
