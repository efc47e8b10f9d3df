//! Request bodies that progenitor does not send as documented.
//!
//! progenitor sends five media types, and a byte stream or text only with a
//! plain string schema. The shaping before it (`media::shaped_request_body`)
//! shows it every other body as one of those (`media::Sent`); this pass puts
//! back what the spec documents:
//!
//! - JSON under another name (`application/merge-patch+json`) keeps its
//!   typed body and is sent with its own `Content-Type` (set before
//!   reqwest's `json`, which keeps a `Content-Type` already there);
//! - text and bytes are sent with their own `Content-Type` in place of
//!   `text/plain` or `application/octet-stream`;
//! - `multipart/form-data` takes a `reqwest::multipart::Form` and is sent
//!   with reqwest's `multipart`, which writes the boundary into the
//!   `Content-Type`. Its body is a stream, so the runtime sends it once,
//!   without retries.

use syn::visit_mut::{self, VisitMut};
use syn::{Expr, ExprMethodCall, File, Ident};

use super::shape;
use crate::media::Sent;

/// Makes the `send` of builder `builder` send its body as `sent` says.
/// Fails when the code progenitor wrote for the body is not found.
pub(crate) fn request_body(file: &mut File, builder: &Ident, sent: &Sent) -> Result<(), String> {
    match sent {
        Sent::AsDocumented => Ok(()),
        Sent::Json { content_type } => {
            let send = send_fn(file, builder)?;
            let mut pass = JsonContentType {
                content_type,
                rewritten: 0,
            };
            pass.visit_block_mut(&mut send.block);
            expect_one(pass.rewritten, builder, "a `.json(&body)` call")
        }
        Sent::Text { content_type } | Sent::Bytes { content_type } => {
            let send = send_fn(file, builder)?;
            let mut pass = ContentTypeLiteral {
                content_type,
                rewritten: 0,
            };
            pass.visit_block_mut(&mut send.block);
            expect_one(
                pass.rewritten,
                builder,
                "a `.header(CONTENT_TYPE, HeaderValue::from_static(\"text/plain\" or \"application/octet-stream\"))` call",
            )
        }
        Sent::Multipart => multipart(file, builder),
    }
}

fn send_fn<'f>(file: &'f mut File, builder: &Ident) -> Result<&'f mut syn::ImplItemFn, String> {
    shape::send_fn_mut(file, builder).ok_or_else(|| {
        format!(
            "a request body of this media type needs the builder interface; no `send` on `{builder}`"
        )
    })
}

fn expect_one(found: usize, builder: &Ident, what: &str) -> Result<(), String> {
    if found == 1 {
        Ok(())
    } else {
        Err(format!(
            "expected {what} in `{builder}::send`, found {found} (assumption: progenitor-impl `method.rs` writes the body so)"
        ))
    }
}

/// `X.json(&body)` becomes `X.header(CONTENT_TYPE, "<documented>").json(&body)`.
struct JsonContentType<'c> {
    content_type: &'c str,
    rewritten: usize,
}

impl VisitMut for JsonContentType<'_> {
    fn visit_expr_method_call_mut(&mut self, call: &mut ExprMethodCall) {
        visit_mut::visit_expr_method_call_mut(self, call);
        if call.method == "json" && call.args.len() == 1 {
            let receiver = &call.receiver;
            let content_type = self.content_type;
            *call.receiver = syn::parse_quote! {
                #receiver.header(
                    ::reqwest::header::CONTENT_TYPE,
                    ::reqwest::header::HeaderValue::from_static(#content_type),
                )
            };
            self.rewritten += 1;
        }
    }
}

/// Whether `call` is `.header(..CONTENT_TYPE, ..HeaderValue::from_static("text/plain" | "application/octet-stream"))`;
/// gives the literal.
fn progenitor_content_type(call: &mut ExprMethodCall) -> Option<&mut syn::LitStr> {
    if call.method != "header" || call.args.len() != 2 {
        return None;
    }
    let mut args = call.args.iter_mut();
    let (Some(Expr::Path(name)), Some(Expr::Call(value))) = (args.next(), args.next()) else {
        return None;
    };
    let named = name
        .path
        .segments
        .last()
        .is_some_and(|s| s.ident == "CONTENT_TYPE");
    let from_static = matches!(&*value.func, Expr::Path(f) if f.path.segments.last().is_some_and(|s| s.ident == "from_static"));
    if !named || !from_static || value.args.len() != 1 {
        return None;
    }
    match value.args.first_mut() {
        Some(Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(lit),
            ..
        })) if matches!(
            lit.value().as_str(),
            "text/plain" | "text/x-markdown" | "application/octet-stream"
        ) =>
        {
            Some(lit)
        }
        _ => None,
    }
}

/// Replaces the literal of progenitor's text or byte-stream `Content-Type`.
struct ContentTypeLiteral<'c> {
    content_type: &'c str,
    rewritten: usize,
}

impl VisitMut for ContentTypeLiteral<'_> {
    fn visit_expr_method_call_mut(&mut self, call: &mut ExprMethodCall) {
        visit_mut::visit_expr_method_call_mut(self, call);
        if let Some(lit) = progenitor_content_type(call) {
            *lit = syn::LitStr::new(self.content_type, lit.span());
            self.rewritten += 1;
        }
    }
}

/// `X.header(CONTENT_TYPE, ..octet-stream..).body(body)` becomes
/// `X.multipart(body)`.
struct MultipartCall {
    rewritten: usize,
}

