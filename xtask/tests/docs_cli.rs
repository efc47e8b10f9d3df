//! `cargo xtask docs`: exit statuses and formats, run as users run it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn pages() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../docfacts/tests/pages")
}

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .output()
        .expect("xtask runs")
}

fn page(case: &str, file: &str) -> String {
    pages().join(case).join(file).display().to_string()
}

#[test]
fn diff_exits_1_on_fact_changes_and_0_on_formatting_only() {
    let out = xtask(&[
        "docs",
        "diff",
        &page("avepoint-changes", "old.md"),
        &page("avepoint-changes", "new.md"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("[request-field-renamed]"), "{text}");
    let out = xtask(&[
        "docs",
        "diff",
        &page("avepoint-format-only", "old.md"),
        &page("avepoint-format-only", "new.md"),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn diff_formats_are_json_and_markdown() {
    let args = |f: &'static str| {
        vec![
            "docs".to_string(),
            "diff".into(),
            "--format".into(),
            f.into(),
            page("partner-center-changes", "old.md"),
            page("partner-center-changes", "new.md"),
        ]
    };
    let json = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args("json"))
        .output()
        .expect("runs");
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json output");
    assert_eq!(value["version"], 1);
    assert!(value["changes"]
        .as_array()
        .is_some_and(|c| c.iter().any(|c| c["rule"] == "auth-mode-added")));
    let md = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args("markdown"))
        .output()
        .expect("runs");
    assert!(String::from_utf8_lossy(&md.stdout).contains("| `auth-mode-added` |"));
}

#[test]
fn usage_missing_files_and_unknown_vendors_have_their_own_statuses() {
    assert_eq!(xtask(&["docs", "diff"]).status.code(), Some(2));
    let missing = xtask(&[
        "docs",
        "diff",
        "/nonexistent/avepoint/a.md",
        "/nonexistent/avepoint/b.md",
    ]);
    assert_eq!(missing.status.code(), Some(4));
    let dir = tempfile::tempdir().expect("tempdir");
    let a = dir.path().join("a.md");
    std::fs::write(&a, "# x\n").expect("write");
    let unknown = xtask(&[
        "docs",
        "diff",
        a.to_str().unwrap_or(""),
        a.to_str().unwrap_or(""),
    ]);
    assert_eq!(
        unknown.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&unknown.stderr)
    );
}

#[test]
fn an_unreadable_page_exits_3_with_its_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("bad.md");
    std::fs::write(&bad, "# X\n\n## Request\n\n| Method | Endpoint | Description |\n| --- | --- | --- |\n| GET | `/x` | y |\n\n## Response Sample\n\n```json\n{ \"a\": 1 \"b\": 2 }\n```\n").expect("write");
    let out = xtask(&[
        "docs",
        "facts",
        "--vendor",
        "avepoint",
        bad.to_str().unwrap_or(""),
    ]);
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stdout).contains("\"line\": 12"));
}

#[test]
fn check_passes_on_the_committed_specs_and_facts() {
    let out = xtask(&["docs", "check"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
