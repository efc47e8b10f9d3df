//! End-to-end tests of `cargo xtask diff`: the binary runs on small fixture
//! specs (`tests/fixtures/diff/`) copied into a temporary folder, or on a
//! temporary git repository, and the tests check its output in every format,
//! its `--fail-on` exit status and its errors.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

// ---------------------------------------------------------------- helpers

/// The fixture folder of these tests.
fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
        .join("diff")
}

fn fixture_text(name: &str) -> String {
    let path = fixtures().join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A temporary folder holding a copy of every fixture, so that the spec
/// names in the output are short and stable.
fn fixture_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    for entry in std::fs::read_dir(fixtures()).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
        }
    }
    write_policy(dir.path());
    dir
}

/// The project policy the fixtures are graded with: a new response enum
/// value is breaking (oasdiff's default is possibly breaking), set in the
/// root's `diff.toml`, which also exercises the settings file; and only
/// changes to operations are looked at (the versioning policy and removed
/// schemas are left to their own tests).
fn write_policy(root: &Path) {
    std::fs::write(
        root.join("diff.toml"),
        "[levels]\nresponse-property-enum-value-added = \"breaking\"\napi-version-not-bumped = \"non-breaking\"\n",
    )
    .unwrap();
}

/// A command that ignores git variables of the calling environment (as
/// set, say, inside a git hook), so that git only sees the test repository.
fn command(program: &str) -> Command {
    let mut command = Command::new(program);
    for var in ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"] {
        command.env_remove(var);
    }
    command
}

/// Runs `xtask --root DIR ARGS...` in `DIR`.
fn xtask(dir: &Path, args: &[&str]) -> Output {
    command(env!("CARGO_BIN_EXE_xtask"))
        .current_dir(dir)
        .arg("--root")
        .arg(dir)
        .args(args)
        .output()
        .expect("runs xtask")
}

/// Runs `xtask diff ARGS...` on the fixtures.
fn diff_fixtures(args: &[&str]) -> Output {
    let dir = fixture_copy();
    let mut all = vec!["diff"];
    all.extend_from_slice(args);
    xtask(dir.path(), &all)
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn code(output: &Output) -> i32 {
    output
        .status
        .code()
        .unwrap_or_else(|| panic!("killed by a signal: {}", describe(output)))
}

fn describe(output: &Output) -> String {
    format!(
        "{}\nstdout:\n{}\nstderr:\n{}",
        output.status,
        stdout(output),
        stderr(output)
    )
}

fn assert_code(output: &Output, expected: i32, what: &str) {
    assert_eq!(
        code(output),
        expected,
        "{what}: wrong exit status; {}",
        describe(output)
    );
    assert!(
        !stderr(output).contains("panicked"),
        "{what}: panicked; {}",
        describe(output)
    );
}

/// Checks a failure: its status, that nothing went to stdout, and that
/// stderr is one clear `error:` message containing every `needle`.
fn assert_error(output: &Output, expected: i32, needles: &[&str], what: &str) {
    assert_code(output, expected, what);
    assert!(
        output.stdout.is_empty(),
        "{what}: a failure printed a report; {}",
        describe(output)
    );
    let err = stderr(output);
    assert!(
        err.starts_with("error: "),
        "{what}: stderr is not an `error:` message; {}",
        describe(output)
    );
    for needle in needles {
        assert!(
            err.contains(needle),
            "{what}: stderr lacks {needle:?}; {}",
            describe(output)
        );
    }
}

/// The 1-based number of the only line of `text` whose trimmed content is
/// `trimmed`.
fn line_of(text: &str, trimmed: &str) -> usize {
    let found: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.trim() == trimmed)
        .map(|(i, _)| i + 1)
        .collect();
    assert_eq!(found.len(), 1, "{trimmed:?} should occur once: {found:?}");
    found[0]
}

// ---------------------------------------------------------------- a tiny JSON reader

/// A JSON value; objects keep their keys in order. (The xtask crate has no
/// JSON dependency, and its manifest is not this test's to change.)
#[derive(Debug, Clone, PartialEq)]
enum Json {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

impl Json {
    fn parse(text: &str) -> Result<Json, String> {
        let mut reader = JsonReader {
            bytes: text.as_bytes(),
            at: 0,
        };
        let value = reader.value()?;
        reader.space();
        if reader.at != reader.bytes.len() {
            return Err(format!("trailing text at byte {}", reader.at));
        }
        Ok(value)
    }

    fn get(&self, key: &str) -> &Json {
        match self {
            Json::Object(fields) => fields
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v)
                .unwrap_or_else(|| panic!("no key {key:?} in {self:?}")),
            other => panic!("not an object: {other:?}"),
        }
    }

    fn has(&self, key: &str) -> bool {
        matches!(self, Json::Object(fields) if fields.iter().any(|(k, _)| k == key))
    }

    fn keys(&self) -> Vec<&str> {
        match self {
            Json::Object(fields) => fields.iter().map(|(k, _)| k.as_str()).collect(),
            other => panic!("not an object: {other:?}"),
        }
    }

    fn str(&self) -> &str {
        match self {
            Json::String(s) => s,
            other => panic!("not a string: {other:?}"),
        }
    }

    fn array(&self) -> &[Json] {
        match self {
            Json::Array(items) => items,
            other => panic!("not an array: {other:?}"),
        }
    }
}

