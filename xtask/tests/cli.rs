//! End-to-end tests of the `xtask` binary, run with `--root` on a temporary
//! copy of the repository's `specs/` and `generated/` folders, so that the
//! real files are never touched. One test also checks, in process, that the
//! committed generated files are up to date.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use codegen::write::{ensure_files, Mode};

/// The real repository root.
fn repo_root() -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .canonicalize()
        .expect("repository root")
}

/// A codegen failure fixture, reused here as broken input.
fn codegen_fixture(name: &str) -> PathBuf {
    repo_root()
        .join("codegen")
        .join("tests")
        .join("fixtures")
        .join(name)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        let kind = entry.file_type().unwrap();
        if kind.is_dir() {
            // Build output, if any, is not part of the repository.
            if entry.file_name() != "target" {
                copy_dir(&entry.path(), &target);
            }
        } else if kind.is_file() {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A temporary copy of the repository's `specs/` and `generated/`.
fn repo_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    for folder in ["specs", "generated"] {
        copy_dir(&repo_root().join(folder), &dir.path().join(folder));
    }
    dir
}

/// Every file under `root/generated`, by relative path, with its bytes.
fn generated_files(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path.strip_prefix(root).unwrap().to_owned();
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, &root.join("generated"), &mut out);
    out
}

/// Asserts two snapshots of `generated/` are identical, naming what differs.
fn assert_same_files(
    before: &BTreeMap<PathBuf, Vec<u8>>,
    after: &BTreeMap<PathBuf, Vec<u8>>,
    what: &str,
) {
    let added: Vec<_> = after.keys().filter(|p| !before.contains_key(*p)).collect();
    let removed: Vec<_> = before.keys().filter(|p| !after.contains_key(*p)).collect();
    let changed: Vec<_> = before
        .iter()
        .filter(|(p, bytes)| after.get(*p).is_some_and(|a| a != *bytes))
        .map(|(p, _)| p)
        .collect();
    assert!(
        added.is_empty() && removed.is_empty() && changed.is_empty(),
        "{what}: generated/ changed; added {added:?}, removed {removed:?}, changed {changed:?}"
    );
}

