//! The client working end to end without credentials or network: a server
//! on loopback answers each operation with its documented sample.
//!
//! ```sh
//! cargo run -p partner-center --example partner-center-offline
//! ```

use partner_center::runtime::StreamExt;
use partner_center::{mock, Client};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = mock::sample_server().await;
    println!("sample server on {}", server.base_url());
    // Against the real service this would be `Client::builder(..).auth(..)`.
    let client = Client::new(&server.base_url());

    println!("listCustomers, as a stream of customers:");
    let mut customers = client.list_customers().size(40).stream();
    while let Some(customer) = customers.next().await {
        let customer = customer?;
        let name = customer
            .company_profile
            .as_ref()
            .and_then(|p| p.company_name.as_deref());
        println!(
            "  {} {} ({:?})",
            customer.id,
            name.unwrap_or("?"),
            customer.relationship_to_partner
        );
    }

    let id: partner_center::uuid::Uuid = "eebd1b55-5360-4438-a11d-5c06918c3014".parse()?;
    let customer = client.get_customer().customer_tenant_id(id).send().await?;
    // The client filled in MS-RequestId and MS-CorrelationId; the sample
    // server does not echo them, the real service does.
    println!(
        "getCustomer: {} ({:?}), status {}",
        customer.id,
        customer.relationship_to_partner,
        customer.status()
    );
    Ok(())
}
