//! Per-spec settings: the small TOML file beside each spec that holds every
//! code-shaping choice, so that nothing in this crate is specific to a vendor.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Result};

/// Settings for one spec, read from `<spec stem>.settings.toml` beside it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// The crate the spec generates.
    #[serde(rename = "crate")]
    pub krate: CrateSettings,
    /// How progenitor shapes the code.
    #[serde(default)]
    pub generation: GenerationSettings,
    /// Changes to single generated types, keyed by the type's Rust name.
    #[serde(default)]
    pub patches: BTreeMap<String, TypePatch>,
    /// What goes into the generated README.
    #[serde(default)]
    pub readme: ReadmeSettings,
    /// How strictly the spec is checked.
    #[serde(default)]
    pub validation: ValidationSettings,
}

/// How strictly `validate` treats what does not make the generated code
/// wrong.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValidationSettings {
    /// A documented sample that does not match its schema: `error` (the
    /// default: the spec contradicts its own documentation) or `warn` (for a
    /// third-party spec whose samples are known to be wrong; the code is
    /// generated and the mismatches are printed).
    #[serde(default)]
    pub samples: Strictness,
}

/// Whether a finding stops generation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Strictness {
    /// It is an error: nothing is generated.
    #[default]
    Error,
    /// It is printed as a warning and generation goes on.
    Warn,
}

/// Content for the generated crate's README.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReadmeSettings {
    /// A Rust usage example; it is compiled (not run) as a doctest of the
    /// generated crate, so it cannot drift from the generated API.
    pub example: Option<String>,
}

/// The package written around the generated code.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrateSettings {
    /// The package name, e.g. `avepoint-graph`; the crate is written to
    /// `generated/<name>`.
    pub name: String,
    /// The version of the last release. The generated crate carries this
    /// version bumped by the changes since the released spec (see
    /// [`crate::version`]).
    pub version: String,
    /// A one-line description for `Cargo.toml`.
    pub description: String,
    /// The [`crate::version::GENERATOR_EPOCH`] the last release was generated
    /// with (1 when absent, the epoch before the field existed).
    #[serde(default = "first_epoch")]
    pub generator_epoch: u32,
}

fn first_epoch() -> u32 {
    1
}

/// The progenitor options this project exposes.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenerationSettings {
    /// `builder` (the default) or `positional`.
    #[serde(default)]
    pub interface: Interface,
    /// Extra derives on every generated type, e.g. `PartialEq`.
    #[serde(default)]
    pub derives: Vec<String>,
    /// The request timeout the generated `Client::new` sets, in seconds.
    #[serde(default = "default_timeout")]
    pub timeout_seconds: u64,
    /// How an array property that is not `required` is typed.
    #[serde(default)]
    pub optional_arrays: OptionalArrays,
}

/// The Rust type of an optional array property.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OptionalArrays {
    /// `Vec<T>`, empty when absent and left out when empty (progenitor's
    /// default): an absent list and `[]` cannot be told apart.
    #[default]
    Empty,
    /// `Option<Vec<T>>`: `None` when absent, so an omitted list (for example
    /// one the server withholds) differs from an empty one, and `[]`
    /// serialises back as `[]`.
    Option,
}

impl Default for GenerationSettings {
    fn default() -> Self {
        Self {
            interface: Interface::default(),
            derives: Vec::new(),
            timeout_seconds: default_timeout(),
            optional_arrays: OptionalArrays::default(),
        }
    }
}

fn default_timeout() -> u64 {
    15
}

/// The shape of the generated client methods.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Interface {
    /// `client.get_customer().id("..").send()`.
    #[default]
    Builder,
    /// `client.get_customer("..")`.
    Positional,
}

/// A change to one generated type.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypePatch {
    /// A new Rust name for the type.
    pub rename: Option<String>,
    /// Extra derives for this type only.
    #[serde(default)]
    pub derives: Vec<String>,
}

impl Settings {
    /// The settings file that belongs to `spec`: `specs/x.yaml` has
    /// `specs/x.settings.toml`.
    pub fn path_for(spec: &Path) -> PathBuf {
        let stem = spec
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        spec.with_file_name(format!("{stem}.settings.toml"))
    }

    /// Reads and checks a settings file.
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.to_owned(),
            action: "cannot read settings (every spec needs a settings file beside it)",
            source,
        })?;
        Self::parse(path, &text)
    }

    /// Parses settings text; `path` is only used in errors.
    pub fn parse(path: &Path, text: &str) -> Result<Self> {
        let invalid = |message: String| Error::Settings {
            path: path.to_owned(),
            message,
        };
        let settings: Settings = toml::from_str(text).map_err(|e| invalid(e.to_string()))?;
        let name = &settings.krate.name;
        let valid_name = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
            && name.starts_with(|c: char| c.is_ascii_lowercase());
        if !valid_name {
            return Err(invalid(format!(
                "crate name `{name}` must be lowercase ASCII letters, digits, `-` or `_`"
            )));
        }
        let version_ok = settings.krate.version.split('.').count() == 3
            && settings
                .krate
                .version
                .split('.')
                .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_digit()));
        if !version_ok {
            return Err(invalid(format!(
                "crate version `{}` must be MAJOR.MINOR.PATCH",
                settings.krate.version
            )));
        }
        for derive in settings
            .generation
            .derives
            .iter()
            .chain(settings.patches.values().flat_map(|p| p.derives.iter()))
        {
            if syn::parse_str::<syn::Path>(derive).is_err() {
                return Err(invalid(format!("derive `{derive}` is not a Rust path")));
            }
        }
        for (type_name, patch) in &settings.patches {
            if let Some(rename) = &patch.rename {
                if syn::parse_str::<syn::Ident>(rename).is_err() {
                    return Err(invalid(format!(
                        "patch for `{type_name}`: `{rename}` is not a Rust identifier"
                    )));
                }
            }
        }
        Ok(settings)
    }
}
