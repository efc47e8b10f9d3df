//! A page as a list of blocks (headings, tables, lists, code, text), read
//! from either form a vendor page comes in: its markdown source, or the
//! rendered text of the published page, where fences are gone and tables
//! have lost their pipes or are written `a | b |`.
//!
//! Both readers produce the same blocks, so the vendor extractors never see
//! which form a page was in. Every block keeps the 1-based line it starts
//! on, for reports.

use std::path::Path;

/// Which form a page is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Form {
    /// The markdown source (`.md`).
    Markdown,
    /// The text of the published page (`.txt`, e.g. `*.rendered.txt`).
    Rendered,
}

impl Form {
    /// The form a file name implies: `.txt` is rendered text, anything else
    /// markdown.
    pub fn of(path: &Path) -> Form {
        match path.extension().and_then(|e| e.to_str()) {
            Some("txt") => Form::Rendered,
            _ => Form::Markdown,
        }
    }
}

/// A markdown page as the vendor's site publishes it in text: front
/// matter, fences, markup and links gone; headings as plain lines; lists
/// as `- item`; code de-indented; tables written the way each vendor's
/// rendering shows them (AvePoint: cells joined by spaces, where the
/// header is one the reader knows; Partner Center: `a | b |` rows after a
/// `---|---|` line). Tests use it to check that reading the rendered form
/// of a page gives the same facts as its source.
pub fn render_text(markdown: &str, spaced_tables: bool) -> String {
    let mut out = String::new();
    for block in blocks(markdown, Form::Markdown) {
        match block {
            Block::Heading { text, .. } => {
                out.push_str(&text);
                out.push('\n');
            }
            Block::Text { text, .. } => {
                out.push_str(&clean(&text));
                out.push('\n');
            }
            Block::List { items } => {
                for (_, item) in items {
                    out.push_str("- ");
                    out.push_str(&clean(&item));
                    out.push('\n');
                }
            }
            Block::Code { lines } => {
                for (_, line) in lines {
                    out.push_str(line.trim());
                    out.push('\n');
                }
            }
            Block::Table { header, rows, .. } => {
                let words: Vec<&str> = header.iter().map(String::as_str).collect();
                let spaced = spaced_tables && SPACED_HEADERS.contains(&words.as_slice());
                if spaced {
                    out.push_str(&header.join(" "));
                    out.push('\n');
                    for row in rows {
                        let cells: Vec<String> = row.cells.iter().map(|c| clean(c)).collect();
                        out.push_str(&cells.join(" "));
                        out.push('\n');
                    }
                } else {
                    out.push_str(
                        &header
                            .iter()
                            .map(|h| format!("{h} |"))
                            .collect::<Vec<_>>()
                            .join(" "),
                    );
                    out.push('\n');
                    out.push_str(&header.iter().map(|_| "---|").collect::<String>());
                    out.push('\n');
                    for row in rows {
                        let cells: Vec<String> = row
                            .cells
                            .iter()
                            .map(|c| format!("{} |", clean(c)))
                            .collect();
                        out.push_str(&cells.join(" "));
                        out.push('\n');
                    }
                }
            }
        }
        out.push('\n');
    }
    out
}

/// One table row: its cells as written (markup kept) and its line.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Row {
    pub line: usize,
    pub cells: Vec<String>,
}

/// A block of a page.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Block {
    /// A heading, or a line that stands as one (`**Request syntax**`, or a
    /// known section title in rendered text).
    Heading { line: usize, text: String },
    /// A table: its header cells and rows.
    Table {
        line: usize,
        header: Vec<String>,
        rows: Vec<Row>,
    },
    /// List items, each with its line.
    List { items: Vec<(usize, String)> },
    /// A code block (fenced, or recognised in rendered text), each line with
    /// its page line.
    Code { lines: Vec<(usize, String)> },
    /// Any other line.
    Text { line: usize, text: String },
}

/// Reads a page in the given form.
pub(crate) fn blocks(text: &str, form: Form) -> Vec<Block> {
    match form {
        Form::Markdown => markdown(text),
        Form::Rendered => rendered(text),
    }
}