fn xtask(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("--root")
        .arg(root)
        .args(args)
        .output()
        .expect("runs xtask")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn assert_success(output: &Output, what: &str) {
    assert!(
        output.status.success(),
        "{what} failed ({}):\nstdout:\n{}\nstderr:\n{}",
        output.status,
        stdout(output),
        stderr(output)
    );
}

/// Replaces `from` (which must occur) with `to` in a file.
fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(
        text.contains(from),
        "{} no longer contains {from:?}; update this test",
        path.display()
    );
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

// ---------------------------------------------------------------- (a) fresh output

#[test]
fn committed_generated_files_are_up_to_date() {
    // The same comparison `cargo xtask generate --check` makes, in process,
    // on the real repository: a plain `cargo test` catches stale output.
    let root = repo_root();
    let files = codegen::project::generate_all(&root).unwrap_or_else(|e| panic!("{e}"));
    assert!(!files.is_empty());
    let report = ensure_files(&root, &files, Mode::Check).expect("compares");
    let stale: Vec<String> = report
        .stale
        .iter()
        .map(|s| s.path.display().to_string())
        .collect();
    assert!(
        stale.is_empty(),
        "stale generated files: {stale:?}; run `cargo xtask generate` and commit the result\n\n{}",
        report
            .stale
            .iter()
            .map(|s| s.diff.as_str())
            .collect::<String>()
    );
    assert_eq!(report.unchanged.len(), files.len());
}

#[test]
fn check_passes_on_a_fresh_copy() {
    let repo = repo_copy();
    let before = generated_files(repo.path());
    let output = xtask(repo.path(), &["generate", "--check"]);
    assert_success(&output, "generate --check");
    assert!(
        stdout(&output).contains("generated files are up to date"),
        "{}",
        stdout(&output)
    );
    assert_same_files(&before, &generated_files(repo.path()), "--check");
}

// ---------------------------------------------------------------- (b) stale output

#[test]
fn check_fails_with_a_diff_when_a_spec_changed() {
    const MARKER: &str = "EDITED-BY-CLI-TEST";
    let repo = repo_copy();
    edit(
        &repo.path().join("specs/avepoint-graph.yaml"),
        "description: ID of the tenant owner",
        &format!("description: {MARKER} ID of the tenant owner"),
    );
    let before = generated_files(repo.path());

    let output = xtask(repo.path(), &["generate", "--check"]);
    let err = stderr(&output);
    assert!(
        !output.status.success(),
        "--check passed on stale output:\n{err}"
    );
    assert!(
        err.contains("stale: generated/avepoint-graph/src/generated.rs"),
        "{err}"
    );
    assert!(
        err.lines()
            .any(|l| (l.starts_with('+') || l.starts_with('-')) && l.contains(MARKER)),
        "no diff line with the edited text:\n{err}"
    );
    // The diff is unified, with both sides named.
    assert!(
        err.contains("generated/avepoint-graph/src/generated.rs (on disk)"),
        "{err}"
    );
    assert!(err.contains("@@ "), "{err}");
    assert!(err.contains("cargo xtask generate"), "{err}");
    // Only the crate whose spec changed is stale.
    assert!(!err.contains("stale: generated/partner-center"), "{err}");
    // --check writes nothing.
    assert_same_files(&before, &generated_files(repo.path()), "--check");
}

// ---------------------------------------------------------------- (c) broken input

/// Replaces `target` (relative to the copy's root) with `broken`, runs
/// `generate`, and checks that it fails with a message containing every
/// `expected` part while every file under `generated/` stays as it was.
fn assert_broken_input_changes_nothing(target: &str, broken: &Path, expected: &[&str]) {
    let repo = repo_copy();
    std::fs::copy(broken, repo.path().join(target)).unwrap();
    let before = generated_files(repo.path());
    assert!(
        before.len() >= 8,
        "both crates are copied: {:?}",
        before.keys()
    );

    let output = xtask(repo.path(), &["generate"]);
    let err = stderr(&output);
    assert!(
        !output.status.success(),
        "generate succeeded on a broken {target}:\n{err}"
    );
    assert!(err.starts_with("error: "), "{err}");
    assert!(err.contains("no file was changed"), "{err}");
    for part in expected {
        assert!(err.contains(part), "{part:?} missing from stderr:\n{err}");
    }
    // Paths are reported relative to the root, not as temporary paths.
    assert!(
        !err.contains(&*repo.path().to_string_lossy()),
        "stderr names the absolute root:\n{err}"
    );
    assert!(
        stdout(&output).is_empty(),
        "nothing is reported written:\n{}",
        stdout(&output)
    );
    assert_same_files(&before, &generated_files(repo.path()), "failed generate");
}

#[test]
fn malformed_yaml_fails_and_writes_nothing() {
    assert_broken_input_changes_nothing(
        "specs/partner-center.yaml",
        &codegen_fixture("err_malformed_yaml.yaml"),
        &["specs/partner-center.yaml:3:1: malformed YAML"],
    );
}

#[test]
fn dangling_ref_fails_and_writes_nothing() {
    assert_broken_input_changes_nothing(
        "specs/partner-center.yaml",
        &codegen_fixture("err_dangling_ref.yaml"),
        &[
            "specs/partner-center.yaml:15:",
            "/paths/~1widgets/get/responses/200/content/application~1json/schema/$ref",
            "operation `listWidgets`",
            "dangling reference `#/components/schemas/Widget`",
        ],
    );
}

#[test]
fn openapi_3_1_fails_and_writes_nothing() {
    assert_broken_input_changes_nothing(
        "specs/partner-center.yaml",
        &codegen_fixture("err_openapi_31.yaml"),
        &["specs/partner-center.yaml:1:1: unsupported OpenAPI version `3.1.0`"],
    );
}

#[test]
fn a_stream_beside_a_json_success_fails_and_writes_nothing() {
    assert_broken_input_changes_nothing(
        "specs/partner-center.yaml",
        &codegen_fixture("err_stream_beside_json.yaml"),
        &[
            "specs/partner-center.yaml:15:",
            "/paths/~1x/get/responses",
            "operation `getThing`",
            "2 different success response types",
        ],
    );
}

#[test]
fn broken_settings_fail_and_write_nothing() {
    // The first spec's settings: nothing at all is generated.
    assert_broken_input_changes_nothing(
        "specs/avepoint-graph.settings.toml",
        &codegen_fixture("err_bad_version.settings.toml"),
        &["specs/avepoint-graph.settings.toml: invalid settings: crate version `1.0`"],
    );
}

// ---------------------------------------------------------------- (d), (e) writing

#[test]
fn generate_twice_gives_identical_files() {
    let repo = repo_copy();
    let first = xtask(repo.path(), &["generate"]);
    assert_success(&first, "first generate");
    let after_first = generated_files(repo.path());
    let second = xtask(repo.path(), &["generate"]);
    assert_success(&second, "second generate");
    assert_same_files(&after_first, &generated_files(repo.path()), "second run");
    assert!(
        stdout(&second)
            .lines()
            .any(|l| l.starts_with("0 file(s) written, ")),
        "{}",
        stdout(&second)
    );
    // And the result passes --check.
    assert_success(&xtask(repo.path(), &["generate", "--check"]), "--check");
}

#[test]
fn deleted_generated_file_is_recreated_identically() {
    let repo = repo_copy();
    // Bring the copy up to date first, so that only the deletion matters.
    assert_success(&xtask(repo.path(), &["generate"]), "generate");
    let before = generated_files(repo.path());
    let rel = "generated/partner-center/src/generated.rs";
    std::fs::remove_file(repo.path().join(rel)).unwrap();

    let check = xtask(repo.path(), &["generate", "--check"]);
    assert!(!check.status.success(), "--check passed with {rel} missing");
    assert!(
        stderr(&check).contains(&format!("stale: {rel}")),
        "{}",
        stderr(&check)
    );
    assert!(!repo.path().join(rel).exists(), "--check recreated {rel}");

    let output = xtask(repo.path(), &["generate"]);
    assert_success(&output, "generate");
    assert!(
        stdout(&output).contains(&format!("wrote {rel}")),
        "{}",
        stdout(&output)
    );
    assert!(
        stdout(&output)
            .lines()
            .any(|l| l.starts_with("1 file(s) written, ")),
        "{}",
        stdout(&output)
    );
    assert_same_files(&before, &generated_files(repo.path()), "recreated");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(repo.path().join(rel))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(
            mode & 0o777,
            0o644,
            "a recreated file is an ordinary source file"
        );
    }
}

