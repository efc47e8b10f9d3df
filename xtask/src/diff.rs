//! `cargo xtask diff`: compares specs and prints every change with its wire
//! and SemVer verdicts.
//!
//! Exit status: 0 done; 1 `--fail-on` threshold reached; 2 bad arguments;
//! 3 a spec does not parse or is not OpenAPI 3.0.x; 4 a file is missing;
//! 5 the git revision is unknown; 6 anything else (git missing, I/O).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use codegen::diff::config::DiffConfig;
use codegen::diff::render::{self, SpecDiff};
use codegen::diff::{self, Compat, DeprecationPolicy, DiffOptions};
use codegen::settings::Settings;
use codegen::{Document, Error};

use crate::flags::{self, FailOn, Format};

/// Why a diff could not be made; each has its own exit status.
#[derive(Debug)]
enum Failure {
    Usage(String),
    Spec(Error),
    Missing(PathBuf),
    Revision(String),
    Other(String),
}

impl Failure {
    fn code(&self) -> u8 {
        match self {
            Failure::Usage(_) => 2,
            Failure::Spec(_) => 3,
            Failure::Missing(_) => 4,
            Failure::Revision(_) => 5,
            Failure::Other(_) => 6,
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Usage(m) | Failure::Other(m) => f.write_str(m),
            Failure::Spec(e) => write!(f, "{e}"),
            Failure::Missing(p) => write!(f, "{}: no such file", p.display()),
            Failure::Revision(r) => write!(f, "unknown git revision `{r}`"),
        }
    }
}

/// The settings file used when `--config` is not given.
const DEFAULT_CONFIG: &str = "diff.toml";

/// The differ's settings: `--config`, or `diff.toml` when it exists.
fn config(root: &Path, flags: &flags::Diff) -> Result<DiffConfig, Failure> {
    let path = match &flags.config {
        Some(path) if !path.exists() => return Err(Failure::Missing(path.clone())),
        Some(path) => path.clone(),
        None => {
            let path = root.join(DEFAULT_CONFIG);
            if !path.exists() {
                return Ok(DiffConfig::default());
            }
            path
        }
    };
    DiffConfig::load(&path).map_err(|e| Failure::Usage(e.to_string()))
}

