//! `mock::sample_server()` of both generated crates answers every
//! operation of its spec that documents what to answer with: the first
//! documented success sample, or the status of a success that has no body
//! (a 204). An operation with a JSON success but no sample is not answered
//! (nothing documented to send).

use conformance::{operation, operation_ids, LoadedSpec};

/// Sends each operation's method to its path (parameters filled with `x`)
/// and returns the operations the server did not answer with a 2XX.
async fn unanswered(spec: &LoadedSpec, base: &str) -> Vec<String> {
    let http = reqwest::Client::new();
    let mut out = Vec::new();
    for id in operation_ids(&spec.spec) {
        let (path, method, _) = operation(&spec.spec, &id).expect("operation exists");
        let mut url = String::new();
        let mut rest = path;
        while let Some(start) = rest.find('{') {
            url.push_str(&rest[..start]);
            url.push('x');
            rest = rest[start..].split_once('}').map_or("", |(_, r)| r);
        }
        url.push_str(rest);
        let method = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
        let status = http
            .request(method, format!("{base}{url}"))
            .send()
            .await
            .map(|r| r.status())
            .expect("the sample server answers");
        if !status.is_success() {
            out.push(format!("{id}: {status}"));
        }
    }
    out
}

#[tokio::test]
async fn the_avepoint_sample_server_answers_every_operation() {
    let server = avepoint_graph::mock::sample_server().await;
    let missing = unanswered(conformance::avepoint(), &server.base_url()).await;
    assert!(missing.is_empty(), "not answered: {missing:?}");
}

#[tokio::test]
async fn the_partner_center_sample_server_answers_every_operation() {
    let server = partner_center::mock::sample_server().await;
    let spec = conformance::partner_center();
    let missing = unanswered(spec, &server.base_url()).await;
    // Only operations whose documented success has a body but no sample.
    for entry in &missing {
        let id = entry.split(':').next().unwrap_or_default();
        assert!(
            conformance::response_samples(&spec.samples)
                .iter()
                .all(|s| s.operation != id
                    || !conformance::response_status(s).is_some_and(|st| st.starts_with('2'))),
            "{entry}: a success sample is documented but not served"
        );
    }
}