// ---------------------------------------------------------------- (f) root

#[test]
fn root_comes_from_the_manifest_dir_at_run_time() {
    // Without `--root`, the binary works on the checkout `cargo run` names
    // in `CARGO_MANIFEST_DIR`, not on the one it was compiled in: a binary
    // from a shared target folder must not check another checkout.
    let repo = repo_copy();
    let rel = "generated/partner-center/src/generated.rs";
    std::fs::remove_file(repo.path().join(rel)).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .env("CARGO_MANIFEST_DIR", repo.path().join("xtask"))
        .args(["generate", "--check"])
        .output()
        .expect("runs xtask");
    assert!(
        !output.status.success(),
        "--check passed: it checked the compile-time checkout, not the copy\n{}",
        stdout(&output)
    );
    assert!(
        stderr(&output).contains(&format!("stale: {rel}")),
        "{}",
        stderr(&output)
    );
}

// ---------------------------------------------------------------- (g) versions

#[test]
fn a_spec_never_released_is_not_told_about_generator_epochs() {
    let repo = repo_copy();
    std::fs::remove_file(repo.path().join("specs/released/partner-center.yaml")).unwrap();
    let output = xtask(repo.path(), &["generate", "--check"]);
    let out = stdout(&output);
    assert!(
        out.contains(
            "specs/partner-center.yaml: not released yet (no copy in specs/released/); \
             version 0.1.0 as set in its settings"
        ),
        "{out}"
    );
    assert!(
        !out.contains("specs/partner-center.yaml: released with generator epoch"),
        "{out}"
    );
    // Its crate goes back to the settings' version; a released crate from an
    // older epoch still gets its major bump.
    assert!(
        stderr(&output).contains("stale: generated/partner-center/Cargo.toml"),
        "{}",
        stderr(&output)
    );
    assert!(
        out.contains(&format!(
            "specs/avepoint-graph.yaml: released with generator epoch 1, now {}",
            codegen::version::GENERATOR_EPOCH
        )),
        "{out}"
    );
}

// ---------------------------------------------------------------- release notes

