//! Paging streams: every operation with `x-pagination` gets a `stream()`
//! method on its builder that yields the items of every page, fetching
//! pages lazily through the runtime's `paging` module.
//!
//! The JSON pointers of `x-pagination` were checked against the response
//! schema by validation; here they are followed through the generated
//! struct fields, so `Option` nesting is handled.

use proc_macro2::TokenStream;
use quote::{quote, ToTokens};
use syn::{Fields, File, Ident, Item, Type};

use super::runtime;
use super::shape::{self, Send};
use super::tables::OpInfo;
use crate::extensions::Pagination;

/// The `stream()` method of a paged operation's builder.
pub(crate) fn stream_method(
    file: &File,
    op: &OpInfo<'_>,
    send: &Send,
    pagination: &Pagination,
) -> Result<TokenStream, String> {
    let runtime = runtime();
    let types = shape::module(file, "types").ok_or("no `types` module")?;
    let builder = &send.builder;
    if builder == "Client" {
        return Err("`x-pagination` needs `interface = \"builder\"`".into());
    }
    let page_ty = &send.response;
    let error_ty = &send.error;
    let page_name = shape::last_ident(page_ty)
        .ok_or_else(|| {
            format!(
                "the page type `{}` is not a named type",
                page_ty.to_token_stream()
            )
        })?
        .to_string();
    // The pointers were checked against the response schema by validation;
    // here they are followed through the generated types.
    let items_pointer = match pagination {
        Pagination::PageNumber { items, .. } | Pagination::NextLink { items, .. } => items,
    };
    let (items_expr, item_ty) = owned_items(types, &page_name, items_pointer)?;
    let id = &op.method_name;
    let doc = format!(
        "Streams the items of every page of `{}`, fetching pages lazily one at a time (memory stays bounded by one page). The stream ends after the last page or the first error.",
        op.op.id
    );
    let from_doc = format!(
        "Like [`stream`](Self::stream), resuming `{}` at the page `cursor` locates: a [`PageStream::next_cursor`](::{runtime}::paging::PageStream::next_cursor) the caller kept.",
        op.op.id
    );
    // The stream owns a clone of the client and the builder's parameters,
    // so it is `'static`; each request rebuilds the builder around a
    // reference to that clone.
    let fields = shape::builder_fields(file, builder)
        .ok_or_else(|| format!("builder `{builder}` is not a struct with a `client` field"))?;
    let indexes = (0..fields.len()).map(syn::Index::from);
    let rebuilt = quote!(#builder { client: &client, #(#fields: parts.#indexes,)* });
    let parts = if fields.is_empty() {
        quote!()
    } else {
        quote!(let parts = (#(self.#fields,)*);)
    };
    let client = quote!(let client: super::Client = ::std::clone::Clone::clone(self.client););
    let code = match pagination {
        Pagination::PageNumber {
            page_parameter,
            first_page,
            total,
            ..
        } => {
            // The parameter's Rust name follows the name progenitor saw.
            let page_parameter = op
                .op
                .parameters
                .iter()
                .find(|p| p.name == *page_parameter && p.location == "query")
                .map_or(page_parameter.as_str(), |p| p.progenitor_name());
            let setter = builder_method(file, builder, page_parameter)?;
            let total_expr = match total {
                Some(total) => borrowed_integer(types, &page_name, total)?,
                None => quote!(None),
            };
            let clone_parts = if fields.is_empty() {
                quote!()
            } else {
                quote!(let parts = ::std::clone::Clone::clone(&parts);)
            };
            quote! {
                impl<'a> #builder<'a> {
                    #[doc = #doc]
                    ///
                    /// Pages are numbered from the spec's first page up; the stream
                    /// stops after an empty page or once the total count is reached.
                    /// The page parameter set on this builder is ignored. The stream
                    /// owns a clone of the client, so it can be spawned on a task.
                    pub fn stream(self) -> ::#runtime::paging::PageStream<#item_ty, #error_ty, i64> {
                        self.stream_from(#first_page)
                    }

                    #[doc = #from_doc]
                    ///
                    /// The cursor is a page number; the other parameters set on this
                    /// builder apply to every page.
                    pub fn stream_from(self, cursor: i64) -> ::#runtime::paging::PageStream<#item_ty, #error_ty, i64> {
                        #client
                        #parts
                        ::#runtime::paging::page_number(
                            cursor,
                            move |page: i64| {
                                let client = ::std::clone::Clone::clone(&client);
                                #clone_parts
                                async move { #rebuilt.#setter(page).send().await }
                            },
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
        Pagination::NextLink {
            next_link,
            link_base,
            ..
        } => {
            let link_expr = borrowed_link(types, &page_name, next_link)?;
            let typed_errors = !matches!(error_ty, Type::Tuple(t) if t.elems.is_empty());
            let typed = typed_errors.then(|| quote!(.with_typed_errors()));
            let base = link_base.as_ref().map(|b| quote!(.with_link_base(#b)));
            let base_doc = match link_base {
                Some(b) => format!(
                    "Link paths are relative to `{b}`: one that does not start with it is put under it."
                ),
                None => "Link paths are relative to the host.".to_owned(),
            };
            let follow = quote! {
                move |link: ::#runtime::paging::Link| {
                    const RULES: ::#runtime::paging::LinkRules =
                        ::#runtime::paging::LinkRules::new(#id) #typed #base;
                    let client = ::std::clone::Clone::clone(&client);
                    async move {
                        ::#runtime::paging::follow(
                            &client.client,
                            &client.baseurl,
                            &client.inner,
                            &RULES,
                            link,
                        )
                        .await
                    }
                }
            };
            let split = quote! {
                |page: #page_ty| {
                    let next = #link_expr;
                    let items: ::std::vec::Vec<#item_ty> = #items_expr;
                    Ok(::#runtime::paging::Page { items, next })
                }
            };
            quote! {
                impl<'a> #builder<'a> {
                    #[doc = #doc]
                    ///
                    /// Further pages are fetched from the link each page carries,
                    /// with its method and headers (such as a continuation token);
                    /// a link to another host is refused.
                    #[doc = #base_doc]
                    /// The stream owns a clone of the client, so it can be spawned
                    /// on a task.
                    pub fn stream(self) -> ::#runtime::paging::PageStream<#item_ty, #error_ty, ::#runtime::paging::Link> {
                        #client
                        #parts
                        let first = {
                            let client = ::std::clone::Clone::clone(&client);
                            async move { #rebuilt.send().await }
                        };
                        ::#runtime::paging::next_link(first, #follow, #split)
                    }

                    #[doc = #from_doc]
                    ///
                    /// The cursor is the link to the next page, for example one whose
                    /// headers carry a continuation token the caller kept; the
                    /// parameters set on this builder are not sent, as the link
                    /// carries them.
                    pub fn stream_from(self, cursor: ::#runtime::paging::Link) -> ::#runtime::paging::PageStream<#item_ty, #error_ty, ::#runtime::paging::Link> {
                        #client
                        ::#runtime::paging::next_link_from(cursor, #follow, #split)
                    }
                }
            }
        }
    };
    Ok(code)
}

/// The builder method that sets the parameter named `name` in the spec:
/// the one progenitor named after it (compared without case and
/// separators). Two candidates are an error rather than a guess.
fn builder_method(file: &File, builder: &Ident, name: &str) -> Result<Ident, String> {
    let candidates: Vec<&Ident> = shape::builder_methods(file, builder)
        .into_iter()
        .filter(|m| crate::names::key(&m.to_string()) == crate::names::key(name))
        .collect();
    match candidates.as_slice() {
        [one] => Ok((*one).clone()),
        [] => Err(format!(
            "builder `{builder}` has no method for parameter `{name}`"
        )),
        many => Err(format!(
            "builder `{builder}` has {} methods that could set parameter `{name}`",
            many.len()
        )),
    }
}

/// The field of struct `ty` in `types` for the JSON property `property`,
/// with its type.
fn field<'a>(types: &'a [Item], ty: &str, property: &str) -> Result<(&'a Ident, &'a Type), String> {
    let s = shape::find_struct(types, ty)
        .ok_or_else(|| format!("no struct `{ty}` in the generated types"))?;
    let Fields::Named(fields) = &s.fields else {
        return Err(format!("`{ty}` has no named fields"));
    };
    fields
        .named
        .iter()
        .find(|f| {
            let wire =
                shape::serde_rename(&f.attrs).or_else(|| f.ident.as_ref().map(ToString::to_string));
            wire.as_deref() == Some(property)
        })
        .and_then(|f| f.ident.as_ref().map(|i| (i, &f.ty)))
        .ok_or_else(|| format!("`{ty}` has no field for property `{property}`"))
}

/// The struct name a field type points to (`PageMetadata`, `Box<Link>`).
fn struct_name(ty: &Type) -> Result<String, String> {
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
) -> Result<(TokenStream, bool, Type), String> {
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
        let inner = shape::option_inner(fty);
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

fn borrowed_integer(types: &[Item], root_ty: &str, pointer: &str) -> Result<TokenStream, String> {
    let (expr, optional, _) = walk(types, root_ty, pointer, Access::Borrow)?;
    Ok(if optional {
        quote!(#expr.and_then(|v| i64::try_from(*v).ok()))
    } else {
        quote!(i64::try_from(*#expr).ok())
    })
}

fn borrowed_link(types: &[Item], root_ty: &str, pointer: &str) -> Result<TokenStream, String> {
    let runtime = runtime();
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
) -> Result<(TokenStream, TokenStream), String> {
    let (expr, optional, vec_ty) = walk(types, root_ty, pointer, Access::Move)?;
    let item = shape::generic_args(&vec_ty)
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
            if shape::defines(types, ident) {
                return quote!(types::#ident);
            }
        }
    }
    ty.to_token_stream()
}
