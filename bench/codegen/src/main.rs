//! `raw-progenitor SPEC.json [--builder [--mocks]]`: the baseline of
//! `bench/codegen.sh`. It does what progenitor alone does with a spec,
//! nothing of ours: parse the JSON document, generate the client with
//! progenitor-impl's default settings (or the builder interface, as our
//! pipeline uses, and with `--mocks` also progenitor's `httpmock` helpers
//! from the same generator, as our pipeline ships them), and format it with
//! prettyplease. It prints the size of the code, so that the work
//! cannot be optimised away and runs can be compared.

use anyhow::Context as _;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .context("usage: raw-progenitor SPEC.json [--builder [--mocks]]")?;
    let (mut builder, mut mocks) = (false, false);
    for arg in args {
        match arg.as_str() {
            "--builder" => builder = true,
            "--mocks" => mocks = true,
            other => anyhow::bail!("unknown argument `{other}`"),
        }
    }
    anyhow::ensure!(!mocks || builder, "`--mocks` needs `--builder`");
    let text = std::fs::read_to_string(&path).with_context(|| format!("cannot read {path}"))?;
    let spec: openapiv3::OpenAPI = serde_json::from_str(&text)
        .with_context(|| format!("{path} is not an OpenAPI 3.0 document"))?;
    let mut settings = progenitor_impl::GenerationSettings::default();
    if builder {
        settings
            .with_interface(progenitor_impl::InterfaceStyle::Builder)
            .with_tag(progenitor_impl::TagStyle::Merged);
    }
    let mut generator = progenitor_impl::Generator::new(&settings);
    let mut tokens = generator
        .generate_tokens(&spec)
        .with_context(|| format!("progenitor failed on {path}"))?;
    if mocks {
        let helpers = generator
            .httpmock(&spec, "crate")
            .with_context(|| format!("progenitor's mock generator failed on {path}"))?;
        tokens.extend(quote::quote!(pub mod mock { #helpers }));
    }
    let file: syn::File = syn::parse2(tokens).context("progenitor's output does not parse")?;
    let code = prettyplease::unparse(&file);
    println!("{} bytes of code", code.len());
    Ok(())
}
