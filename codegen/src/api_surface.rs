//! How the public API of a generated client crate changed between two
//! versions of its source, graded by the Cargo SemVer rules.
//!
//! Both versions are parsed with `syn`; every public item is recorded under a
//! path-like key (`types::Customer`, `types::Customer::tags`,
//! `types::RelationshipToPartner::Reseller`, `Client::get_customer`,
//! `builder::GetCustomer::page_index`, `impl Default for types::Customer`)
//! with a normalised signature (tokens without doc comments or other
//! attributes, function bodies left out) and a separate fingerprint of its
//! behaviour (bodies and attributes such as `#[serde(...)]`). The two maps are
//! then compared key by key:
//!
//! - a public item, field, variant, method or trait impl removed, a signature
//!   or field type changed, or an item turned into another kind of item is
//!   [`Semver::Major`];
//! - a public field added to a struct whose fields are all public and which
//!   is not `#[non_exhaustive]`, or a variant added to an enum that is not
//!   `#[non_exhaustive]`, is [`Semver::Major`]; otherwise the addition is
//!   [`Semver::Minor`], as is any new type, function, method, module or trait
//!   impl;
//! - becoming `#[non_exhaustive]`, a private field appearing in a struct
//!   whose fields were all public, or a trait item without a default, is
//!   [`Semver::Major`];
//! - trait impls, written or derived, are keyed by the trait's last path
//!   segment and the type (`impl Default for types::Customer`), so that a
//!   derive replaced by a hand-written impl is the same impl;
//! - the integer-enum newtypes typify writes (`impl TryFrom<i32> for T` that
//!   checks `[0_i32, 1_i32].contains(&value)`) are compared by the values they
//!   accept: values only added is [`Semver::Minor`], any removed is
//!   [`Semver::Major`];
//! - any other change to a body or attribute is [`Semver::Patch`]; doc
//!   comments are ignored, and so are private and `pub(crate)` items.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt;

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};
use quote::ToTokens;
use syn::punctuated::Punctuated;
use syn::{
    Attribute, Fields, GenericArgument, GenericParam, Generics, ImplItem, Item, Path,
    PathArguments, TraitItem, Type, UseTree, Visibility,
};

use crate::semver::Semver;

/// One difference between the public APIs of two versions of a crate.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ApiChange {
    /// The path-like key of the item, e.g. `types::Customer::tags` or
    /// `impl Default for types::Customer`.
    pub item: String,
    /// Whether the item was added, removed or changed.
    pub kind: ApiChangeKind,
    /// How much the change breaks code that uses the crate.
    pub semver: Semver,
    /// A sentence saying what changed and why it has this level.
    pub detail: String,
}

/// What happened to an item between the two versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ApiChangeKind {
    /// The item exists only in the new version.
    Added,
    /// The item exists only in the old version.
    Removed,
    /// The item exists in both versions, with a different signature or
    /// behaviour.
    Changed,
}

impl fmt::Display for ApiChangeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ApiChangeKind::Added => "added",
            ApiChangeKind::Removed => "removed",
            ApiChangeKind::Changed => "changed",
        })
    }
}

impl fmt::Display for ApiChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} `{}`: {}",
            self.semver, self.kind, self.item, self.detail
        )
    }
}

/// Compares the public API of two versions of a Rust source file, `before`
/// and `after`, and lists every difference, sorted by item key and kind.
///
/// Returns the parse error of whichever file is not valid Rust; its message
/// starts with `before:` or `after:`.
pub fn api_diff(before: &str, after: &str) -> Result<Vec<ApiChange>, syn::Error> {
    let before = surface(before).map_err(|e| relabel("before", &e))?;
    let after = surface(after).map_err(|e| relabel("after", &e))?;
    Ok(diff(&before, &after))
}

/// The level a release with `changes` needs: the highest level among them,
/// [`Semver::Patch`] when there are none.
pub fn api_semver(changes: &[ApiChange]) -> Semver {
    changes
        .iter()
        .map(|c| c.semver)
        .max()
        .unwrap_or(Semver::Patch)
}

fn relabel(which: &str, err: &syn::Error) -> syn::Error {
    syn::Error::new(err.span(), format!("{which}: {err}"))
}

// ---------------------------------------------------------------------------
// The surface: one entry per public item.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum What {
    Module,
    Struct,
    Enum,
    Union,
    Field,
    Variant,
    Function,
    Method,
    AssocConst,
    TypeAlias,
    Const,
    Static,
    Trait,
    TraitItem,
    TraitAlias,
    Reexport,
    TraitImpl,
}

impl What {
    fn noun(self) -> &'static str {
        match self {
            What::Module => "module",
            What::Struct => "struct",
            What::Enum => "enum",
            What::Union => "union",
            What::Field => "field",
            What::Variant => "variant",
            What::Function => "function",
            What::Method => "method",
            What::AssocConst => "associated const",
            What::TypeAlias => "type alias",
            What::Const => "const",
            What::Static => "static",
            What::Trait => "trait",
            What::TraitItem => "trait item",
            What::TraitAlias => "trait alias",
            What::Reexport => "re-export",
            What::TraitImpl => "trait impl",
        }
    }
}

