//! The spec's operations and security schemes as static tables the
//! runtime reads (`API`, `schemes::*`), and `Client::builder`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::Ident;

use super::runtime;
use crate::model::{Model, Operation, SchemeKind};

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

/// The `schemes` statics, the `API` table and `Client::builder`.
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
