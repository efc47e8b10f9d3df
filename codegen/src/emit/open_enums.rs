//! Open enums: typify's closed string enums and integer newtypes become
//! `#[non_exhaustive]` enums with a catch-all variant, so a value the spec
//! does not list decodes into it (and re-encodes unchanged) instead of
//! failing the whole response.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::{Attribute, File, Ident, Item};

use super::shape;
use crate::model::Model;

/// A closed enum as typify writes it.
enum Closed {
    /// Unit variants with their wire strings.
    Strings(Vec<(Ident, String)>),
    /// An integer newtype, its integer type and accepted values.
    Integers(Ident, Vec<i64>),
}

/// Replaces every closed enum in `items` (progenitor's `types` module) with
/// an open one.
pub(crate) fn open_enums(model: &Model, items: &mut Vec<Item>) -> Result<(), String> {
    let mut closed: BTreeMap<String, (Vec<Attribute>, Closed)> = BTreeMap::new();
    for item in items.iter() {
        match item {
            Item::Enum(e) => {
                if let Some(variants) = shape::string_enum(e) {
                    closed.insert(
                        e.ident.to_string(),
                        (shape::docs(&e.attrs), Closed::Strings(variants)),
                    );
                }
            }
            Item::Struct(s) => {
                if let Some(int) = shape::integer_newtype(s) {
                    if let Some(values) = shape::accepted_values(items, &s.ident, &int) {
                        closed.insert(
                            s.ident.to_string(),
                            (shape::docs(&s.attrs), Closed::Integers(int, values)),
                        );
                    }
                }
            }
            _ => {}
        }
    }
    if closed.is_empty() {
        return Ok(());
    }
    let is_replaced = |name: &str| closed.contains_key(name);
    items.retain(|item| match item {
        Item::Enum(e) => !is_replaced(&e.ident.to_string()),
        Item::Struct(s) => !is_replaced(&s.ident.to_string()),
        Item::Impl(imp) => !shape::impl_of_replaced(imp, is_replaced),
        _ => true,
    });
    for (name, (attrs, kind)) in &closed {
        let ident = Ident::new(name, Span::call_site());
        let code = match kind {
            Closed::Strings(variants) => open_string_enum(&ident, attrs, variants),
            Closed::Integers(int, values) => {
                let names = integer_variant_names(model, name, values);
                open_integer_enum(&ident, attrs, int, values, &names)
            }
        };
        // The closed type was removed above; its open replacement must
        // take its place or the crate would not compile.
        let parsed = syn::parse2::<File>(code)
            .map_err(|e| format!("the open enum generated for `{name}` does not parse: {e}"))?;
        items.extend(parsed.items);
    }
    // typify's default values construct an integer newtype as `T(0_i64)`
    // (in its `defaults` module); the open enum is built with `T::from`.
    let integers: BTreeSet<String> = closed
        .iter()
        .filter(|(_, (_, kind))| matches!(kind, Closed::Integers(..)))
        .map(|(name, _)| name.clone())
        .collect();
    if !integers.is_empty() {
        let mut rewrite = shape::NewtypeConstructors::new(&integers);
        for item in items.iter_mut() {
            syn::visit_mut::VisitMut::visit_item_mut(&mut rewrite, item);
        }
    }
    Ok(())
}

/// Variant names of an integer enum: the spec's `x-enum-varnames` for the
/// component of the same name when it has one per value, else `ValueN`.
fn integer_variant_names(model: &Model, type_name: &str, values: &[i64]) -> Vec<Ident> {
    let from_spec = model
        .enum_varnames
        .iter()
        .find(|(name, _)| crate::names::key(name) == crate::names::key(type_name))
        .map(|(_, names)| names)
        .filter(|names| names.len() == values.len())
        .and_then(|names| {
            names
                .iter()
                .map(|n| variant_ident(n))
                .collect::<Option<Vec<_>>>()
        });
    let mut names = from_spec.unwrap_or_else(|| {
        values
            .iter()
            .map(|v| {
                format_ident!(
                    "{}",
                    if *v < 0 {
                        format!("ValueMinus{}", v.unsigned_abs())
                    } else {
                        format!("Value{v}")
                    }
                )
            })
            .collect()
    });
    let unique: BTreeSet<String> = names.iter().map(ToString::to_string).collect();
    if unique.len() != names.len() {
        names = values
            .iter()
            .map(|v| format_ident!("Value{}", v.unsigned_abs()))
            .collect();
    }
    names
}

/// An UpperCamelCase identifier from a spec name, if it makes one.
fn variant_ident(name: &str) -> Option<Ident> {
    let mut out = String::new();
    let mut upper = true;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            if upper {
                out.push(c.to_ascii_uppercase());
            } else {
                out.push(c);
            }
            upper = false;
        } else {
            upper = true;
        }
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) || out == "Self" {
        return None;
    }
    syn::parse_str::<Ident>(&out).ok()
}

