//! The comparison of two surfaces, item by item, into graded changes.

use crate::change::{ApiChange, ApiChangeKind, Semver};
use crate::surface::{Entry, Surface, What};

pub(crate) fn diff(before: &Surface, after: &Surface) -> Vec<ApiChange> {
    // Members of an item that became another kind of item (an enum's
    // variants when it became a struct) are covered by that change.
    let replaced = |entry: &Entry| {
        entry.parent.as_ref().is_some_and(
            |p| matches!((before.0.get(p), after.0.get(p)), (Some(b), Some(a)) if b.what != a.what),
        )
    };
    let mut changes = Vec::new();
    for (key, old) in &before.0 {
        if replaced(old) {
            continue;
        }
        match after.0.get(key) {
            None => {
                if parent_missing(old, after) {
                    continue;
                }
                changes.push(ApiChange {
                    item: key.clone(),
                    kind: ApiChangeKind::Removed,
                    semver: Semver::Major,
                    detail: format!("{} removed", old.what.noun()),
                });
            }
            Some(new) => {
                let found = compare(old, new);
                if let Some(semver) = found.iter().map(|(s, _)| *s).max() {
                    let detail = found
                        .into_iter()
                        .map(|(_, d)| d)
                        .collect::<Vec<_>>()
                        .join("; ");
                    changes.push(ApiChange {
                        item: key.clone(),
                        kind: ApiChangeKind::Changed,
                        semver,
                        detail,
                    });
                }
            }
        }
    }
    for (key, new) in &after.0 {
        if before.0.contains_key(key) || parent_missing(new, before) || replaced(new) {
            continue;
        }
        let (semver, detail) = added(new, before);
        changes.push(ApiChange {
            item: key.clone(),
            kind: ApiChangeKind::Added,
            semver,
            detail,
        });
    }
    changes.sort_by(|a, b| (&a.item, a.kind).cmp(&(&b.item, b.kind)));
    changes
}

/// Whether `entry`'s parent is absent from `other`, where the parent's own
/// addition or removal is reported instead.
fn parent_missing(entry: &Entry, other: &Surface) -> bool {
    entry
        .parent
        .as_ref()
        .is_some_and(|p| !other.0.contains_key(p))
}

fn added(new: &Entry, before: &Surface) -> (Semver, String) {
    let parent = new.parent.as_ref().and_then(|p| before.0.get(p));
    match (new.what, parent) {
        (What::Field, Some(owner)) if owner.non_exhaustive || owner.has_private => (
            Semver::Minor,
            "pub field added to a struct that has private fields or is #[non_exhaustive]"
                .to_owned(),
        ),
        (What::Field, _) => (
            Semver::Major,
            "pub field added to a struct whose fields are all public and which is not \
             #[non_exhaustive]: struct literals and exhaustive patterns no longer compile"
                .to_owned(),
        ),
        (What::Variant, Some(owner)) if owner.non_exhaustive => (
            Semver::Minor,
            "variant added to a #[non_exhaustive] enum".to_owned(),
        ),
        (What::Variant, _) => (
            Semver::Major,
            "variant added to an enum that is not #[non_exhaustive]: exhaustive matches no \
             longer compile"
                .to_owned(),
        ),
        (What::TraitItem, _) if new.required => (
            Semver::Major,
            "trait item without a default added: implementations no longer compile".to_owned(),
        ),
        (what, _) => (Semver::Minor, format!("{} added", what.noun())),
    }
}

fn compare(old: &Entry, new: &Entry) -> Vec<(Semver, String)> {
    if old.what != new.what {
        return vec![(
            Semver::Major,
            format!("{} became a {}", old.what.noun(), new.what.noun()),
        )];
    }
    let mut found = Vec::new();
    if old.sig != new.sig {
        let what = if old.what == What::Field {
            "type"
        } else {
            "signature"
        };
        found.push((
            Semver::Major,
            format!("{what} changed from `{}` to `{}`", old.sig, new.sig),
        ));
    }
    match (old.non_exhaustive, new.non_exhaustive) {
        (false, true) => found.push((Semver::Major, "became #[non_exhaustive]".to_owned())),
        (true, false) => found.push((Semver::Minor, "no longer #[non_exhaustive]".to_owned())),
        _ => {}
    }
    if matches!(old.what, What::Struct | What::Union)
        && !old.has_private
        && new.has_private
        && !old.non_exhaustive
    {
        found.push((
            Semver::Major,
            "gained a private field: struct literals no longer compile".to_owned(),
        ));
    }
    if old.what == What::TraitItem {
        match (old.required, new.required) {
            (false, true) => found.push((
                Semver::Major,
                "default removed: implementations must now provide it".to_owned(),
            )),
            (true, false) => found.push((Semver::Minor, "default added".to_owned())),
            _ => {}
        }
    }
    let values_changed = match (&old.accepted, &new.accepted) {
        (Some(old_values), Some(new_values)) if old_values != new_values => {
            let removed: Vec<String> = old_values
                .difference(new_values)
                .map(ToString::to_string)
                .collect();
            let added: Vec<String> = new_values
                .difference(old_values)
                .map(ToString::to_string)
                .collect();
            if !removed.is_empty() {
                found.push((
                    Semver::Major,
                    format!("no longer accepts {}", removed.join(", ")),
                ));
            }
            if !added.is_empty() {
                found.push((
                    Semver::Minor,
                    format!("accepts more values: {}", added.join(", ")),
                ));
            }
            true
        }
        (Some(_), None) => {
            found.push((
                Semver::Minor,
                "accepts more values: no longer checks a list".to_owned(),
            ));
            true
        }
        (None, Some(values)) => {
            let list: Vec<String> = values.iter().map(ToString::to_string).collect();
            found.push((Semver::Major, format!("accepts only {}", list.join(", "))));
            true
        }
        _ => false,
    };
    if !values_changed && found.is_empty() && old.behaviour != new.behaviour {
        found.push((
            Semver::Patch,
            "implementation or attributes changed".to_owned(),
        ));
    }
    found
}