fn markdown(text: &str) -> Vec<Block> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    // Front matter is metadata, never a fact.
    if lines.first().map(|l| l.trim()) == Some("---") {
        if let Some(end) = lines.iter().skip(1).position(|l| l.trim() == "---") {
            i = end + 2;
        }
    }
    while i < lines.len() {
        let raw = lines[i];
        let line = raw.trim();
        let no = i + 1;
        if line.is_empty() {
            i += 1;
            continue;
        }
        if let Some(rest) = line.strip_prefix("```") {
            let _lang = rest.trim();
            let mut body = Vec::new();
            i += 1;
            while i < lines.len() && !lines[i].trim().starts_with("```") {
                body.push((i + 1, lines[i].to_string()));
                i += 1;
            }
            // SDK code (C#, Java, PowerShell) shows the vendor's client
            // libraries, not the HTTP API: it states no fact about requests.
            let sdk = matches!(
                _lang.to_ascii_lowercase().as_str(),
                "csharp"
                    | "cs"
                    | "c#"
                    | "java"
                    | "powershell"
                    | "ps"
                    | "python"
                    | "javascript"
                    | "js"
            );
            if !sdk {
                out.push(Block::Code { lines: body });
            }
            i += 1;
            continue;
        }
        if line.starts_with('#') {
            let text = line.trim_start_matches('#').trim().trim_end_matches('#');
            out.push(Block::Heading {
                line: no,
                text: clean(text),
            });
            i += 1;
            continue;
        }
        if is_bold_heading(line) {
            out.push(Block::Heading {
                line: no,
                text: clean(line),
            });
            i += 1;
            continue;
        }
        if line.starts_with('|') {
            let start = i;
            let mut rows = Vec::new();
            while i < lines.len() && lines[i].trim().starts_with('|') {
                let cells = split_pipes(lines[i].trim());
                if !is_separator(&cells) {
                    rows.push(Row { line: i + 1, cells });
                }
                i += 1;
            }
            push_table(&mut out, start + 1, rows);
            continue;
        }
        if let Some(item) = list_item(line) {
            let mut items = vec![(no, item.to_string())];
            i += 1;
            while i < lines.len() {
                match list_item(lines[i].trim()) {
                    Some(item) => items.push((i + 1, item.to_string())),
                    None if lines[i].trim().is_empty() => {
                        // A blank line inside a list continues it only if
                        // another item follows.
                        let next = lines[i + 1..].iter().position(|l| !l.trim().is_empty());
                        match next {
                            Some(n) if list_item(lines[i + 1 + n].trim()).is_some() => {}
                            _ => break,
                        }
                    }
                    None => break,
                }
                i += 1;
            }
            out.push(Block::List { items });
            continue;
        }
        let text = line.trim_start_matches('>').trim();
        if !text.is_empty() {
            out.push(Block::Text {
                line: no,
                text: text.to_string(),
            });
        }
        i += 1;
    }
    out
}

/// Section titles the rendered form shows as plain lines. Matching is on
/// the lowercased line; captions of sub-tables (`Tenants information:`) are
/// recognised by their colon and the table that follows.
const RENDERED_HEADINGS: &[&str] = &[
    "permission",
    "permissions",
    "request",
    "query parameters",
    "query parameter",
    "url parameters",
    "path parameters",
    "parameters",
    "request body",
    "request body parameters",
    "request parameters",
    "response",
    "request sample",
    "request samples",
    "request body sample",
    "response sample",
    "response samples",
    "prerequisites",
    "gdap roles",
    "important",
    "note",
    "c#",
    "java",
    "powershell",
    "rest request",
    "request syntax",
    "uri parameter",
    "uri parameters",
    "request headers",
    "request example",
    "rest response",
    "response success and error codes",
    "response example",
    "response body",
    "table of contents",
];