fn open_integer_enum(
    ident: &Ident,
    attrs: &[Attribute],
    int: &Ident,
    values: &[i64],
    names: &[Ident],
) -> TokenStream {
    let unknown = catch_all_name(names.iter().map(ToString::to_string));
    let literals: Vec<proc_macro2::Literal> = values
        .iter()
        .map(|v| proc_macro2::Literal::i64_unsuffixed(*v))
        .collect();
    let variant_docs = values.iter().map(|v| format!("`{v}`"));
    quote! {
        #(#attrs)*
        ///
        /// Open for new codes: one the spec does not list decodes into
        #[doc = concat!("[`", stringify!(#unknown), "`](Self::", stringify!(#unknown), ") and re-encodes unchanged.")]
        #[derive(Clone, Copy, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)]
        #[non_exhaustive]
        pub enum #ident {
            #( #[doc = #variant_docs] #names, )*
            /// A code this version of the client does not know, as sent.
            #unknown(#int),
        }
        impl #ident {
            /// The code as it is sent and received.
            pub fn code(self) -> #int {
                match self {
                    #( Self::#names => #literals, )*
                    Self::#unknown(code) => code,
                }
            }
        }
        impl ::std::convert::From<#int> for #ident {
            fn from(code: #int) -> Self {
                match code {
                    #( #literals => Self::#names, )*
                    other => Self::#unknown(other),
                }
            }
        }
        impl ::std::convert::From<#ident> for #int {
            fn from(value: #ident) -> Self {
                value.code()
            }
        }
        impl ::std::fmt::Display for #ident {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.code(), f)
            }
        }
        impl ::serde::Serialize for #ident {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                ::serde::Serialize::serialize(&self.code(), serializer)
            }
        }
        impl<'de> ::serde::Deserialize<'de> for #ident {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                <#int as ::serde::Deserialize>::deserialize(deserializer).map(Self::from)
            }
        }
    }
}

fn catch_all_name(taken: impl Iterator<Item = String>) -> Ident {
    let taken: BTreeSet<String> = taken.collect();
    let name = ["Unknown", "UnknownValue", "UnlistedValue"]
        .into_iter()
        .find(|n| !taken.contains(*n))
        .unwrap_or("UnknownValueOfThisEnum");
    Ident::new(name, Span::call_site())
}

fn open_string_enum(
    ident: &Ident,
    attrs: &[Attribute],
    variants: &[(Ident, String)],
) -> TokenStream {
    let unknown = catch_all_name(variants.iter().map(|(v, _)| v.to_string()));
    let names: Vec<&Ident> = variants.iter().map(|(v, _)| v).collect();
    let wires: Vec<&String> = variants.iter().map(|(_, w)| w).collect();
    let variant_docs = wires.iter().map(|w| format!("`{w}`"));
    let expecting = format!("a {ident} string");
    quote! {
        #(#attrs)*
        ///
        /// Open for new values: one the spec does not list decodes into
        #[doc = concat!("[`", stringify!(#unknown), "`](Self::", stringify!(#unknown), ") and re-encodes unchanged.")]
        #[derive(Clone, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)]
        #[non_exhaustive]
        pub enum #ident {
            #( #[doc = #variant_docs] #names, )*
            /// A value this version of the client does not know, as sent.
            #unknown(::std::string::String),
        }
        impl #ident {
            /// The value as it is sent and received.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#names => #wires, )*
                    Self::#unknown(value) => value.as_str(),
                }
            }
        }
        impl ::std::fmt::Display for #ident {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl ::std::convert::From<&str> for #ident {
            fn from(value: &str) -> Self {
                match value {
                    #( #wires => Self::#names, )*
                    other => Self::#unknown(other.to_owned()),
                }
            }
        }
        impl ::std::convert::From<&::std::string::String> for #ident {
            fn from(value: &::std::string::String) -> Self {
                Self::from(value.as_str())
            }
        }
        impl ::std::convert::From<::std::string::String> for #ident {
            fn from(value: ::std::string::String) -> Self {
                match value.as_str() {
                    #( #wires => Self::#names, )*
                    _ => Self::#unknown(value),
                }
            }
        }
        impl ::std::str::FromStr for #ident {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }
        impl ::serde::Serialize for #ident {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
        impl<'de> ::serde::Deserialize<'de> for #ident {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                struct Visitor;
                impl ::serde::de::Visitor<'_> for Visitor {
                    type Value = #ident;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(#expecting)
                    }
                    fn visit_str<E: ::serde::de::Error>(self, value: &str) -> ::std::result::Result<#ident, E> {
                        Ok(#ident::from(value))
                    }
                    fn visit_string<E: ::serde::de::Error>(self, value: ::std::string::String) -> ::std::result::Result<#ident, E> {
                        Ok(#ident::from(value))
                    }
                }
                deserializer.deserialize_str(Visitor)
            }
        }
    }
}