struct JsonReader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl JsonReader<'_> {
    fn space(&mut self) {
        while self
            .bytes
            .get(self.at)
            .is_some_and(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
        {
            self.at += 1;
        }
    }

    fn peek(&mut self) -> Result<u8, String> {
        self.space();
        self.bytes
            .get(self.at)
            .copied()
            .ok_or_else(|| "unexpected end".to_owned())
    }

    fn expect(&mut self, byte: u8) -> Result<(), String> {
        if self.peek()? == byte {
            self.at += 1;
            Ok(())
        } else {
            Err(format!("expected {:?} at byte {}", byte as char, self.at))
        }
    }

    fn literal(&mut self, word: &str, value: Json) -> Result<Json, String> {
        if self.bytes[self.at..].starts_with(word.as_bytes()) {
            self.at += word.len();
            Ok(value)
        } else {
            Err(format!("bad literal at byte {}", self.at))
        }
    }

    fn value(&mut self) -> Result<Json, String> {
        match self.peek()? {
            b'n' => self.literal("null", Json::Null),
            b't' => self.literal("true", Json::Bool(true)),
            b'f' => self.literal("false", Json::Bool(false)),
            b'"' => self.string().map(Json::String),
            b'[' => {
                self.at += 1;
                let mut items = Vec::new();
                if self.peek()? == b']' {
                    self.at += 1;
                    return Ok(Json::Array(items));
                }
                loop {
                    items.push(self.value()?);
                    match self.peek()? {
                        b',' => self.at += 1,
                        b']' => {
                            self.at += 1;
                            return Ok(Json::Array(items));
                        }
                        _ => return Err(format!("bad array at byte {}", self.at)),
                    }
                }
            }
            b'{' => {
                self.at += 1;
                let mut fields = Vec::new();
                if self.peek()? == b'}' {
                    self.at += 1;
                    return Ok(Json::Object(fields));
                }
                loop {
                    if self.peek()? != b'"' {
                        return Err(format!("expected a key at byte {}", self.at));
                    }
                    let key = self.string()?;
                    if fields.iter().any(|(k, _)| *k == key) {
                        return Err(format!("duplicate key {key:?}"));
                    }
                    self.expect(b':')?;
                    fields.push((key, self.value()?));
                    match self.peek()? {
                        b',' => self.at += 1,
                        b'}' => {
                            self.at += 1;
                            return Ok(Json::Object(fields));
                        }
                        _ => return Err(format!("bad object at byte {}", self.at)),
                    }
                }
            }
            b'-' | b'0'..=b'9' => {
                let start = self.at;
                while self
                    .bytes
                    .get(self.at)
                    .is_some_and(|b| matches!(b, b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9'))
                {
                    self.at += 1;
                }
                let text = std::str::from_utf8(&self.bytes[start..self.at]).unwrap();
                text.parse()
                    .map(Json::Number)
                    .map_err(|e| format!("bad number {text:?}: {e}"))
            }
            other => Err(format!(
                "unexpected {:?} at byte {}",
                other as char, self.at
            )),
        }
    }

    fn string(&mut self) -> Result<String, String> {
        self.expect(b'"')?;
        let mut out = Vec::new();
        loop {
            let byte = *self.bytes.get(self.at).ok_or("unterminated string")?;
            self.at += 1;
            match byte {
                b'"' => return String::from_utf8(out).map_err(|e| e.to_string()),
                b'\\' => {
                    let escape = *self.bytes.get(self.at).ok_or("unterminated escape")?;
                    self.at += 1;
                    let c = match escape {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let hex = |r: &mut Self| -> Result<u32, String> {
                                let digits = r.bytes.get(r.at..r.at + 4).ok_or("short \\u")?;
                                r.at += 4;
                                u32::from_str_radix(std::str::from_utf8(digits).unwrap(), 16)
                                    .map_err(|e| e.to_string())
                            };
                            let first = hex(self)?;
                            let code = if (0xD800..0xDC00).contains(&first) {
                                if !self.bytes[self.at..].starts_with(b"\\u") {
                                    return Err("lone surrogate".to_owned());
                                }
                                self.at += 2;
                                let second = hex(self)?;
                                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                            } else {
                                first
                            };
                            char::from_u32(code).ok_or("bad \\u escape")?
                        }
                        other => return Err(format!("bad escape \\{}", other as char)),
                    };
                    let mut buf = [0; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
                0..=0x1f => return Err("control character in a string".to_owned()),
                _ => out.push(byte),
            }
        }
    }
}

fn parse_json(output: &Output) -> Json {
    Json::parse(&stdout(output))
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}); {}", describe(output)))
}

/// Checks the shape of one change of `--format json` and returns it.
fn check_change_shape(change: &Json) -> &Json {
    for key in [
        "id",
        "rule",
        "direction",
        "pointer",
        "side",
        "message",
        "compat",
        "semver",
    ] {
        assert!(change.has(key), "change lacks {key:?}: {change:?}");
    }
    for key in change.keys() {
        assert!(
            [
                "id",
                "accepted",
                "rule",
                "operation",
                "direction",
                "pointer",
                "side",
                "path",
                "line",
                "message",
                "compat",
                "semver"
            ]
            .contains(&key),
            "unexpected change key {key:?}: {change:?}"
        );
    }
    assert!(matches!(
        change.get("compat").str(),
        "breaking" | "possibly-breaking" | "non-breaking"
    ));
    assert!(matches!(
        change.get("semver").str(),
        "major" | "minor" | "patch"
    ));
    assert!(matches!(change.get("side").str(), "base" | "revision"));
    assert!(matches!(
        change.get("direction").str(),
        "request" | "response" | "none"
    ));
    assert!(change.get("pointer").str().starts_with('/'));
    if change.has("operation") {
        let op = change.get("operation");
        assert!(!op.get("method").str().is_empty());
        assert!(op.get("path").str().starts_with('/'));
    }
    change
}

/// Checks the shape of a `--format json` report and returns its specs.
fn check_report_shape(report: &Json) -> &[Json] {
    assert_eq!(
        report.keys(),
        ["format_version", "compat", "semver", "specs"],
        "{report:?}"
    );
    assert_eq!(report.get("format_version"), &Json::Number(1.0));
    let specs = report.get("specs").array();
    for spec in specs {
        assert_eq!(
            spec.keys(),
            ["spec", "base", "revision", "compat", "semver", "changes"],
            "{spec:?}"
        );
        for change in spec.get("changes").array() {
            check_change_shape(change);
        }
    }
    specs
}

/// `(rule, method path)` of every change of one spec of a JSON report.
fn rules_of(spec: &Json) -> Vec<(String, String)> {
    spec.get("changes")
        .array()
        .iter()
        .filter(|c| c.has("operation"))
        .map(|c| {
            let op = c.get("operation");
            (
                c.get("rule").str().to_owned(),
                format!("{} {}", op.get("method").str(), op.get("path").str()),
            )
        })
        .collect()
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

// ---------------------------------------------------------------- git repositories

const SETTINGS: &str = "[crate]\nname = \"NAME\"\nversion = \"0.1.0\"\ndescription = \"A test spec\"\n\n[generation]\noptional_arrays = \"option\"\n";

fn git(dir: &Path, args: &[&str]) -> String {
    let output = command("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@t",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .output()
        .expect("runs git");
    assert!(
        output.status.success(),
        "git {args:?} failed: {}",
        describe(&output)
    );
    stdout(&output)
}

fn write_spec(dir: &Path, stem: &str, fixture: &str) {
    let specs = dir.join("specs");
    std::fs::create_dir_all(&specs).unwrap();
    std::fs::write(specs.join(format!("{stem}.yaml")), fixture_text(fixture)).unwrap();
    std::fs::write(
        specs.join(format!("{stem}.settings.toml")),
        SETTINGS.replace("NAME", stem),
    )
    .unwrap();
}

/// A git repository `DIR` with two commits:
///
/// 1. `specs/pets.yaml` and `specs/gone.yaml`, both `base.yaml`;
/// 2. `specs/pets.yaml` becomes `enum_value_added.yaml`.
///
/// The working tree then adds an optional parameter to `specs/pets.yaml`
/// (uncommitted), deletes `specs/gone.yaml` and adds an untracked
/// `specs/new.yaml`.
fn git_repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    let root = dir.path();
    git(root, &["init", "--quiet"]);
    write_policy(root);
    write_spec(root, "pets", "base.yaml");
    write_spec(root, "gone", "base.yaml");
    git(root, &["add", "--all"]);
    git(root, &["commit", "--quiet", "-m", "first"]);
    write_spec(root, "pets", "enum_value_added.yaml");
    git(root, &["commit", "--quiet", "--all", "-m", "second"]);

    write_spec(root, "pets", "enum_value_and_parameter_added.yaml");
    std::fs::remove_file(root.join("specs/gone.yaml")).unwrap();
    write_spec(root, "new", "base.yaml");
    dir
}

fn spec_named<'a>(specs: &'a [Json], name: &str) -> &'a Json {
    specs
        .iter()
        .find(|s| s.get("spec").str() == name)
        .unwrap_or_else(|| panic!("no spec {name:?} in {specs:?}"))
}

