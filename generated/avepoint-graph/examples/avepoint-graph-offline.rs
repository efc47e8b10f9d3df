//! The client working end to end without credentials or network: a server
//! on loopback answers each operation with its documented sample.
//!
//! ```sh
//! cargo run -p avepoint-graph --example avepoint-graph-offline
//! ```

use avepoint_graph::runtime::StreamExt;
use avepoint_graph::{mock, types, Client};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = mock::sample_server().await;
    println!("sample server on {}", server.base_url());
    // Against the real service this would be `Client::builder(..).auth(..)`.
    let client = Client::new(&server.base_url());

    println!("listCustomers, as a stream of customers:");
    let mut customers = client
        .list_customers()
        .page_size(50)
        .body(types::CustomerBatchRequest::default())
        .stream();
    while let Some(managed) = customers.next().await {
        let managed = managed?;
        println!(
            "  {} ({:?}, {:?})",
            managed.organization.as_deref().unwrap_or("?"),
            managed.management_mode,
            managed.job_status,
        );
    }
    Ok(())
}
