//! Request and response bodies: a body added, removed or made required,
//! response statuses, media types (a response's renamed to a related one,
//! see [`super::media_names`]), and the body schemas, whose changes are
//! reported with the property path they were found at.

use serde_json::Value;

use super::engine::{is_true, Differ};
use super::media_names::{self, Rename};
use super::rules;
use super::schemas::{Pick, Rel, Typing};
use super::{Direction, OperationRef, Side};
use crate::error::JsonPointer;
use crate::responses::ResponseKind;
use crate::semver::Semver;
use crate::walk::{deref, entries, Operation};

/// The rules for a response status added and removed: oasdiff counts
/// 200 to 299 as success and every other code as non-success, and has no
/// rule for `default` (this differ has its own).
fn status_rules(status: &str) -> (&'static rules::Rule, &'static rules::Rule) {
    if status == "default" {
        (
            &rules::RESPONSE_DEFAULT_ADDED,
            &rules::RESPONSE_DEFAULT_REMOVED,
        )
    } else if status == "2XX" || status.parse::<u16>().is_ok_and(|s| (200..300).contains(&s)) {
        (
            &rules::RESPONSE_SUCCESS_STATUS_ADDED,
            &rules::RESPONSE_SUCCESS_STATUS_REMOVED,
        )
    } else {
        (
            &rules::RESPONSE_NON_SUCCESS_STATUS_ADDED,
            &rules::RESPONSE_NON_SUCCESS_STATUS_REMOVED,
        )
    }
}

/// Whether the generator counts a status as a success (it decides which of
/// the method's types a response belongs to).
fn is_success(status: &str) -> bool {
    status == "default"
        || status == "2XX"
        || status == "101"
        || status.parse::<u16>().is_ok_and(|s| (200..300).contains(&s))
}

/// Whether a media type carries JSON, which the generator types.
fn is_json(media_type: &str) -> bool {
    crate::media::is_json(media_type)
}

/// What holds the media types being compared, which decides the rules
/// and the wording of messages.
#[derive(Debug, Clone, Copy)]
enum Holder<'s> {
    /// The request body.
    RequestBody,
    /// The response of this status.
    Response(&'s str),
}

/// The rules for a holder's media types.
struct ContentRules {
    added: &'static rules::Rule,
    removed: &'static rules::Rule,
    schema_added: &'static rules::Rule,
    schema_removed: &'static rules::Rule,
}

impl Holder<'_> {
    fn direction(self) -> Direction {
        match self {
            Holder::RequestBody => Direction::Request,
            Holder::Response(_) => Direction::Response,
        }
    }

    fn rules(self) -> ContentRules {
        match self {
            Holder::RequestBody => ContentRules {
                added: &rules::REQUEST_BODY_MEDIA_TYPE_ADDED,
                removed: &rules::REQUEST_BODY_MEDIA_TYPE_REMOVED,
                schema_added: &rules::REQUEST_BODY_MEDIA_TYPE_SCHEMA_ADDED,
                schema_removed: &rules::REQUEST_BODY_MEDIA_TYPE_SCHEMA_REMOVED,
            },
            Holder::Response(_) => ContentRules {
                added: &rules::RESPONSE_MEDIA_TYPE_ADDED,
                removed: &rules::RESPONSE_MEDIA_TYPE_REMOVED,
                schema_added: &rules::RESPONSE_BODY_MEDIA_TYPE_SCHEMA_ADDED,
                schema_removed: &rules::RESPONSE_BODY_MEDIA_TYPE_SCHEMA_REMOVED,
            },
        }
    }

    /// Whether the generated code's type for content of `media_type` here
    /// follows its schema: JSON and form request bodies
    /// (`media::request_sent` sends the rest as text or bytes) and
    /// `application/json` responses (progenitor hands other responses over
    /// as a byte stream).
    fn typed_by_generator(self, media_type: &str) -> bool {
        match self {
            Holder::RequestBody => is_json(media_type) || crate::media::is_form(media_type),
            Holder::Response(_) => crate::media::progenitor_decodes_json(media_type),
        }
    }

    /// Where a body change is, at the end of its message.
    fn place(self) -> String {
        match self {
            Holder::RequestBody => "the request body".to_owned(),
            Holder::Response(status) => format!("the response `{status}`"),
        }
    }

    /// The holder as the owner of a media type, for messages.
    fn owner(self) -> String {
        match self {
            Holder::RequestBody => "the request body's".to_owned(),
            Holder::Response(status) => format!("response `{status}`"),
        }
    }

    fn media_type_added(self, mt: &str) -> String {
        match self {
            Holder::RequestBody => format!("the request body accepts `{mt}`"),
            Holder::Response(status) => format!("response `{status}` has new `{mt}` content"),
        }
    }

    fn media_type_removed(self, mt: &str) -> String {
        match self {
            Holder::RequestBody => format!("the request body no longer accepts `{mt}`"),
            Holder::Response(status) => {
                format!("response `{status}` no longer has `{mt}` content")
            }
        }
    }
}

