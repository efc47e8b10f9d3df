//! Collection of the public items of a module, with their signatures and
//! behaviour, into a [`Surface`].

use syn::punctuated::Punctuated;
use syn::{Attribute, Fields, GenericParam, Generics, Item, Path, TraitItem, Visibility};

use crate::impls::collect_impl;
use crate::scope::{reexports, Scope};
use crate::surface::{Entry, Surface, What};
use crate::tokens::tokens;

pub(crate) fn is_pub(vis: &Visibility) -> bool {
    matches!(vis, Visibility::Public(_))
}

fn is_non_exhaustive(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident("non_exhaustive"))
}

/// Attributes that change behaviour but not the API: everything except doc
/// comments, derives and `#[non_exhaustive]`, which are handled apart.
pub(crate) fn behaviour_attrs(attrs: &[Attribute]) -> String {
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

pub(crate) fn collect_module(
    items: &[Item],
    path: &[String],
    out: &mut Surface,
) -> syn::Result<()> {
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
