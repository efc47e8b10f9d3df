//! Headers a caller adds to one request ([`ExtraHeaders`]), behind the
//! `header(name, value)` method of every generated operation builder.

use std::fmt;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::Error;

/// Headers added to one operation call with the builder's
/// `header(name, value)`, beyond the parameters the spec documents (such as
/// `X-Locale`, a tracing header, or Partner Center's `MS-Contract-Version`).
///
/// Names and values are checked when added, but a bad one is reported by
/// the operation's `send()`, as [`Error::InvalidRequest`] naming the header
/// (never its value), so that builder chains stay infallible and nothing
/// panics. Adding the same name twice sends both values.
#[derive(Clone, Default)]
pub struct ExtraHeaders {
    headers: HeaderMap,
    /// Why the first rejected header was rejected.
    invalid: Option<String>,
}

impl ExtraHeaders {
    /// No headers.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the header `name: value`. `name` and `value` are anything
    /// `reqwest`'s header types convert from: `&str`, `String`,
    /// [`HeaderName`] and [`HeaderValue`] among them.
    pub fn add<K, V>(&mut self, name: K, value: V)
    where
        K: TryInto<HeaderName>,
        K::Error: fmt::Display,
        V: TryInto<HeaderValue>,
        V::Error: fmt::Display,
    {
        if self.invalid.is_some() {
            return;
        }
        let name = match name.try_into() {
            Ok(name) => name,
            Err(e) => {
                self.invalid = Some(format!("invalid header name: {e}"));
                return;
            }
        };
        match value.try_into() {
            Ok(value) => {
                self.headers.append(name, value);
            }
            // The value is left out of the message: it may be a credential.
            Err(e) => self.invalid = Some(format!("invalid value for header `{name}`: {e}")),
        }
    }

    /// Whether no header was added (and none was refused).
    pub fn is_empty(&self) -> bool {
        self.headers.is_empty() && self.invalid.is_none()
    }

    /// Puts the headers on `request`, replacing any header of the same name
    /// the operation set itself (such as `Accept`), or fails with the first
    /// header that was refused. The generated `send()` calls this before
    /// the request goes to the runtime, so the headers are sent with every
    /// retry; the client's `Authorization` and the `x-auto-value` headers
    /// the caller did not set are added after it.
    pub fn apply<E>(self, request: &mut reqwest::Request) -> Result<(), Error<E>> {
        if let Some(invalid) = self.invalid {
            return Err(Error::InvalidRequest(invalid));
        }
        // Most calls add none.
        if self.headers.is_empty() {
            return Ok(());
        }
        let target = request.headers_mut();
        for name in self.headers.keys() {
            target.remove(name);
        }
        for (name, value) in &self.headers {
            target.append(name, value.clone());
        }
        Ok(())
    }
}

impl fmt::Debug for ExtraHeaders {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Names only: a value may be a credential.
        f.debug_struct("ExtraHeaders")
            .field("names", &self.headers.keys().collect::<Vec<_>>())
            .field("invalid", &self.invalid)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> reqwest::Request {
        let mut request = reqwest::Request::new(
            reqwest::Method::GET,
            reqwest::Url::parse("http://127.0.0.1/x").unwrap(),
        );
        request
            .headers_mut()
            .insert("accept", HeaderValue::from_static("application/json"));
        request
    }

    #[test]
    fn headers_are_added_and_replace_the_operations_own() {
        let mut extra = ExtraHeaders::new();
        extra.add("X-Locale", "de-DE");
        extra.add("accept", "text/plain");
        extra.add(HeaderName::from_static("x-trace"), String::from("a"));
        extra.add("x-trace", HeaderValue::from_static("b"));
        let mut request = request();
        extra.apply::<()>(&mut request).unwrap();
        let headers = request.headers();
        assert_eq!(headers["x-locale"], "de-DE");
        assert_eq!(headers.get_all("accept").iter().count(), 1);
        assert_eq!(headers["accept"], "text/plain");
        let traces: Vec<_> = headers.get_all("x-trace").iter().collect();
        assert_eq!(traces, ["a", "b"]);
    }

    #[test]
    fn a_bad_name_or_value_is_an_invalid_request_without_the_value() {
        let mut extra = ExtraHeaders::new();
        extra.add("bad name", "v");
        extra.add("x-ok", "v");
        let e = extra.apply::<()>(&mut request()).unwrap_err();
        assert!(
            matches!(&e, Error::InvalidRequest(m) if m.contains("header name")),
            "{e}"
        );

        let mut extra = ExtraHeaders::new();
        extra.add("x-secret", "line\nbreak-sentinel");
        let e = extra.apply::<()>(&mut request()).unwrap_err();
        let shown = format!("{e} {e:?} {extra:?}", extra = ExtraHeaders::new());
        assert!(
            matches!(&e, Error::InvalidRequest(m) if m.contains("`x-secret`")),
            "{e}"
        );
        assert!(!shown.contains("sentinel"), "{shown}");
    }
}
