//! Response enums: for an operation whose documented responses have several
//! types (planned by [`crate::responses`]), `send()` returns an enum with a
//! variant per documented status, each carrying that status's typed body or
//! nothing, and errors carry the same kind of enum in
//! `Error::ErrorResponse`. The status decides which variant is decoded.
//!
//! This pass takes the body types from progenitor's code for the operation
//! itself (its anchor response) and for the synthetic operations the plan
//! added, removes the synthetic operations' code, writes the enums into a
//! `responses` module, and replaces the operation's return type and status
//! dispatch.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::{File, Ident, Item, Type};

use super::{runtime, shape};
use crate::model::{Model, Operation};
use crate::responses::{Plan, ResponseKind, Status};
use crate::settings::Settings;

/// The synthetic operations' builders and methods, whose mock helpers are
/// removed too.
#[derive(Default)]
pub(crate) struct Synthetic {
    builders: Vec<String>,
    methods: Vec<String>,
}

impl Synthetic {
    /// Removes their items from progenitor's mock helpers.
    pub(crate) fn remove_mocks(&self, mocks: &mut File) {
        if !self.builders.is_empty() {
            shape::remove_mock_operations(&mut mocks.items, &self.builders, &self.methods);
        }
    }
}

/// One planned operation, with the sends it needs.
struct Planned<'a> {
    op: &'a Operation,
    plan: &'a Plan,
    builder: Ident,
    success: Type,
    error: Type,
}

/// Applies the pass; runs right after `wiring` (whose shape checks expect
/// progenitor's own dispatch) and before every pass that reads the list of
/// operations, since it removes the synthetic operations' code. Returns an error naming
/// the operation when an expected shape is missing.
pub(crate) fn response_enums(
    model: &Model,
    settings: &Settings,
    file: &mut File,
) -> Result<Synthetic, String> {
    let planned_ops: Vec<&Operation> = model
        .operations
        .iter()
        .filter(|op| op.plan.is_some())
        .collect();
    if planned_ops.is_empty() {
        return Ok(Synthetic::default());
    }
    let sends = shape::sends(file);
    let synthetic_count: usize = planned_ops
        .iter()
        .filter_map(|op| op.plan.as_ref())
        .map(|plan| plan.synthetic.len())
        .sum();
    if sends.len() != model.operations.len() + synthetic_count {
        return Err(format!(
            "expected progenitor's code for {} operation(s) and {synthetic_count} response type(s), found {} (assumption: one `send` per operation, synthetic ones last)",
            model.operations.len(),
            sends.len()
        ));
    }
    let (real, synthetic) = sends.split_at(model.operations.len());
    let mut synthetic = synthetic.iter();
    let mut planned = Vec::new();
    let mut remove_builders = Vec::new();
    let mut remove_methods = Vec::new();
    let mut types: Vec<(String, Type)> = Vec::new();
    for (op, send) in model.operations.iter().zip(real) {
        let Some(plan) = &op.plan else { continue };
        types.clear();
        if let Some(anchor) = &plan.anchor {
            let anchor_is_error = plan.error.iter().any(|s| s.status == *anchor);
            let ty = if anchor_is_error {
                &send.error
            } else {
                &send.response
            };
            types.push((anchor.clone(), ty.clone()));
        }
        for (status, _) in &plan.synthetic {
            let extra = synthetic
                .next()
                .ok_or("fewer synthetic operations than planned")?;
            types.push((status.clone(), extra.response.clone()));
            remove_builders.push(extra.builder.to_string());
            remove_methods.push(extra.method.clone());
        }
        let type_of = |status: &Status| -> Option<Type> {
            match &status.kind {
                ResponseKind::Json(_) => {
                    let source = plan.source_of(&status.kind)?;
                    types
                        .iter()
                        .find(|(s, _)| s == source)
                        .map(|(_, t)| t.clone())
                }
                _ => None,
            }
        };
        if send.builder == "Client" {
            return Err(format!(
                "operation `{}` has several response types, which needs `interface = \"builder\"`",
                op.id
            ));
        }
        let success = class_type(
            &plan.success,
            plan.success_enum,
            &send.builder,
            "",
            &type_of,
        );
        let error = class_type(
            &plan.error,
            plan.error_enum,
            &send.builder,
            "Error",
            &type_of,
        );
        planned.push((
            Planned {
                op,
                plan,
                builder: send.builder.clone(),
                success,
                error,
            },
            enum_items(plan, &send.builder, settings, &type_of),
        ));
    }

    remove_synthetic(file, &remove_builders, &remove_methods);

    let mut enums = Vec::new();
    for (planned, items) in &planned {
        enums.extend(items.clone());
        rewrite_send(file, planned).map_err(|m| format!("operation `{}`: {m}", planned.op.id))?;
    }
    let module: File = syn::parse2(quote! {
        /// Responses of the operations whose documented responses have
        /// several types: one enum per operation (and one for its errors),
        /// with a variant per documented status.
        pub mod responses {
            #[allow(unused_imports)]
            use super::types;
            #(#enums)*
        }
    })
    .map_err(|e| format!("generated response enums do not parse: {e}"))?;
    file.items.extend(module.items);
    Ok(Synthetic {
        builders: remove_builders,
        methods: remove_methods,
    })
}

