//! `cargo xtask docs`: checks specs against the vendor pages they came
//! from (`check`), diffs two revisions of a page (`diff`), re-reads the
//! pages into the committed facts file (`refresh`), and shows one page's
//! facts (`facts`).
//!
//! Exit status: 0 nothing to report; 1 differences (or, for `refresh
//! --check`, a stale facts file); 2 bad arguments; 3 a page could not be
//! fully read; 4 a file is missing; 5 a spec or the facts file does not
//! parse; 6 anything else (I/O).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use docfacts::{Finding, Format, Source, State, Store, StoreError, Unreadable, Vendor};

use crate::flags::{self, DocsCommand, DocsFormat, DocsVendor};

/// The committed facts file, relative to the repository root.
pub const FACTS_FILE: &str = "specs/doc-facts/pages.json";

/// The committed known-differences file, relative to the repository root.
pub const KNOWN_FILE: &str = "specs/doc-facts/known.json";

enum Failure {
    Usage(String),
    Missing(PathBuf),
    Parse(String),
    Other(String),
}

impl Failure {
    fn code(&self) -> u8 {
        match self {
            Failure::Usage(_) => 2,
            Failure::Missing(_) => 4,
            Failure::Parse(_) => 5,
            Failure::Other(_) => 6,
        }
    }

    fn message(&self) -> String {
        match self {
            Failure::Usage(m) | Failure::Parse(m) | Failure::Other(m) => m.clone(),
            Failure::Missing(p) => format!("{}: no such file", p.display()),
        }
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        match &e {
            StoreError::Io { path, source } if source.kind() == std::io::ErrorKind::NotFound => {
                Failure::Missing(path.clone())
            }
            StoreError::Io { .. } => Failure::Other(e.to_string()),
            _ => Failure::Parse(e.to_string()),
        }
    }
}

/// What a command found, which decides the exit status.
struct Outcome {
    text: String,
    differences: bool,
    unreadable: bool,
}

/// Runs a docs command; never panics on bad input.
pub fn run(root: &Path, flags: &flags::Docs) -> ExitCode {
    let result = match &flags.command {
        DocsCommand::Check(f) => check(root, f),
        DocsCommand::Diff(f) => diff(f),
        DocsCommand::Refresh(f) => refresh(root, f),
        DocsCommand::Facts(f) => facts(f),
    };
    match result {
        Ok(outcome) => {
            print!("{}", outcome.text);
            if outcome.unreadable {
                ExitCode::from(3)
            } else if outcome.differences {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(failure) => {
            eprintln!("error: {}", failure.message());
            ExitCode::from(failure.code())
        }
    }
}

fn format(f: DocsFormat) -> Format {
    match f {
        DocsFormat::Text => Format::Text,
        DocsFormat::Markdown => Format::Markdown,
        DocsFormat::Json => Format::Json,
    }
}

fn vendor(flag: Option<DocsVendor>, path: &Path) -> Result<Vendor, Failure> {
    match flag {
        Some(DocsVendor::Avepoint) => Ok(Vendor::Avepoint),
        Some(DocsVendor::PartnerCenter) => Ok(Vendor::PartnerCenter),
        None => docfacts::vendor_of(path).ok_or_else(|| {
            Failure::Usage(format!(
                "{}: cannot tell the vendor from the name; pass --vendor",
                path.display()
            ))
        }),
    }
}

fn specs(root: &Path, given: &[PathBuf]) -> Result<Vec<PathBuf>, Failure> {
    if !given.is_empty() {
        return Ok(given.to_vec());
    }
    let files = codegen::project::spec_files(root).map_err(|e| Failure::Other(e.to_string()))?;
    Ok(files.into_iter().map(|f| root.join(f)).collect())
}

fn load(path: &Path) -> Result<codegen::Spec, Failure> {
    if !path.is_file() {
        return Err(Failure::Missing(path.to_owned()));
    }
    codegen::load(path).map_err(|e| Failure::Parse(e.to_string()))
}

/// Every page the given specs name.
fn all_sources(specs: &[(PathBuf, codegen::Spec)]) -> Result<BTreeSet<Source>, Failure> {
    let mut out = BTreeSet::new();
    for (path, spec) in specs {
        out.extend(docfacts::store::sources(path, spec.value())?);
    }
    Ok(out)
}

fn unreadable(store: &Store) -> Vec<Unreadable> {
    store
        .pages
        .iter()
        .filter(|(_, e)| !e.facts.problems.is_empty())
        .map(|(page, e)| Unreadable {
            page: page.clone(),
            problems: e.facts.problems.clone(),
        })
        .collect()
}

fn check(root: &Path, flags: &flags::DocsCheck) -> Result<Outcome, Failure> {
    let paths = specs(root, &flags.specs)?;
    let mut loaded = Vec::new();
    for path in &paths {
        loaded.push((path.clone(), load(path)?));
    }
    let store = match &flags.docs {
        Some(docs) => {
            if !docs.is_dir() {
                return Err(Failure::Missing(docs.clone()));
            }
            Store::extract(docs, &all_sources(&loaded)?)?
        }
        None => Store::read(&root.join(FACTS_FILE))?,
    };
    let mut findings: Vec<Finding> = Vec::new();
    for (_, spec) in &loaded {
        findings.extend(docfacts::check(spec, &store));
    }
    // What a used page could not be read as is a finding too, so it can be
    // known (open work) like any other.
    let used = all_sources(&loaded)?;
    for u in unreadable(&store) {
        if !used.iter().any(|s| s.page == u.page) && !flags.specs.is_empty() {
            continue;
        }
        for p in u.problems {
            findings.push(Finding {
                rule: docfacts::report::UNREADABLE.to_string(),
                state: State::Difference,
                operation: None,
                subject: p.message.clone(),
                page: Some(u.page.clone()),
                page_line: Some(p.line),
                spec: None,
                spec_line: None,
                pointer: None,
                message: p.message,
                reason: None,
                also: Vec::new(),
            });
        }
    }
    let known_path = flags.known.clone().unwrap_or_else(|| root.join(KNOWN_FILE));
    if flags.update_known {
        let text = docfacts::known::to_text(&findings);
        codegen::write::write_atomic(&known_path, &text)
            .map_err(|e| Failure::Other(e.to_string()))?;
    }
    let known = if known_path.is_file() {
        read_known(&known_path)?
    } else {
        BTreeSet::new()
    };
    let stale = docfacts::known::apply(&mut findings, &known);
    let open = |f: &Finding| f.state == State::Difference;
    let unreadable_open = findings
        .iter()
        .any(|f| open(f) && f.rule == docfacts::report::UNREADABLE);
    let differences = findings
        .iter()
        .any(|f| open(f) && f.rule != docfacts::report::UNREADABLE)
        || !stale.is_empty();
    Ok(Outcome {
        text: docfacts::report::check_report(&findings, &stale, format(flags.format), flags.all),
        differences,
        unreadable: unreadable_open,
    })
}

fn read_known(path: &Path) -> Result<BTreeSet<docfacts::known::Known>, Failure> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::Other(format!("{}: {e}", path.display())))?;
    serde_json::from_str(&text).map_err(|e| {
        Failure::Parse(format!(
            "{}:{}:{}: {e}",
            path.display(),
            e.line(),
            e.column()
        ))
    })
}