// ---------------------------------------------------------------- text

#[test]
fn text_names_the_spec_and_every_change_with_verdicts_rule_and_operation() {
    let output = diff_fixtures(&["base.yaml", "many_changes.yaml"]);
    assert_code(&output, 0, "text diff");
    let out = stdout(&output);
    let mut lines = out.lines();
    let header = lines.next().expect("a header line");
    assert_eq!(
        header,
        "many_changes.yaml (base.yaml → many_changes.yaml): 6 change(s): breaking on the wire, major for the crate"
    );
    let expected = [
        (
            "[non-breaking/minor]",
            "DELETE /pets/{id} (deletePet)",
            "endpoint-added",
        ),
        (
            "[non-breaking/major]",
            "GET /pets/{id} (getPet)",
            "response-optional-property-added",
        ),
        (
            "[breaking/minor]",
            "GET /pets/{id} (getPet)",
            "response-property-enum-value-added",
        ),
        (
            "[non-breaking/minor]",
            "GET /pets/{id} (getPet)",
            "new-optional-request-parameter",
        ),
        (
            "[breaking/major]",
            "POST /pets (createPet)",
            "new-required-request-property",
        ),
        (
            "[possibly-breaking/major]",
            "POST /pets (createPet)",
            "request-property-removed",
        ),
    ];
    let changes: Vec<&str> = lines.collect();
    assert_eq!(changes.len(), expected.len(), "{out}");
    for (line, (verdicts, operation, rule)) in changes.iter().zip(expected) {
        assert!(
            line.starts_with(&format!("  {verdicts} {operation} — ")),
            "{line:?} should start with the verdicts and operation:\n{out}"
        );
        assert!(
            line.contains(&format!("({rule}, ")),
            "{line:?} lacks the rule {rule}:\n{out}"
        );
    }
    // The pointer of each change, on the side it is in.
    assert!(
        out.contains(
            "(request-property-removed, request, was at /components/schemas/NewPet/properties/tag)"
        ),
        "{out}"
    );
    assert!(
        out.contains("(endpoint-added, at /paths/~1pets~1{id}/delete)"),
        "{out}"
    );
}

#[test]
fn text_says_no_changes_for_identical_specs() {
    let output = diff_fixtures(&["base.yaml", "base.yaml"]);
    assert_code(&output, 0, "identical specs");
    assert_eq!(
        stdout(&output),
        "base.yaml (base.yaml → base.yaml): no changes\n"
    );
}

// ---------------------------------------------------------------- JSON

#[test]
fn json_has_the_versioned_shape_and_exact_values_for_one_change() {
    let output = diff_fixtures(&["--format", "json", "base.yaml", "enum_value_added.yaml"]);
    assert_code(&output, 0, "json diff");
    let report = parse_json(&output);
    let specs = check_report_shape(&report);
    assert_eq!(report.get("compat").str(), "breaking");
    assert_eq!(report.get("semver").str(), "minor");
    assert_eq!(specs.len(), 1);
    let spec = &specs[0];
    assert_eq!(spec.get("spec").str(), "enum_value_added.yaml");
    assert_eq!(spec.get("base").str(), "base.yaml");
    assert_eq!(spec.get("revision").str(), "enum_value_added.yaml");
    assert_eq!(spec.get("compat").str(), "breaking");
    assert_eq!(spec.get("semver").str(), "minor");
    let changes = spec.get("changes").array();
    assert_eq!(changes.len(), 1, "{changes:?}");
    let change = &changes[0];
    assert_eq!(
        change.get("rule").str(),
        "response-property-enum-value-added"
    );
    assert_eq!(change.get("direction").str(), "response");
    assert_eq!(
        change.get("pointer").str(),
        "/components/schemas/Pet/properties/status/enum"
    );
    assert_eq!(change.get("side").str(), "revision");
    assert_eq!(change.get("compat").str(), "breaking");
    assert_eq!(change.get("semver").str(), "minor");
    let message = change.get("message").str();
    assert!(
        message.contains("status") && message.contains("\"pending\""),
        "{message}"
    );
    let op = change.get("operation");
    assert_eq!(op.get("method").str(), "GET");
    assert_eq!(op.get("path").str(), "/pets/{id}");
    assert_eq!(op.get("operation_id").str(), "getPet");
    let revision = fixture_text("enum_value_added.yaml");
    assert_eq!(
        change.get("line"),
        &Json::Number(line_of(&revision, "enum:") as f64)
    );
}

#[test]
fn json_of_many_changes_keeps_the_shape_and_the_worst_verdicts() {
    let output = diff_fixtures(&["--format", "json", "base.yaml", "many_changes.yaml"]);
    assert_code(&output, 0, "json diff");
    let report = parse_json(&output);
    let specs = check_report_shape(&report);
    assert_eq!(report.get("compat").str(), "breaking");
    assert_eq!(report.get("semver").str(), "major");
    assert_eq!(
        rules_of(&specs[0]),
        pairs(&[
            ("endpoint-added", "DELETE /pets/{id}"),
            ("response-optional-property-added", "GET /pets/{id}"),
            ("response-property-enum-value-added", "GET /pets/{id}"),
            ("new-optional-request-parameter", "GET /pets/{id}"),
            ("new-required-request-property", "POST /pets"),
            ("request-property-removed", "POST /pets"),
        ])
    );
    let removed = &specs[0].get("changes").array()[5];
    assert_eq!(removed.get("side").str(), "base");
    assert_eq!(removed.get("compat").str(), "possibly-breaking");
    assert_eq!(removed.get("direction").str(), "request");
}

