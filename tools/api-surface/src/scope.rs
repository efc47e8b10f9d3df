//! Name resolution, enough to key impls by the path of their type and to
//! make re-exported paths absolute.

use std::collections::{HashMap, HashSet};
use std::fmt;

use syn::{GenericArgument, Item, Path, PathArguments, Type, UseTree};

use crate::tokens::tokens;

pub(crate) struct Scope {
    path: Vec<String>,
    /// Names of items declared in the module, of any visibility.
    declared: HashSet<String>,
    /// `use` aliases that resolve to an item of this crate, by absolute path.
    imports: HashMap<String, Vec<String>>,
}

impl Scope {
    pub(crate) fn new(path: &[String], items: &[Item]) -> Self {
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
    pub(crate) fn absolute(&self, segments: &[String]) -> Option<Vec<String>> {
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

    pub(crate) fn args_key(&self, args: &PathArguments) -> String {
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
    pub(crate) fn type_key(&self, ty: &Type) -> (String, Option<String>) {
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
    pub(crate) fn key(&self, ident: &impl fmt::Display) -> String {
        join_key(&self.path, &ident.to_string())
    }

    /// The key of this module, as the parent of its items; `None` at the
    /// root.
    pub(crate) fn parent(&self) -> Option<String> {
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
pub(crate) fn reexports(tree: &UseTree, prefix: Vec<String>) -> Vec<(String, Vec<String>)> {
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
