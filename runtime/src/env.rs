//! Reading settings such as client IDs from the environment, with errors
//! that say which variable is missing ([`env_var`]).

/// Why an environment variable could not be read; the message names it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EnvVarError {
    /// The variable is not set.
    #[error("environment variable `{name}` is not set")]
    NotPresent {
        /// The variable's name.
        name: String,
    },
    /// The variable is set, but its value is not valid unicode.
    #[error("environment variable `{name}` is not valid unicode")]
    NotUnicode {
        /// The variable's name.
        name: String,
    },
}

/// The value of the environment variable `name`, like [`std::env::var`],
/// but an error says which variable it is about (`environment variable
/// `CLIENT_ID` is not set` rather than a bare `NotPresent`). The value is
/// never part of the error.
pub fn env_var(name: &str) -> Result<String, EnvVarError> {
    std::env::var(name).map_err(|e| match e {
        std::env::VarError::NotPresent => EnvVarError::NotPresent {
            name: name.to_owned(),
        },
        std::env::VarError::NotUnicode(_) => EnvVarError::NotUnicode {
            name: name.to_owned(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_variable_is_named_in_the_error() {
        let name = "PARTNER_API_RUNTIME_TEST_SURELY_UNSET_4F1A";
        let e = env_var(name).unwrap_err();
        assert_eq!(
            e,
            EnvVarError::NotPresent {
                name: name.to_owned()
            }
        );
        assert_eq!(
            e.to_string(),
            format!("environment variable `{name}` is not set")
        );
    }

    #[test]
    fn a_set_variable_is_read() {
        // PATH is set wherever tests run.
        assert_eq!(env_var("PATH").ok(), std::env::var("PATH").ok());
    }
}
