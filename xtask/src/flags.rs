//! Command-line arguments of every xtask command, in one place.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// Project automation: regenerate and check the generated client crates.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask")]
pub struct Xtask {
    /// The repository root; defaults to the folder above `xtask/`, as named
    /// at run time by `CARGO_MANIFEST_DIR` (which `cargo xtask` sets).
    #[arg(long, global = true, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Regenerate every crate under `generated/` from `specs/`.
    Generate(Generate),
    /// Compare two versions of specs and classify every change.
    Diff(Diff),
    /// Make the current specs the released ones and record the crate
    /// versions they need.
    Release(Release),
    /// Check specs against the vendor pages they were written from, and
    /// diff page revisions fact by fact.
    Docs(Docs),
}

/// Arguments of `cargo xtask docs`.
#[derive(Debug, clap::Args)]
pub struct Docs {
    /// The docs command to run.
    #[command(subcommand)]
    pub command: DocsCommand,
}

/// The `cargo xtask docs` commands.
#[derive(Debug, Subcommand)]
pub enum DocsCommand {
    /// Compare every operation with the facts of the pages its
    /// `x-doc-source` names; exit 1 on an undecided difference.
    Check(DocsCheck),
    /// The fact changes between two revisions of one page.
    Diff(DocsDiff),
    /// Re-read the facts of every linked page from the docs, write them to
    /// the facts file and show what changed.
    Refresh(DocsRefresh),
    /// Print the facts of one page as JSON.
    Facts(DocsFacts),
}

/// Arguments of `cargo xtask docs check`.
#[derive(Debug, clap::Args)]
pub struct DocsCheck {
    /// Read the pages from this folder (the one holding `vendor-docs/` and
    /// `seeds/`) instead of the committed facts file.
    #[arg(long, value_name = "DIR")]
    pub docs: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DocsFormat::Text)]
    pub format: DocsFormat,
    /// List decided and known differences too.
    #[arg(long)]
    pub all: bool,
    /// The known-differences file: open work that is reported but does not
    /// fail the check (default: `specs/doc-facts/known.json`).
    #[arg(long, value_name = "FILE")]
    pub known: Option<PathBuf>,
    /// Write every undecided difference into the known-differences file.
    #[arg(long)]
    pub update_known: bool,
    /// The specs to check (default: every spec in `specs/`).
    #[arg(value_name = "SPEC")]
    pub specs: Vec<PathBuf>,
}

/// Arguments of `cargo xtask docs diff`.
#[derive(Debug, clap::Args)]
pub struct DocsDiff {
    /// The older revision of the page (`.md`, or `.txt` for rendered text).
    #[arg(value_name = "OLD")]
    pub old: PathBuf,
    /// The newer revision.
    #[arg(value_name = "NEW")]
    pub new: PathBuf,
    /// Whose page layout to read (default: from the file names).
    #[arg(long, value_enum)]
    pub vendor: Option<DocsVendor>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DocsFormat::Text)]
    pub format: DocsFormat,
}

/// Arguments of `cargo xtask docs refresh`.
#[derive(Debug, clap::Args)]
pub struct DocsRefresh {
    /// The folder holding the pages (`vendor-docs/`, `seeds/`).
    #[arg(long, value_name = "DIR")]
    pub docs: PathBuf,
    /// Output format of the fact changes.
    #[arg(long, value_enum, default_value_t = DocsFormat::Text)]
    pub format: DocsFormat,
    /// Write nothing; exit 1 if the facts file is out of date.
    #[arg(long)]
    pub check: bool,
}

/// Arguments of `cargo xtask docs facts`.
#[derive(Debug, clap::Args)]
pub struct DocsFacts {
    /// The page.
    #[arg(value_name = "PAGE")]
    pub page: PathBuf,
    /// Whose page layout to read (default: from the file name).
    #[arg(long, value_enum)]
    pub vendor: Option<DocsVendor>,
}

/// The output formats of `cargo xtask docs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DocsFormat {
    /// Plain text.
    Text,
    /// Markdown, for an issue or pull request.
    Markdown,
    /// JSON with a versioned shape.
    Json,
}

/// The vendors whose page layouts `docs` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DocsVendor {
    /// AvePoint Graph pages.
    Avepoint,
    /// Partner Center pages.
    PartnerCenter,
}

/// Arguments of `cargo xtask release`.
#[derive(Debug, clap::Args)]
pub struct Release {
    /// The specs to release (default: every spec in `specs/`).
    #[arg(value_name = "SPEC")]
    pub specs: Vec<PathBuf>,
}

/// Arguments of `cargo xtask generate`.
#[derive(Debug, clap::Args)]
pub struct Generate {
    /// Write nothing; fail, with a diff, if any generated file is stale.
    #[arg(long)]
    pub check: bool,
}

/// Arguments of `cargo xtask diff`.
#[derive(Debug, clap::Args)]
pub struct Diff {
    /// A git revision to compare the working tree with (e.g. `origin/main`,
    /// `HEAD~1`). Without it, two files compare with each other, and no
    /// files compare every spec with `HEAD`.
    #[arg(long, value_name = "REV")]
    pub base: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Exit with status 1 when a change at this level or worse is found
    /// (changes accepted in the settings file do not count).
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub fail_on: Option<FailOn>,
    /// The differ's settings (rule levels, accepted changes); default
    /// `diff.toml` at the repository root, when it exists.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Deprecation policy for beta operations: the minimum number of days
    /// between deprecation and sunset (as oasdiff's flag of this name);
    /// overrides `[deprecation] beta_days` of the settings file.
    #[arg(long, value_name = "DAYS")]
    pub deprecation_days_beta: Option<u32>,
    /// Deprecation policy for stable operations (and operations without
    /// `x-stability-level`); overrides `[deprecation] stable_days`.
    #[arg(long, value_name = "DAYS")]
    pub deprecation_days_stable: Option<u32>,
    /// The heading of `--format changelog` (default `## Unreleased`).
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,
    /// Two spec files (base, then revision); or, with `--base`, the specs to
    /// compare (default: every spec in `specs/`).
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

/// The output formats of `cargo xtask diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Plain text, one line per change.
    Text,
    /// A Markdown table for a pull-request comment.
    Markdown,
    /// JSON with a stable, versioned shape.
    Json,
    /// GitHub Actions workflow-command annotations.
    Github,
    /// Release notes in Markdown, grouped by operation.
    Changelog,
    /// A JUnit XML report: one test case per change, failures at `--fail-on`.
    Junit,
}

/// The levels `--fail-on` accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    /// Breaking changes only.
    Breaking,
    /// Breaking or possibly breaking changes.
    PossiblyBreaking,
    /// Any change at all.
    Any,
}