#[derive(Debug, Clone)]
struct Entry {
    what: What,
    /// What callers compile against.
    sig: String,
    /// What they observe only at run time: bodies and attributes.
    behaviour: String,
    /// The key of the enclosing item (struct of a field, type of a method or
    /// impl, module of an item); entries whose parent is not public are
    /// dropped, and additions or removals under an added or removed parent
    /// are not reported twice.
    parent: Option<String>,
    non_exhaustive: bool,
    /// Structs and unions: some field is not `pub`.
    has_private: bool,
    /// Trait items: no default.
    required: bool,
    /// `TryFrom<integer>` impls of typify's integer enums: the values
    /// accepted.
    accepted: Option<BTreeSet<i128>>,
}

impl Entry {
    fn new(what: What, sig: String) -> Self {
        Entry {
            what,
            sig,
            behaviour: String::new(),
            parent: None,
            non_exhaustive: false,
            has_private: false,
            required: false,
            accepted: None,
        }
    }

    fn behaviour(mut self, behaviour: String) -> Self {
        self.behaviour = behaviour;
        self
    }

    fn parent(mut self, parent: Option<String>) -> Self {
        self.parent = parent;
        self
    }
}

#[derive(Debug, Default)]
struct Surface(BTreeMap<String, Entry>);

impl Surface {
    /// Inserts under `key`, or, if another item already has that key (a
    /// field and a method of the same name), under a suffixed key.
    fn insert(&mut self, key: String, entry: Entry) {
        let key = if self.0.contains_key(&key) {
            let base = format!("{key} ({})", entry.what.noun());
            let mut candidate = base.clone();
            let mut n = 2;
            while self.0.contains_key(&candidate) {
                candidate = format!("{base} #{n}");
                n += 1;
            }
            candidate
        } else {
            key
        };
        self.0.insert(key, entry);
    }

    /// Drops entries whose parent is not in the surface (methods and impls
    /// of private types, members of private items).
    fn prune(&mut self) {
        loop {
            let orphans: Vec<String> = self
                .0
                .iter()
                .filter(|(_, e)| e.parent.as_ref().is_some_and(|p| !self.0.contains_key(p)))
                .map(|(k, _)| k.clone())
                .collect();
            if orphans.is_empty() {
                return;
            }
            for key in orphans {
                self.0.remove(&key);
            }
        }
    }
}

fn surface(source: &str) -> syn::Result<Surface> {
    let file = syn::parse_file(source)?;
    let mut out = Surface::default();
    collect_module(&file.items, &[], &mut out)?;
    out.prune();
    Ok(out)
}

// ---------------------------------------------------------------------------
// Name resolution, enough to key impls by the path of their type.

struct Scope {
    path: Vec<String>,
    /// Names of items declared in the module, of any visibility.
    declared: HashSet<String>,
    /// `use` aliases that resolve to an item of this crate, by absolute path.
    imports: HashMap<String, Vec<String>>,
}

impl Scope {
    fn new(path: &[String], items: &[Item]) -> Self {
        let mut declared = HashSet::new();
        for item in items {
            let ident = match item {
                Item::Const(i) => Some(&i.ident),
                Item::Enum(i) => Some(&i.ident),
                Item::Fn(i) => Some(&i.sig.ident),
                Item::Mod(i) => Some(&i.ident),
                Item::Static(i) => Some(&i.ident),
                Item::Struct(i) => Some(&i.ident),
                Item::Trait(i) => Some(&i.ident),
                Item::TraitAlias(i) => Some(&i.ident),
                Item::Type(i) => Some(&i.ident),
                Item::Union(i) => Some(&i.ident),
                _ => None,
            };
            if let Some(ident) = ident {
                declared.insert(ident.to_string());
            }
        }
        let mut scope = Scope {
            path: path.to_vec(),
            declared,
            imports: HashMap::new(),
        };
        let mut imports = HashMap::new();
        for item in items {
            if let Item::Use(u) = item {
                if u.leading_colon.is_some() {
                    continue;
                }
                for (alias, segments) in use_leaves(&u.tree, Vec::new()) {
                    if let Some(absolute) = scope.absolute(&segments) {
                        imports.insert(alias, absolute);
                    }
                }
            }
        }
        scope.imports = imports;
        scope
    }

    /// The absolute path of `segments` if they name an item of this crate.
    fn absolute(&self, segments: &[String]) -> Option<Vec<String>> {
        let first = segments.first()?;
        if matches!(first.as_str(), "crate" | "self" | "super") {
            let mut base = if first == "crate" {
                Vec::new()
            } else {
                self.path.clone()
            };
            let mut rest = &segments[1..];
            if first == "super" {
                base.pop();
            }
            while let Some(next) = rest.first() {
                match next.as_str() {
                    "super" => {
                        base.pop();
                    }
                    "self" => {}
                    _ => break,
                }
                rest = &rest[1..];
            }
            base.extend(rest.iter().cloned());
            return Some(base);
        }
        if let Some(target) = self.imports.get(first) {
            let mut out = target.clone();
            out.extend(segments[1..].iter().cloned());
            return Some(out);
        }
        if self.declared.contains(first) {
            let mut out = self.path.clone();
            out.extend(segments.iter().cloned());
            return Some(out);
        }
        None
    }