fn diff(flags: &flags::DocsDiff) -> Result<Outcome, Failure> {
    let vendor = vendor(flags.vendor, &flags.new)?;
    let old = docfacts::read_page(&flags.old, vendor)?;
    let new = docfacts::read_page(&flags.new, vendor)?;
    let changes: Vec<(String, docfacts::Change)> = docfacts::diff(&old, &new)
        .into_iter()
        .map(|c| (flags.new.display().to_string(), c))
        .collect();
    let mut unreadable = Vec::new();
    for (path, facts) in [(&flags.old, &old), (&flags.new, &new)] {
        if !facts.problems.is_empty() {
            unreadable.push(Unreadable {
                page: path.display().to_string(),
                problems: facts.problems.clone(),
            });
        }
    }
    Ok(Outcome {
        text: docfacts::report::diff_report(&changes, &unreadable, format(flags.format)),
        differences: !changes.is_empty(),
        unreadable: !unreadable.is_empty(),
    })
}

fn refresh(root: &Path, flags: &flags::DocsRefresh) -> Result<Outcome, Failure> {
    if !flags.docs.is_dir() {
        return Err(Failure::Missing(flags.docs.clone()));
    }
    let mut loaded = Vec::new();
    for path in specs(root, &[])? {
        loaded.push((path.clone(), load(&path)?));
    }
    let fresh = Store::extract(&flags.docs, &all_sources(&loaded)?)?;
    let path = root.join(FACTS_FILE);
    let old = if path.is_file() {
        Store::read(&path)?
    } else {
        Store::default()
    };
    let mut changes = Vec::new();
    for (page, entry) in &fresh.pages {
        let before = old
            .pages
            .get(page)
            .map(|e| e.facts.clone())
            .unwrap_or_default();
        for c in docfacts::diff(&before, &entry.facts) {
            changes.push((page.clone(), c));
        }
    }
    for (page, entry) in &old.pages {
        if !fresh.pages.contains_key(page) {
            for c in docfacts::diff(&entry.facts, &Default::default()) {
                changes.push((page.clone(), c));
            }
        }
    }
    let text = fresh.to_text();
    let stale = std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str());
    if !flags.check && stale {
        codegen::write::write_atomic(&path, &text).map_err(|e| Failure::Other(e.to_string()))?;
    }
    let mut report =
        docfacts::report::diff_report(&changes, &unreadable(&fresh), format(flags.format));
    if flags.check && stale {
        report.push_str(&format!(
            "{FACTS_FILE} is out of date; run `cargo xtask docs refresh --docs {}`\n",
            flags.docs.display()
        ));
    }
    Ok(Outcome {
        text: report,
        differences: flags.check && stale,
        unreadable: false,
    })
}

fn facts(flags: &flags::DocsFacts) -> Result<Outcome, Failure> {
    let vendor = vendor(flags.vendor, &flags.page)?;
    let facts = docfacts::read_page(&flags.page, vendor)?;
    let text = docfacts::facts_json(&facts);
    Ok(Outcome {
        unreadable: !facts.problems.is_empty(),
        text,
        differences: false,
    })
}