#[test]
fn json_with_no_changes_has_null_compat_and_patch() {
    let output = diff_fixtures(&["--format", "json", "base.yaml", "base.yaml"]);
    assert_code(&output, 0, "json diff");
    let report = parse_json(&output);
    let specs = check_report_shape(&report);
    assert_eq!(report.get("compat"), &Json::Null);
    assert_eq!(report.get("semver").str(), "patch");
    assert_eq!(specs[0].get("compat"), &Json::Null);
    assert_eq!(specs[0].get("semver").str(), "patch");
    assert!(specs[0].get("changes").array().is_empty());
}

// ---------------------------------------------------------------- Markdown

#[test]
fn markdown_has_a_table_and_the_spec_name() {
    let output = diff_fixtures(&["--format", "markdown", "base.yaml", "many_changes.yaml"]);
    assert_code(&output, 0, "markdown diff");
    let out = stdout(&output);
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines.contains(&"| spec | changes | wire | crate |"),
        "no summary table header:\n{out}"
    );
    assert!(
        lines.contains(&"| `many_changes.yaml` | 6 | breaking | major |"),
        "no summary row:\n{out}"
    );
    assert!(lines.contains(&"### `many_changes.yaml`"), "{out}");
    assert!(
        lines.contains(&"| wire | crate | where | change | rule |"),
        "no change table header:\n{out}"
    );
    let rows: Vec<&&str> = lines
        .iter()
        .filter(|l| l.starts_with("| ") && l.ends_with("` |") && l.contains("/pets"))
        .collect();
    assert_eq!(rows.len(), 6, "{out}");
    assert!(
        out.contains(
            "| ❌ breaking | minor | GET /pets/{id} (getPet) | `status`: new enum value \"pending\""
        ),
        "{out}"
    );
    assert!(out.contains("| `request-property-removed` |"), "{out}");
}

// ---------------------------------------------------------------- GitHub

/// Splits one `::level file=F,line=L,title=T::message` annotation.
fn annotation(line: &str) -> (&str, Vec<(&str, &str)>, &str) {
    let rest = line
        .strip_prefix("::")
        .unwrap_or_else(|| panic!("not an annotation: {line:?}"));
    let (level, rest) = rest.split_once(' ').expect("a level");
    let (properties, message) = rest.split_once("::").expect("a message");
    let properties = properties
        .split(',')
        .map(|p| p.split_once('=').expect("name=value"))
        .collect();
    (level, properties, message)
}

fn property<'a>(properties: &[(&str, &'a str)], name: &str) -> Option<&'a str> {
    properties.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
}

#[test]
fn github_annotates_each_change_on_its_line_in_the_revision() {
    let output = diff_fixtures(&[
        "--format",
        "github",
        "base.yaml",
        "enum_value_and_parameter_added.yaml",
    ]);
    assert_code(&output, 0, "github diff");
    let out = stdout(&output);
    let revision = fixture_text("enum_value_and_parameter_added.yaml");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    for line in &lines {
        assert!(
            line.starts_with("::error file=")
                || line.starts_with("::warning file=")
                || line.starts_with("::notice file="),
            "{line:?}"
        );
    }

    let (level, props, message) = annotation(lines[0]);
    assert_eq!(level, "error");
    assert_eq!(
        property(&props, "file"),
        Some("enum_value_and_parameter_added.yaml")
    );
    assert_eq!(
        property(&props, "title"),
        Some("response-property-enum-value-added")
    );
    let enum_line = line_of(&revision, "enum:");
    assert_eq!(
        property(&props, "line"),
        Some(enum_line.to_string().as_str()),
        "{out}"
    );
    assert!(
        message.starts_with("GET /pets/{id} (getPet) — "),
        "{message}"
    );
    assert!(message.ends_with("[response-property-enum-value-added; crate: minor]"));

    let (level, props, message) = annotation(lines[1]);
    assert_eq!(level, "notice");
    assert_eq!(
        property(&props, "title"),
        Some("new-optional-request-parameter")
    );
    let parameter_line = line_of(&revision, "- name: verbose");
    assert_eq!(
        property(&props, "line"),
        Some(parameter_line.to_string().as_str()),
        "{out}"
    );
    assert!(message.contains("`verbose`"), "{message}");
}

#[test]
fn github_uses_warning_for_possibly_breaking_changes() {
    let output = diff_fixtures(&[
        "--format",
        "github",
        "base.yaml",
        "request_property_removed.yaml",
    ]);
    assert_code(&output, 0, "github diff");
    let out = stdout(&output);
    assert!(
        out.starts_with("::warning file=request_property_removed.yaml,line="),
        "{out}"
    );
    assert!(
        out.contains(",title=request-property-removed::POST /pets (createPet) — "),
        "{out}"
    );
}

#[test]
fn github_line_of_a_removed_element_is_a_line_of_the_annotated_file() {
    // `tag` (base lines 53-54) is removed from `NewPet`, which in the
    // revision spans from `NewPet:` to the end of the file. The annotation
    // names the revision file, so its line must be in that file, at the
    // nearest surviving element (or be left out); it is 53, past the end of
    // the 52-line revision file.
    let output = diff_fixtures(&[
        "--format",
        "github",
        "base.yaml",
        "request_property_removed.yaml",
    ]);
    assert_code(&output, 0, "github diff");
    let out = stdout(&output);
    let (_, props, _) = annotation(out.lines().next().expect("an annotation"));
    assert_eq!(
        property(&props, "file"),
        Some("request_property_removed.yaml")
    );
    if let Some(line) = property(&props, "line") {
        let line: usize = line.parse().unwrap();
        let revision = fixture_text("request_property_removed.yaml");
        let new_pet = line_of(&revision, "NewPet:");
        let end = revision.lines().count();
        assert!(
            (new_pet..=end).contains(&line),
            "line={line} is not within `NewPet` (lines {new_pet}-{end}) of the revision file:\n{out}"
        );
    }
}

// ---------------------------------------------------------------- --fail-on

fn fail_on(level: &str, revision: &str) -> Output {
    diff_fixtures(&["--fail-on", level, "base.yaml", revision])
}

fn assert_failed_on(output: &Output, what: &str) {
    assert_code(output, 1, what);
    assert!(
        stderr(output).contains("error: changes at or above `--fail-on` were found"),
        "{what}: {}",
        describe(output)
    );
    // The report is still printed.
    assert!(
        stdout(output).contains(" change(s): "),
        "{}",
        describe(output)
    );
}

#[test]
fn fail_on_breaking_fails_on_a_breaking_change() {
    assert_failed_on(
        &fail_on("breaking", "enum_value_added.yaml"),
        "breaking + --fail-on breaking",
    );
}