    /// Prints `path` with local paths made absolute and lifetime arguments
    /// left out; also returns the absolute path (without arguments) when it
    /// is local.
    fn path_key(&self, path: &Path) -> (String, Option<String>) {
        let idents: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        let last_args = path
            .segments
            .last()
            .map(|s| self.args_key(&s.arguments))
            .unwrap_or_default();
        let absolute = if path.leading_colon.is_some() {
            None
        } else {
            self.absolute(&idents)
        };
        match absolute {
            Some(abs) => {
                let joined = abs.join("::");
                (format!("{joined}{last_args}"), Some(joined))
            }
            None => {
                let mut out = String::new();
                if path.leading_colon.is_some() {
                    out.push_str("::");
                }
                let count = path.segments.len();
                for (i, segment) in path.segments.iter().enumerate() {
                    out.push_str(&segment.ident.to_string());
                    if i + 1 < count {
                        out.push_str(&self.args_key(&segment.arguments));
                        out.push_str("::");
                    }
                }
                out.push_str(&last_args);
                (out, None)
            }
        }
    }

    fn args_key(&self, args: &PathArguments) -> String {
        match args {
            PathArguments::None => String::new(),
            PathArguments::AngleBracketed(angle) => {
                let parts: Vec<String> = angle
                    .args
                    .iter()
                    .filter_map(|arg| match arg {
                        GenericArgument::Lifetime(_) => None,
                        GenericArgument::Type(ty) => Some(self.type_key(ty).0),
                        other => Some(tokens(other)),
                    })
                    .collect();
                if parts.is_empty() {
                    String::new()
                } else {
                    format!("<{}>", parts.join(", "))
                }
            }
            PathArguments::Parenthesized(p) => tokens(p),
        }
    }

    /// Prints `ty` as [`Scope::path_key`] prints paths; also returns the
    /// absolute path of the local type it names, if any.
    fn type_key(&self, ty: &Type) -> (String, Option<String>) {
        match ty {
            Type::Path(p) if p.qself.is_none() => self.path_key(&p.path),
            Type::Reference(r) => {
                let (inner, local) = self.type_key(&r.elem);
                let mutability = if r.mutability.is_some() { "mut " } else { "" };
                (format!("&{mutability}{inner}"), local)
            }
            Type::Paren(p) => self.type_key(&p.elem),
            Type::Group(g) => self.type_key(&g.elem),
            Type::Slice(s) => (format!("[{}]", self.type_key(&s.elem).0), None),
            Type::Array(a) => (
                format!("[{}; {}]", self.type_key(&a.elem).0, tokens(&a.len)),
                None,
            ),
            Type::Tuple(t) => {
                let parts: Vec<String> = t.elems.iter().map(|e| self.type_key(e).0).collect();
                let trailing = if parts.len() == 1 { "," } else { "" };
                (format!("({}{trailing})", parts.join(", ")), None)
            }
            other => (tokens(other), None),
        }
    }

    /// The key of an item named `ident` in this module.
    fn key(&self, ident: &impl fmt::Display) -> String {
        join_key(&self.path, &ident.to_string())
    }

    /// The key of this module, as the parent of its items; `None` at the
    /// root.
    fn parent(&self) -> Option<String> {
        if self.path.is_empty() {
            None
        } else {
            Some(self.path.join("::"))
        }
    }
}

fn join_key(path: &[String], name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{}::{name}", path.join("::"))
    }
}

/// Every name a `use` tree brings into scope, with the path it names.
fn use_leaves(tree: &UseTree, prefix: Vec<String>) -> Vec<(String, Vec<String>)> {
    match tree {
        UseTree::Path(p) => {
            let mut next = prefix;
            next.push(p.ident.to_string());
            use_leaves(&p.tree, next)
        }
        UseTree::Name(n) => {
            let name = n.ident.to_string();
            if name == "self" {
                match prefix.last() {
                    Some(last) => vec![(last.clone(), prefix.clone())],
                    None => Vec::new(),
                }
            } else {
                let mut path = prefix;
                path.push(name.clone());
                vec![(name, path)]
            }
        }
        UseTree::Rename(r) => {
            let mut path = prefix;
            path.push(r.ident.to_string());
            vec![(r.rename.to_string(), path)]
        }
        UseTree::Glob(_) => Vec::new(),
        UseTree::Group(g) => g
            .items
            .iter()
            .flat_map(|t| use_leaves(t, prefix.clone()))
            .collect(),
    }
}

/// Every name a `pub use` re-exports, with the path it names; a glob is
/// named `*` and its path ends in `*`.
fn reexports(tree: &UseTree, prefix: Vec<String>) -> Vec<(String, Vec<String>)> {
    match tree {
        UseTree::Path(p) => {
            let mut next = prefix;
            next.push(p.ident.to_string());
            reexports(&p.tree, next)
        }
        UseTree::Group(g) => g
            .items
            .iter()
            .flat_map(|t| reexports(t, prefix.clone()))
            .collect(),
        UseTree::Glob(_) => {
            let mut path = prefix;
            path.push("*".to_owned());
            vec![("*".to_owned(), path)]
        }
        other => use_leaves(other, prefix),
    }
}

