//! Collection of impl blocks: inherent methods and constants, trait impls
//! keyed by trait and type, and the values typify's integer enums accept.

use std::collections::BTreeSet;

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::ToTokens;
use syn::{GenericArgument, GenericParam, ImplItem, PathArguments, Type};

use crate::collect::{behaviour_attrs, is_pub};
use crate::scope::Scope;
use crate::surface::{Entry, Surface, What};
use crate::tokens::tokens;

pub(crate) fn collect_impl(i: &syn::ItemImpl, scope: &Scope, out: &mut Surface) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_accepted_integer_lists() {
        let body: TokenStream = syn::parse_str(
            "{ if ![0_i32, -1_i32, 2].contains(&value) { Err(\"invalid\".into()) } else { Ok(Self(value)) } }",
        )
        .expect("tokens");
        assert_eq!(accepted_values(body), Some(BTreeSet::from([-1, 0, 2])));
    }
}
