//! `cargo xtask generate [--check]`.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context as _;
use codegen::project::{self, SPEC_SETS};
use codegen::write::{ensure_files, write_atomic, GeneratedFile, Mode};

use crate::flags;

/// Generates every crate in memory, then writes them or compares them.
/// Any error happens before the first write, so a failed run leaves every
/// file as it was.
pub fn run(root: &Path, flags: &flags::Generate) -> anyhow::Result<ExitCode> {
    let crates =
        project::generate_crates(root).context("generation failed; no file was changed")?;
    report_versions(&crates);
    for generated in &crates {
        for warning in &generated.warnings {
            eprintln!("warning: {warning}");
        }
    }
    let files: Vec<GeneratedFile> = crates.into_iter().flat_map(|c| c.files).collect();
    let mode = if flags.check {
        Mode::Check
    } else {
        Mode::Overwrite
    };
    let mut report = ensure_files(root, &files, mode)?;

    // A new crate needs its hand-written `src/lib.rs`; it is created once and
    // never touched again.
    let scaffolds = scaffolds(root, &files);
    for scaffold in &scaffolds {
        match mode {
            Mode::Overwrite => {
                write_atomic(&root.join(&scaffold.path), &scaffold.contents)?;
                report.written.push(scaffold.path.clone());
            }
            Mode::Check => report.stale.push(codegen::write::StaleFile {
                path: scaffold.path.clone(),
                diff:
                    "(missing hand-written file; `cargo xtask generate` creates a starting point)\n"
                        .to_owned(),
            }),
        }
    }

    let orphans = orphans(root, &files)?;
    for orphan in &orphans {
        eprintln!("warning: {orphan} has no spec any more; delete it or restore its spec");
    }

    if mode == Mode::Check {
        if report.stale.is_empty() && (orphans.is_empty()) {
            println!("{} generated files are up to date", report.unchanged.len());
            return Ok(ExitCode::SUCCESS);
        }
        for stale in &report.stale {
            eprintln!("stale: {}", stale.path.display());
            eprint!("{}", stale.diff);
        }
        eprintln!(
            "\n{} generated file(s) are stale{}; run `cargo xtask generate` and commit the result",
            report.stale.len(),
            if orphans.is_empty() {
                ""
            } else {
                " or orphaned"
            },
        );
        return Ok(ExitCode::FAILURE);
    }

    for path in &report.written {
        println!("wrote {}", path.display());
    }
    println!(
        "{} file(s) written, {} unchanged",
        report.written.len(),
        report.unchanged.len()
    );
    Ok(ExitCode::SUCCESS)
}

/// Hand-written `src/lib.rs` files that new crates still lack.
fn scaffolds(root: &Path, files: &[GeneratedFile]) -> Vec<GeneratedFile> {
    files
        .iter()
        .filter(|f| f.path.ends_with("Cargo.toml"))
        .filter_map(|f| f.path.parent())
        .map(|dir| dir.join("src").join("lib.rs"))
        .filter(|lib| !root.join(lib).exists())
        .map(|path| GeneratedFile {
            path,
            contents: codegen::package::lib_rs_scaffold(),
        })
        .collect()
}

/// Crate folders under a spec set's `generated` folder that no spec
/// produces.
fn orphans(root: &Path, files: &[GeneratedFile]) -> anyhow::Result<Vec<String>> {
    let mut out = Vec::new();
    for set in SPEC_SETS {
        let dir = root.join(set.generated);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let entry = entry.with_context(|| format!("cannot list {}", dir.display()))?;
            let rel = Path::new(set.generated).join(entry.file_name());
            if entry.path().is_dir() && !files.iter().any(|f| f.path.starts_with(&rel)) {
                out.push(rel.display().to_string());
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Says, per crate, which version the changes since its release need.
fn report_versions(crates: &[project::GeneratedCrate]) {
    for generated in crates {
        let (spec, decision) = (generated.spec.display(), &generated.version);
        match (decision.has_baseline, decision.level) {
            (false, _) => println!(
                "{spec}: not released yet (no copy in {}/); version {} as set in its settings",
                codegen::version::RELEASED_DIR,
                decision.version
            ),
            (true, None) => println!("{spec}: unchanged since release {}", decision.released),
            (true, Some(level)) => println!(
                "{spec}: {} change(s) since release {} need a {level} bump: version {}",
                decision.changes, decision.released, decision.version
            ),
        }
        if decision.generator_changed {
            println!(
                "{spec}: released with generator epoch {}, now {}: the generated API changed (major); version {}",
                generated.settings.krate.generator_epoch,
                codegen::version::GENERATOR_EPOCH,
                decision.version
            );
        }
    }
}