#[test]
fn fail_on_breaking_passes_a_non_breaking_change() {
    let output = fail_on("breaking", "optional_parameter_added.yaml");
    assert_code(&output, 0, "non-breaking + --fail-on breaking");
    assert!(stdout(&output).contains("1 change(s): non-breaking on the wire"));
}

#[test]
fn fail_on_any_fails_on_a_non_breaking_change() {
    assert_failed_on(
        &fail_on("any", "optional_parameter_added.yaml"),
        "non-breaking + --fail-on any",
    );
}

#[test]
fn fail_on_possibly_breaking_fails_on_a_possibly_breaking_change() {
    assert_failed_on(
        &fail_on("possibly-breaking", "request_property_removed.yaml"),
        "possibly-breaking + --fail-on possibly-breaking",
    );
}

#[test]
fn fail_on_possibly_breaking_fails_on_a_breaking_change() {
    assert_failed_on(
        &fail_on("possibly-breaking", "enum_value_added.yaml"),
        "breaking + --fail-on possibly-breaking",
    );
}

#[test]
fn fail_on_possibly_breaking_passes_a_non_breaking_change() {
    let output = fail_on("possibly-breaking", "optional_parameter_added.yaml");
    assert_code(&output, 0, "non-breaking + --fail-on possibly-breaking");
}

#[test]
fn fail_on_breaking_passes_a_possibly_breaking_change() {
    let output = fail_on("breaking", "request_property_removed.yaml");
    assert_code(&output, 0, "possibly-breaking + --fail-on breaking");
    assert!(stdout(&output).contains("possibly-breaking on the wire"));
}

#[test]
fn fail_on_any_passes_when_nothing_changed() {
    let output = fail_on("any", "base.yaml");
    assert_code(&output, 0, "no change + --fail-on any");
    assert!(stderr(&output).is_empty(), "{}", describe(&output));
}

#[test]
fn fail_on_applies_to_every_format() {
    for format in ["text", "markdown", "json", "github"] {
        let output = diff_fixtures(&[
            "--format",
            format,
            "--fail-on",
            "breaking",
            "base.yaml",
            "enum_value_added.yaml",
        ]);
        assert_code(&output, 1, format);
        assert!(!output.stdout.is_empty(), "{format}: no report");
    }
}

#[test]
fn fail_on_rejects_an_unknown_level() {
    let output = fail_on("sometimes", "base.yaml");
    assert_error(
        &output,
        2,
        &["sometimes", "--fail-on"],
        "--fail-on sometimes",
    );
}

// ---------------------------------------------------------------- --base REV

#[test]
fn base_head_1_reports_committed_and_working_tree_changes() {
    let repo = git_repo();
    let output = xtask(
        repo.path(),
        &[
            "diff",
            "--base",
            "HEAD~1",
            "--format",
            "json",
            "specs/pets.yaml",
        ],
    );
    assert_code(&output, 0, "--base HEAD~1");
    let report = parse_json(&output);
    let specs = check_report_shape(&report);
    assert_eq!(specs.len(), 1);
    let spec = &specs[0];
    assert_eq!(spec.get("spec").str(), "specs/pets.yaml");
    assert_eq!(spec.get("base").str(), "HEAD~1:specs/pets.yaml");
    assert_eq!(spec.get("revision").str(), "specs/pets.yaml");
    assert_eq!(
        rules_of(spec),
        pairs(&[
            ("response-property-enum-value-added", "GET /pets/{id}"),
            ("new-optional-request-parameter", "GET /pets/{id}"),
        ])
    );
    assert_eq!(spec.get("compat").str(), "breaking");
}

#[test]
fn base_head_reports_only_the_uncommitted_edit() {
    let repo = git_repo();
    let output = xtask(repo.path(), &["diff", "--base", "HEAD", "specs/pets.yaml"]);
    assert_code(&output, 0, "--base HEAD");
    let out = stdout(&output);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "specs/pets.yaml (HEAD:specs/pets.yaml → specs/pets.yaml): 1 change(s): non-breaking on the wire, minor for the crate",
        "{out}"
    );
    assert_eq!(lines.len(), 2, "{out}");
    assert!(
        lines[1].starts_with("  [non-breaking/minor] GET /pets/{id} (getPet) — ")
            && lines[1].contains("(new-optional-request-parameter, request, "),
        "{out}"
    );
}

#[test]
fn base_revision_by_commit_hash_and_clean_tree_reports_nothing() {
    let repo = git_repo();
    let root = repo.path();
    git(root, &["add", "--all"]);
    git(root, &["commit", "--quiet", "-m", "third"]);
    let head = git(root, &["rev-parse", "HEAD"]).trim().to_owned();
    let output = xtask(root, &["diff", "--base", &head, "--fail-on", "any"]);
    assert_code(&output, 0, "--base <hash> on a clean tree");
    assert_eq!(
        stdout(&output),
        format!(
            "specs/new.yaml ({head}:specs/new.yaml → specs/new.yaml): no changes\n\
             specs/pets.yaml ({head}:specs/pets.yaml → specs/pets.yaml): no changes\n"
        )
    );
}

#[test]
fn spec_added_in_the_working_tree_reports_every_operation_as_added() {
    let repo = git_repo();
    let output = xtask(
        repo.path(),
        &[
            "diff",
            "--base",
            "HEAD",
            "--format",
            "json",
            "specs/new.yaml",
        ],
    );
    assert_code(&output, 0, "new spec");
    let report = parse_json(&output);
    let specs = check_report_shape(&report);
    let spec = &specs[0];
    assert_eq!(spec.get("base").str(), "HEAD:specs/new.yaml");
    assert_eq!(
        rules_of(spec),
        pairs(&[
            ("endpoint-added", "GET /pets/{id}"),
            ("endpoint-added", "POST /pets"),
        ])
    );
    for change in spec.get("changes").array() {
        assert_eq!(change.get("side").str(), "revision");
        assert_eq!(change.get("compat").str(), "non-breaking");
        assert_eq!(change.get("semver").str(), "minor");
    }
    assert_eq!(spec.get("compat").str(), "non-breaking");
}

