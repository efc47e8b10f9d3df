//! Media type names as oasdiff compares them: a response media type that
//! was renamed to a related one (`application/json` to
//! `application/problem+json`, or only its parameters changed) is the same
//! content under a new name, not one media type removed and another added.

use std::collections::BTreeMap;

/// A parsed media type name: `type/subtype+suffix; key=value`.
#[derive(Debug, PartialEq, Eq)]
struct Name {
    ty: String,
    subtype: String,
    suffix: Option<String>,
    /// Parameter names are case-insensitive (kept lowercase); values are
    /// compared as written, without quotes.
    parameters: BTreeMap<String, String>,
}

/// Parses a media type name; `None` when it is not `type/subtype` with at
/// most one suffix and well-formed parameters.
fn parse(text: &str) -> Option<Name> {
    let mut parts = text.split(';');
    let essence = parts.next()?.trim().to_ascii_lowercase();
    let (ty, rest) = essence.split_once('/')?;
    if ty.is_empty() || rest.is_empty() || rest.contains('/') {
        return None;
    }
    let (subtype, suffix) = match rest.split_once('+') {
        None => (rest.to_owned(), None),
        Some((_, suffix)) if suffix.is_empty() || suffix.contains('+') => return None,
        Some((subtype, suffix)) => (subtype.to_owned(), Some(suffix.to_owned())),
    };
    let mut parameters = BTreeMap::new();
    for parameter in parts {
        let parameter = parameter.trim();
        if parameter.is_empty() {
            continue;
        }
        let (key, value) = parameter.split_once('=')?;
        let value = value.trim();
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .unwrap_or(value);
        parameters.insert(key.trim().to_ascii_lowercase(), value.to_owned());
    }
    Some(Name {
        ty: ty.to_owned(),
        subtype,
        suffix,
        parameters,
    })
}

/// Whether `to` is `from` or a refinement of it, ignoring parameters: the
/// same type, subtype and suffix, or `from` without a suffix and `to`
/// suffixed with `from`'s subtype (`application/json` contains
/// `application/problem+json`).
fn contains(from: &Name, to: &Name) -> bool {
    if from.ty != to.ty {
        return false;
    }
    if from.suffix.is_none() && to.suffix.as_deref() == Some(from.subtype.as_str()) {
        return true;
    }
    from.subtype == to.subtype && from.suffix == to.suffix
}

/// Whether two media type names are related (one contains the other), so
/// that a change from one to the other is a rename.
pub(super) fn related(a: &str, b: &str) -> bool {
    match (parse(a), parse(b)) {
        (Some(x), Some(y)) => contains(&x, &y) || contains(&y, &x),
        _ => false,
    }
}

/// How a response media type was renamed, in oasdiff's terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Rename {
    /// Its parameters changed.
    Changed,
    /// The new name is more specific (the client gets what it expected).
    Specialized,
    /// The new name is more general (the client may get what it did not
    /// expect).
    Generalized,
}

/// Classifies the rename of a related media type from `old` to `new`.
pub(super) fn rename(old: &str, new: &str) -> Rename {
    let (Some(x), Some(y)) = (parse(old), parse(new)) else {
        return Rename::Changed;
    };
    if x.parameters != y.parameters {
        Rename::Changed
    } else if contains(&x, &y) {
        Rename::Specialized
    } else {
        Rename::Generalized
    }
}

#[cfg(test)]
mod tests {
    use super::{related, rename, Rename};

    #[test]
    fn renames() {
        assert!(related("application/json", "application/problem+json"));
        assert!(related("application/problem+json", "application/json"));
        assert!(related(
            "application/json",
            "application/json; charset=utf-8"
        ));
        assert!(!related("application/json", "application/xml"));
        assert!(!related("application/json", "text/json"));
        assert!(!related("application/a+b+json", "application/json"));
        assert_eq!(
            rename("application/json", "application/problem+json"),
            Rename::Specialized
        );
        assert_eq!(
            rename("application/problem+json", "application/json"),
            Rename::Generalized
        );
        assert_eq!(
            rename("application/json", "application/json;charset=UTF-8"),
            Rename::Changed
        );
        assert_eq!(
            rename(
                "application/json;charset=utf-8",
                "APPLICATION/JSON; charset=utf-8"
            ),
            Rename::Specialized
        );
    }
}
