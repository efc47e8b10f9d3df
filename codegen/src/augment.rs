//! Augment stage: wires progenitor's output to `partner-api-runtime` and adds
//! what progenitor does not generate.
//!
//! - Requests go through `partner_api_runtime::send` (tokens, retries,
//!   `x-auto-value` headers, path checks) instead of progenitor's hooks, and
//!   bodies are decoded by `partner_api_runtime::decode`, whose errors keep
//!   the status and an excerpt. The crate's `Error` is the runtime's.
//! - The `api-version` header progenitor adds to every request (neither
//!   vendor documents it) is dropped.
//! - Enums are open: a value the spec does not list decodes into an
//!   `Unknown` variant that keeps it, instead of failing the response.
//! - The spec's operations and security schemes become static tables
//!   (`API`, `schemes`), the client gets a `builder`, and every operation
//!   with `x-pagination` gets a `stream()` of its items.
//!
//! Everything is found in progenitor's syntax tree; when its output does not
//! have the expected shape this stage fails with a message, never silently.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, ToTokens};
use serde_json::Value;
use syn::visit_mut::{self, VisitMut};
use syn::{Attribute, Expr, Fields, File, Ident, Item, ItemEnum, ItemImpl, ItemStruct, Stmt, Type};

use crate::error::{Error, OperationId, Result};
use crate::extensions::{operation_extensions, Pagination};
use crate::load::Spec;
use crate::walk::operations;

/// The runtime crate the generated code depends on.
pub const RUNTIME: &str = "partner_api_runtime";

/// Augments progenitor's `tokens` for `spec`.
pub fn augment(spec: &Spec, tokens: TokenStream) -> Result<TokenStream> {
    let fail = |message: String| Error::Generator {
        file: spec.path.clone(),
        operation: OperationId("*".to_owned()),
        message,
    };
    let mut file: File =
        syn::parse2(tokens).map_err(|e| fail(format!("cannot parse progenitor's output: {e}")))?;

    replace_error_import(&mut file).map_err(fail)?;

    let mut rewrite = Rewrite::default();
    rewrite.visit_file_mut(&mut file);
    let sends = collect_sends(&file);
    if rewrite.hooks != sends.len() {
        return Err(fail(format!(
            "expected progenitor's pre/exec/post hook calls in each of {} operation(s), found {}",
            sends.len(),
            rewrite.hooks
        )));
    }

    let types = module_mut(&mut file, "types")
        .ok_or_else(|| fail("no `types` module in progenitor's output".into()))?;
    open_enums(spec, types).map_err(fail)?;

    let ops = operation_table(spec, &sends).map_err(fail)?;
    let mut streams = Vec::new();
    for op in &ops {
        if let Some(pagination) = &op.pagination {
            let send = sends.iter().find(|s| s.id == op.id).ok_or_else(|| {
                fail(format!(
                    "operation `{}` has `x-pagination`, which needs `interface = \"builder\"`",
                    op.operation_id
                ))
            })?;
            let stream =
                stream_method(&file, op, send, pagination).map_err(|message| Error::Generator {
                    file: spec.path.clone(),
                    operation: OperationId(op.operation_id.clone()),
                    message,
                })?;
            streams.push(stream);
        }
    }
    if !streams.is_empty() {
        let builder = module_mut(&mut file, "builder")
            .ok_or_else(|| fail("no `builder` module in progenitor's output".into()))?;
        for stream in streams {
            builder.push(
                syn::parse2(stream)
                    .map_err(|e| fail(format!("generated stream method does not parse: {e}")))?,
            );
        }
    }

    replace_new(&mut file).map_err(fail)?;
    let tables = tables(spec, &ops);
    let tables: File =
        syn::parse2(tables).map_err(|e| fail(format!("generated tables do not parse: {e}")))?;
    file.items.extend(tables.items);
    Ok(file.into_token_stream())
}

/// `pub use progenitor_client::{.., Error, ..}` becomes a re-export of the
/// runtime's `Error`, which the rest of the generated code then names.
fn replace_error_import(file: &mut File) -> std::result::Result<(), String> {
    let expected = quote!(
        pub use progenitor_client::{ByteStream, ClientInfo, Error, ResponseValue};
    )
    .to_string();
    let runtime = Ident::new(RUNTIME, Span::call_site());
    for item in &mut file.items {
        if let Item::Use(u) = item {
            let mut plain = u.clone();
            plain.attrs.clear();
            let squash = |s: String| s.replace([' ', ','], "");
            if squash(plain.to_token_stream().to_string()) == squash(expected.clone()) {
                *item = syn::parse_quote! {
                    #[allow(unused_imports)]
                    pub use progenitor_client::{ByteStream, ClientInfo, ResponseValue};
                };
                file.items.insert(
                    0,
                    syn::parse_quote! {
                        /// The error of every operation (from the runtime, which keeps the
                        /// status and an excerpt of bodies that do not decode).
                        pub use ::#runtime::Error;
                    },
                );
                return Ok(());
            }
        }
    }
    Err("progenitor's output does not re-export `progenitor_client::Error` as expected".into())
}

