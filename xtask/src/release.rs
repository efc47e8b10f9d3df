//! `cargo xtask release [SPEC...]`: records the current specs as released.
//! It copies each spec to `specs/released/` and writes the version the
//! changes since the previous release need into the spec's settings file,
//! so that the next `cargo xtask generate` starts from there, and puts
//! the release notes of the spec changes on top of the crate's
//! `CHANGELOG.md`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use codegen::diff::render::{self, SpecDiff};
use codegen::diff::{self, DiffOptions};
use codegen::project;
use codegen::settings::Settings;
use codegen::version;
use codegen::write::write_atomic;

use crate::flags;

/// Releases the specs; writes nothing unless every spec is ready.
pub fn run(root: &Path, flags: &flags::Release) -> anyhow::Result<ExitCode> {
    let specs: Vec<PathBuf> = if flags.specs.is_empty() {
        project::spec_files(root)?
    } else {
        flags
            .specs
            .iter()
            .map(|s| s.strip_prefix(root).unwrap_or(s).to_path_buf())
            .collect()
    };
    // Decide everything first, so that a failure leaves every file alone.
    let mut plan = Vec::new();
    for spec in &specs {
        let generated = project::generate_crate(root, spec)
            .with_context(|| format!("{} is not ready for release", spec.display()))?;
        let decision = generated.version.clone();
        let text = std::fs::read_to_string(root.join(spec))
            .with_context(|| format!("cannot read {}", spec.display()))?;
        let settings_rel = Settings::path_for(spec);
        let settings_text = std::fs::read_to_string(root.join(&settings_rel))
            .with_context(|| format!("cannot read {}", settings_rel.display()))?;
        let mut document: toml_edit::DocumentMut = settings_text
            .parse()
            .with_context(|| format!("{} is not valid TOML", settings_rel.display()))?;
        document["crate"]["version"] = toml_edit::value(decision.version.clone());
        document["crate"]["generator_epoch"] =
            toml_edit::value(i64::from(version::GENERATOR_EPOCH));
        let changelog = changelog(root, spec, &text, &generated, &decision.version)?;
        plan.push((
            spec.clone(),
            text,
            settings_rel,
            document.to_string(),
            decision,
            changelog,
        ));
    }
    for (spec, text, settings_rel, settings_text, decision, changelog) in plan {
        write_atomic(&root.join(version::released_path(&spec)), &text)?;
        write_atomic(&root.join(&settings_rel), &settings_text)?;
        if let Some((path, contents)) = changelog {
            write_atomic(&root.join(path), &contents)?;
        }
        println!(
            "released {} as version {} (was {}); run `cargo xtask generate`",
            spec.display(),
            decision.version,
            decision.released
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// The crate's `CHANGELOG.md` with a section for this release on top: the
/// release notes of the spec changes since the previous release (`None`
/// when the crate has no `Cargo.toml` to sit beside, or nothing was
/// released before).
fn changelog(
    root: &Path,
    spec: &Path,
    current_text: &str,
    generated: &project::GeneratedCrate,
    version: &str,
) -> anyhow::Result<Option<(PathBuf, String)>> {
    let Some(manifest) = generated
        .files
        .iter()
        .find(|f| f.path.ends_with("Cargo.toml"))
    else {
        return Ok(None);
    };
    let released_rel = version::released_path(spec);
    let Ok(released_text) = std::fs::read_to_string(root.join(&released_rel)) else {
        return Ok(None);
    };
    let base = codegen::load_document(&released_rel, &released_text, false)?;
    let current = codegen::load_document(spec, current_text, false)?;
    let options = DiffOptions {
        optional_arrays: generated.settings.generation.optional_arrays,
        // The deprecation policy grades the wire only, not the version.
        ..DiffOptions::default()
    };
    let changes = diff::diff(&base.value, &current.value, &options)
        .with_context(|| format!("cannot diff {} against its release", spec.display()))?;
    let spec_name = spec.display().to_string();
    let notes = render::changelog(
        &format!("## {version}"),
        &[SpecDiff::new(
            spec_name.clone(),
            released_rel.display().to_string(),
            spec_name,
            changes,
        )],
    );
    let path = manifest.path.with_file_name("CHANGELOG.md");
    let previous = std::fs::read_to_string(root.join(&path)).unwrap_or_default();
    let body = previous
        .strip_prefix(CHANGELOG_HEADER)
        .unwrap_or(&previous)
        .trim_start();
    let contents = format!("{CHANGELOG_HEADER}\n{notes}\n{body}")
        .trim_end()
        .to_owned()
        + "\n";
    Ok(Some((path, contents)))
}

/// The first line of every crate's `CHANGELOG.md`.
const CHANGELOG_HEADER: &str =
    "# Changelog (written by `cargo xtask release` from `cargo xtask diff`)\n";
