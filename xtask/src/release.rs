//! `cargo xtask release [SPEC...]`: records the current specs as released.
//! It copies each spec to `specs/released/` and writes the version the
//! changes since the previous release need into the spec's settings file,
//! so that the next `cargo xtask generate` starts from there.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
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
        let decision = project::generate_crate(root, spec)
            .with_context(|| format!("{} is not ready for release", spec.display()))?
            .version;
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
        plan.push((
            spec.clone(),
            text,
            settings_rel,
            document.to_string(),
            decision,
        ));
    }
    for (spec, text, settings_rel, settings_text, decision) in plan {
        write_atomic(&root.join(version::released_path(&spec)), &text)?;
        write_atomic(&root.join(&settings_rel), &settings_text)?;
        println!(
            "released {} as version {} (was {}); run `cargo xtask generate`",
            spec.display(),
            decision.version,
            decision.released
        );
    }
    Ok(ExitCode::SUCCESS)
}