/// The first line `release` gives every crate's `CHANGELOG.md`.
const CHANGELOG_HEADER: &str =
    "# Changelog (written by `cargo xtask release` from `cargo xtask diff`)\n";

/// The `[crate] version` of a settings file.
fn settings_version(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let settings: toml_edit::DocumentMut = text.parse().unwrap();
    settings["crate"]["version"].as_str().unwrap().to_owned()
}

/// The names of the files directly in a folder, sorted.
fn file_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// `release` puts the release notes of the changes since the previous
/// release on top of the crate's `CHANGELOG.md` (newest first, the header
/// once), through a temporary file that leaves nothing behind; when any
/// spec is not ready, it writes no file at all, the changelog included.
#[test]
fn release_writes_the_changelog_on_top_and_atomically() {
    let repo = repo_copy();
    let root = repo.path();
    let spec = root.join("specs/avepoint-graph.yaml");
    let released = root.join("specs/released/avepoint-graph.yaml");
    let settings = root.join("specs/avepoint-graph.settings.toml");
    let crate_dir = root.join("generated/avepoint-graph");
    let changelog = crate_dir.join("CHANGELOG.md");
    // Start from a release equal to the current spec, so that the only
    // change is the one made here.
    std::fs::copy(&spec, &released).unwrap();
    let files_before = file_names(&crate_dir);
    assert!(!changelog.exists(), "the fixture has no CHANGELOG.md yet");

    edit(
        &spec,
        "      operationId: listCustomers\n",
        "      operationId: listCustomers\n      deprecated: true\n",
    );
    let output = xtask(root, &["release", "specs/avepoint-graph.yaml"]);
    assert_success(&output, "first release");
    let first_version = settings_version(&settings);
    let first_section = format!(
        "## {first_version}\n\n### `POST /partner/external/v3/general/customers/batch (listCustomers)`\n\n\
         - The operation is now deprecated\n"
    );
    let first = std::fs::read_to_string(&changelog).unwrap();
    assert_eq!(first, format!("{CHANGELOG_HEADER}\n{first_section}"));
    // The temporary file was renamed into place: only CHANGELOG.md is new.
    let mut expected_files = files_before.clone();
    expected_files.push("CHANGELOG.md".to_owned());
    expected_files.sort();
    assert_eq!(file_names(&crate_dir), expected_files);

    // A second release goes on top of the first.
    edit(
        &spec,
        "      operationId: onboardCustomer\n",
        "      operationId: onboardCustomer\n      deprecated: true\n",
    );
    let output = xtask(root, &["release", "specs/avepoint-graph.yaml"]);
    assert_success(&output, "second release");
    let second_version = settings_version(&settings);
    let second = std::fs::read_to_string(&changelog).unwrap();
    let second_section = format!("## {second_version}\n\n");
    assert!(
        second.starts_with(&format!("{CHANGELOG_HEADER}\n{second_section}")),
        "{second}"
    );
    assert!(
        second.contains("(onboardCustomer)`\n\n- The operation is now deprecated\n"),
        "{second}"
    );
    assert!(second.ends_with(&format!("\n{first_section}")), "{second}");
    assert_eq!(second.matches(CHANGELOG_HEADER).count(), 1, "{second}");
    assert_eq!(file_names(&crate_dir), expected_files);

    // With another spec broken, nothing is written: not the changelog, not
    // the released copy, not the settings.
    edit(
        &spec,
        "      operationId: listCustomerServices\n",
        "      operationId: listCustomerServices\n      deprecated: true\n",
    );
    std::fs::write(
        root.join("specs/partner-center.yaml"),
        "openapi: [unclosed\n",
    )
    .unwrap();
    let snapshot = |p: &Path| std::fs::read(p).unwrap();
    let (changelog_before, released_before, settings_before) = (
        snapshot(&changelog),
        snapshot(&released),
        snapshot(&settings),
    );
    let output = xtask(root, &["release"]);
    assert!(
        !output.status.success(),
        "release passed with a broken spec:\n{}",
        stdout(&output)
    );
    assert_eq!(
        snapshot(&changelog),
        changelog_before,
        "CHANGELOG.md changed"
    );
    assert_eq!(
        snapshot(&released),
        released_before,
        "the released copy changed"
    );
    assert_eq!(snapshot(&settings), settings_before, "the settings changed");
    assert_eq!(file_names(&crate_dir), expected_files);
}
