//! `raw-progenitor SPEC.json [--builder]`: the baseline of `bench/codegen.sh`.
//! It does what progenitor alone does with a spec, nothing of ours: parse the
//! JSON document, generate the client with progenitor-impl's default
//! settings (or the builder interface, as our pipeline uses), and format it
//! with prettyplease. It prints the size of the code, so that the work
//! cannot be optimised away and runs can be compared.

use anyhow::Context as _;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .context("usage: raw-progenitor SPEC.json [--builder]")?;
    let builder = match args.next().as_deref() {
        None => false,
        Some("--builder") => true,
        Some(other) => anyhow::bail!("unknown argument `{other}`"),
    };
    let text = std::fs::read_to_string(&path).with_context(|| format!("cannot read {path}"))?;
    let spec: openapiv3::OpenAPI = serde_json::from_str(&text)
        .with_context(|| format!("{path} is not an OpenAPI 3.0 document"))?;
    let mut settings = progenitor_impl::GenerationSettings::default();
    if builder {
        settings
            .with_interface(progenitor_impl::InterfaceStyle::Builder)
            .with_tag(progenitor_impl::TagStyle::Merged);
    }
    let tokens = progenitor_impl::Generator::new(&settings)
        .generate_tokens(&spec)
        .with_context(|| format!("progenitor failed on {path}"))?;
    let file: syn::File = syn::parse2(tokens).context("progenitor's output does not parse")?;
    let code = prettyplease::unparse(&file);
    println!("{} bytes of code", code.len());
    Ok(())
}