impl VisitMut for MultipartCall {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        visit_mut::visit_expr_mut(self, expr);
        let Expr::MethodCall(call) = expr else { return };
        if call.method != "body" || call.args.len() != 1 {
            return;
        }
        let Expr::MethodCall(header) = &mut *call.receiver else {
            return;
        };
        if progenitor_content_type(header).is_none() {
            return;
        }
        let receiver = &header.receiver;
        let body = &call.args[0];
        *expr = syn::parse_quote!(#receiver.multipart(#body));
        self.rewritten += 1;
    }
}

/// The builder of a `multipart/form-data` operation: its `body` field and
/// setter take a `reqwest::multipart::Form`, and `send` sends it with
/// reqwest's `multipart`.
fn multipart(file: &mut File, builder: &Ident) -> Result<(), String> {
    let send = send_fn(file, builder)?;
    let mut pass = MultipartCall { rewritten: 0 };
    pass.visit_block_mut(&mut send.block);
    expect_one(
        pass.rewritten,
        builder,
        "a byte-stream body (`.header(CONTENT_TYPE, ..).body(body)`)",
    )?;
    let items = shape::module_mut(file, "builder")
        .ok_or_else(|| "no `builder` module in progenitor's output".to_owned())?;
    let fields = shape::builder_struct_mut(items, builder)
        .ok_or_else(|| format!("no builder struct `{builder}`"))?;
    let field = fields
        .named
        .iter_mut()
        .find(|f| f.ident.as_ref().is_some_and(|i| i == "body"))
        .ok_or_else(|| format!("no `body` field on `{builder}`"))?;
    field.ty = syn::parse_quote!(Result<::reqwest::multipart::Form, String>);
    let imp = shape::builder_impl_mut(items, builder)
        .ok_or_else(|| format!("no `impl {builder}` with `new`"))?;
    let setter = shape::impl_fn_mut(imp, "body")
        .ok_or_else(|| format!("no `body` setter on `{builder}`"))?;
    *setter = syn::parse_quote! {
        /// The `multipart/form-data` body, as a `reqwest::multipart::Form`
        /// (which chooses the boundary). A form is a stream: the call is
        /// sent once, without retries.
        pub fn body(mut self, value: ::reqwest::multipart::Form) -> Self {
            self.body = Ok(value);
            self
        }
    };
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    fn file() -> File {
        syn::parse_quote! {
            pub mod builder {
                pub struct PostThing<'a> {
                    client: &'a super::Client,
                    body: Result<reqwest::Body, String>,
                }
                impl<'a> PostThing<'a> {
                    pub fn new(client: &'a super::Client) -> Self {
                        Self { client: client, body: Err("body was not initialized".to_string()) }
                    }
                    pub fn body<B>(mut self, value: B) -> Self
                    where
                        B: std::convert::TryInto<reqwest::Body>,
                    {
                        self.body = value.try_into().map_err(|_| "conversion".to_string());
                        self
                    }
                    pub async fn send(self) -> Result<(), ()> {
                        let mut request = client
                            .client
                            .post(url)
                            .header(
                                ::reqwest::header::CONTENT_TYPE,
                                ::reqwest::header::HeaderValue::from_static("application/octet-stream"),
                            )
                            .body(body)
                            .headers(header_map)
                            .build()?;
                        Ok(())
                    }
                }
            }
        }
    }

    fn text(file: &File) -> String {
        file.to_token_stream().to_string().replace(' ', "")
    }

    #[test]
    fn bytes_are_sent_with_their_documented_content_type() {
        let mut file = file();
        let builder: Ident = syn::parse_quote!(PostThing);
        let sent = Sent::Bytes {
            content_type: "image/png".into(),
        };
        request_body(&mut file, &builder, &sent).unwrap();
        assert!(
            text(&file).contains("from_static(\"image/png\")"),
            "{}",
            text(&file)
        );
        // Done once: no progenitor literal is left to find.
        assert!(request_body(&mut file, &builder, &sent)
            .unwrap_err()
            .contains("found 0"));
    }

    #[test]
    fn multipart_takes_a_form_and_sends_it_with_reqwest() {
        let mut file = file();
        let builder: Ident = syn::parse_quote!(PostThing);
        request_body(&mut file, &builder, &Sent::Multipart).unwrap();
        let text = text(&file);
        assert!(
            text.contains(".post(url).multipart(body).headers(header_map)"),
            "{text}"
        );
        assert!(
            text.contains("body:Result<::reqwest::multipart::Form,String>"),
            "{text}"
        );
        assert!(
            text.contains("pubfnbody(mutself,value:::reqwest::multipart::Form)->Self"),
            "{text}"
        );
        assert!(!text.contains("application/octet-stream"), "{text}");
    }

    #[test]
    fn json_under_another_name_sets_its_content_type_first() {
        let mut file: File = syn::parse_quote! {
            pub mod builder {
                impl<'a> PutThing<'a> {
                    pub async fn send(self) -> Result<(), ()> {
                        let request = client.client.put(url).json(&body).headers(header_map).build()?;
                        Ok(())
                    }
                }
            }
        };
        let builder: Ident = syn::parse_quote!(PutThing);
        let sent = Sent::Json {
            content_type: "application/merge-patch+json".into(),
        };
        request_body(&mut file, &builder, &sent).unwrap();
        assert!(text(&file).contains(
            ".put(url).header(::reqwest::header::CONTENT_TYPE,::reqwest::header::HeaderValue::from_static(\"application/merge-patch+json\"),).json(&body)"
        ), "{}", text(&file));
        let other: Ident = syn::parse_quote!(Other);
        assert!(request_body(&mut file, &other, &sent)
            .unwrap_err()
            .contains("builder interface"));
    }
}