/// progenitor's `Client::new(baseurl, inner)` needs a runtime the caller
/// cannot make; it becomes `Client::new(baseurl)`: no authentication, the
/// default retry policy, and an HTTP client whose construction cannot panic.
fn replace_new(file: &mut File) -> std::result::Result<(), String> {
    let runtime = Ident::new(RUNTIME, Span::call_site());
    for item in &mut file.items {
        let Item::Impl(imp) = item else { continue };
        if imp.trait_.is_some() || imp.self_ty.to_token_stream().to_string() != "Client" {
            continue;
        }
        for it in &mut imp.items {
            let syn::ImplItem::Fn(f) = it else { continue };
            if f.sig.ident == "new" {
                *f = syn::parse_quote! {
                    /// A client for the server at `baseurl` without authentication and
                    /// with the default retry policy; [`Client::builder`] sets both.
                    pub fn new(baseurl: &str) -> Self {
                        Self::new_with_client(
                            baseurl,
                            ::#runtime::default_http_client(),
                            ::#runtime::Runtime::new(&API),
                        )
                    }
                };
                return Ok(());
            }
        }
    }
    Err("progenitor's output has no `Client::new`".into())
}

/// Rewrites statements and calls inside every function body.
#[derive(Default)]
struct Rewrite {
    hooks: usize,
}

impl VisitMut for Rewrite {
    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        let runtime = Ident::new(RUNTIME, Span::call_site());
        let text: Vec<String> = block
            .stmts
            .iter()
            .map(|s| s.to_token_stream().to_string())
            .collect();
        let mut out: Vec<Stmt> = Vec::with_capacity(block.stmts.len());
        let mut i = 0;
        while i < block.stmts.len() {
            // progenitor: `X.pre(&mut request, &info).await?; let result =
            // X.exec(request, &info).await; X.post(&result, &info).await?;
            // let response = result?;`
            if let Some(receiver) =
                text[i].strip_suffix(" . pre (& mut request , & info) . await ? ;")
            {
                let exec = format!("let result = {receiver} . exec (request , & info) . await ;");
                let post = format!("{receiver} . post (& result , & info) . await ? ;");
                if text.get(i + 1) == Some(&exec)
                    && text.get(i + 2) == Some(&post)
                    && text.get(i + 3).map(String::as_str) == Some("let response = result ? ;")
                {
                    let receiver: TokenStream = receiver.parse().unwrap_or_default();
                    out.push(syn::parse_quote! {
                        let response = ::#runtime::send(&#receiver.client, &#receiver.inner, request, &info).await?;
                    });
                    self.hooks += 1;
                    i += 4;
                    continue;
                }
            }
            // The undocumented `api-version` header.
            if text[i].contains("\"api-version\"") && text[i].starts_with("header_map . append") {
                i += 1;
                continue;
            }
            out.push(block.stmts[i].clone());
            i += 1;
        }
        // Without `api-version`, a header map may get no entries at all.
        let appends = out.iter().any(|s| {
            s.to_token_stream()
                .to_string()
                .contains("header_map . append")
        });
        if !appends {
            for stmt in &mut out {
                if let Stmt::Local(local) = stmt {
                    if let syn::Pat::Ident(pat) = &mut local.pat {
                        if pat.ident == "header_map" {
                            pat.mutability = None;
                        }
                    }
                }
            }
        }
        block.stmts = out;
        visit_mut::visit_block_mut(self, block);
    }

    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        if let Expr::Call(call) = expr {
            if call.func.to_token_stream().to_string() == "ResponseValue :: from_response" {
                let runtime = Ident::new(RUNTIME, Span::call_site());
                *call.func = syn::parse_quote!(::#runtime::decode);
            }
        }
        visit_mut::visit_expr_mut(self, expr);
    }
}

/// One generated `send` (builder interface).
struct Send {
    /// progenitor's snake-case operation id.
    id: String,
    /// The builder type, e.g. `GetCustomer`.
    builder: Ident,
    /// `T` of `ResponseValue<T>`.
    response: Type,
    /// `E` of `Error<E>`.
    error: Type,
}

