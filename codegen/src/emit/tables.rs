//! The spec's operations and security schemes as static tables the
//! runtime reads (`API`, `schemes::*`), its servers as base URL constants
//! (`servers::*`), and `Client::builder`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::Ident;

use super::runtime;
use crate::model::{Model, Operation, SchemeKind, Server};

/// An operation of the model with progenitor's name for it.
pub(crate) struct OpInfo<'a> {
    /// progenitor's snake-case name: the `Client` method and the runtime's
    /// operation key.
    pub method_name: String,
    pub op: &'a Operation,
}

/// SCREAMING_SNAKE_CASE of a scheme name (`elementsCommercial` →
/// `ELEMENTS_COMMERCIAL`).
pub fn constant_name(name: &str) -> Ident {
    format_ident!("{}", crate::names::screaming_snake(name, "SCHEME"))
}

/// The `servers` module: a constant per server with a usable URL, in
/// document order, its description and the schemes it pairs with in its
/// doc comment. Nothing when no server has a constant.
fn servers(model: &Model) -> TokenStream {
    let items: Vec<TokenStream> = model
        .servers
        .iter()
        .enumerate()
        .filter_map(|(i, server)| Some((i, server, server.constant.as_deref()?)))
        .map(|(i, server, constant)| {
            let constant = format_ident!("{}", constant);
            let url = &server.url;
            let doc = server_doc(i, server);
            quote! {
                #[doc = #doc]
                pub const #constant: &str = #url;
            }
        })
        .collect();
    if items.is_empty() {
        return TokenStream::new();
    }
    let runtime = runtime();
    // One arm per URL, without a trailing `/`, as `Client::new` trims it;
    // validation makes the servers that share a URL share their schemes.
    let mut seen = Vec::new();
    let arms: Vec<TokenStream> = model
        .servers
        .iter()
        .filter(|server| server.constant.is_some() && !server.schemes.is_empty())
        .filter_map(|server| {
            let url = server.url.trim_end_matches('/').to_owned();
            if seen.contains(&url) {
                return None;
            }
            seen.push(url.clone());
            let count = proc_macro2::Literal::usize_unsuffixed(server.schemes.len());
            let schemes = server.schemes.iter().map(|name| constant_name(name));
            // A reference to a static is not promoted to `'static` in an
            // expression, so each list is a static of its own.
            Some(quote! {
                #url => {
                    static SCHEMES: [&::#runtime::SecurityScheme; #count] =
                        [#(&super::schemes::#schemes),*];
                    &SCHEMES
                }
            })
        })
        .collect();
    let body = if arms.is_empty() {
        quote! {
            let _ = url;
            &[]
        }
    } else {
        quote! {
            match url.trim_end_matches('/') {
                #(#arms)*
                _ => &[],
            }
        }
    };
    quote! {
        /// The servers of the spec, as base URLs for [`Client::new`] and
        /// [`Client::builder`].
        pub mod servers {
            #(#items)*
            /// The security schemes whose tokens the server at `url` takes,
            /// where the spec pairs them (`x-security-schemes`); empty for
            /// a server it pairs with none and for a URL it does not list.
            /// A trailing `/` is ignored.
            pub fn schemes_of(url: &str) -> &'static [&'static ::#runtime::SecurityScheme] {
                #body
            }
        }
    }
}

/// The doc comment of a server's constant: its description, its URL and
/// the schemes whose tokens it takes.
fn server_doc(index: usize, server: &Server) -> String {
    let mut doc = server
        .description
        .as_deref()
        .map(|d| {
            format!(
                "{}

",
                d.trim()
            )
        })
        .unwrap_or_default();
    doc.push_str(&format!("Base URL `{}`", server.url));
    if index == 0 {
        doc.push_str(", the spec's first server");
    }
    doc.push('.');
    let links: Vec<String> = server
        .schemes
        .iter()
        .map(|name| {
            let constant = constant_name(name);
            format!("[`schemes::{constant}`](super::schemes::{constant})")
        })
        .collect();
    match links.as_slice() {
        [] => {}
        [one] => doc.push_str(&format!(" Sign in with {one}.")),
        many => doc.push_str(&format!(" Sign in with one of {}.", many.join(", "))),
    }
    doc
}

/// The `schemes` statics, the `servers` constants, the `API` table and
/// `Client::builder`.
pub(crate) fn tables(model: &Model, ops: &[OpInfo<'_>]) -> TokenStream {
    let runtime = runtime();
    let mut scheme_items = Vec::new();
    let mut scheme_refs = Vec::new();
    for scheme in &model.schemes {
        let name = &scheme.name;
        let constant = constant_name(name);
        let kind = match &scheme.kind {
            SchemeKind::Http { scheme } if scheme.eq_ignore_ascii_case("bearer") => quote!(Bearer),
            SchemeKind::OAuth2(_) if scheme.flow("clientCredentials").is_some() => {
                quote!(ClientCredentials)
            }
            SchemeKind::OAuth2(_) if scheme.flow("authorizationCode").is_some() => {
                quote!(AuthorizationCode)
            }
            _ => quote!(Other),
        };
        let token_url = match scheme.token_url() {
            Some(url) => quote!(Some(#url)),
            None => quote!(None),
        };
        let resource = match &scheme.resource {
            Some(r) => quote!(Some(#r)),
            None => quote!(None),
        };
        let doc = format!(
            "The `{name}` security scheme of the spec.{}",
            scheme
                .description
                .as_deref()
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
    let servers = servers(model);
    let op_items = ops.iter().map(|op| {
        let id = &op.method_name;
        let operation_id = &op.op.id.0;
        let method = op.op.method.upper();
        let path = &op.op.path;
        let idempotent = op.op.idempotent;
        let security = op.op.security.iter().map(|requirement| {
            let pairs = requirement
                .iter()
                .map(|(scheme, scopes)| quote!((#scheme, &[#(#scopes),*])));
            quote!(&[#(#pairs),*])
        });
        let server = match &op.op.server {
            Some(url) => quote!(::std::option::Option::Some(#url)),
            None => quote!(::std::option::Option::None),
        };
        let auto = op.op.auto_headers().map(|(name, value)| {
            let value = match value {
                crate::extensions::AutoValue::Uuid => quote!(::#runtime::AutoValue::Uuid),
                crate::extensions::AutoValue::Default(text) => {
                    quote!(::#runtime::AutoValue::Default(#text))
                }
            };
            quote!(::#runtime::AutoHeader { name: #name, value: #value })
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
                server: #server,
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
        #servers
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