impl<'a> Differ<'a> {
    /// Compares the request bodies of an operation present in both documents.
    pub(super) fn request_body(&mut self, a: &Operation<'a>, b: &Operation<'a>, r: &OperationRef) {
        let dir = Direction::Request;
        match (a.request_body(self.base), b.request_body(self.rev)) {
            (None, None) => {}
            (None, Some((body, ptr))) => {
                if is_true(body, "required") {
                    self.emit(
                        &rules::REQUEST_BODY_ADDED_REQUIRED,
                        Some(r),
                        dir,
                        &ptr,
                        Side::Revision,
                        Semver::Major,
                        "added a required request body".to_owned(),
                    );
                } else {
                    self.emit(
                        &rules::REQUEST_BODY_ADDED_OPTIONAL,
                        Some(r),
                        dir,
                        &ptr,
                        Side::Revision,
                        Semver::Minor,
                        "added an optional request body (a new builder method)".to_owned(),
                    );
                }
            }
            (Some((_, ptr)), None) => {
                self.emit(
                    &rules::REQUEST_BODY_REMOVED,
                    Some(r),
                    dir,
                    &ptr,
                    Side::Base,
                    Semver::Major,
                    "removed the request body (its builder method is gone)".to_owned(),
                );
            }
            (Some((ba, pa)), Some((bb, pb))) => {
                match (is_true(ba, "required"), is_true(bb, "required")) {
                    (false, true) => self.emit(
                        &rules::REQUEST_BODY_BECAME_REQUIRED,
                        Some(r),
                        dir,
                        &pb.join("required"),
                        Side::Revision,
                        Semver::Major,
                        "the request body became required".to_owned(),
                    ),
                    (true, false) => self.emit(
                        &rules::REQUEST_BODY_BECAME_OPTIONAL,
                        Some(r),
                        dir,
                        &pb,
                        Side::Revision,
                        Semver::Minor,
                        "the request body became optional".to_owned(),
                    ),
                    _ => {}
                }
                self.contents(Holder::RequestBody, (ba, &pa), (bb, &pb), Semver::Patch, r);
            }
        }
    }

    // ------------------------------------------------------------- responses

    /// Compares the responses of an operation present in both documents.
    pub(super) fn responses(&mut self, a: &Operation<'a>, b: &Operation<'a>, r: &OperationRef) {
        let dir = Direction::Response;
        let ra = entries(self.base, a.value, "responses", &a.ptr);
        let rb = entries(self.rev, b.value, "responses", &b.ptr);
        // The generated method's success and error types, as the generator
        // maps the responses (`crate::responses`).
        let (success_a, error_a) = class_shapes(&ra);
        let (success_b, error_b) = class_shapes(&rb);
        let success_semver = success_a.semver_to(&success_b);
        let error_semver = error_a.semver_to(&error_b);

        for (status, _, ptr) in &ra {
            if rb.iter().any(|(s, ..)| s == status) {
                continue;
            }
            let rule = status_rules(status).1;
            let semver = if is_success(status) {
                success_semver
            } else {
                error_semver
            };
            self.emit(
                rule,
                Some(r),
                dir,
                ptr,
                Side::Base,
                semver,
                format!("removed the response status `{status}`"),
            );
        }
        for (status, _, ptr) in &rb {
            if ra.iter().any(|(s, ..)| s == status) {
                continue;
            }
            let rule = status_rules(status).0;
            let semver = if is_success(status) {
                success_semver
            } else {
                error_semver
            };
            self.emit(
                rule,
                Some(r),
                dir,
                ptr,
                Side::Revision,
                semver,
                format!("added the response status `{status}`"),
            );
        }
        for (status, resp_a, ptr_a) in &ra {
            let Some((_, resp_b, ptr_b)) = rb.iter().find(|(s, ..)| s == status) else {
                continue;
            };
            let semver = if is_success(status) {
                success_semver
            } else {
                error_semver
            };
            self.response_headers(status, (resp_a, ptr_a), (resp_b, ptr_b), r);
            self.contents(
                Holder::Response(status),
                (resp_a, ptr_a),
                (resp_b, ptr_b),
                semver,
                r,
            );
        }
    }