#[test]
fn spec_deleted_from_the_working_tree_reports_removals() {
    let repo = git_repo();
    let output = xtask(
        repo.path(),
        &[
            "diff",
            "--base",
            "HEAD",
            "--format",
            "json",
            "specs/gone.yaml",
        ],
    );
    assert_code(&output, 0, "deleted spec");
    let report = parse_json(&output);
    let specs = check_report_shape(&report);
    let spec = &specs[0];
    assert_eq!(spec.get("spec").str(), "specs/gone.yaml");
    assert_eq!(spec.get("base").str(), "HEAD:specs/gone.yaml");
    assert_eq!(
        rules_of(spec),
        pairs(&[
            ("api-path-removed-without-deprecation", "GET /pets/{id}"),
            ("api-path-removed-without-deprecation", "POST /pets"),
        ])
    );
    // The schemas go too (api-schema-removed, non-breaking in oasdiff).
    for change in spec
        .get("changes")
        .array()
        .iter()
        .filter(|c| c.has("operation"))
    {
        assert_eq!(change.get("side").str(), "base");
        assert_eq!(change.get("compat").str(), "breaking");
        assert_eq!(change.get("semver").str(), "major");
    }
}

#[test]
fn no_file_arguments_diff_every_spec_on_either_side() {
    let repo = git_repo();
    let output = xtask(
        repo.path(),
        &["diff", "--base", "HEAD~1", "--format", "json"],
    );
    assert_code(&output, 0, "--base HEAD~1, no files");
    let report = parse_json(&output);
    let specs = check_report_shape(&report);
    let names: Vec<&str> = specs.iter().map(|s| s.get("spec").str()).collect();
    // The deleted spec comes from the base revision; settings files are not
    // specs.
    assert_eq!(
        names,
        ["specs/gone.yaml", "specs/new.yaml", "specs/pets.yaml"]
    );
    for spec in specs {
        assert_eq!(
            spec.get("base").str(),
            format!("HEAD~1:{}", spec.get("spec").str())
        );
    }
    assert_eq!(
        rules_of(spec_named(specs, "specs/gone.yaml")),
        pairs(&[
            ("api-path-removed-without-deprecation", "GET /pets/{id}"),
            ("api-path-removed-without-deprecation", "POST /pets"),
        ])
    );
    assert_eq!(
        rules_of(spec_named(specs, "specs/new.yaml")),
        pairs(&[
            ("endpoint-added", "GET /pets/{id}"),
            ("endpoint-added", "POST /pets"),
        ])
    );
    assert_eq!(
        rules_of(spec_named(specs, "specs/pets.yaml")),
        pairs(&[
            ("response-property-enum-value-added", "GET /pets/{id}"),
            ("new-optional-request-parameter", "GET /pets/{id}"),
        ])
    );
    assert_eq!(report.get("compat").str(), "breaking");
    assert_eq!(report.get("semver").str(), "major");
}

#[test]
fn no_arguments_at_all_compare_every_spec_with_head() {
    let repo = git_repo();
    let output = xtask(repo.path(), &["diff"]);
    assert_code(&output, 0, "no arguments");
    let out = stdout(&output);
    let headers: Vec<&str> = out.lines().filter(|l| !l.starts_with("  ")).collect();
    assert_eq!(
        headers,
        [
            "specs/gone.yaml (HEAD:specs/gone.yaml → specs/gone.yaml): 4 change(s): breaking on the wire, major for the crate",
            "specs/new.yaml (HEAD:specs/new.yaml → specs/new.yaml): 2 change(s): non-breaking on the wire, minor for the crate",
            "specs/pets.yaml (HEAD:specs/pets.yaml → specs/pets.yaml): 1 change(s): non-breaking on the wire, minor for the crate",
        ],
        "{out}"
    );
}

#[test]
fn base_mode_fail_on_breaking_fails_on_a_deleted_spec() {
    let repo = git_repo();
    let output = xtask(
        repo.path(),
        &["diff", "--base", "HEAD", "--fail-on", "breaking"],
    );
    assert_failed_on(&output, "deleted spec + --fail-on breaking");
}

#[test]
fn github_in_base_mode_names_the_spec_path_and_revision_line() {
    let repo = git_repo();
    let output = xtask(
        repo.path(),
        &[
            "diff",
            "--base",
            "HEAD",
            "--format",
            "github",
            "specs/pets.yaml",
        ],
    );
    assert_code(&output, 0, "--base HEAD --format github");
    let revision = fixture_text("enum_value_and_parameter_added.yaml");
    assert_eq!(
        stdout(&output).lines().collect::<Vec<_>>(),
        [format!(
            "::notice file=specs/pets.yaml,line={},title=new-optional-request-parameter::GET /pets/{{id}} (getPet) — added the optional query parameter `verbose` (a new builder method) [new-optional-request-parameter; crate: minor]",
            line_of(&revision, "- name: verbose")
        )]
    );
}

#[test]
fn base_mode_works_when_the_root_is_a_subfolder_of_the_repository() {
    let repo = tempfile::tempdir().expect("temporary folder");
    let project = repo.path().join("project");
    git(repo.path(), &["init", "--quiet"]);
    write_spec(&project, "pets", "base.yaml");
    write_policy(&project);
    git(repo.path(), &["add", "--all"]);
    git(repo.path(), &["commit", "--quiet", "-m", "first"]);
    write_spec(&project, "pets", "enum_value_added.yaml");

    let output = xtask(
        &project,
        &[
            "diff",
            "--base",
            "HEAD",
            "--format",
            "json",
            "--fail-on",
            "breaking",
        ],
    );
    let report = parse_json(&output);
    let specs = check_report_shape(&report);
    // Today: two `endpoint-added` (non-breaking) changes and exit 0, so a
    // CI gate with `--fail-on breaking` lets the breaking change through.
    assert_eq!(
        rules_of(&specs[0]),
        pairs(&[("response-property-enum-value-added", "GET /pets/{id}")])
    );
    assert_code(&output, 1, "breaking change + --fail-on breaking");
}

#[test]
fn base_mode_accepts_an_absolute_spec_path() {
    let repo = git_repo();
    let spec = repo.path().join("specs/pets.yaml");
    let output = command(env!("CARGO_BIN_EXE_xtask"))
        .current_dir(repo.path())
        .args(["--root", ".", "diff", "--base", "HEAD", "--format", "json"])
        .arg(&spec)
        .output()
        .expect("runs xtask");
    assert_code(&output, 0, "absolute spec path");
    let report = parse_json(&output);
    let specs = check_report_shape(&report);
    assert_eq!(
        rules_of(&specs[0]),
        pairs(&[("new-optional-request-parameter", "GET /pets/{id}")])
    );
}

// ---------------------------------------------------------------- errors