fn rendered(text: &str) -> Vec<Block> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let mut title_seen = false;
    while i < lines.len() {
        let line = lines[i].trim();
        let no = i + 1;
        if line.is_empty() {
            i += 1;
            continue;
        }
        let lower = line.to_ascii_lowercase();
        if RENDERED_HEADINGS.contains(&lower.as_str()) {
            out.push(Block::Heading {
                line: no,
                text: line.to_string(),
            });
            i += 1;
            continue;
        }
        if !title_seen {
            // The first line that is not a known section is the title.
            title_seen = true;
            out.push(Block::Heading {
                line: no,
                text: line.to_string(),
            });
            i += 1;
            continue;
        }
        if line.starts_with('{') || line.starts_with('[') && !line.starts_with("[!") {
            let end = json_end(&lines, i);
            let body = (i..end).map(|k| (k + 1, lines[k].to_string())).collect();
            out.push(Block::Code { lines: body });
            i = end;
            continue;
        }
        if is_request_line(line) || is_status_line(line) {
            let mut body = vec![(no, line.to_string())];
            i += 1;
            while i < lines.len() && is_header_line(lines[i].trim()) {
                body.push((i + 1, lines[i].trim().to_string()));
                i += 1;
            }
            // A JSON body follows the headers, after an optional blank line.
            let mut k = i;
            while k < lines.len() && lines[k].trim().is_empty() {
                k += 1;
            }
            if k < lines.len()
                && (lines[k].trim().starts_with('{') || lines[k].trim().starts_with('['))
            {
                let end = json_end(&lines, k);
                body.extend((k..end).map(|n| (n + 1, lines[n].to_string())));
                i = end;
            }
            out.push(Block::Code { lines: body });
            continue;
        }
        if line.starts_with("https://") || line.starts_with("http://") {
            out.push(Block::Code {
                lines: vec![(no, line.to_string())],
            });
            i += 1;
            continue;
        }
        if line.ends_with('|') && line.contains(" | ")
            || line.ends_with('|') && line.matches('|').count() >= 2
        {
            // `a | b |` rows, with a `---|---|` separator after the header.
            let start = i;
            let mut rows = Vec::new();
            while i < lines.len() && lines[i].trim().ends_with('|') {
                let cells = split_pipes(lines[i].trim());
                if !is_separator(&cells) {
                    rows.push(Row { line: i + 1, cells });
                }
                i += 1;
            }
            push_table(&mut out, start + 1, rows);
            continue;
        }
        if let Some(columns) = spaced_header(line) {
            let start = i;
            let mut rows = vec![Row {
                line: no,
                cells: columns.iter().map(|c| c.to_string()).collect(),
            }];
            i += 1;
            while i < lines.len() {
                let row = lines[i].trim();
                if row.is_empty()
                    || RENDERED_HEADINGS.contains(&row.to_ascii_lowercase().as_str())
                    || spaced_header(row).is_some()
                    || row.ends_with(':')
                {
                    break;
                }
                match split_spaced(row, columns) {
                    Some(cells) => rows.push(Row { line: i + 1, cells }),
                    None => break,
                }
                i += 1;
            }
            push_table(&mut out, start + 1, rows);
            continue;
        }
        if let Some(item) = line.strip_prefix("- ") {
            let mut items = vec![(no, item.trim().to_string())];
            i += 1;
            while i < lines.len() {
                match lines[i].trim().strip_prefix("- ") {
                    Some(item) => items.push((i + 1, item.trim().to_string())),
                    None => break,
                }
                i += 1;
            }
            out.push(Block::List { items });
            continue;
        }
        out.push(Block::Text {
            line: no,
            text: line.to_string(),
        });
        i += 1;
    }
    out
}

/// The header rows of tables the rendered form writes without pipes, as
/// their column names. Both vendors' rendered pages use these.
const SPACED_HEADERS: &[&[&str]] = &[
    &["Parameter", "Description", "Type", "Required"],
    &["Parameter", "Description", "Type", "Required?"],
    &["Field", "Description", "Type", "Required"],
    &["Parameter", "Description", "Type"],
    &["Response", "Description", "Type"],
    &["Field", "Description", "Type"],
    &["Property", "Description", "Type"],
    &["Method", "Endpoint", "Description"],
    &["API", "Permission"],
];

fn spaced_header(line: &str) -> Option<&'static [&'static str]> {
    let words: Vec<&str> = line.split_whitespace().collect();
    SPACED_HEADERS
        .iter()
        .copied()
        .find(|h| *h == words.as_slice())
}