// ---------------------------------------------------------------------------
// Collection.

fn is_pub(vis: &Visibility) -> bool {
    matches!(vis, Visibility::Public(_))
}

fn is_non_exhaustive(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident("non_exhaustive"))
}

/// Attributes that change behaviour but not the API: everything except doc
/// comments, derives and `#[non_exhaustive]`, which are handled apart.
fn behaviour_attrs(attrs: &[Attribute]) -> String {
    attrs
        .iter()
        .filter(|a| {
            let p = a.path();
            !(p.is_ident("doc") || p.is_ident("derive") || p.is_ident("non_exhaustive"))
        })
        .map(tokens)
        .collect::<Vec<_>>()
        .join(" ")
}

fn derives(attrs: &[Attribute]) -> syn::Result<Vec<Path>> {
    let mut out = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("derive")) {
        let paths = attr.parse_args_with(Punctuated::<Path, syn::Token![,]>::parse_terminated)?;
        out.extend(paths);
    }
    Ok(out)
}

/// `<T, U>` for a derive's impl key: the type and const parameters.
fn param_args(generics: &Generics) -> String {
    let names: Vec<String> = generics
        .params
        .iter()
        .filter_map(|p| match p {
            GenericParam::Type(t) => Some(t.ident.to_string()),
            GenericParam::Const(c) => Some(c.ident.to_string()),
            GenericParam::Lifetime(_) => None,
        })
        .collect();
    if names.is_empty() {
        String::new()
    } else {
        format!("<{}>", names.join(", "))
    }
}

fn generics_sig(generics: &Generics) -> String {
    let mut out = tokens(generics);
    if let Some(where_clause) = &generics.where_clause {
        out.push(' ');
        out.push_str(&tokens(where_clause));
    }
    out
}

/// The fields of a variant, as part of its signature.
fn fields_sig(fields: &Fields) -> String {
    let field = |f: &syn::Field| match &f.ident {
        Some(ident) => format!("{ident}: {}", tokens(&f.ty)),
        None => tokens(&f.ty),
    };
    match fields {
        Fields::Named(named) => format!(
            " {{ {} }}",
            named.named.iter().map(field).collect::<Vec<_>>().join(", ")
        ),
        Fields::Unnamed(unnamed) => format!(
            "({})",
            unnamed
                .unnamed
                .iter()
                .map(field)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Fields::Unit => String::new(),
    }
}

fn field_entries<'a>(
    fields: impl Iterator<Item = &'a syn::Field>,
    owner: &str,
    out: &mut Surface,
) -> bool {
    let mut has_private = false;
    for (index, field) in fields.enumerate() {
        if !is_pub(&field.vis) {
            has_private = true;
            continue;
        }
        let name = field
            .ident
            .as_ref()
            .map_or_else(|| index.to_string(), ToString::to_string);
        let mut behaviour = behaviour_attrs(&field.attrs);
        if let Some((_, default)) = &field.default {
            behaviour.push_str(" = ");
            behaviour.push_str(&tokens(default));
        }
        out.insert(
            format!("{owner}::{name}"),
            Entry::new(What::Field, tokens(&field.ty))
                .behaviour(behaviour)
                .parent(Some(owner.to_owned())),
        );
    }
    has_private
}

/// Records the trait impls a `#[derive]` writes.
fn derive_entries(
    attrs: &[Attribute],
    owner: &str,
    generics: &Generics,
    out: &mut Surface,
) -> syn::Result<()> {
    let args = param_args(generics);
    for path in derives(attrs)? {
        let Some(last) = path.segments.last() else {
            continue;
        };
        out.insert(
            format!("impl {} for {owner}{args}", last.ident),
            Entry::new(What::TraitImpl, String::new())
                .behaviour("derive".to_owned())
                .parent(Some(owner.to_owned())),
        );
    }
    Ok(())
}