#[test]
fn malformed_yaml_exits_3_with_file_line_and_column() {
    let output = diff_fixtures(&["base.yaml", "malformed.yaml"]);
    assert_error(
        &output,
        3,
        &["malformed.yaml:", "malformed YAML"],
        "malformed YAML",
    );
    // `file:line:col: ...`
    let err = stderr(&output);
    let place = err
        .strip_prefix("error: malformed.yaml:")
        .and_then(|rest| rest.split_once(": "))
        .map(|(place, _)| place)
        .unwrap_or_else(|| panic!("no file:line:col in {err:?}"));
    let (line, column) = place
        .split_once(':')
        .unwrap_or_else(|| panic!("no line:col in {err:?}"));
    let line: usize = line.parse().unwrap_or_else(|_| panic!("{err:?}"));
    let column: usize = column.parse().unwrap_or_else(|_| panic!("{err:?}"));
    assert!(line >= 6 && column >= 1, "{err:?}");
}

#[test]
fn malformed_yaml_on_the_base_side_exits_3_too() {
    let output = diff_fixtures(&["malformed.yaml", "base.yaml"]);
    assert_error(
        &output,
        3,
        &["malformed.yaml:", "malformed YAML"],
        "malformed base",
    );
}

#[test]
fn openapi_3_1_exits_3_and_says_only_3_0_is_supported() {
    let output = diff_fixtures(&["base.yaml", "openapi31.yaml"]);
    assert_error(
        &output,
        3,
        &[
            "openapi31.yaml:1",
            "unsupported OpenAPI version `3.1.0`",
            "only OpenAPI 3.0.x",
        ],
        "OpenAPI 3.1",
    );
}

#[test]
fn swagger_2_exits_3() {
    let output = diff_fixtures(&["swagger2.yaml", "base.yaml"]);
    assert_error(
        &output,
        3,
        &["swagger2.yaml:1", "swagger 2.0", "only OpenAPI 3.0.x"],
        "Swagger 2.0",
    );
}

#[test]
fn unparsable_spec_in_base_mode_exits_3() {
    let repo = git_repo();
    std::fs::write(
        repo.path().join("specs/pets.yaml"),
        fixture_text("malformed.yaml"),
    )
    .unwrap();
    let output = xtask(repo.path(), &["diff", "--base", "HEAD"]);
    assert_error(
        &output,
        3,
        &["specs/pets.yaml:", "malformed YAML"],
        "malformed spec",
    );
}

#[test]
fn missing_file_exits_4_and_names_the_path() {
    let output = diff_fixtures(&["base.yaml", "no-such-spec.yaml"]);
    assert_error(
        &output,
        4,
        &["no-such-spec.yaml: no such file"],
        "missing revision",
    );
    let output = diff_fixtures(&["no-such-base.yaml", "base.yaml"]);
    assert_error(
        &output,
        4,
        &["no-such-base.yaml: no such file"],
        "missing base",
    );
}

#[test]
fn spec_missing_on_both_sides_in_base_mode_exits_4() {
    let repo = git_repo();
    let output = xtask(
        repo.path(),
        &["diff", "--base", "HEAD", "specs/no-such-spec.yaml"],
    );
    assert_error(
        &output,
        4,
        &["specs/no-such-spec.yaml: no such file"],
        "missing spec",
    );
}

#[test]
fn unknown_git_revision_exits_5_and_names_it() {
    let repo = git_repo();
    let output = xtask(repo.path(), &["diff", "--base", "no-such-rev"]);
    assert_error(
        &output,
        5,
        &["unknown git revision `no-such-rev`"],
        "unknown revision",
    );
    // A revision before the first commit is unknown too.
    let output = xtask(
        repo.path(),
        &["diff", "--base", "HEAD~5", "specs/pets.yaml"],
    );
    assert_error(&output, 5, &["`HEAD~5`"], "HEAD~5");
}

#[test]
fn one_file_without_base_exits_2() {
    let output = diff_fixtures(&["base.yaml"]);
    assert_error(
        &output,
        2,
        &["give two files", "--base REV", "got 1 file(s)"],
        "one file",
    );
    let output = diff_fixtures(&["base.yaml", "base.yaml", "base.yaml"]);
    assert_error(&output, 2, &["got 3 file(s)"], "three files");
}

#[test]
fn unknown_format_exits_2() {
    let output = diff_fixtures(&["--format", "xml", "base.yaml", "base.yaml"]);
    assert_error(&output, 2, &["xml", "--format"], "--format xml");
}

#[test]
fn every_error_kind_has_its_own_exit_status() {
    let repo = git_repo();
    let fixtures = fixture_copy();
    let diff = |dir: &Path, args: &[&str]| {
        let mut all = vec!["diff"];
        all.extend_from_slice(args);
        code(&xtask(dir, &all))
    };
    let codes = [
        diff(fixtures.path(), &["base.yaml"]),
        diff(fixtures.path(), &["base.yaml", "malformed.yaml"]),
        diff(fixtures.path(), &["base.yaml", "no-such-spec.yaml"]),
        diff(repo.path(), &["--base", "no-such-rev"]),
    ];
    assert_eq!(codes, [2, 3, 4, 5]);
}

// ---------------------------------------------------------------- determinism

#[test]
fn the_same_diff_twice_prints_the_same_bytes() {
    let fixtures = fixture_copy();
    let repo = git_repo();
    for format in ["text", "markdown", "json", "github"] {
        let runs: Vec<(&Path, Vec<&str>)> = vec![
            (
                fixtures.path(),
                vec!["diff", "--format", format, "base.yaml", "many_changes.yaml"],
            ),
            (
                fixtures.path(),
                vec!["diff", "--format", format, "many_changes.yaml", "base.yaml"],
            ),
            (
                repo.path(),
                vec!["diff", "--format", format, "--base", "HEAD~1"],
            ),
        ];
        for (dir, args) in runs {
            let first = xtask(dir, &args);
            let second = xtask(dir, &args);
            assert_code(&first, 0, &format!("{args:?}"));
            assert!(!first.stdout.is_empty(), "{args:?}: no output");
            assert!(
                first.stdout == second.stdout,
                "{args:?}: two runs differ:\n{}\n---\n{}",
                stdout(&first),
                stdout(&second)
            );
            assert_eq!(first.status, second.status);
        }
    }
}

// ------------------------------------------------- settings, changelog, JUnit

/// Runs `xtask diff ARGS...` on the fixtures with `settings` as the root's
/// `diff.toml` (replacing the fixtures' policy).
fn diff_with_settings(settings: &str, args: &[&str]) -> Output {
    let dir = fixture_copy();
    std::fs::write(dir.path().join("diff.toml"), settings).unwrap();
    let mut all = vec!["diff"];
    all.extend_from_slice(args);
    xtask(dir.path(), &all)
}