/// Runs the command; never panics on bad input.
pub fn run(root: &Path, flags: &flags::Diff) -> ExitCode {
    let run = config(root, flags).and_then(|config| {
        let policy = policy(&config, flags);
        Ok((diffs(root, flags, policy)?, config))
    });
    match run {
        Ok((mut diffs, config)) => {
            for diff in &mut diffs {
                let applied = config.apply(&mut diff.changes);
                for (change, entry) in diff.changes.iter_mut().zip(applied.accepted) {
                    change.accepted = entry.map(|e| e.reason.unwrap_or_default());
                }
                for warning in applied.warnings {
                    eprintln!("warning: {}: {warning}", diff.spec);
                }
                *diff = SpecDiff::new(
                    std::mem::take(&mut diff.spec),
                    std::mem::take(&mut diff.base),
                    std::mem::take(&mut diff.revision),
                    std::mem::take(&mut diff.changes),
                );
            }
            let threshold = flags.fail_on.map(|f| match f {
                FailOn::Any => Compat::NonBreaking,
                FailOn::PossiblyBreaking => Compat::PossiblyBreaking,
                FailOn::Breaking => Compat::Breaking,
            });
            let out = match flags.format {
                Format::Text => render::text(&diffs),
                Format::Markdown => render::markdown(&diffs),
                Format::Json => render::json(&diffs),
                Format::Github => render::github(&diffs),
                Format::Changelog => {
                    render::changelog(flags.title.as_deref().unwrap_or("## Unreleased"), &diffs)
                }
                Format::Junit => render::junit(&diffs, threshold),
            };
            print!("{out}");
            // Accepted changes were reviewed: they do not fail the run.
            let worst = diffs
                .iter()
                .flat_map(|d| &d.changes)
                .filter(|c| c.accepted.is_none())
                .map(|c| c.compat)
                .max();
            let failed = matches!((threshold, worst), (Some(t), Some(c)) if c >= t);
            if failed {
                eprintln!("error: changes at or above `--fail-on` were found");
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(failure) => {
            eprintln!("error: {failure}");
            ExitCode::from(failure.code())
        }
    }
}

/// The deprecation policy: the settings file's, with the flags overriding
/// it.
fn policy(config: &DiffConfig, flags: &flags::Diff) -> DeprecationPolicy {
    DeprecationPolicy {
        beta_days: flags
            .deprecation_days_beta
            .unwrap_or(config.deprecation.beta_days),
        stable_days: flags
            .deprecation_days_stable
            .unwrap_or(config.deprecation.stable_days),
    }
}

fn diffs(
    root: &Path,
    flags: &flags::Diff,
    policy: DeprecationPolicy,
) -> Result<Vec<SpecDiff>, Failure> {
    let index_lines = flags.format == Format::Github;
    match (&flags.base, flags.files.as_slice()) {
        (None, [base, revision]) => {
            let base_text = read(base)?;
            let revision_text = read(revision)?;
            let options = options_for(root, revision, policy);
            let one = compare(base, &base_text, revision, &revision_text, &options, index_lines)?;
            Ok(vec![SpecDiff::new(
                revision.display().to_string(),
                base.display().to_string(),
                revision.display().to_string(),
                one,
            )])
        }
        (None, []) => against_revision(root, "HEAD", &[], policy, index_lines),
        (None, other) => Err(Failure::Usage(format!(
            "give two files (base and revision), or `--base REV` with any number of specs; got {} file(s)",
            other.len()
        ))),
        (Some(rev), files) => against_revision(root, rev, files, policy, index_lines),
    }
}

fn read(path: &Path) -> Result<String, Failure> {
    std::fs::read_to_string(path).map_err(|err| match err.kind() {
        std::io::ErrorKind::NotFound => Failure::Missing(path.to_owned()),
        _ => Failure::Other(format!("{}: {err}", path.display())),
    })
}

/// The SemVer mapping follows the settings beside the spec, when present.
fn options_for(root: &Path, spec: &Path, deprecation: DeprecationPolicy) -> DiffOptions {
    let settings_path = Settings::path_for(&root.join(spec));
    let settings =
        Settings::load(&settings_path).or_else(|_| Settings::load(&Settings::path_for(spec)));
    DiffOptions {
        optional_arrays: settings
            .map(|s| s.generation.optional_arrays)
            .unwrap_or_default(),
        deprecation,
    }
}

fn compare(
    base_path: &Path,
    base_text: &str,
    revision_path: &Path,
    revision_text: &str,
    options: &DiffOptions,
    index_lines: bool,
) -> Result<Vec<diff::Change>, Failure> {
    // Lines are found after the diff, for the changed elements only (see
    // `locate`), so the documents are loaded without a line index.
    let base = codegen::load_document(base_path, base_text, false).map_err(Failure::Spec)?;
    let revision =
        codegen::load_document(revision_path, revision_text, false).map_err(Failure::Spec)?;
    let mut changes = diff::diff(&base.value, &revision.value, options).map_err(|source| {
        let file = match &source {
            diff::DiffError::DuplicateEndpoint {
                side: diff::Side::Base,
                ..
            } => base_path,
            _ => revision_path,
        };
        Failure::Spec(Error::Diff {
            file: file.to_owned(),
            source: Box::new(source),
        })
    })?;
    let is_json = revision_path.extension().is_some_and(|ext| ext == "json");
    if index_lines || !is_json {
        locate(&mut changes, &revision, revision_text);
    }
    Ok(changes)
}

/// Lines always refer to the revision file, the one annotations point at:
/// for an element that only exists in the base (a removal), the line of its
/// nearest enclosing element that still exists. YAML documents carry a line
/// index already; in JSON, only the changed elements (and their ancestors)
/// are looked up, in one pass over the text.
fn locate(changes: &mut [diff::Change], revision: &Document, text: &str) {
    let is_json = revision.path.extension().is_some_and(|ext| ext == "json");
    if !is_json {
        for change in changes {
            if let Some(pointer) = codegen::JsonPointer::parse(&change.pointer) {
                change.line = revision.line(&pointer);
            }
        }
        return;
    }
    let ancestors = |pointer: &str| -> Vec<String> {
        let mut out = vec![pointer.to_owned()];
        let mut at = pointer;
        while let Some((parent, _)) = at.rsplit_once('/') {
            out.push(parent.to_owned());
            at = parent;
        }
        out
    };
    let wanted: HashSet<String> = changes.iter().flat_map(|c| ancestors(&c.pointer)).collect();
    let lines = codegen::json_lines::json_lines(text, &wanted);
    for change in changes {
        change.line = ancestors(&change.pointer)
            .iter()
            .find_map(|p| lines.get(p).copied());
    }
}

/// An empty OpenAPI 3.0 document, standing in for a spec that does not
/// exist on one side.
const EMPTY_SPEC: &str =
    "{\"openapi\": \"3.0.3\", \"info\": {\"title\": \"\", \"version\": \"\"}, \"paths\": {}}";

fn git(root: &Path, args: &[&str]) -> Result<std::process::Output, Failure> {
    Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .map_err(|e| Failure::Other(format!("cannot run git: {e}")))
}

fn against_revision(
    root: &Path,
    rev: &str,
    files: &[PathBuf],
    policy: DeprecationPolicy,
    index_lines: bool,
) -> Result<Vec<SpecDiff>, Failure> {
    let verify = git(
        root,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{rev}^{{commit}}"),
        ],
    )?;
    if !verify.status.success() {
        return Err(Failure::Revision(rev.to_owned()));
    }
    let specs: Vec<PathBuf> = if files.is_empty() {
        let mut specs = codegen::project::spec_files(root).map_err(Failure::Spec)?;
        // Specs that exist only at the base revision were deleted.
        let listed = git(
            root,
            &[
                "ls-tree",
                "--name-only",
                &format!("{rev}:{}", codegen::project::SPECS_DIR),
            ],
        )?;
        if listed.status.success() {
            for name in String::from_utf8_lossy(&listed.stdout).lines() {
                let path = Path::new(codegen::project::SPECS_DIR).join(name);
                let is_spec = matches!(
                    path.extension().and_then(|e| e.to_str()),
                    Some("yaml" | "yml" | "json")
                );
                if is_spec && !specs.contains(&path) {
                    specs.push(path);
                }
            }
        }
        specs.sort();
        specs
    } else {
        files.to_vec()
    };
    let mut out = Vec::new();
    for spec in specs {
        let rel = relative_to(root, &spec);
        let rel_text = rel.to_string_lossy().replace('\\', "/");
        // `REV:./path` resolves the path from `root`, wherever the
        // repository's top level is.
        let object = format!("{rev}:./{rel_text}");
        let exists = git(root, &["cat-file", "-e", &object])?.status.success();
        let base_text = if exists {
            let shown = git(root, &["show", &object])?;
            if !shown.status.success() {
                return Err(Failure::Other(format!(
                    "git show {object} failed: {}",
                    String::from_utf8_lossy(&shown.stderr).trim()
                )));
            }
            String::from_utf8_lossy(&shown.stdout).into_owned()
        } else {
            EMPTY_SPEC.to_owned()
        };
        let on_disk = root.join(&rel);
        let revision_text = match std::fs::read_to_string(&on_disk) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if !exists {
                    return Err(Failure::Missing(rel));
                }
                EMPTY_SPEC.to_owned()
            }
            Err(e) => return Err(Failure::Other(format!("{}: {e}", rel.display()))),
        };
        let base_label = format!("{rev}:{rel_text}");
        let options = options_for(root, &rel, policy);
        let changes = compare(
            Path::new(&base_label),
            &base_text,
            &rel,
            &revision_text,
            &options,
            index_lines,
        )?;
        out.push(SpecDiff::new(
            rel_text.clone(),
            base_label,
            rel_text,
            changes,
        ));
    }
    Ok(out)
}

/// `spec` relative to `root`, whether it was given relative to `root` or
/// absolute (also when `root` itself is relative, like `.`).
fn relative_to(root: &Path, spec: &Path) -> PathBuf {
    if spec.is_relative() {
        return spec.strip_prefix(root).unwrap_or(spec).to_path_buf();
    }
    let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let root = canonical(root);
    // A deleted spec cannot be canonicalised; its folder usually can.
    let spec = match (spec.parent(), spec.file_name()) {
        (Some(parent), Some(name)) if !spec.exists() => canonical(parent).join(name),
        _ => canonical(spec),
    };
    spec.strip_prefix(&root)
        .map(Path::to_path_buf)
        .unwrap_or(spec)
}