fn collect_module(items: &[Item], path: &[String], out: &mut Surface) -> syn::Result<()> {
    let scope = Scope::new(path, items);
    let parent = scope.parent();
    for item in items {
        match item {
            Item::Struct(s) if is_pub(&s.vis) => {
                let key = scope.key(&s.ident);
                let shape = match &s.fields {
                    Fields::Named(_) => " {..}",
                    Fields::Unnamed(_) => "(..)",
                    Fields::Unit => ";",
                };
                let sig = format!("struct {}{}{shape}", s.ident, generics_sig(&s.generics));
                let has_private = field_entries(s.fields.iter(), &key, out);
                derive_entries(&s.attrs, &key, &s.generics, out)?;
                let mut entry = Entry::new(What::Struct, sig)
                    .behaviour(behaviour_attrs(&s.attrs))
                    .parent(parent.clone());
                entry.non_exhaustive = is_non_exhaustive(&s.attrs);
                entry.has_private = has_private;
                out.insert(key, entry);
            }
            Item::Union(u) if is_pub(&u.vis) => {
                let key = scope.key(&u.ident);
                let sig = format!("union {}{}", u.ident, generics_sig(&u.generics));
                let has_private = field_entries(u.fields.named.iter(), &key, out);
                derive_entries(&u.attrs, &key, &u.generics, out)?;
                let mut entry = Entry::new(What::Union, sig)
                    .behaviour(behaviour_attrs(&u.attrs))
                    .parent(parent.clone());
                entry.non_exhaustive = is_non_exhaustive(&u.attrs);
                entry.has_private = has_private;
                out.insert(key, entry);
            }
            Item::Enum(e) if is_pub(&e.vis) => {
                let key = scope.key(&e.ident);
                for variant in &e.variants {
                    let mut sig = format!("{}{}", variant.ident, fields_sig(&variant.fields));
                    if let Some((_, discriminant)) = &variant.discriminant {
                        sig.push_str(" = ");
                        sig.push_str(&tokens(discriminant));
                    }
                    out.insert(
                        format!("{key}::{}", variant.ident),
                        Entry::new(What::Variant, sig)
                            .behaviour(behaviour_attrs(&variant.attrs))
                            .parent(Some(key.clone())),
                    );
                }
                derive_entries(&e.attrs, &key, &e.generics, out)?;
                let mut entry = Entry::new(
                    What::Enum,
                    format!("enum {}{}", e.ident, generics_sig(&e.generics)),
                )
                .behaviour(behaviour_attrs(&e.attrs))
                .parent(parent.clone());
                entry.non_exhaustive = is_non_exhaustive(&e.attrs);
                out.insert(key, entry);
            }
            Item::Fn(f) if is_pub(&f.vis) => {
                let behaviour = format!("{} {}", behaviour_attrs(&f.attrs), tokens(&f.block));
                out.insert(
                    scope.key(&f.sig.ident),
                    Entry::new(What::Function, tokens(&f.sig))
                        .behaviour(behaviour)
                        .parent(parent.clone()),
                );
            }
            Item::Const(c) if is_pub(&c.vis) => {
                out.insert(
                    scope.key(&c.ident),
                    Entry::new(
                        What::Const,
                        format!(
                            "const {}{}: {}",
                            c.ident,
                            generics_sig(&c.generics),
                            tokens(&c.ty)
                        ),
                    )
                    .behaviour(tokens(&c.expr))
                    .parent(parent.clone()),
                );
            }
            Item::Static(s) if is_pub(&s.vis) => {
                let mutability = match s.mutability {
                    syn::StaticMutability::Mut(_) => "mut ",
                    _ => "",
                };
                out.insert(
                    scope.key(&s.ident),
                    Entry::new(
                        What::Static,
                        format!("static {mutability}{}: {}", s.ident, tokens(&s.ty)),
                    )
                    .behaviour(tokens(&s.expr))
                    .parent(parent.clone()),
                );
            }
            Item::Type(t) if is_pub(&t.vis) => {
                out.insert(
                    scope.key(&t.ident),
                    Entry::new(
                        What::TypeAlias,
                        format!(
                            "type {}{} = {}",
                            t.ident,
                            generics_sig(&t.generics),
                            tokens(&t.ty)
                        ),
                    )
                    .parent(parent.clone()),
                );
            }
            Item::Trait(t) if is_pub(&t.vis) => {
                let key = scope.key(&t.ident);
                collect_trait(t, &key, out);
                let mut sig = String::new();
                if t.unsafety.is_some() {
                    sig.push_str("unsafe ");
                }
                if t.modifiers.auto_token.is_some() {
                    sig.push_str("auto ");
                }
                sig.push_str(&format!("trait {}{}", t.ident, tokens(&t.generics)));
                if !t.supertraits.is_empty() {
                    sig.push_str(": ");
                    sig.push_str(&tokens(&t.supertraits));
                }
                if let Some(where_clause) = &t.generics.where_clause {
                    sig.push(' ');
                    sig.push_str(&tokens(where_clause));
                }
                out.insert(
                    key,
                    Entry::new(What::Trait, sig)
                        .behaviour(behaviour_attrs(&t.attrs))
                        .parent(parent.clone()),
                );
            }
            Item::TraitAlias(t) if is_pub(&t.vis) => {
                out.insert(
                    scope.key(&t.ident),
                    Entry::new(
                        What::TraitAlias,
                        format!(
                            "trait {}{} = {}",
                            t.ident,
                            generics_sig(&t.generics),
                            tokens(&t.bounds)
                        ),
                    )
                    .parent(parent.clone()),
                );
            }
            Item::Use(u) if is_pub(&u.vis) => {
                for (name, segments) in reexports(&u.tree, Vec::new()) {
                    let local = if u.leading_colon.is_some() {
                        None
                    } else {
                        scope.absolute(&segments)
                    };
                    // Local paths are made absolute, so that `self::super::X`
                    // and `super::X` are the same re-export.
                    let mut target = match local {
                        Some(abs) if abs.is_empty() => "crate".to_owned(),
                        Some(abs) => format!("crate::{}", abs.join("::")),
                        None if u.leading_colon.is_some() => format!("::{}", segments.join("::")),
                        None => segments.join("::"),
                    };
                    if segments.last().is_some_and(|last| *last != name) && name != "*" {
                        target.push_str(" as ");
                        target.push_str(&name);
                    }
                    let key = if name == "*" {
                        format!(
                            "{} from {}",
                            scope.key(&name),
                            target.trim_end_matches("::*")
                        )
                    } else {
                        scope.key(&name)
                    };
                    out.insert(
                        key,
                        Entry::new(What::Reexport, format!("use {target}")).parent(parent.clone()),
                    );
                }
            }
            Item::Mod(m) if is_pub(&m.vis) => {
                let key = scope.key(&m.ident);
                out.insert(
                    key,
                    Entry::new(What::Module, "mod".to_owned())
                        .behaviour(behaviour_attrs(&m.attrs))
                        .parent(parent.clone()),
                );
                if let Some((_, content)) = &m.content {
                    let mut inner = path.to_vec();
                    inner.push(m.ident.to_string());
                    collect_module(content, &inner, out)?;
                }
            }
            Item::Impl(i) => collect_impl(i, &scope, out),
            _ => {}
        }
    }
    Ok(())
}

