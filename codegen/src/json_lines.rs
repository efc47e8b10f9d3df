//! Lines of given JSON pointers in JSON text, found in one pass without
//! building an index of every node: annotating a diff of a large JSON
//! document needs the lines of a few hundred elements, not of millions.

use std::collections::{HashMap, HashSet};

/// Scans well-formed JSON `text` (as `serde_json` accepted it) and returns
/// the 1-based line where the value at each pointer of `wanted` starts, for
/// the pointers that exist.
pub fn json_lines(text: &str, wanted: &HashSet<String>) -> HashMap<String, usize> {
    let mut scanner = Scanner {
        bytes: text.as_bytes(),
        at: 0,
        line: 1,
        pointer: String::new(),
        wanted,
        found: HashMap::new(),
    };
    scanner.value();
    scanner.found
}

struct Scanner<'t> {
    bytes: &'t [u8],
    at: usize,
    line: usize,
    pointer: String,
    wanted: &'t HashSet<String>,
    found: HashMap<String, usize>,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn skip_whitespace(&mut self) {
        while let Some(byte) = self.peek() {
            match byte {
                b'\n' => self.line += 1,
                b' ' | b'\t' | b'\r' => {}
                _ => return,
            }
            self.at += 1;
        }
    }

    fn value(&mut self) {
        self.skip_whitespace();
        if self.wanted.contains(&self.pointer) {
            self.found.entry(self.pointer.clone()).or_insert(self.line);
        }
        match self.peek() {
            Some(b'{') => self.object(),
            Some(b'[') => self.array(),
            Some(b'"') => {
                self.string();
            }
            Some(_) => {
                while self
                    .peek()
                    .is_some_and(|b| !matches!(b, b',' | b'}' | b']') && !b.is_ascii_whitespace())
                {
                    self.at += 1;
                }
            }
            None => {}
        }
    }

    /// Skips a string, returning its raw contents (without the quotes).
    fn string(&mut self) -> &[u8] {
        self.at += 1;
        let start = self.at;
        while let Some(byte) = self.peek() {
            match byte {
                b'\\' => self.at += 2,
                b'"' => break,
                _ => self.at += 1,
            }
        }
        let end = self.at.min(self.bytes.len());
        self.at += 1;
        &self.bytes[start..end]
    }

    fn object(&mut self) {
        self.at += 1;
        loop {
            self.skip_whitespace();
            match self.peek() {
                Some(b'"') => {}
                Some(b'}') => {
                    self.at += 1;
                    return;
                }
                _ => return,
            }
            let raw = self.string().to_vec();
            let key = if raw.contains(&b'\\') {
                let quoted = [b"\"".as_slice(), &raw, b"\""].concat();
                serde_json::from_slice::<String>(&quoted).unwrap_or_default()
            } else {
                String::from_utf8_lossy(&raw).into_owned()
            };
            self.skip_whitespace();
            if self.peek() != Some(b':') {
                return;
            }
            self.at += 1;
            let base = self.pointer.len();
            self.pointer.push('/');
            self.pointer
                .push_str(&key.replace('~', "~0").replace('/', "~1"));
            self.value();
            self.pointer.truncate(base);
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b'}') => {
                    self.at += 1;
                    return;
                }
                _ => return,
            }
        }
    }

    fn array(&mut self) {
        self.at += 1;
        let mut index = 0usize;
        loop {
            self.skip_whitespace();
            if self.peek() == Some(b']') {
                self.at += 1;
                return;
            }
            if self.peek().is_none() {
                return;
            }
            let base = self.pointer.len();
            self.pointer.push('/');
            self.pointer.push_str(&index.to_string());
            self.value();
            self.pointer.truncate(base);
            index += 1;
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b']') => {
                    self.at += 1;
                    return;
                }
                _ => return,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::json_lines;

    #[test]
    fn finds_lines_of_wanted_pointers() {
        let text = "{\n  \"a\": {\n    \"b~/c\": [\n      1,\n      {\"d\": \"x\\\"y\"}\n    ]\n  },\n  \"e\": true\n}\n";
        let wanted = ["", "/a", "/a/b~0~1c/1", "/a/b~0~1c/1/d", "/e", "/missing"]
            .into_iter()
            .map(str::to_owned)
            .collect();
        let found = json_lines(text, &wanted);
        assert_eq!(found.get(""), Some(&1));
        assert_eq!(found.get("/a"), Some(&2));
        assert_eq!(found.get("/a/b~0~1c/1"), Some(&5));
        assert_eq!(found.get("/a/b~0~1c/1/d"), Some(&5));
        assert_eq!(found.get("/e"), Some(&8));
        assert_eq!(found.get("/missing"), None);
    }
}
