//! `cargo xtask`: the project's automation. Each command parses its
//! arguments, calls `codegen`, and writes or compares; no generation logic
//! lives here.

mod diff;
mod docs;
mod flags;
mod generate;
mod release;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser as _;

fn main() -> ExitCode {
    let args = flags::Xtask::parse();
    let root = args.root.clone().unwrap_or_else(default_root);
    let result = match &args.command {
        flags::Command::Generate(flags) => generate::run(&root, flags),
        flags::Command::Diff(flags) => return diff::run(&root, flags),
        flags::Command::Release(flags) => release::run(&root, flags),
        flags::Command::Docs(flags) => return docs::run(&root, flags),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// The repository root: the parent of this crate's folder.
///
/// The folder is read at run time, where `cargo run` (and so `cargo xtask`)
/// sets `CARGO_MANIFEST_DIR`: with a shared `CARGO_TARGET_DIR`, a binary
/// built in one checkout may run in another, and must work on the one it
/// runs in. The compile-time value is only the fallback for a binary started
/// directly.
fn default_root() -> PathBuf {
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR")
        .filter(|dir| !dir.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}
