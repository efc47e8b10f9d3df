//! Compositions: the members of `oneOf`, `anyOf` and `allOf`, matched
//! across the two documents (by the component a `$ref` names, then by
//! equal content, then by `title`, then in order), so that a change inside
//! a branch is reported at the property it concerns and a branch added or
//! removed is reported as such; and discriminators.

use std::collections::BTreeSet;

use serde_json::Value;

use super::engine::Differ;
use super::rules;
use super::schemas::{dir_word, Pick, Rel};
use super::{Direction, Side};
use crate::error::JsonPointer;
use crate::semver::Semver;
use crate::walk::deref;

/// The composition keywords and how rule ids name them.
const KEYWORDS: [(&str, &str); 3] = [
    ("oneOf", "one-of"),
    ("anyOf", "any-of"),
    ("allOf", "all-of"),
];

/// How a member is shown in messages: the component it names, or its
/// title, or its position.
fn label(member: &Value, index: usize) -> String {
    if let Some(r) = member.get("$ref").and_then(Value::as_str) {
        return r.rsplit('/').next().unwrap_or(r).to_owned();
    }
    if let Some(t) = member.get("title").and_then(Value::as_str) {
        return t.to_owned();
    }
    format!("#{index}")
}

/// Keywords that describe a schema without constraining its values: a
/// schema made only of these accepts everything, as `{}` does (oasdiff's
/// "annotation-only" subschemas).
const ANNOTATIONS: [&str; 7] = [
    "title",
    "description",
    "default",
    "example",
    "examples",
    "externalDocs",
    "$comment",
];

/// Whether `member` (a `$ref` followed in `root`) holds only annotation
/// keywords, so that adding it to or removing it from an `allOf` changes
/// no value's validity. An extension counts as a constraint, as in oasdiff.
fn is_annotation_only(root: &Value, member: &Value) -> bool {
    deref(root, member, JsonPointer::root())
        .and_then(|(schema, _)| schema.as_object())
        .is_some_and(|schema| schema.keys().all(|k| ANNOTATIONS.contains(&k.as_str())))
}

/// The rule, SemVer level and wording for an `allOf` member added or
/// removed (`change` is `added` or `removed`), by whether it only
/// annotates: such a member adds no field or constraint to the generated
/// type, so the crate is unchanged.
fn member_change(
    dir: Direction,
    name: &str,
    change: &str,
    annotation_only: bool,
) -> (Pick, Semver, &'static str) {
    if annotation_only {
        let rule = Pick::schema(dir, &format!("{name}-{change}-annotation-only"));
        (rule, Semver::Patch, "annotation-only ")
    } else {
        // A variant of the generated enum (or a flattened member of the
        // struct) is added or gone.
        (
            Pick::schema(dir, &format!("{name}-{change}")),
            Semver::Major,
            "",
        )
    }
}

/// Pairs the members of two lists: `(Some(i), Some(j))` for a match,
/// `(Some(i), None)` for a member only the base has, `(None, Some(j))` for
/// one only the revision has.
fn match_members(xa: &[Value], xb: &[Value]) -> Vec<(Option<usize>, Option<usize>)> {
    let mut pairs = Vec::new();
    let mut used_a = BTreeSet::new();
    let mut used_b = BTreeSet::new();
    type Key<'k> = &'k dyn Fn(&Value) -> Option<String>;
    let key_passes: [Key<'_>; 3] = [
        &|v| v.get("$ref").and_then(Value::as_str).map(str::to_owned),
        &|v| (v.get("$ref").is_none()).then(|| v.to_string()),
        &|v| {
            (v.get("$ref").is_none())
                .then(|| v.get("title").and_then(Value::as_str).map(str::to_owned))
                .flatten()
        },
    ];
    for key in key_passes {
        for (i, a) in xa.iter().enumerate() {
            if used_a.contains(&i) {
                continue;
            }
            let Some(ka) = key(a) else { continue };
            if let Some(j) =
                (0..xb.len()).find(|j| !used_b.contains(j) && key(&xb[*j]).as_ref() == Some(&ka))
            {
                used_a.insert(i);
                used_b.insert(j);
                pairs.push((Some(i), Some(j)));
            }
        }
    }
    // What is left: inline members in order, then the rest added or removed.
    let left_a: Vec<usize> = (0..xa.len()).filter(|i| !used_a.contains(i)).collect();
    let left_b: Vec<usize> = (0..xb.len()).filter(|j| !used_b.contains(j)).collect();
    let inline = |v: &Value| v.get("$ref").is_none();
    let mut rest_b: Vec<usize> = left_b.clone();
    for i in left_a {
        match rest_b
            .iter()
            .position(|j| inline(&xa[i]) && inline(&xb[*j]))
        {
            Some(at) => pairs.push((Some(i), Some(rest_b.remove(at)))),
            None => pairs.push((Some(i), None)),
        }
    }
    pairs.extend(rest_b.into_iter().map(|j| (None, Some(j))));
    pairs
}

