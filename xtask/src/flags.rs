//! Command-line arguments of every xtask command, in one place.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// Project automation: regenerate and check the generated client crates.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask")]
pub struct Xtask {
    /// The repository root; defaults to the folder above `xtask/`.
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
}

/// Arguments of `cargo xtask generate`.
#[derive(Debug, clap::Args)]
pub struct Generate {
    /// Write nothing; fail, with a diff, if any generated file is stale.
    #[arg(long)]
    pub check: bool,
}