fn collect_trait(t: &syn::ItemTrait, key: &str, out: &mut Surface) {
    for item in &t.items {
        let (name, sig, required, behaviour) = match item {
            TraitItem::Fn(f) => (
                f.sig.ident.to_string(),
                tokens(&f.sig),
                f.default.is_none(),
                f.default.as_ref().map(tokens).unwrap_or_default(),
            ),
            TraitItem::Const(c) => (
                c.ident.to_string(),
                format!("const {}: {}", c.ident, tokens(&c.ty)),
                c.default.is_none(),
                c.default
                    .as_ref()
                    .map(|(_, e)| tokens(e))
                    .unwrap_or_default(),
            ),
            TraitItem::Type(ty) => {
                let mut sig = format!("type {}{}", ty.ident, generics_sig(&ty.generics));
                if !ty.bounds.is_empty() {
                    sig.push_str(": ");
                    sig.push_str(&tokens(&ty.bounds));
                }
                (
                    ty.ident.to_string(),
                    sig,
                    ty.default.is_none(),
                    ty.default
                        .as_ref()
                        .map(|(_, t)| tokens(t))
                        .unwrap_or_default(),
                )
            }
            _ => continue,
        };
        let mut entry = Entry::new(What::TraitItem, sig)
            .behaviour(behaviour)
            .parent(Some(key.to_owned()));
        entry.required = required;
        out.insert(format!("{key}::{name}"), entry);
    }
}

fn collect_impl(i: &syn::ItemImpl, scope: &Scope, out: &mut Surface) {
    let (self_key, self_local) = scope.type_key(&i.self_ty);
    let Some((trait_path, _)) = &i.trait_ else {
        // Inherent impl: one entry per public method or constant.
        let owner = match (&*i.self_ty, &self_local) {
            (_, Some(local)) => local.clone(),
            (Type::Path(p), None) => scope.key(&tokens(&p.path)),
            (other, None) => scope.key(&tokens(other)),
        };
        for item in &i.items {
            match item {
                ImplItem::Fn(f) if is_pub(&f.vis) => {
                    let behaviour = format!("{} {}", behaviour_attrs(&f.attrs), tokens(&f.block));
                    out.insert(
                        format!("{owner}::{}", f.sig.ident),
                        Entry::new(What::Method, tokens(&f.sig))
                            .behaviour(behaviour)
                            .parent(Some(owner.clone())),
                    );
                }
                ImplItem::Const(c) if is_pub(&c.vis) => {
                    out.insert(
                        format!("{owner}::{}", c.ident),
                        Entry::new(
                            What::AssocConst,
                            format!("const {}: {}", c.ident, tokens(&c.ty)),
                        )
                        .behaviour(tokens(&c.expr))
                        .parent(Some(owner.clone())),
                    );
                }
                _ => {}
            }
        }
        return;
    };

    // Trait impl: keyed by the trait's last segment and the type.
    let Some(last) = trait_path.segments.last() else {
        return;
    };
    let polarity = if i.modifiers.polarity.is_some() {
        "!"
    } else {
        ""
    };
    let trait_key = format!("{}{}", last.ident, scope.args_key(&last.arguments));
    let key = format!("impl {polarity}{trait_key} for {self_key}");

    let mut sig = Vec::new();
    if i.unsafety.is_some() {
        sig.push("unsafe".to_owned());
    }
    let params: Vec<String> = i
        .generics
        .params
        .iter()
        .filter(|p| !matches!(p, GenericParam::Lifetime(_)))
        .map(tokens)
        .collect();
    if !params.is_empty() {
        sig.push(format!("<{}>", params.join(", ")));
    }
    if let Some(where_clause) = &i.generics.where_clause {
        sig.push(tokens(where_clause));
    }
    let mut bodies = vec![behaviour_attrs(&i.attrs)];
    for item in &i.items {
        match item {
            ImplItem::Type(t) => sig.push(format!("type {} = {}", t.ident, tokens(&t.ty))),
            ImplItem::Const(c) => {
                sig.push(format!("const {}: {}", c.ident, tokens(&c.ty)));
                bodies.push(format!("const {} = {}", c.ident, tokens(&c.expr)));
            }
            ImplItem::Fn(f) => bodies.push(format!("fn {} {}", f.sig.ident, tokens(&f.block))),
            _ => {}
        }
    }

    let integer_try_from = last.ident == "TryFrom"
        && matches!(&last.arguments, PathArguments::AngleBracketed(a)
            if a.args.len() == 1
                && matches!(a.args.first(), Some(GenericArgument::Type(Type::Path(p)))
                    if p.path.get_ident().is_some_and(|id| is_integer(&id.to_string()))));
    let accepted = if integer_try_from {
        i.items.iter().find_map(|item| match item {
            ImplItem::Fn(f) => accepted_values(f.block.to_token_stream()),
            _ => None,
        })
    } else {
        None
    };

    // An impl belongs to its type, or else to the first local type among
    // the trait's arguments (`impl From<types::X> for String`).
    let parent = self_local.or_else(|| match &last.arguments {
        PathArguments::AngleBracketed(angle) => angle.args.iter().find_map(|arg| match arg {
            GenericArgument::Type(ty) => scope.type_key(ty).1,
            _ => None,
        }),
        _ => None,
    });
    let mut entry = Entry::new(What::TraitImpl, sig.join("; "))
        .behaviour(bodies.join(" "))
        .parent(parent);
    entry.accepted = accepted;
    out.insert(key, entry);
}