    /// Compares the `content` of a request body or a response present in
    /// both documents: media types added and removed (a JSON one changes
    /// the generated type, which is major; another one is `untyped_semver`),
    /// a response media type renamed to a related one, a schema added to or
    /// removed from a media type, and the schemas of the media types both
    /// have.
    fn contents(
        &mut self,
        holder: Holder<'_>,
        (a, a_ptr): (&'a Value, &JsonPointer),
        (b, b_ptr): (&'a Value, &JsonPointer),
        untyped_semver: Semver,
        r: &OperationRef,
    ) {
        let dir = holder.direction();
        let ca = entries(self.base, a, "content", a_ptr);
        let cb = entries(self.rev, b, "content", b_ptr);
        let semver_of = |mt: &str| {
            if is_json(mt) {
                Semver::Major
            } else {
                untyped_semver
            }
        };
        // Media types of both documents, by index: first those of the same
        // name, then (responses only, as in oasdiff) a revision-only one
        // paired with the first related base-only one.
        let mut pairs: Vec<(usize, usize)> = ca
            .iter()
            .enumerate()
            .filter_map(|(i, (mt, ..))| Some((i, cb.iter().position(|(m, ..)| m == mt)?)))
            .collect();
        if let Holder::Response(_) = holder {
            for (j, (new, ..)) in cb.iter().enumerate() {
                if ca.iter().any(|(m, ..)| m == new) {
                    continue;
                }
                let old = ca.iter().enumerate().position(|(i, (old, ..))| {
                    !cb.iter().any(|(m, ..)| m == old)
                        && !pairs.iter().any(|(x, _)| *x == i)
                        && media_names::related(old, new)
                });
                if let Some(i) = old {
                    pairs.push((i, j));
                }
            }
        }
        for (i, (mt, _, ptr)) in ca.iter().enumerate() {
            if !pairs.iter().any(|(x, _)| *x == i) {
                let rule = holder.rules().removed;
                let message = holder.media_type_removed(mt);
                self.emit(rule, Some(r), dir, ptr, Side::Base, semver_of(mt), message);
            }
        }
        for (j, (mt, _, ptr)) in cb.iter().enumerate() {
            if !pairs.iter().any(|(_, y)| *y == j) {
                let rule = holder.rules().added;
                let message = holder.media_type_added(mt);
                self.emit(
                    rule,
                    Some(r),
                    dir,
                    ptr,
                    Side::Revision,
                    semver_of(mt),
                    message,
                );
            }
        }
        for (i, j) in pairs {
            let ((old, ma, ma_ptr), (mt, mb, mb_ptr)) = (&ca[i], &cb[j]);
            if old != mt {
                self.media_type_renamed(holder, old, mt, mb_ptr, untyped_semver, r);
            }
            let (sa, sb) = match (ma.get("schema"), mb.get("schema")) {
                (Some(sa), Some(sb)) => (sa, sb),
                (None, Some(_)) => {
                    self.emit(
                        holder.rules().schema_added,
                        Some(r),
                        dir,
                        &mb_ptr.join("schema"),
                        Side::Revision,
                        Semver::Major,
                        format!("{} `{mt}` content got a schema", holder.owner()),
                    );
                    continue;
                }
                (Some(_), None) => {
                    self.emit(
                        holder.rules().schema_removed,
                        Some(r),
                        dir,
                        &ma_ptr.join("schema"),
                        Side::Base,
                        Semver::Major,
                        format!("{} `{old}` content lost its schema", holder.owner()),
                    );
                    continue;
                }
                (None, None) => continue,
            };
            self.typing = if is_json(mt) {
                Typing::Strong
            } else {
                Typing::Weak
            };
            let first = self.out.len();
            self.body(
                dir,
                holder.place(),
                sa,
                ma_ptr.join("schema"),
                sb,
                mb_ptr.join("schema"),
                r,
            );
            self.typing = Typing::Strong;
            // A body the generator does not type (text, bytes, XML; a
            // response other than `application/json`) has the same Rust
            // type whatever its schema says.
            if !holder.typed_by_generator(mt) {
                for change in &mut self.out[first..] {
                    change.semver = change.semver.min(Semver::Patch);
                }
            }
        }
    }

    /// Reports a response media type renamed to a related one. The crate
    /// only changes if the generated client decodes one of the two as JSON
    /// and not the other, which the response's shape (`untyped_semver`)
    /// already tells.
    fn media_type_renamed(
        &mut self,
        holder: Holder<'_>,
        old: &str,
        new: &str,
        ptr: &JsonPointer,
        untyped_semver: Semver,
        r: &OperationRef,
    ) {
        let (rule, how) = match media_names::rename(old, new) {
            Rename::Changed => (
                &rules::RESPONSE_MEDIA_TYPE_NAME_CHANGED,
                "its parameters changed",
            ),
            Rename::Specialized => (
                &rules::RESPONSE_MEDIA_TYPE_NAME_SPECIALIZED,
                "a more specific one",
            ),
            Rename::Generalized => (
                &rules::RESPONSE_MEDIA_TYPE_NAME_GENERALIZED,
                "a more general one",
            ),
        };
        let decoded = crate::media::progenitor_decodes_json;
        let semver = if decoded(old) && decoded(new) {
            Semver::Patch
        } else {
            untyped_semver
        };
        self.emit(
            rule,
            Some(r),
            holder.direction(),
            ptr,
            Side::Revision,
            semver,
            format!("{} `{old}` content is now `{new}` ({how})", holder.owner()),
        );
    }

    /// Compares a request or response body schema and emits what differs.
    #[allow(clippy::too_many_arguments)]
    fn body(
        &mut self,
        dir: Direction,
        place: String,
        a: &'a Value,
        a_ptr: JsonPointer,
        b: &'a Value,
        b_ptr: JsonPointer,
        r: &OperationRef,
    ) {
        let mut rels = Vec::new();
        let resolved = (
            deref(self.base, a, a_ptr.clone()),
            deref(self.rev, b, b_ptr.clone()),
        );
        if let (Some((ra, _)), Some((rb, rb_ptr))) = resolved {
            let (na, nb) = (is_true(ra, "nullable"), is_true(rb, "nullable"));
            if na != nb {
                let kind = if nb {
                    "became-nullable"
                } else {
                    "became-not-nullable"
                };
                rels.push(Rel {
                    rule: Pick::schema(dir, kind),
                    pointer: rb_ptr,
                    side: Side::Revision,
                    // The method's body type gains or loses an `Option`.
                    semver: Semver::Major,
                    prop: String::new(),
                    detail: if nb {
                        "may now be null".into()
                    } else {
                        "can no longer be null".into()
                    },
                });
            }
        }
        self.schema(dir, a, a_ptr, b, b_ptr, "", &mut rels);
        for rel in rels {
            let Some(rule) = rel.rule.at(&rel.prop) else {
                continue;
            };
            let at = if rel.prop.is_empty() {
                "the body".to_owned()
            } else {
                format!("`{}`", rel.prop)
            };
            let message = format!("{}: {} in {place}", at, rel.detail);
            self.emit(
                rule,
                Some(r),
                dir,
                &rel.pointer,
                rel.side,
                rel.semver,
                message,
            );
            if let Some(change) = self.out.last_mut() {
                change.path = rel.prop;
            }
        }
    }
}

/// What one class of responses (success or error) becomes in the
/// generated method's signature.
#[derive(Debug, PartialEq, Eq)]
enum ClassShape {
    /// One type (or `()` when the class is empty or has no body).
    Single(Option<ResponseKind>),
    /// A `#[non_exhaustive]` enum with a variant per status.
    Enum(Vec<(String, ResponseKind)>),
}

impl ClassShape {
    /// The SemVer level of going from `self` to `to`: a new variant of an
    /// enum is minor (it is `#[non_exhaustive]`); anything else that
    /// changes the type is major.
    fn semver_to(&self, to: &ClassShape) -> Semver {
        match (self, to) {
            (a, b) if a == b => Semver::Patch,
            (ClassShape::Enum(a), ClassShape::Enum(b)) if a.iter().all(|v| b.contains(v)) => {
                Semver::Minor
            }
            _ => Semver::Major,
        }
    }
}

/// The success and error shapes of an operation's responses.
fn class_shapes(responses: &[(&String, &Value, JsonPointer)]) -> (ClassShape, ClassShape) {
    let kinds: Vec<(String, ResponseKind)> = responses
        .iter()
        .filter_map(|(status, response, _)| {
            crate::responses::kind_of(status, response).map(|(kind, _)| ((*status).clone(), kind))
        })
        .collect();
    let plan = crate::responses::plan("", &kinds);
    let has_2xx = kinds.iter().any(|(s, _)| crate::responses::is_2xx(s));
    let class = |success: bool, is_enum: bool, planned: Option<&[crate::responses::Status]>| {
        if is_enum {
            let variants = planned
                .unwrap_or_default()
                .iter()
                .map(|s| (s.status.clone(), s.kind.clone()))
                .collect();
            return ClassShape::Enum(variants);
        }
        ClassShape::Single(
            kinds
                .iter()
                .find(|(s, _)| crate::responses::is_success(s, has_2xx) == Some(success))
                .map(|(_, k)| k.clone()),
        )
    };
    match &plan {
        Some(plan) => (
            class(true, plan.success_enum, Some(&plan.success)),
            class(false, plan.error_enum, Some(&plan.error)),
        ),
        // progenitor's own mapping: `default` counts for both classes.
        None => (
            ClassShape::Single(
                kinds
                    .iter()
                    .find(|(s, _)| is_success(s))
                    .map(|(_, k)| k.clone()),
            ),
            ClassShape::Single(
                kinds
                    .iter()
                    .find(|(s, _)| s == "default" || s.starts_with('4') || s.starts_with('5'))
                    .map(|(_, k)| k.clone()),
            ),
        ),
    }
}