impl<'a> Differ<'a> {
    /// When `b` wraps the object `a` in a `oneOf` (oasdiff's "wrapped in
    /// oneOf": `a` has properties and no `oneOf`; `b` has a `oneOf` and no
    /// type or properties of its own, and some alternative has one of `a`'s
    /// properties), the names of `a`'s properties that moved into an
    /// alternative; they were not removed.
    pub(super) fn one_of_wrapping(&self, a: &Value, b: &Value) -> Option<BTreeSet<String>> {
        let pa = a.get("properties").and_then(Value::as_object)?;
        let alternatives = b.get("oneOf").and_then(Value::as_array)?;
        let b_has_properties = b
            .get("properties")
            .and_then(Value::as_object)
            .is_some_and(|p| !p.is_empty());
        if pa.is_empty()
            || a.get("oneOf").is_some()
            || alternatives.is_empty()
            || b_has_properties
            || b.get("type").is_some()
        {
            return None;
        }
        let moved: BTreeSet<String> = pa
            .keys()
            .filter(|name| {
                alternatives.iter().any(|alt| {
                    deref(self.rev, alt, JsonPointer::root())
                        .and_then(|(alt, _)| alt.get("properties")?.as_object())
                        .is_some_and(|p| p.contains_key(name.as_str()))
                })
            })
            .cloned()
            .collect();
        (!moved.is_empty()).then_some(moved)
    }