/// Splits a pipe-less row by what its columns hold: names, methods, paths,
/// types and yes/no flags are single words; the description is the rest.
fn split_spaced(row: &str, columns: &[&str]) -> Option<Vec<String>> {
    let words: Vec<&str> = row.split_whitespace().collect();
    let description = columns.iter().position(|c| *c == "Description");
    let fixed_before = description.unwrap_or(columns.len());
    let fixed_after = description.map_or(0, |d| columns.len() - d - 1);
    if words.len() < fixed_before + fixed_after {
        return None;
    }
    let mut cells: Vec<String> = words[..fixed_before]
        .iter()
        .map(|w| w.to_string())
        .collect();
    if description.is_some() {
        let middle = &words[fixed_before..words.len() - fixed_after];
        cells.push(middle.join(" "));
        cells.extend(
            words[words.len() - fixed_after..]
                .iter()
                .map(|w| w.to_string()),
        );
    } else if words.len() > fixed_before {
        // No description column: the last column takes what is left.
        let last = cells.len() - 1;
        cells[last] = words[last..].join(" ");
    }
    Some(cells)
}

fn push_table(out: &mut Vec<Block>, line: usize, mut rows: Vec<Row>) {
    if rows.is_empty() {
        return;
    }
    let header = rows.remove(0).cells.iter().map(|c| clean(c)).collect();
    out.push(Block::Table { line, header, rows });
}

/// Where a JSON value that starts on line `start` ends (exclusive): the
/// line where its brackets balance. Strings are tracked per line, since
/// JSON strings never span lines, so one missing quote spoils one line,
/// not the rest of the page.
fn json_end(lines: &[&str], start: usize) -> usize {
    let mut depth = 0i64;
    for (k, line) in lines.iter().enumerate().skip(start) {
        let fixed = crate::repair::missing_key_quote(line);
        let line = fixed.as_deref().unwrap_or(line);
        let mut in_string = false;
        let mut escaped = false;
        let mut prev_slash = false;
        for c in line.chars() {
            if in_string {
                match c {
                    _ if escaped => escaped = false,
                    '\\' => escaped = true,
                    '"' => in_string = false,
                    _ => {}
                }
                continue;
            }
            match c {
                '"' => in_string = true,
                '/' if prev_slash => break,
                '{' | '[' => depth += 1,
                '}' | ']' => depth -= 1,
                _ => {}
            }
            prev_slash = c == '/';
        }
        if depth <= 0 {
            return k + 1;
        }
    }
    lines.len()
}

pub(crate) fn is_request_line(line: &str) -> bool {
    let mut words = line.split_whitespace();
    let method = words.next().unwrap_or("");
    let target = words.next().unwrap_or("");
    matches!(method, "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD")
        && (target.starts_with("http") || target.starts_with('/') || target.starts_with('{'))
}

pub(crate) fn is_status_line(line: &str) -> bool {
    line.starts_with("HTTP/")
        && line
            .split_whitespace()
            .nth(1)
            .is_some_and(|c| c.len() == 3 && c.bytes().all(|b| b.is_ascii_digit()))
}

pub(crate) fn is_header_line(line: &str) -> bool {
    match line.split_once(':') {
        Some((name, _)) => {
            !name.is_empty()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        }
        None => false,
    }
}

fn is_bold_heading(line: &str) -> bool {
    // `**Tenants information:**` and `**Tenant information**:` are
    // captions of the table below, not headings.
    line.len() > 4
        && !line.trim_end_matches('*').ends_with(':')
        && line.starts_with("**")
        && line.ends_with("**")
        && !line[2..line.len() - 2].contains("**")
}

fn list_item(line: &str) -> Option<&str> {
    for marker in ["- ", "* ", "+ "] {
        if let Some(rest) = line.strip_prefix(marker) {
            return Some(rest.trim());
        }
    }
    let digits = line.bytes().take_while(|b| b.is_ascii_digit()).count();
    if digits > 0 && line[digits..].starts_with(". ") {
        return Some(line[digits + 2..].trim());
    }
    None
}

fn split_pipes(line: &str) -> Vec<String> {
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                cell.push('|');
                chars.next();
            }
            '|' => cells.push(std::mem::take(&mut cell)),
            _ => cell.push(c),
        }
    }
    cells.push(cell);
    let mut cells: Vec<String> = cells.into_iter().map(|c| c.trim().to_string()).collect();
    if line.starts_with('|') && !cells.is_empty() {
        cells.remove(0);
    }
    if cells.last().is_some_and(|c| c.is_empty()) {
        cells.pop();
    }
    cells
}

