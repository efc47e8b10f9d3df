//! The URL of each request, built from the client's base URL parsed once
//! ([`BaseUrl`]) instead of parsing the whole formatted URL per request.
//!
//! The generated code formats `{base}{path}` and hands it to reqwest, which
//! parses all of it: scheme, host (an IPv4 address is parsed as numbers and
//! written out again), port and path, a few thousand instructions per call.
//! Only the path differs between the calls of a client. When the base URL
//! is already in the form `Url` writes it in, the parse of `{base}{path}`
//! is the base's parse followed by the parse of `{base path}{path}` as a
//! path, which is what `Url::set_path` on a copy of the parsed base does.
//! Anything else takes the full parse, as before.

use reqwest::Url;

/// A base URL parsed once, when a fast copy of it gives the same URL as
/// parsing `{base}{path}` for every path [`BaseUrl::join`] accepts.
#[derive(Debug)]
pub(crate) struct BaseUrl {
    /// The base URL as given, which formatted URLs start with.
    text: String,
    /// `text`, parsed.
    url: Url,
    /// The path `text` ends with (empty when it has none).
    path_len: usize,
}

impl BaseUrl {
    /// `text` parsed, or `None` when it is not one that
    /// [`BaseUrl::join`] reproduces exactly: an `http` or `https` URL in
    /// the form `Url` serializes it in (lower-case scheme and host, no
    /// default port, no dot segments), without user name, password, query
    /// or fragment, and without a trailing `/`.
    pub(crate) fn parse(text: &str) -> Option<BaseUrl> {
        let url = Url::parse(text).ok()?;
        let plain = matches!(url.scheme(), "http" | "https")
            && url.has_host()
            && url.username().is_empty()
            && url.password().is_none()
            && url.query().is_none()
            && url.fragment().is_none()
            && !text.ends_with('/');
        if !plain {
            return None;
        }
        // `Url` writes an empty path as `/`.
        let path_len = if url.as_str() == text {
            url.path().len()
        } else if url.path() == "/" && url.as_str().strip_suffix('/') == Some(text) {
            0
        } else {
            return None;
        };
        Some(BaseUrl {
            text: text.to_owned(),
            url,
            path_len,
        })
    }

    /// The URL `full` parses to, if `full` is this base followed by an
    /// absolute path of plain characters (RFC 3986's unreserved ones,
    /// `%`, `/`, `:`, `@` and the sub-delimiters), which path parsing
    /// neither encodes nor treats specially, apart from dot segments,
    /// which both ways remove alike. Otherwise `None`.
    pub(crate) fn join(&self, full: &str) -> Option<Url> {
        let path = full.strip_prefix(self.text.as_str())?;
        if !path.starts_with('/') || !path.bytes().all(is_plain_path_byte) {
            return None;
        }
        let mut url = self.url.clone();
        // The base's own path, then the request's: the text after the
        // authority in `full`.
        let start = full.len() - path.len() - self.path_len;
        url.set_path(&full[start..]);
        Some(url)
    }
}

/// Whether `byte` may appear in a path as it is: unreserved, `%` (of an
/// escape the generated code wrote), `/`, `:`, `@` or a sub-delimiter.
fn is_plain_path_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric()
        || matches!(
            byte,
            b'-' | b'.'
                | b'_'
                | b'~'
                | b'%'
                | b'/'
                | b':'
                | b'@'
                | b'!'
                | b'$'
                | b'&'
                | b'\''
                | b'('
                | b')'
                | b'*'
                | b'+'
                | b','
                | b';'
                | b'='
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joined_urls_are_those_a_full_parse_gives() {
        let bases = [
            "http://127.0.0.1:8080",
            "https://api.partnercenter.microsoft.com",
            "http://localhost:1/base/v2",
            "http://[::1]:9",
            "https://h/a;b/c%20d",
        ];
        let paths = [
            "/v1/customers/aaaabbbb-0000-cccc-1111-dddd2222eeee",
            "/v1/customers",
            "/",
            "/a/./b/../c",
            "/..",
            "/../../x",
            "/x/%2e%2E/y",
            "/%2e",
            "/a//b/",
            "/$batch:run@x!$&'()*+,;=",
            "/a%2Fb%3F",
        ];
        for base in bases {
            let parsed = BaseUrl::parse(base).unwrap_or_else(|| panic!("{base} is plain"));
            for path in paths {
                let full = format!("{base}{path}");
                let joined = parsed.join(&full).expect("a plain path");
                assert_eq!(joined, Url::parse(&full).unwrap(), "{full}");
                assert_eq!(joined.as_str(), Url::parse(&full).unwrap().as_str());
            }
        }
    }

    #[test]
    fn bases_and_paths_that_parse_otherwise_are_left_to_the_full_parse() {
        for base in [
            "http://h/",
            "http://h/a/",
            "HTTP://h",
            "http://H",
            "http://h:80",
            "http://h/a/../b",
            "http://h/a/%2e",
            "http://u:p@h",
            "http://h?q",
            "http://h#f",
            "ftp://h",
            "http://h/a b",
            "http://h\\a",
            " http://h",
            "not a url",
        ] {
            assert!(BaseUrl::parse(base).is_none(), "{base}");
        }
        let base = BaseUrl::parse("http://h:1").unwrap();
        for full in [
            "http://h:12/x",
            "http://h:1x",
            "http://h:1",
            "http://h:1/a b",
            "http://h:1/a\\b",
            "http://h:1/a?b",
            "http://h:1/a#b",
            "http://h:1/é",
            "http://h:1/a\tb",
            "http://other/x",
        ] {
            assert!(base.join(full).is_none(), "{full}");
        }
    }
}