    /// Compares the compositions and discriminators of two schemas.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn compositions(
        &mut self,
        dir: Direction,
        a: &'a Value,
        a_ptr: &JsonPointer,
        b: &'a Value,
        b_ptr: &JsonPointer,
        prop: &str,
        out: &mut Vec<Rel>,
    ) {
        for (keyword, name) in KEYWORDS {
            let (xa, xb) = (
                a.get(keyword).and_then(Value::as_array),
                b.get(keyword).and_then(Value::as_array),
            );
            let (xa, xb) = match (xa, xb) {
                (None, None) => continue,
                (Some(xa), Some(xb)) => (xa.as_slice(), xb.as_slice()),
                // An object whose properties moved into the alternatives
                // of a new `oneOf`: oasdiff's "wrapped in oneOf". The body
                // has its own rule; below it, oasdiff reports the new
                // alternatives as added.
                (None, Some(_)) if keyword == "oneOf" && self.one_of_wrapping(a, b).is_some() => {
                    let d = dir_word(dir);
                    out.push(Rel {
                        rule: Pick::new(
                            rules::find(&format!("{d}-body-wrapped-in-one-of")),
                            rules::find(&format!("{d}-property-one-of-added")),
                        ),
                        pointer: b_ptr.join(keyword),
                        side: Side::Revision,
                        // A struct becomes an enum of the alternatives.
                        semver: Semver::Major,
                        prop: prop.to_owned(),
                        detail: "its properties moved into the alternatives of a new `oneOf`"
                            .to_owned(),
                    });
                    continue;
                }
                // A composition appearing or going away around a schema
                // changes the schema's shape as a whole.
                (None, Some(_)) | (Some(_), None) => {
                    out.push(Rel {
                        rule: Pick::schema(dir, "type-changed"),
                        pointer: b_ptr.clone(),
                        side: Side::Revision,
                        semver: Semver::Major,
                        prop: prop.to_owned(),
                        detail: format!("the `{keyword}` alternatives changed"),
                    });
                    continue;
                }
            };
            for pair in match_members(xa, xb) {
                match pair {
                    (Some(i), Some(j)) => self.schema(
                        dir,
                        &xa[i],
                        a_ptr.join(keyword).join(i),
                        &xb[j],
                        b_ptr.join(keyword).join(j),
                        prop,
                        out,
                    ),
                    (Some(i), None) => {
                        let annotation_only =
                            keyword == "allOf" && is_annotation_only(self.base, &xa[i]);
                        let (rule, semver, what) =
                            member_change(dir, name, "removed", annotation_only);
                        out.push(Rel {
                            rule,
                            pointer: a_ptr.join(keyword).join(i),
                            side: Side::Base,
                            semver,
                            prop: prop.to_owned(),
                            detail: format!(
                                "{what}`{keyword}` member `{}` removed",
                                label(&xa[i], i)
                            ),
                        });
                    }
                    (None, Some(j)) => {
                        let annotation_only =
                            keyword == "allOf" && is_annotation_only(self.rev, &xb[j]);
                        let (rule, semver, what) =
                            member_change(dir, name, "added", annotation_only);
                        out.push(Rel {
                            rule,
                            pointer: b_ptr.join(keyword).join(j),
                            side: Side::Revision,
                            semver,
                            prop: prop.to_owned(),
                            detail: format!(
                                "{what}`{keyword}` member `{}` added",
                                label(&xb[j], j)
                            ),
                        });
                    }
                    (None, None) => {}
                }
            }
        }
        self.discriminator(dir, a, a_ptr, b, b_ptr, prop, out);
    }

    /// Compares the discriminators of two schemas.
    #[allow(clippy::too_many_arguments)]
    fn discriminator(
        &mut self,
        dir: Direction,
        a: &Value,
        a_ptr: &JsonPointer,
        b: &Value,
        b_ptr: &JsonPointer,
        prop: &str,
        out: &mut Vec<Rel>,
    ) {
        let mut push = |kind: &str, pointer: JsonPointer, side: Side, detail: String| {
            out.push(Rel {
                rule: Pick::schema(dir, &format!("discriminator-{kind}")),
                pointer,
                side,
                semver: Semver::Patch,
                prop: prop.to_owned(),
                detail,
            });
        };
        let (da, db) = (a.get("discriminator"), b.get("discriminator"));
        let (da, db) = match (da, db) {
            (None, None) => return,
            (None, Some(_)) => {
                return push(
                    "added",
                    b_ptr.join("discriminator"),
                    Side::Revision,
                    "got a discriminator".into(),
                )
            }
            (Some(_), None) => {
                return push(
                    "removed",
                    a_ptr.join("discriminator"),
                    Side::Base,
                    "lost its discriminator".into(),
                )
            }
            (Some(da), Some(db)) => (da, db),
        };
        let name = |d: &Value| {
            d.get("propertyName")
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        if name(da) != name(db) {
            push(
                "property-name-changed",
                b_ptr.join("discriminator").join("propertyName"),
                Side::Revision,
                format!(
                    "discriminator property changed from `{}` to `{}`",
                    name(da).unwrap_or_default(),
                    name(db).unwrap_or_default()
                ),
            );
        }
        let empty = serde_json::Map::new();
        let ma = da
            .get("mapping")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let mb = db
            .get("mapping")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let mapping_ptr = |p: &JsonPointer| p.join("discriminator").join("mapping");
        for (key, target) in mb {
            match ma.get(key) {
                None => push(
                    "mapping-added",
                    mapping_ptr(b_ptr).join(key),
                    Side::Revision,
                    format!("discriminator mapping got the value `{key}`"),
                ),
                Some(old) if old != target => push(
                    "mapping-changed",
                    mapping_ptr(b_ptr).join(key),
                    Side::Revision,
                    format!("discriminator value `{key}` now maps to {target} instead of {old}"),
                ),
                Some(_) => {}
            }
        }
        for key in ma.keys().filter(|k| !mb.contains_key(*k)) {
            push(
                "mapping-deleted",
                mapping_ptr(a_ptr).join(key),
                Side::Base,
                format!("discriminator mapping lost the value `{key}`"),
            );
        }
    }
}