fn is_separator(cells: &[String]) -> bool {
    !cells.is_empty()
        && cells.iter().all(|c| {
            let c = c.trim();
            c.len() >= 2 && c.chars().all(|ch| matches!(ch, '-' | ':' | ' '))
        })
}

/// A cell or heading without markup: links become their text, emphasis,
/// code marks, escapes and HTML tags go. Lists inside a cell become `; `
/// separated text.
pub(crate) fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '<' => {
                // Drop a tag; a list item or line break separates words.
                let mut tag = String::new();
                for t in chars.by_ref() {
                    if t == '>' {
                        break;
                    }
                    tag.push(t);
                }
                let tag = tag.to_ascii_lowercase();
                if tag.starts_with("li") || tag.starts_with("br") {
                    out.push(' ');
                }
            }
            '[' => {
                // `[text](target)` → text; `[text]` stays text.
                let mut inner = String::new();
                let mut depth = 1;
                for t in chars.by_ref() {
                    match t {
                        '[' => depth += 1,
                        ']' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    inner.push(t);
                }
                if chars.peek() == Some(&'(') {
                    for t in chars.by_ref() {
                        if t == ')' {
                            break;
                        }
                    }
                    out.push_str(&clean(&inner));
                } else {
                    // Not a link: `string[]`, `[!NOTE]`.
                    out.push('[');
                    out.push_str(&clean(&inner));
                    out.push(']');
                }
            }
            '*' | '`' => {}
            '\\' => {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            }
            _ => out.push(c),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The link targets in a piece of markdown (`[text](target)`).
pub(crate) fn links(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("](") {
        let after = &rest[at + 2..];
        match after.find(')') {
            Some(end) => {
                out.push(after[..end].trim().to_string());
                rest = &after[end..];
            }
            None => break,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_tables_lists_and_code() {
        let page = "---\ntitle: x\n---\n# Title <span id=\"a\"></span>\n\n| A | B |\n|---|---|\n| `x` | **y** |\n\n- one\n- two\n\n```json\n{\"a\": 1}\n```\n";
        let b = blocks(page, Form::Markdown);
        assert_eq!(
            b[0],
            Block::Heading {
                line: 4,
                text: "Title".into()
            }
        );
        match &b[1] {
            Block::Table { header, rows, line } => {
                assert_eq!(*line, 6);
                assert_eq!(header, &["A", "B"]);
                assert_eq!(rows[0].cells, ["`x`", "**y**"]);
                assert_eq!(rows[0].line, 8);
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(&b[2], Block::List { items } if items.len() == 2));
        assert!(matches!(&b[3], Block::Code { lines } if lines[0] == (14, "{\"a\": 1}".into())));
    }

    #[test]
    fn rendered_spaced_and_piped_tables() {
        let page = "Title\nQuery Parameters\nParameter Description Type Required\nId The id of it. string Yes\n\nRequest syntax\nMethod | Request URI |\n---|---|\nGET | {baseURL}/v1/x HTTP/1.1 |\n";
        let b = blocks(page, Form::Rendered);
        match &b[2] {
            Block::Table { rows, .. } => {
                assert_eq!(rows[0].cells, ["Id", "The id of it.", "string", "Yes"])
            }
            other => panic!("{other:?}"),
        }
        match &b[4] {
            Block::Table { header, rows, .. } => {
                assert_eq!(header, &["Method", "Request URI"]);
                assert_eq!(rows[0].cells, ["GET", "{baseURL}/v1/x HTTP/1.1"]);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn rendered_json_with_a_missing_quote_ends_where_it_balances() {
        let page = "T\nResponse example\nHTTP/1.1 200 OK\nContent-Type: application/json\n{\n\"a\": [\n\"x\"\n],\nb\": [\n\"y\"\n]\n}\nafter\n";
        let b = blocks(page, Form::Rendered);
        match &b[2] {
            Block::Code { lines } => assert_eq!(lines.last().unwrap().1, "}"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(&b[3], Block::Text { text, .. } if text == "after"));
    }

    #[test]
    fn clean_drops_markup() {
        assert_eq!(
            clean("[*{baseURL}*](x.md)/v1/customers **a** `b` c\\_d <br/>e"),
            "{baseURL}/v1/customers a b c_d e"
        );
    }
}