fn collect_sends(file: &File) -> Vec<Send> {
    fn walk(items: &[Item], out: &mut Vec<Send>) {
        for item in items {
            match item {
                Item::Mod(m) => {
                    if let Some((_, items)) = &m.content {
                        walk(items, out);
                    }
                }
                Item::Impl(imp) => {
                    let Type::Path(self_ty) = &*imp.self_ty else {
                        continue;
                    };
                    let Some(builder) = self_ty.path.segments.last().map(|s| s.ident.clone())
                    else {
                        continue;
                    };
                    for it in &imp.items {
                        let syn::ImplItem::Fn(f) = it else { continue };
                        if let Some(send) = parse_send(&builder, f) {
                            out.push(send);
                        }
                    }
                }
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    walk(&file.items, &mut out);
    // Positional interface: one method per operation on `Client`; counted
    // for the hook check, without a builder.
    if out.is_empty() {
        count_positional(&file.items, &mut out);
    }
    out
}

fn count_positional(items: &[Item], out: &mut Vec<Send>) {
    for item in items {
        let Item::Impl(imp) = item else { continue };
        for it in &imp.items {
            let syn::ImplItem::Fn(f) = it else { continue };
            let body = f.block.to_token_stream().to_string();
            if let Some(id) = operation_id_in(&body) {
                out.push(Send {
                    id,
                    builder: Ident::new("Client", Span::call_site()),
                    response: syn::parse_quote!(()),
                    error: syn::parse_quote!(()),
                });
            }
        }
    }
}

fn operation_id_in(body: &str) -> Option<String> {
    let start = body.find("operation_id : \"")? + "operation_id : \"".len();
    let end = body[start..].find('"')?;
    Some(body[start..start + end].to_owned())
}

fn parse_send(builder: &Ident, f: &syn::ImplItemFn) -> Option<Send> {
    if f.sig.ident != "send" {
        return None;
    }
    let id = operation_id_in(&f.block.to_token_stream().to_string())?;
    let syn::ReturnType::Type(_, ret) = &f.sig.output else {
        return None;
    };
    // Result<ResponseValue<T>, Error<E>>
    let [ok, err] = generic_args(ret)?.try_into().ok()?;
    let response = generic_args(&ok)?.into_iter().next()?;
    let error = generic_args(&err)?
        .into_iter()
        .next()
        .unwrap_or_else(|| syn::parse_quote!(()));
    Some(Send {
        id,
        builder: builder.clone(),
        response,
        error,
    })
}

/// The type arguments of the last segment of a path type.
fn generic_args(ty: &Type) -> Option<Vec<Type>> {
    let Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return Some(Vec::new());
    };
    Some(
        args.args
            .iter()
            .filter_map(|a| match a {
                syn::GenericArgument::Type(t) => Some(t.clone()),
                _ => None,
            })
            .collect(),
    )
}

fn module_mut<'a>(file: &'a mut File, name: &str) -> Option<&'a mut Vec<Item>> {
    file.items.iter_mut().find_map(|item| match item {
        Item::Mod(m) if m.ident == name => m.content.as_mut().map(|(_, items)| items),
        _ => None,
    })
}

fn module<'a>(file: &'a File, name: &str) -> Option<&'a Vec<Item>> {
    file.items.iter().find_map(|item| match item {
        Item::Mod(m) if m.ident == name => m.content.as_ref().map(|(_, items)| items),
        _ => None,
    })
}