#[test]
fn an_accepted_change_is_reported_but_does_not_fail() {
    let settings = "[levels]\nresponse-property-enum-value-added = \"breaking\"\n\n[[accepted]]\nrule = \"response-property-enum-value-added\"\noperation = \"GET /pets/{petId}\"\npath = \"status\"\nreason = \"clients ignore unknown statuses\"\nexpires = \"2999-12-31\"\n";
    let args = [
        "--format",
        "json",
        "--fail-on",
        "breaking",
        "base.yaml",
        "enum_value_added.yaml",
    ];
    let output = diff_with_settings(settings, &args);
    assert_code(&output, 0, "accepted breaking change");
    let report = parse_json(&output);
    let change = &check_report_shape(&report)[0].get("changes").array()[0];
    assert_eq!(change.get("compat").str(), "breaking");
    assert_eq!(
        change.get("accepted").str(),
        "clients ignore unknown statuses"
    );
    // Expired, it no longer applies, and says so.
    let expired = settings.replace("2999-12-31", "2001-01-01");
    let output = diff_with_settings(&expired, &args);
    assert_code(&output, 1, "expired acceptance");
    assert!(
        stderr(&output).contains("expired on 2001-01-01"),
        "{}",
        describe(&output)
    );
}

#[test]
fn a_level_override_changes_the_verdict_and_a_bad_one_is_an_error() {
    let output = diff_with_settings(
        "[levels]\nresponse-property-enum-value-added = \"non-breaking\"\n",
        &[
            "--fail-on",
            "possibly-breaking",
            "base.yaml",
            "enum_value_added.yaml",
        ],
    );
    assert_code(&output, 0, "downgraded rule");
    let output = diff_with_settings(
        "[levels]\nno-such-rule = \"breaking\"\n",
        &["base.yaml", "enum_value_added.yaml"],
    );
    assert_error(
        &output,
        2,
        &["diff.toml", "no-such-rule"],
        "unknown rule in diff.toml",
    );
}

/// The rule reported for deprecating `GET /pets/{id}` without a sunset
/// date (leaving out the versioning rule a breaking change brings), with
/// `settings` as `diff.toml` and `flags` before the files.
fn deprecation_rule(settings: &str, flags: &[&str]) -> String {
    let mut args = vec!["--format", "json"];
    args.extend_from_slice(flags);
    args.extend_from_slice(&["base.yaml", "deprecated_without_sunset.yaml"]);
    let output = diff_with_settings(settings, &args);
    assert_code(&output, 0, "deprecation");
    let report = parse_json(&output);
    let rules: Vec<String> = check_report_shape(&report)[0]
        .get("changes")
        .array()
        .iter()
        .map(|c| c.get("rule").str().to_owned())
        .filter(|rule| rule != "api-version-not-bumped")
        .collect();
    assert_eq!(rules.len(), 1, "{}", describe(&output));
    rules[0].clone()
}

#[test]
fn a_deprecation_policy_makes_a_missing_sunset_breaking() {
    // oasdiff's default: no minimum, so no sunset date is needed.
    assert_eq!(deprecation_rule("", &[]), "endpoint-deprecated");
    let policy = "[deprecation]\nstable_days = 30\n";
    assert_eq!(
        deprecation_rule(policy, &[]),
        "api-deprecated-sunset-missing"
    );
    // The flag overrides the settings file, either way; the operation has
    // no `x-stability-level`, so it counts as stable.
    assert_eq!(
        deprecation_rule(policy, &["--deprecation-days-stable", "0"]),
        "endpoint-deprecated"
    );
    assert_eq!(
        deprecation_rule("", &["--deprecation-days-stable", "7"]),
        "api-deprecated-sunset-missing"
    );
    assert_eq!(
        deprecation_rule("", &["--deprecation-days-beta", "7"]),
        "endpoint-deprecated"
    );
    let output = diff_with_settings(
        "[deprecation]\nstable_days = -1\n",
        &["base.yaml", "deprecated_without_sunset.yaml"],
    );
    assert_error(&output, 2, &["diff.toml", "stable_days"], "negative days");
    let output = diff_with_settings(
        "[deprecation]\nstable = 1\n",
        &["base.yaml", "deprecated_without_sunset.yaml"],
    );
    assert_error(&output, 2, &["diff.toml", "stable"], "unknown key");
}

#[test]
fn fingerprints_are_stable_and_distinct() {
    let first = parse_json(&diff_fixtures(&[
        "--format",
        "json",
        "base.yaml",
        "many_changes.yaml",
    ]));
    let second = parse_json(&diff_fixtures(&[
        "--format",
        "json",
        "base.yaml",
        "many_changes.yaml",
    ]));
    let ids = |report: &Json| -> Vec<String> {
        check_report_shape(report)[0]
            .get("changes")
            .array()
            .iter()
            .map(|c| c.get("id").str().to_owned())
            .collect()
    };
    let (a, b) = (ids(&first), ids(&second));
    assert_eq!(a, b);
    let mut unique = a.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), a.len(), "{a:?}");
    assert!(a.iter().all(|id| id.len() == 16), "{a:?}");
}

#[test]
fn changelog_groups_by_operation_and_junit_fails_at_the_threshold() {
    let output = diff_fixtures(&[
        "--format",
        "changelog",
        "--title",
        "## 1.2.0",
        "base.yaml",
        "many_changes.yaml",
    ]);
    assert_code(&output, 0, "changelog");
    let out = stdout(&output);
    assert!(out.starts_with("## 1.2.0\n"), "{out}");
    assert!(out.contains("### `GET /pets/{id} (getPet)`"), "{out}");
    assert!(
        out.contains("- **Breaking:** `status`: new enum value"),
        "{out}"
    );
    let output = diff_fixtures(&[
        "--format",
        "junit",
        "--fail-on",
        "breaking",
        "base.yaml",
        "many_changes.yaml",
    ]);
    assert_code(&output, 1, "junit with a breaking change");
    let out = stdout(&output);
    assert!(out.starts_with("<?xml"), "{out}");
    assert_eq!(out.matches("<testcase ").count(), 6, "{out}");
    assert!(out.contains("<failure type=\"breaking\""), "{out}");
}

#[test]
fn duplicate_endpoints_are_an_error_naming_both_paths() {
    let dir = fixture_copy();
    let base = std::fs::read_to_string(dir.path().join("base.yaml")).unwrap();
    let dup = base.replacen("paths:\n", "paths:\n  /pets/{other}:\n    get:\n      operationId: other\n      responses:\n        '204':\n          description: none\n", 1);
    std::fs::write(dir.path().join("dup.yaml"), dup).unwrap();
    let output = xtask(dir.path(), &["diff", "base.yaml", "dup.yaml"]);
    assert_error(
        &output,
        3,
        &[
            "dup.yaml",
            "duplicate endpoints",
            "/pets/{other}",
            "/pets/{id}",
        ],
        "duplicate endpoints",
    );
}
