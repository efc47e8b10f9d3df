//! Write stage: one function decides, for a whole set of generated files,
//! whether to write them (atomically) or to compare them with what is on
//! disk.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// A file the pipeline produced, with its path relative to the repository
/// root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Path relative to the repository root, with `/` separators.
    pub path: PathBuf,
    /// The full contents.
    pub contents: String,
}

/// Whether [`ensure_files`] writes or only compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Write every file whose contents differ.
    Overwrite,
    /// Change nothing; report the files that differ.
    Check,
}

/// A file on disk that does not match what the pipeline produces.
#[derive(Debug, Clone)]
pub struct StaleFile {
    /// Path relative to the repository root.
    pub path: PathBuf,
    /// A unified diff from the file on disk to the expected contents.
    pub diff: String,
}

/// What [`ensure_files`] did.
#[derive(Debug, Default)]
pub struct Report {
    /// Files written (in [`Mode::Overwrite`]).
    pub written: Vec<PathBuf>,
    /// Files already up to date.
    pub unchanged: Vec<PathBuf>,
    /// Files that differ (in [`Mode::Check`]).
    pub stale: Vec<StaleFile>,
}

/// Writes or compares every file under `root`. In [`Mode::Overwrite`], each
/// changed file is written to a temporary file beside it and renamed into
/// place, so no reader ever sees half a file.
pub fn ensure_files(root: &Path, files: &[GeneratedFile], mode: Mode) -> Result<Report> {
    let mut report = Report::default();
    for file in files {
        let target = root.join(&file.path);
        let current = match std::fs::read_to_string(&target) {
            Ok(text) => Some(text),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => None,
            Err(source) => {
                return Err(Error::Io {
                    path: target,
                    action: "cannot read generated file",
                    source,
                })
            }
        };
        if current.as_deref() == Some(file.contents.as_str()) {
            report.unchanged.push(file.path.clone());
            continue;
        }
        match mode {
            Mode::Check => report.stale.push(StaleFile {
                path: file.path.clone(),
                diff: unified_diff(&file.path, current.as_deref().unwrap_or(""), &file.contents),
            }),
            Mode::Overwrite => {
                write_atomic(&target, &file.contents)?;
                report.written.push(file.path.clone());
            }
        }
    }
    Ok(report)
}

fn unified_diff(path: &Path, old: &str, new: &str) -> String {
    let name = path.display().to_string();
    let diff = similar::TextDiff::from_lines(old, new);
    let mut out = String::new();
    let _ = write!(
        out,
        "{}",
        diff.unified_diff().context_radius(3).header(
            &format!("a/{name} (on disk)"),
            &format!("b/{name} (generated)")
        )
    );
    out
}

/// Writes `contents` to `path` through a temporary file in the same folder.
pub fn write_atomic(path: &Path, contents: &str) -> Result<()> {
    let io = |action: &'static str, path: &Path| {
        let path = path.to_owned();
        move |source| Error::Io {
            path,
            action,
            source,
        }
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(io("cannot create folder", dir))?;
    let mut temp =
        tempfile::NamedTempFile::new_in(dir).map_err(io("cannot create temporary file in", dir))?;
    temp.write_all(contents.as_bytes())
        .map_err(io("cannot write", path))?;
    // Temporary files are created owner-only; generated files are ordinary
    // source files.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::Permissions::from_mode(0o644);
        temp.as_file()
            .set_permissions(mode)
            .map_err(io("cannot set permissions of", path))?;
    }
    temp.as_file()
        .sync_all()
        .map_err(io("cannot flush", path))?;
    temp.persist(path).map_err(|err| Error::Io {
        path: path.to_owned(),
        action: "cannot rename temporary file onto",
        source: err.error,
    })?;
    Ok(())
}
