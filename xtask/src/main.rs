//! `cargo xtask`: the project's automation. Each command parses its
//! arguments, calls `codegen`, and writes or compares; no generation logic
//! lives here.

mod diff;
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
fn default_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}