fn is_integer(name: &str) -> bool {
    matches!(
        name,
        "i8" | "i16"
            | "i32"
            | "i64"
            | "i128"
            | "isize"
            | "u8"
            | "u16"
            | "u32"
            | "u64"
            | "u128"
            | "usize"
    )
}

/// The literals of the first `[lit, lit, ...].contains(..)` in `body`, the
/// check typify writes into `TryFrom<integer>` for integer enums.
fn accepted_values(body: TokenStream) -> Option<BTreeSet<i128>> {
    let trees: Vec<TokenTree> = body.into_iter().collect();
    for (index, tree) in trees.iter().enumerate() {
        let TokenTree::Group(group) = tree else {
            continue;
        };
        let calls_contains = matches!(trees.get(index + 1), Some(TokenTree::Punct(p)) if p.as_char() == '.')
            && matches!(trees.get(index + 2), Some(TokenTree::Ident(i)) if i == "contains");
        if group.delimiter() == Delimiter::Bracket && calls_contains {
            if let Some(values) = integer_list(group.stream()) {
                return Some(values);
            }
        }
        if let Some(values) = accepted_values(group.stream()) {
            return Some(values);
        }
    }
    None
}

/// `1_i32, -2, 3` as numbers; `None` if anything else is in the list.
fn integer_list(list: TokenStream) -> Option<BTreeSet<i128>> {
    let mut values = BTreeSet::new();
    let mut negative = false;
    let mut expect_value = true;
    for tree in list {
        match tree {
            TokenTree::Punct(p) if p.as_char() == '-' && expect_value && !negative => {
                negative = true;
            }
            TokenTree::Punct(p) if p.as_char() == ',' && !expect_value => {
                expect_value = true;
            }
            TokenTree::Literal(lit) if expect_value => {
                let lit: syn::LitInt = syn::parse2(TokenTree::Literal(lit).into()).ok()?;
                let value: i128 = lit.base10_parse().ok()?;
                values.insert(if negative { -value } else { value });
                negative = false;
                expect_value = false;
            }
            _ => return None,
        }
    }
    if values.is_empty() || negative {
        None
    } else {
        Some(values)
    }
}

// ---------------------------------------------------------------------------
// Comparison.

fn diff(before: &Surface, after: &Surface) -> Vec<ApiChange> {
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

// ---------------------------------------------------------------------------
// Token printing with normalised whitespace.

fn tokens(t: &impl ToTokens) -> String {
    normalize(t.to_token_stream())
}

#[derive(Debug, Clone, PartialEq)]
enum Flat {
    /// An identifier, literal or lifetime.
    Word {
        text: String,
        keyword: bool,
    },
    /// An operator: one punctuation character, or several joined.
    Op(String),
    Open(char),
    Close(char),
}

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "fn",
    "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref",
    "return", "static", "struct", "trait", "type", "unsafe", "use", "where", "while", "yield",
];