/// Lowercase letters and digits only, to match names across naming styles.
fn normalized(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

// ---------------------------------------------------------------------------
// Open enums

/// A closed enum as typify writes it.
enum Closed {
    /// Unit variants with their wire strings.
    Strings(Vec<(Ident, String)>),
    /// An integer newtype, its integer type and accepted values.
    Integers(Ident, Vec<i64>),
}

fn open_enums(spec: &Spec, items: &mut Vec<Item>) -> std::result::Result<(), String> {
    let mut closed: BTreeMap<String, (Vec<Attribute>, Closed)> = BTreeMap::new();
    for item in items.iter() {
        match item {
            Item::Enum(e) if is_string_enum(e) => {
                let variants = e
                    .variants
                    .iter()
                    .map(|v| {
                        let wire = serde_rename(&v.attrs).unwrap_or_else(|| v.ident.to_string());
                        (v.ident.clone(), wire)
                    })
                    .collect();
                closed.insert(
                    e.ident.to_string(),
                    (docs(&e.attrs), Closed::Strings(variants)),
                );
            }
            Item::Struct(s) => {
                if let Some(int) = newtype_integer(s) {
                    if let Some(values) = accepted_values(items, &s.ident, &int) {
                        closed.insert(
                            s.ident.to_string(),
                            (docs(&s.attrs), Closed::Integers(int, values)),
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
    let names: BTreeSet<&String> = closed.keys().collect();
    items.retain(|item| match item {
        Item::Enum(e) => !names.contains(&e.ident.to_string()),
        Item::Struct(s) => !names.contains(&s.ident.to_string()),
        Item::Impl(imp) => !replaced_impl(imp, &names),
        _ => true,
    });
    for (name, (attrs, kind)) in &closed {
        let ident = Ident::new(name, Span::call_site());
        let code = match kind {
            Closed::Strings(variants) => open_string_enum(&ident, attrs, variants),
            Closed::Integers(int, values) => {
                let names = integer_variant_names(spec, name, values);
                open_integer_enum(&ident, attrs, int, values, &names)
            }
        };
        // The closed type was removed above; its open replacement must
        // take its place or the crate would not compile.
        let parsed = syn::parse2::<File>(code)
            .map_err(|e| format!("the open enum generated for `{name}` does not parse: {e}"))?;
        items.extend(parsed.items);
    }
    Ok(())
}

fn is_string_enum(e: &ItemEnum) -> bool {
    let derives = e
        .attrs
        .iter()
        .filter(|a| a.path().is_ident("derive"))
        .map(|a| a.to_token_stream().to_string())
        .collect::<String>();
    derives.contains("Deserialize")
        && !e.variants.is_empty()
        && e.variants.iter().all(|v| matches!(v.fields, Fields::Unit))
        && !e
            .attrs
            .iter()
            .any(|a| a.to_token_stream().to_string().contains("untagged"))
}

fn docs(attrs: &[Attribute]) -> Vec<Attribute> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .cloned()
        .collect()
}

fn serde_rename(attrs: &[Attribute]) -> Option<String> {
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let text = attr.to_token_stream().to_string();
        if let Some(start) = text.find("rename = \"") {
            let rest = &text[start + "rename = \"".len()..];
            let end = rest.find('"')?;
            let lit: syn::LitStr = syn::parse_str(&format!("\"{}\"", &rest[..end])).ok()?;
            return Some(lit.value());
        }
    }
    None
}

fn newtype_integer(s: &ItemStruct) -> Option<Ident> {
    let Fields::Unnamed(fields) = &s.fields else {
        return None;
    };
    let [field] = fields.unnamed.iter().collect::<Vec<_>>().try_into().ok()?;
    let Type::Path(p) = &field.ty else {
        return None;
    };
    let ident = p.path.get_ident()?;
    matches!(
        ident.to_string().as_str(),
        "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64"
    )
    .then(|| ident.clone())
}

/// The values in typify's `impl TryFrom<int> for T` check
/// (`if ![0_i32, 1_i32].contains(&value)`).
fn accepted_values(items: &[Item], ty: &Ident, int: &Ident) -> Option<Vec<i64>> {
    for item in items {
        let Item::Impl(imp) = item else { continue };
        let Some((trait_path, _)) = &imp.trait_ else {
            continue;
        };
        let trait_text = trait_path.to_token_stream().to_string();
        if !trait_text.ends_with(&format!("TryFrom < {int} >"))
            || *ty != imp.self_ty.to_token_stream().to_string()
        {
            continue;
        }
        let body = imp.to_token_stream().to_string();
        let start = body.find("! [")? + 3;
        let end = body[start..].find(']')? + start;
        let values = body[start..end]
            .split(',')
            .map(|v| {
                v.trim()
                    .trim_end_matches(&format!("_{int}"))
                    .replace(' ', "")
            })
            .filter(|v| !v.is_empty())
            .map(|v| v.parse::<i64>().ok())
            .collect::<Option<Vec<_>>>()?;
        return Some(values);
    }
    None
}

/// Impls of a replaced type, except `Default` (which names a variant that
/// still exists), and conversions into other types (`From<T> for i32`).
fn replaced_impl(imp: &ItemImpl, names: &BTreeSet<&String>) -> bool {
    let self_ty = imp.self_ty.to_token_stream().to_string();
    let trait_text = imp
        .trait_
        .as_ref()
        .map(|(p, _)| p.to_token_stream().to_string())
        .unwrap_or_default();
    if trait_text.ends_with("Default") {
        return false;
    }
    if names.contains(&self_ty) {
        return true;
    }
    names
        .iter()
        .any(|name| trait_text.ends_with(&format!("From < {name} >")))
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

/// Variant names of an integer enum: the spec's `x-enum-varnames` for the
/// component of the same name when it has one per value, else `ValueN`.
fn integer_variant_names(spec: &Spec, type_name: &str, values: &[i64]) -> Vec<Ident> {
    let from_spec = spec
        .value
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .and_then(|schemas| {
            schemas
                .iter()
                .find(|(name, _)| normalized(name) == normalized(type_name))
        })
        .and_then(|(_, schema)| schema.get("x-enum-varnames"))
        .and_then(Value::as_array)
        .filter(|names| names.len() == values.len())
        .and_then(|names| {
            names
                .iter()
                .map(|n| n.as_str().and_then(variant_ident))
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

// ---------------------------------------------------------------------------
// Operation and scheme tables

struct OpInfo {
    id: String,
    operation_id: String,
    method: String,
    path: String,
    idempotent: bool,
    security: Vec<Vec<(String, Vec<String>)>>,
    auto_headers: Vec<String>,
    pagination: Option<Pagination>,
}

fn operation_table(spec: &Spec, sends: &[Send]) -> std::result::Result<Vec<OpInfo>, String> {
    let root = &spec.value;
    let global_security = root.get("security");
    let mut out = Vec::new();
    for op in operations(root) {
        let name = op.name();
        let id = sends
            .iter()
            .find(|s| normalized(&s.id) == normalized(&name))
            .map(|s| s.id.clone())
            .ok_or_else(|| format!("cannot find progenitor's code for operation `{name}`"))?;
        // Validation already reported problems; here they cannot occur.
        let ext = operation_extensions(spec, &op).map_err(|problems| {
            problems
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ")
        })?;
        let security = op
            .value
            .get("security")
            .or(global_security)
            .and_then(Value::as_array)
            .map(|alternatives| {
                alternatives
                    .iter()
                    .filter_map(Value::as_object)
                    .map(|requirement| {
                        requirement
                            .iter()
                            .map(|(scheme, scopes)| {
                                let scopes = scopes
                                    .as_array()
                                    .into_iter()
                                    .flatten()
                                    .filter_map(Value::as_str)
                                    .map(str::to_owned)
                                    .collect();
                                (scheme.clone(), scopes)
                            })
                            .collect()
                    })
                    .collect()
            })
            .unwrap_or_default();
        out.push(OpInfo {
            id,
            operation_id: name,
            method: op.method.to_uppercase(),
            path: op.path.to_owned(),
            idempotent: ext.idempotent,
            security,
            auto_headers: ext.auto_headers,
            pagination: ext.pagination,
        });
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(out)
}

/// SCREAMING_SNAKE_CASE of a scheme name (`elementsCommercial` →
/// `ELEMENTS_COMMERCIAL`).
pub(crate) fn constant_name(name: &str) -> Ident {
    let mut out = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            if c.is_ascii_uppercase() && previous_lower {
                out.push('_');
            }
            out.push(c.to_ascii_uppercase());
            previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        } else {
            if !out.ends_with('_') {
                out.push('_');
            }
            previous_lower = false;
        }
    }
    let out = out.trim_matches('_').to_owned();
    let out = if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        format!("SCHEME_{out}")
    } else {
        out
    };
    format_ident!("{}", out)
}

fn tables(spec: &Spec, ops: &[OpInfo]) -> TokenStream {
    let runtime = Ident::new(RUNTIME, Span::call_site());
    let schemes = spec
        .value
        .pointer("/components/securitySchemes")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let mut scheme_items = Vec::new();
    let mut scheme_refs = Vec::new();
    for (name, scheme) in &schemes {
        let constant = constant_name(name);
        let kind = match (
            scheme.get("type").and_then(Value::as_str),
            scheme.get("scheme").and_then(Value::as_str),
        ) {
            (Some("http"), Some(s)) if s.eq_ignore_ascii_case("bearer") => quote!(Bearer),
            (Some("oauth2"), _) if scheme.pointer("/flows/clientCredentials").is_some() => {
                quote!(ClientCredentials)
            }
            (Some("oauth2"), _) if scheme.pointer("/flows/authorizationCode").is_some() => {
                quote!(AuthorizationCode)
            }
            _ => quote!(Other),
        };
        let token_url = ["clientCredentials", "authorizationCode", "password"]
            .iter()
            .find_map(|flow| {
                scheme
                    .pointer(&format!("/flows/{flow}/tokenUrl"))
                    .and_then(Value::as_str)
            });
        let token_url = match token_url {
            Some(url) => quote!(Some(#url)),
            None => quote!(None),
        };
        let resource = match scheme.get("x-resource").and_then(Value::as_str) {
            Some(r) => quote!(Some(#r)),
            None => quote!(None),
        };
        let doc = format!(
            "The `{name}` security scheme of the spec.{}",
            scheme
                .get("description")
                .and_then(Value::as_str)
                .map(|d| format!("\n\n{d}"))
                .unwrap_or_default()
        );
        scheme_items.push(quote! {
            #[doc = #doc]
            pub static #constant: ::#runtime::SecurityScheme = ::#runtime::SecurityScheme {
                name: #name,
                kind: ::#runtime::SchemeKind::#kind,
                token_url: #token_url,
                resource: #resource,
            };
        });
        scheme_refs.push(quote!(&schemes::#constant));
    }
    let op_items = ops.iter().map(|op| {
        let OpInfo {
            id,
            operation_id,
            method,
            path,
            idempotent,
            ..
        } = op;
        let security = op.security.iter().map(|requirement| {
            let pairs = requirement
                .iter()
                .map(|(scheme, scopes)| quote!((#scheme, &[#(#scopes),*])));
            quote!(&[#(#pairs),*])
        });
        let auto = op.auto_headers.iter().map(|name| {
            quote!(::#runtime::AutoHeader { name: #name, value: ::#runtime::AutoValue::Uuid })
        });
        quote! {
            ::#runtime::OperationMeta {
                id: #id,
                operation_id: #operation_id,
                method: #method,
                path: #path,
                idempotent: #idempotent,
                security: &[#(#security),*],
                auto_headers: &[#(#auto),*],
            }
        }
    });
    quote! {
        /// The runtime this client is built on: token sources (`runtime::auth`),
        /// retry policy, paging streams and the error type.
        pub use ::#runtime as runtime;
        /// The security schemes of the spec, to pass to [`Client::builder`]'s
        /// `auth` together with a token source.
        pub mod schemes {
            #(#scheme_items)*
        }
        /// The operations and security schemes of the spec, as the runtime uses
        /// them (idempotency, scopes, headers filled per call).
        pub static API: ::#runtime::ApiMeta = ::#runtime::ApiMeta {
            operations: &[#(#op_items),*],
            schemes: &[#(#scheme_refs),*],
        };
        impl ::#runtime::GeneratedClient for Client {
            fn api() -> &'static ::#runtime::ApiMeta {
                &API
            }
            fn from_parts(baseurl: &str, http: reqwest::Client, runtime: ::#runtime::Runtime) -> Self {
                Self::new_with_client(baseurl, http, runtime)
            }
        }
        impl Client {
            /// Starts building a client for the server at `baseurl`, where
            /// authentication and the retry policy are set.
            pub fn builder(baseurl: impl Into<String>) -> ::#runtime::ClientBuilder<Self> {
                ::#runtime::ClientBuilder::new(baseurl)
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Streams

fn stream_method(
    file: &File,
    op: &OpInfo,
    send: &Send,
    pagination: &Pagination,
) -> std::result::Result<TokenStream, String> {
    let runtime = Ident::new(RUNTIME, Span::call_site());
    let types = module(file, "types").ok_or("no `types` module")?;
    let builder = &send.builder;
    let page_ty = &send.response;
    let error_ty = &send.error;
    let page_name = page_ty
        .to_token_stream()
        .to_string()
        .rsplit(' ')
        .next()
        .unwrap_or_default()
        .to_owned();
    // The pointers were checked against the response schema by validation;
    // here they are followed through the generated types.
    let items_pointer = match pagination {
        Pagination::PageNumber { items, .. } | Pagination::NextLink { items, .. } => items,
    };
    let (items_expr, item_ty) = owned_items(types, &page_name, items_pointer)?;
    let id = &op.id;
    let doc = format!(
        "Streams the items of every page of `{}`, fetching pages lazily one at a time (memory stays bounded by one page). The stream ends after the last page or the first error.",
        op.operation_id
    );
    let code = match pagination {
        Pagination::PageNumber {
            page_parameter,
            first_page,
            total,
            ..
        } => {
            let setter = builder_method(file, builder, page_parameter)?;
            let total_expr = match total {
                Some(total) => borrowed_integer(types, &page_name, total)?,
                None => quote!(None),
            };
            quote! {
                impl<'a> #builder<'a> {
                    #[doc = #doc]
                    ///
                    /// Pages are numbered from the spec's first page up; the stream
                    /// stops after an empty page or once the total count is reached.
                    /// The page parameter set on this builder is ignored.
                    pub fn stream(self) -> ::#runtime::paging::ItemStream<'a, #item_ty, #error_ty> {
                        ::#runtime::paging::page_number(
                            #first_page,
                            move |page: i64| self.clone().#setter(page).send(),
                            |page: #page_ty| {
                                let total: ::std::option::Option<i64> = #total_expr;
                                let items: ::std::vec::Vec<#item_ty> = #items_expr;
                                (items, total)
                            },
                        )
                    }
                }
            }
        }
        Pagination::NextLink { next_link, .. } => {
            let link_expr = borrowed_link(types, &page_name, next_link)?;
            let typed_errors = error_ty.to_token_stream().to_string() != "()";
            quote! {
                impl<'a> #builder<'a> {
                    #[doc = #doc]
                    ///
                    /// Further pages are fetched from the link each page carries,
                    /// with its method and headers (such as a continuation token);
                    /// a link to another host is refused.
                    pub fn stream(self) -> ::#runtime::paging::ItemStream<'a, #item_ty, #error_ty> {
                        let client: &'a super::Client = self.client;
                        ::#runtime::paging::next_link(
                            self.send(),
                            move |link| ::#runtime::paging::follow(
                                &client.client,
                                &client.baseurl,
                                &client.inner,
                                #id,
                                link,
                                #typed_errors,
                            ),
                            |page: #page_ty| {
                                let next = #link_expr;
                                let items: ::std::vec::Vec<#item_ty> = #items_expr;
                                Ok(::#runtime::paging::Page { items, next })
                            },
                        )
                    }
                }
            }
        }
    };
    Ok(code)
}

/// The builder method that sets the parameter named `name` in the spec.
fn builder_method(file: &File, builder: &Ident, name: &str) -> std::result::Result<Ident, String> {
    let items = module(file, "builder").ok_or("no `builder` module")?;
    for item in items {
        let Item::Impl(imp) = item else { continue };
        if imp.self_ty.to_token_stream().to_string().split(' ').next() != Some(&builder.to_string())
        {
            continue;
        }
        for it in &imp.items {
            if let syn::ImplItem::Fn(f) = it {
                if normalized(&f.sig.ident.to_string()) == normalized(name) {
                    return Ok(f.sig.ident.clone());
                }
            }
        }
    }
    Err(format!(
        "builder `{builder}` has no method for parameter `{name}`"
    ))
}

/// The field of struct `ty` in `types` for the JSON property `property`,
/// with its type.
fn field<'a>(
    types: &'a [Item],
    ty: &str,
    property: &str,
) -> std::result::Result<(&'a Ident, &'a Type), String> {
    let s = types
        .iter()
        .find_map(|item| match item {
            Item::Struct(s) if s.ident == ty => Some(s),
            _ => None,
        })
        .ok_or_else(|| format!("no struct `{ty}` in the generated types"))?;
    let Fields::Named(fields) = &s.fields else {
        return Err(format!("`{ty}` has no named fields"));
    };
    fields
        .named
        .iter()
        .find(|f| {
            let wire = serde_rename(&f.attrs).or_else(|| f.ident.as_ref().map(ToString::to_string));
            wire.as_deref() == Some(property)
        })
        .and_then(|f| f.ident.as_ref().map(|i| (i, &f.ty)))
        .ok_or_else(|| format!("`{ty}` has no field for property `{property}`"))
}

/// `T` of `Option<T>`, if `ty` is an option.
fn option_inner(ty: &Type) -> Option<&Type> {
    let Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    if last.ident != "Option" {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first()? {
        syn::GenericArgument::Type(t) => Some(t),
        _ => None,
    }
}

/// The struct name a field type points to (`PageMetadata`, `Box<Link>`).
fn struct_name(ty: &Type) -> std::result::Result<String, String> {
    let Type::Path(p) = ty else {
        return Err(format!("`{}` is not a named type", ty.to_token_stream()));
    };
    let last = p.path.segments.last().ok_or("empty type path")?;
    if last.ident == "Box" {
        return Err("boxed (recursive) types on a paging pointer are not supported".into());
    }
    Ok(last.ident.to_string())
}

fn tokens_of(pointer: &str) -> Vec<String> {
    pointer
        .split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// How [`walk`] reaches into a page: by reference (for counts and links,
/// read before the items are moved out) or by value (for the items).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Access {
    Borrow,
    Move,
}

/// Walks `pointer` from `page`, a value of struct `root_ty`, through the
/// generated field types. Returns the expression, whether it is an
/// `Option`, and the final field type (without `Option`). Borrowed
/// expressions are `&T` or `Option<&T>`.
fn walk(
    types: &[Item],
    root_ty: &str,
    pointer: &str,
    access: Access,
) -> std::result::Result<(TokenStream, bool, Type), String> {
    let mut expr = match access {
        Access::Borrow => quote!((&page)),
        Access::Move => quote!(page),
    };
    let mut optional = false;
    let mut ty_name = root_ty.to_owned();
    let mut last_ty: Option<Type> = None;
    for (i, token) in tokens_of(pointer).iter().enumerate() {
        if i > 0 {
            ty_name = struct_name(last_ty.as_ref().ok_or("empty pointer")?)?;
        }
        let (ident, fty) = field(types, &ty_name, token)?;
        let inner = option_inner(fty);
        expr = match (access, optional, inner.is_some()) {
            (Access::Borrow, false, false) => quote!((&#expr.#ident)),
            (Access::Borrow, false, true) => quote!(#expr.#ident.as_ref()),
            (Access::Borrow, true, false) => quote!(#expr.map(|v| &v.#ident)),
            (Access::Borrow, true, true) => quote!(#expr.and_then(|v| v.#ident.as_ref())),
            (Access::Move, false, _) => quote!(#expr.#ident),
            (Access::Move, true, false) => quote!(#expr.map(|v| v.#ident)),
            (Access::Move, true, true) => quote!(#expr.and_then(|v| v.#ident)),
        };
        optional |= inner.is_some();
        last_ty = Some(inner.unwrap_or(fty).clone());
    }
    Ok((expr, optional, last_ty.ok_or("empty pointer")?))
}

fn borrowed_integer(
    types: &[Item],
    root_ty: &str,
    pointer: &str,
) -> std::result::Result<TokenStream, String> {
    let (expr, optional, _) = walk(types, root_ty, pointer, Access::Borrow)?;
    Ok(if optional {
        quote!(#expr.and_then(|v| i64::try_from(*v).ok()))
    } else {
        quote!(i64::try_from(*#expr).ok())
    })
}

fn borrowed_link(
    types: &[Item],
    root_ty: &str,
    pointer: &str,
) -> std::result::Result<TokenStream, String> {
    let runtime = Ident::new(RUNTIME, Span::call_site());
    let (expr, optional, _) = walk(types, root_ty, pointer, Access::Borrow)?;
    Ok(if optional {
        quote!(#expr.map(|link| ::#runtime::paging::to_link(link)).transpose()?)
    } else {
        quote!(Some(::#runtime::paging::to_link(#expr)?))
    })
}

/// Moves the item array out of `page`. Returns the expression (a `Vec`)
/// and the item type, qualified for use outside `types`.
fn owned_items(
    types: &[Item],
    root_ty: &str,
    pointer: &str,
) -> std::result::Result<(TokenStream, TokenStream), String> {
    let (expr, optional, vec_ty) = walk(types, root_ty, pointer, Access::Move)?;
    let item = generic_args(&vec_ty)
        .and_then(|args| args.into_iter().next())
        .ok_or_else(|| format!("`{pointer}` is not a list in the generated types"))?;
    let expr = if optional {
        quote!(#expr.unwrap_or_default())
    } else {
        expr
    };
    Ok((expr, qualify(types, &item)))
}

/// Prefixes a type defined in `types` with `types::`.
fn qualify(types: &[Item], ty: &Type) -> TokenStream {
    if let Type::Path(p) = ty {
        if let Some(ident) = p.path.get_ident() {
            let defined = types.iter().any(|item| match item {
                Item::Struct(s) => s.ident == *ident,
                Item::Enum(e) => e.ident == *ident,
                Item::Type(t) => t.ident == *ident,
                _ => false,
            });
            if defined {
                return quote!(types::#ident);
            }
        }
    }
    ty.to_token_stream()
}

// ---------------------------------------------------------------------------
// Mocks

/// Appends the `mock` module (feature `mock`): progenitor's typed `httpmock`
/// helpers (`mocks`), and `sample_server()`, a loopback server that answers
/// every operation with its first documented success sample.
pub fn append_mocks(spec: &Spec, tokens: TokenStream, mocks: TokenStream) -> Result<TokenStream> {
    let fail = |message: String| Error::Generator {
        file: spec.path.clone(),
        operation: OperationId("*".to_owned()),
        message,
    };
    let mut file: File =
        syn::parse2(tokens).map_err(|e| fail(format!("cannot parse the client: {e}")))?;
    let mut registrations = Vec::new();
    let mut seen = BTreeSet::new();
    for sample in crate::samples::samples(spec) {
        let crate::samples::SampleKind::Response { status, media_type } = &sample.kind else {
            continue;
        };
        if !status.starts_with('2')
            || !media_type.contains("json")
            || !seen.insert((sample.method.clone(), sample.path.clone()))
        {
            continue;
        }
        let status: u16 = status.parse().unwrap_or(200);
        let method = sample.method.to_uppercase();
        let regex = path_regex(&sample.path);
        let body = serde_json::to_string(&sample.value)
            .map_err(|e| fail(format!("sample of `{}`: {e}", sample.operation)))?;
        registrations.push(quote! {
            server
                .mock_async(|when, then| {
                    when.method(#method).path_matches(#regex);
                    then.status(#status)
                        .header("content-type", "application/json")
                        .body(#body);
                })
                .await;
        });
    }
    let module = quote! {
        /// Test helpers for code that uses this client (feature `mock`):
        /// typed `httpmock` expectations per operation ([`MockServerExt`],
        /// generated by progenitor) and [`sample_server`], which answers every
        /// operation with its documented sample.
        #[cfg(feature = "mock")]
        #[allow(clippy::all)]
        pub mod mock {
            #mocks

            /// Starts a server on loopback that answers each operation of the
            /// spec with the first success sample its documentation shows, for
            /// trying the client without credentials or network.
            pub async fn sample_server() -> ::httpmock::MockServer {
                let server = ::httpmock::MockServer::start_async().await;
                #(#registrations)*
                server
            }
        }
    };
    let module: File = syn::parse2(module)
        .map_err(|e| fail(format!("generated mock module does not parse: {e}")))?;
    file.items.extend(module.items);
    Ok(file.into_token_stream())
}

/// An anchored regex matching the paths of a template (`{param}` is one
/// non-empty segment).
fn path_regex(template: &str) -> String {
    let mut out = String::from("^");
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&regex_escape(&rest[..start]));
        match rest[start..].find('}') {
            Some(end) => {
                out.push_str("[^/]+");
                rest = &rest[start + end + 1..];
            }
            None => {
                rest = &rest[start..];
                break;
            }
        }
    }
    out.push_str(&regex_escape(rest));
    out.push('$');
    out
}

fn regex_escape(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
