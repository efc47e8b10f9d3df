//! Samples as JSON values. The pages' samples are JSON with `//` comments
//! (AvePoint) and, now and then, broken JSON (the newest Partner Center
//! "get a customer by ID" sample lacks the opening quote of a key). The
//! known breakage is repaired, and every repair is reported with its line.

use serde_json::Value;

use crate::facts::Problem;

/// A sample body: the value, the repairs made, or why it does not parse.
pub(crate) fn parse(lines: &[(usize, String)]) -> Result<(Value, Vec<Problem>), Problem> {
    let mut repairs = Vec::new();
    let mut text = String::new();
    let mut line_of = Vec::new();
    for (no, line) in lines {
        let mut line = strip_comment(line);
        if line.contains('\u{a0}') {
            // Non-breaking spaces as indentation (older Partner Center
            // pages) are not JSON whitespace.
            line = nbsp_outside_strings(&line);
            repairs.push(Problem {
                line: *no,
                message: "non-breaking spaces outside strings; made them spaces".to_string(),
            });
        }
        if let Some(fixed) = missing_key_quote(&line) {
            repairs.push(Problem {
                line: *no,
                message: "a key lacked its opening quote; added it".to_string(),
            });
            line = fixed;
        }
        if let Some(fixed) = bare_key(&line) {
            repairs.push(Problem {
                line: *no,
                message: "a key had no quotes; added them".to_string(),
            });
            line = fixed;
        }
        if let Some(fixed) = capitalised_literal(&line) {
            repairs.push(Problem {
                line: *no,
                message: "a capitalised literal (`Null`, `True`, `False`); lowercased it"
                    .to_string(),
            });
            line = fixed;
        }
        text.push_str(&line);
        text.push('\n');
        line_of.push(*no);
    }
    let text = drop_trailing_commas(&text, &mut repairs, &line_of);
    match serde_json::from_str::<Value>(&text) {
        Ok(value) => Ok((value, repairs)),
        Err(e) => {
            let line = line_of
                .get(e.line().saturating_sub(1))
                .copied()
                .or(lines.first().map(|l| l.0))
                .unwrap_or(0);
            Err(Problem {
                line,
                message: format!("sample is not JSON: {e}"),
            })
        }
    }
}

/// The line without a `//` comment outside strings.
fn strip_comment(line: &str) -> String {
    let mut in_string = false;
    let mut escaped = false;
    let bytes = line.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'/' if bytes.get(i + 1) == Some(&b'/') => return line[..i].trim_end().to_string(),
            _ => {}
        }
    }
    line.to_string()
}

fn nbsp_outside_strings(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut in_string = false;
    let mut escaped = false;
    for c in line.chars() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            out.push(c);
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '\u{a0}' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// `name": value` → `"name": value`, when a line starts with a bare word
/// followed by a quote and a colon.
pub(crate) fn missing_key_quote(line: &str) -> Option<String> {
    let trimmed = line.trim_start();
    let indent = &line[..line.len() - trimmed.len()];
    let word = trimmed
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'@' || *b == b'.')
        .count();
    if word > 0 && trimmed[word..].starts_with("\":") {
        Some(format!("{indent}\"{trimmed}"))
    } else {
        None
    }
}

/// `password: "x"` → `"password": "x"`: a bare word key at the start of
/// a line.
fn bare_key(line: &str) -> Option<String> {
    let trimmed = line.trim_start();
    let indent = &line[..line.len() - trimmed.len()];
    let word = trimmed
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
        .count();
    let rest = trimmed[word..].trim_start();
    (word > 0 && !trimmed.as_bytes()[0].is_ascii_digit() && rest.starts_with(':'))
        .then(|| format!("{indent}\"{}\"{}", &trimmed[..word], &trimmed[word..]))
}

/// `Null`, `True`, `False` (and all-caps forms) as values → JSON literals.
fn capitalised_literal(line: &str) -> Option<String> {
    let (head, value) = match line.rfind("\": ") {
        Some(i) => line.split_at(i + 3),
        None => ("", line),
    };
    let trimmed = value.trim_start();
    let word_len = trimmed
        .bytes()
        .take_while(|b| b.is_ascii_alphabetic())
        .count();
    let word = &trimmed[..word_len];
    let lower = match word {
        "Null" | "NULL" => "null",
        "True" | "TRUE" => "true",
        "False" | "FALSE" => "false",
        _ => return None,
    };
    let rest = &trimmed[word_len..];
    if !rest.trim().is_empty() && !rest.trim_start().starts_with([',', '}', ']']) {
        return None;
    }
    let pad = &value[..value.len() - trimmed.len()];
    Some(format!("{head}{pad}{lower}{rest}"))
}

/// Removes commas before a closing bracket, outside strings.
fn drop_trailing_commas(text: &str, repairs: &mut Vec<Problem>, line_of: &[usize]) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut in_string = false;
    let mut escaped = false;
    let mut line = 0;
    for (i, &c) in chars.iter().enumerate() {
        if c == '\n' {
            line += 1;
            in_string = false;
        }
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            out.push(c);
            continue;
        }
        if c == '"' {
            in_string = true;
        }
        if c == ',' {
            let next = chars[i + 1..].iter().find(|c| !c.is_whitespace());
            if matches!(next, Some('}') | Some(']')) {
                repairs.push(Problem {
                    line: line_of.get(line).copied().unwrap_or(0),
                    message: "a trailing comma; removed it".to_string(),
                });
                continue;
            }
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<(usize, String)> {
        text.lines()
            .enumerate()
            .map(|(i, l)| (i + 1, l.to_string()))
            .collect()
    }

    #[test]
    fn comments_and_masked_ids_and_urls() {
        let (v, repairs) = parse(&lines(
            "{\n\"a\": \"https://x/y\", // c\n\"id\": \"03f7****-//\"\n}",
        ))
        .unwrap();
        assert_eq!(v["a"], "https://x/y");
        assert_eq!(v["id"], "03f7****-//");
        assert!(repairs.is_empty());
    }

    #[test]
    fn the_missing_quote_is_repaired_and_reported() {
        let (v, repairs) = parse(&lines("{\n\"a\": [],\ntags\": [\n\"x\"\n],\n}")).unwrap();
        assert_eq!(v["tags"][0], "x");
        assert_eq!(repairs.len(), 2);
        assert_eq!(repairs[0].line, 3);
    }

    #[test]
    fn bare_keys_and_capitalised_literals() {
        let (v, repairs) = parse(&lines(
            "{\n  password: \"a:b\",\n  \"IsDefault\": Null,\n  \"x\": True\n}",
        ))
        .unwrap();
        assert_eq!(v["password"], "a:b");
        assert!(v["IsDefault"].is_null());
        assert_eq!(v["x"], true);
        assert_eq!(repairs.len(), 3);
    }

    #[test]
    fn unparseable_names_its_line() {
        let err = parse(&lines("{\n\"a\": 1\n\"b\": 2\n}")).unwrap_err();
        assert_eq!(err.line, 3);
    }
}
