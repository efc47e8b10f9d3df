//! Data-driven cases of pages in both vendors' formats: each folder under
//! `tests/pages/` holds revisions of one page (`old.md`, `new.md`, and
//! rendered text `*.rendered.txt`), the facts expected of each
//! (`<file>.facts.json`) and the fact changes expected from `old` to
//! `new` (`changes.json`). `UPDATE_EXPECT=1 cargo test -p docfacts --test
//! pages` rewrites the expectations; review them before committing.

use std::path::{Path, PathBuf};

use docfacts::{diff, extract, Form, PageFacts, Vendor};

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/pages");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("tests/pages")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

fn vendor(dir: &Path) -> Vendor {
    docfacts::vendor_of(dir).expect("case folders are named after their vendor")
}

fn read(path: &Path, vendor: Vendor) -> PageFacts {
    let text = std::fs::read_to_string(path).expect("page");
    extract(&text, Form::of(path), vendor)
}

/// Compares `actual` with the file, or rewrites the file under
/// `UPDATE_EXPECT`.
fn expect(path: &Path, actual: &str) {
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(path, actual).expect("write expectation");
        return;
    }
    let expected = std::fs::read_to_string(path)
        .unwrap_or_else(|_| panic!("{} is missing; run with UPDATE_EXPECT=1", path.display()));
    assert!(
        expected == actual,
        "{} differs from what was read:\n{}",
        path.display(),
        similar_lines(&expected, actual)
    );
}

fn similar_lines(a: &str, b: &str) -> String {
    a.lines()
        .zip(b.lines())
        .enumerate()
        .filter(|(_, (x, y))| x != y)
        .take(5)
        .map(|(i, (x, y))| format!("line {}:\n  expected {x}\n  actual   {y}", i + 1))
        .collect::<Vec<_>>()
        .join("\n")
}

fn pages(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("case")
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            name.ends_with(".md") || name.ends_with(".rendered.txt")
        })
        .collect();
    out.sort();
    out
}

#[test]
fn every_page_gives_its_expected_facts() {
    for dir in cases() {
        for page in pages(&dir) {
            let facts = read(&page, vendor(&dir));
            let name = page.file_name().and_then(|n| n.to_str()).unwrap_or("");
            expect(
                &dir.join(format!("{name}.facts.json")),
                &docfacts::facts_json(&facts),
            );
        }
    }
}

#[test]
fn every_revision_pair_gives_its_expected_changes() {
    for dir in cases() {
        let (old, new) = (dir.join("old.md"), dir.join("new.md"));
        let changes = diff(&read(&old, vendor(&dir)), &read(&new, vendor(&dir)));
        let mut text = serde_json::to_string_pretty(&changes).expect("json");
        text.push('\n');
        expect(&dir.join("changes.json"), &text);
        if dir.to_string_lossy().ends_with("format-only") {
            assert!(
                changes.is_empty(),
                "{}: a formatting-only revision changed facts: {changes:#?}",
                dir.display()
            );
        }
    }
}

/// The published text of a page states what its source states; only the
/// link targets (gone in text) and repairs of broken JSON may differ.
#[test]
fn rendered_text_gives_the_facts_of_its_source() {
    for dir in cases() {
        for page in pages(&dir) {
            let name = page.file_name().and_then(|n| n.to_str()).unwrap_or("");
            let Some(stem) = name.strip_suffix(".rendered.txt") else {
                continue;
            };
            let source = dir.join(format!("{stem}.md"));
            let strip = |f: PageFacts| {
                let mut f = f.normalised();
                for op in &mut f.operations {
                    for s in op
                        .request_samples
                        .iter_mut()
                        .chain(op.response_samples.iter_mut())
                    {
                        s.repairs.clear();
                    }
                }
                f
            };
            let rendered = strip(read(&page, vendor(&dir)));
            let markdown = strip(read(&source, vendor(&dir)));
            assert_eq!(
                rendered,
                markdown,
                "{} and {}",
                page.display(),
                source.display()
            );
            // And the facts survive our own rendering of the source.
            let text = std::fs::read_to_string(&source).expect("page");
            let ours = docfacts::page::render_text(&text, vendor(&dir) == Vendor::Avepoint);
            let ours = strip(extract(&ours, Form::Rendered, vendor(&dir)));
            assert_eq!(ours, markdown, "render_text of {}", source.display());
        }
    }
}

#[test]
fn the_missing_quote_of_the_rendered_sample_is_repaired_and_reported() {
    let dir = cases()
        .into_iter()
        .find(|d| d.ends_with("partner-center-changes"))
        .expect("case");
    let facts = read(&dir.join("new.rendered.txt"), Vendor::PartnerCenter);
    let sample = &facts.operations[0].response_samples[0];
    assert_eq!(sample.json.as_ref().expect("json")["tags"][0], "t");
    assert_eq!(sample.repairs.len(), 1, "{:?}", sample.repairs);
    assert!(sample.repairs[0].message.contains("opening quote"));
    assert_eq!(sample.repairs[0].line, 46);
}

#[test]
fn what_cannot_be_read_is_reported_with_its_line() {
    let page = "# X\n\n## Request\n\n| Method | Endpoint | Description |\n| --- | --- | --- |\n| FETCH | `/x` | no |\n\n## Response Sample\n\n```json\n{ \"a\": 1 \"b\": 2 }\n```\n";
    let facts = extract(page, Form::Markdown, Vendor::Avepoint);
    let lines: Vec<usize> = facts.problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, [7, 12], "{:?}", facts.problems);
}

/// Every committed page's facts compare equal with themselves, including
/// pages that name one field twice (the same field in two tables).
#[test]
fn every_committed_page_diffs_empty_with_itself() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/doc-facts/pages.json");
    let store = docfacts::Store::read(&path).expect("the committed facts file reads");
    assert!(store.pages.len() > 50, "{} pages", store.pages.len());
    for (page, entry) in &store.pages {
        let changes = diff(&entry.facts, &entry.facts);
        assert!(changes.is_empty(), "{page}: {changes:#?}");
    }
}