fn flatten(stream: TokenStream, out: &mut Vec<Flat>) {
    let mut iter = stream.into_iter().peekable();
    while let Some(tree) = iter.next() {
        match tree {
            TokenTree::Group(group) => {
                let (open, close) = match group.delimiter() {
                    Delimiter::Parenthesis => ('(', ')'),
                    Delimiter::Brace => ('{', '}'),
                    Delimiter::Bracket => ('[', ']'),
                    Delimiter::None => {
                        flatten(group.stream(), out);
                        continue;
                    }
                };
                out.push(Flat::Open(open));
                flatten(group.stream(), out);
                out.push(Flat::Close(close));
            }
            TokenTree::Ident(ident) => {
                let text = ident.to_string();
                let keyword = KEYWORDS.contains(&text.as_str());
                out.push(Flat::Word { text, keyword });
            }
            TokenTree::Literal(lit) => out.push(Flat::Word {
                text: lit.to_string(),
                keyword: false,
            }),
            TokenTree::Punct(punct) => {
                if punct.as_char() == '\'' && punct.spacing() == Spacing::Joint {
                    if let Some(TokenTree::Ident(_)) = iter.peek() {
                        if let Some(TokenTree::Ident(ident)) = iter.next() {
                            out.push(Flat::Word {
                                text: format!("'{ident}"),
                                keyword: false,
                            });
                        }
                        continue;
                    }
                }
                let mut op = punct.as_char().to_string();
                let mut spacing = punct.spacing();
                while spacing == Spacing::Joint {
                    match iter.peek() {
                        Some(TokenTree::Punct(next)) if next.as_char() != '\'' => {
                            op.push(next.as_char());
                            spacing = next.spacing();
                            iter.next();
                        }
                        _ => break,
                    }
                }
                out.push(Flat::Op(op));
            }
        }
    }
}

fn spaced(prev: &Flat, next: &Flat) -> bool {
    const BINARY: &[&str] = &[
        "=", "->", "=>", "+", "==", "!=", "<=", ">=", "&&", "||", "|", "+=", "-=", "*=", "/=",
        "%=", "^=", "&=", "|=", "<<=", ">>=",
    ];
    use Flat::{Close, Op, Open, Word};
    match (prev, next) {
        (_, Op(op)) if op == "," || op == ";" => false,
        (Open('{'), Close('}')) => false,
        (_, Close('}')) | (Open('{'), _) => true,
        (_, Close(_)) | (Open(_), _) => false,
        (Op(op), _) if op == "," || op == ";" => true,
        (Op(op), _) | (_, Op(op)) if BINARY.contains(&op.as_str()) => true,
        (Word { keyword, .. }, Op(op)) if op == "::" => *keyword,
        (Op(op), _) | (_, Op(op)) if op == "::" => false,
        (_, Op(op)) if op == ":" => false,
        (Op(op), _) if op == ":" => true,
        (_, Op(op)) if op == "<" || op == ">" => false,
        (Op(op), _) if op == "<" => false,
        (Op(op), Word { .. }) if op == ">" => true,
        (Op(op), Open('{')) if op == ">" => true,
        (Op(_), _) => false,
        (Word { .. } | Close(_), Op(op)) if op == "&" || op == "*" || op == "-" => true,
        (_, Op(_)) => false,
        (Word { keyword, .. }, Open(c)) if *c == '(' || *c == '[' => *keyword,
        (_, Open('{')) => true,
        (_, Open(_)) => false,
        (Word { .. } | Close(_), Word { .. }) => true,
    }
}

/// Prints tokens with single spaces where Rust style puts them, so that
/// equal token streams print equally whatever their source layout.
fn normalize(stream: TokenStream) -> String {
    let mut flat = Vec::new();
    flatten(stream, &mut flat);
    let mut out = String::new();
    let mut prev: Option<&Flat> = None;
    for (index, token) in flat.iter().enumerate() {
        // A trailing comma depends on line breaks the formatter chose.
        let trailing_comma = matches!(token, Flat::Op(op) if op == ",")
            && match flat.get(index + 1) {
                None | Some(Flat::Close(_)) => true,
                Some(Flat::Op(op)) => op == ">",
                Some(_) => false,
            };
        if trailing_comma {
            continue;
        }
        if prev.is_some_and(|p| spaced(p, token)) {
            out.push(' ');
        }
        match token {
            Flat::Word { text, .. } | Flat::Op(text) => out.push_str(text),
            Flat::Open(c) | Flat::Close(c) => out.push(*c),
        }
        prev = Some(token);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn print(source: &str) -> String {
        let ty: Type = syn::parse_str(source).expect("type");
        tokens(&ty)
    }

    #[test]
    fn prints_types_compactly() {
        assert_eq!(
            print(":: std :: option :: Option < :: std :: vec :: Vec < String > >"),
            "::std::option::Option<::std::vec::Vec<String>>"
        );
        assert_eq!(print("& 'a mut [u8]"), "&'a mut [u8]");
        assert_eq!(print("(i32, String)"), "(i32, String)");
    }

    #[test]
    fn prints_signatures_compactly() {
        let f: syn::ItemFn = syn::parse_str(
            "pub fn page_index<V>(mut self, value: V) -> Self where V: std::convert::TryInto<i32>, { self }",
        )
        .expect("fn");
        assert_eq!(
            tokens(&f.sig),
            "fn page_index<V>(mut self, value: V) -> Self where V: std::convert::TryInto<i32>"
        );
    }

    #[test]
    fn reads_accepted_integer_lists() {
        let body: TokenStream = syn::parse_str(
            "{ if ![0_i32, -1_i32, 2].contains(&value) { Err(\"invalid\".into()) } else { Ok(Self(value)) } }",
        )
        .expect("tokens");
        assert_eq!(accepted_values(body), Some(BTreeSet::from([-1, 0, 2])));
    }
}
