//! The surface of a crate: one entry per public item, under a path-like key.

use std::collections::{BTreeMap, BTreeSet};

use crate::collect::collect_module;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum What {
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
    pub(crate) fn noun(self) -> &'static str {
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
pub(crate) struct Entry {
    pub(crate) what: What,
    /// What callers compile against.
    pub(crate) sig: String,
    /// What they observe only at run time: bodies and attributes.
    pub(crate) behaviour: String,
    /// The key of the enclosing item (struct of a field, type of a method or
    /// impl, module of an item); entries whose parent is not public are
    /// dropped, and additions or removals under an added or removed parent
    /// are not reported twice.
    pub(crate) parent: Option<String>,
    pub(crate) non_exhaustive: bool,
    /// Structs and unions: some field is not `pub`.
    pub(crate) has_private: bool,
    /// Trait items: no default.
    pub(crate) required: bool,
    /// `TryFrom<integer>` impls of typify's integer enums: the values
    /// accepted.
    pub(crate) accepted: Option<BTreeSet<i128>>,
}

impl Entry {
    pub(crate) fn new(what: What, sig: String) -> Self {
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

    pub(crate) fn behaviour(mut self, behaviour: String) -> Self {
        self.behaviour = behaviour;
        self
    }

    pub(crate) fn parent(mut self, parent: Option<String>) -> Self {
        self.parent = parent;
        self
    }
}

#[derive(Debug, Default)]
pub(crate) struct Surface(pub(crate) BTreeMap<String, Entry>);

impl Surface {
    /// Inserts under `key`, or, if another item already has that key (a
    /// field and a method of the same name), under a suffixed key.
    pub(crate) fn insert(&mut self, key: String, entry: Entry) {
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

pub(crate) fn surface(source: &str) -> syn::Result<Surface> {
    let file = syn::parse_file(source)?;
    let mut out = Surface::default();
    collect_module(&file.items, &[], &mut out)?;
    out.prune();
    Ok(out)
}