/// The type a class (success or error) gives `send`: its enum, the one
/// body type, or `()`.
fn class_type(
    statuses: &[Status],
    is_enum: bool,
    builder: &Ident,
    suffix: &str,
    type_of: &dyn Fn(&Status) -> Option<Type>,
) -> Type {
    if is_enum {
        let name = format_ident!("{builder}{suffix}");
        return syn::parse_quote!(super::responses::#name);
    }
    statuses
        .first()
        .and_then(type_of)
        .unwrap_or_else(|| syn::parse_quote!(()))
}

/// The variant name of a status.
fn variant(status: &str) -> Ident {
    let name = match status {
        "default" => "Default".to_owned(),
        "1XX" => "Informational".to_owned(),
        "2XX" => "Success".to_owned(),
        "3XX" => "Redirection".to_owned(),
        "4XX" => "ClientError".to_owned(),
        "5XX" => "ServerError".to_owned(),
        code => match code {
            "200" => "Ok",
            "201" => "Created",
            "202" => "Accepted",
            "203" => "NonAuthoritativeInformation",
            "204" => "NoContent",
            "205" => "ResetContent",
            "206" => "PartialContent",
            "400" => "BadRequest",
            "401" => "Unauthorized",
            "402" => "PaymentRequired",
            "403" => "Forbidden",
            "404" => "NotFound",
            "405" => "MethodNotAllowed",
            "406" => "NotAcceptable",
            "409" => "Conflict",
            "410" => "Gone",
            "412" => "PreconditionFailed",
            "413" => "PayloadTooLarge",
            "415" => "UnsupportedMediaType",
            "422" => "UnprocessableEntity",
            "429" => "TooManyRequests",
            "500" => "InternalServerError",
            "501" => "NotImplemented",
            "502" => "BadGateway",
            "503" => "ServiceUnavailable",
            "504" => "GatewayTimeout",
            other => return format_ident!("Status{}", other),
        }
        .to_owned(),
    };
    Ident::new(&name, Span::call_site())
}

/// The enums of one planned operation.
fn enum_items(
    plan: &Plan,
    builder: &Ident,
    settings: &Settings,
    type_of: &dyn Fn(&Status) -> Option<Type>,
) -> Vec<TokenStream> {
    let derives: Vec<TokenStream> = settings
        .generation
        .derives
        .iter()
        .filter_map(|d| d.parse::<TokenStream>().ok())
        .collect();
    let mut out = Vec::new();
    for (statuses, is_enum, suffix, what) in [
        (&plan.success, plan.success_enum, "", "success"),
        (&plan.error, plan.error_enum, "Error", "error"),
    ] {
        if !is_enum {
            continue;
        }
        let name = format_ident!("{builder}{suffix}");
        let variants = statuses.iter().map(|status| {
            let v = variant(&status.status);
            let doc = match status.status.as_str() {
                "default" => {
                    format!("Any other status (`default`), with its documented {what} body.")
                }
                s => format!("Status `{s}`."),
            };
            match (type_of(status), &status.kind) {
                (Some(ty), _) => quote!(#[doc = #doc] #v(#ty)),
                (None, ResponseKind::Raw) => {
                    quote!(#[doc = #doc] #[doc = ""] #[doc = "The body is not JSON; it is kept as text."] #v(::std::string::String))
                }
                (None, _) => quote!(#[doc = #doc] #v),
            }
        });
        let doc = format!(
            "The documented {what} responses of [`Client::{}`](super::Client::{0}), by status. Open for new statuses: `#[non_exhaustive]`.",
            shape_method_name(builder)
        );
        out.push(quote! {
            #[doc = #doc]
            #[derive(Debug, Clone, #(#derives),*)]
            #[non_exhaustive]
            pub enum #name {
                #(#variants,)*
            }
        });
    }
    out
}

/// The `Client` method of a builder, for docs (progenitor names builders
/// after their methods in Pascal case).
fn shape_method_name(builder: &Ident) -> String {
    let mut out = String::new();
    for (i, c) in builder.to_string().chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Removes the synthetic operations' builders, `Client` methods and mock
/// items.
fn remove_synthetic(file: &mut File, builders: &[String], methods: &[String]) {
    let is_builder =
        |ty: &Type| shape::last_ident(ty).is_some_and(|i| builders.iter().any(|b| i == b));
    for item in &mut file.items {
        match item {
            Item::Impl(imp) if imp.trait_.is_none() && shape::is_type(&imp.self_ty, "Client") => {
                imp.items.retain(|it| !matches!(it, syn::ImplItem::Fn(f) if methods.iter().any(|m| f.sig.ident == m)));
            }
            Item::Mod(m) if m.ident == "builder" => {
                if let Some((_, items)) = &mut m.content {
                    items.retain(|item| match item {
                        Item::Struct(s) => !builders.iter().any(|b| s.ident == b),
                        Item::Impl(imp) => !is_builder(&imp.self_ty),
                        _ => true,
                    });
                }
            }
            _ => {}
        }
    }
}

/// Where a status's arm goes in the dispatch: codes, then ranges, then
/// `default` (the `_` arm).
fn arm_order(status: &str) -> u8 {
    match status {
        "default" => 2,
        s if s.ends_with("XX") => 1,
        _ => 0,
    }
}

/// The match arm pattern of a status.
fn pattern(status: &str) -> TokenStream {
    match status {
        "default" => quote!(_),
        s if s.ends_with("XX") => {
            let first = u16::from(s.as_bytes()[0] - b'0') * 100;
            let last = first + 99;
            quote!(#first..=#last)
        }
        s => {
            let code: u16 = s.parse().unwrap_or_default();
            quote!(#code)
        }
    }
}

/// Replaces the return type and the status dispatch of the operation's
/// `send`.
fn rewrite_send(file: &mut File, planned: &Planned<'_>) -> Result<(), String> {
    let runtime = runtime();
    let (success_ty, error_ty) = (&planned.success, &planned.error);
    let send = shape::send_fn_mut(file, &planned.builder)
        .ok_or_else(|| format!("no `send` on builder `{}`", planned.builder))?;
    send.sig.output = syn::parse_quote!(-> Result<ResponseValue<#success_ty>, Error<#error_ty>>);
    let dispatch = shape::status_match_mut(&mut send.block)
        .ok_or("no `match RESPONSE.status().as_u16()` ending `send` (assumption in emit/shape)")?;
    let response = dispatch.1.clone();
    let plan = planned.plan;
    let mut arms: Vec<(u8, TokenStream)> = Vec::new();
    for (statuses, is_enum, is_error) in [
        (&plan.success, plan.success_enum, false),
        (&plan.error, plan.error_enum, true),
    ] {
        let enum_path: Option<TokenStream> = is_enum.then(|| {
            let name = format_ident!("{}{}", planned.builder, if is_error { "Error" } else { "" });
            quote!(super::responses::#name)
        });
        for status in statuses {
            let pat = pattern(&status.status);
            let json = matches!(status.kind, ResponseKind::Json(_));
            let text = matches!(status.kind, ResponseKind::Raw);
            let v = variant(&status.status);
            let arm = match (&enum_path, json, is_error) {
                // An error enum keeps a non-JSON error body as text.
                (Some(path), false, true) if text => quote!(#pat => Err(
                    ::#runtime::responses::text_error_as(#response, #path::#v).await
                ),),
                (Some(path), true, false) => {
                    quote!(#pat => ::#runtime::responses::decode_as(#response, #path::#v).await,)
                }
                (Some(path), false, false) => {
                    quote!(#pat => Ok(::#runtime::responses::empty_as(#response, #path::#v)),)
                }
                (None, true, false) => quote!(#pat => ::#runtime::decode(#response).await,),
                (None, false, false) => {
                    quote!(#pat => Ok(::#runtime::responses::empty_as(#response, ())),)
                }
                (Some(path), true, true) => quote!(#pat => Err(
                    ::#runtime::responses::decode_error_as(#response, #path::#v).await
                ),),
                (Some(path), false, true) => quote!(#pat => Err(
                    ::#runtime::error::empty_error_as(#response, #path::#v).await
                ),),
                (None, true, true) => {
                    quote!(#pat => Err(::#runtime::error::decode_error(#response).await),)
                }
                (None, false, true) => quote!(#pat => Err(
                    ::#runtime::error::empty_error_as(#response, ()).await
                ),),
            };
            let order = arm_order(&status.status);
            arms.push((order, arm));
        }
    }
    arms.sort_by_key(|(order, _)| *order);
    let has_default = arms.iter().any(|(order, _)| *order == 2);
    let arms = arms.into_iter().map(|(_, arm)| arm);
    let fallback =
        (!has_default).then(|| quote!(_ => Err(::#runtime::error::undocumented(#response).await),));
    *dispatch.0 = syn::parse_quote! {
        match #response.status().as_u16() {
            #(#arms)*
            #fallback
        }
    };
    Ok(())
}
