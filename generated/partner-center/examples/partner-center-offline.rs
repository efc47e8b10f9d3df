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

    // The sample server answers the first page with a next link
    // (`/customers`, without `/v1`, resolved under `/v1` as the spec's
    // `link-base` says) and the second page without one.
    println!("listCustomers, as a stream of customers over two pages:");
    let mut customers = client.list_customers().size(40).stream();
    let mut pages = 1;
    while let Some(customer) = customers.next().await {
        let customer = customer?;
        let name = customer
            .company_profile
            .as_ref()
            .and_then(|p| p.company_name.as_deref());
        println!(
            "  page {pages}: {} {} ({:?})",
            customer.id,
            name.unwrap_or("?"),
            customer.relationship_to_partner
        );
        // At the end of a page, the cursor is where a job would resume.
        if customers.remaining_on_page() == 0 {
            if let Some(next) = customers.next_cursor() {
                println!("  next page at {}", next.uri);
                pages += 1;
            }
        }
    }

    // A stream owns a clone of the client, so it can run on its own task.
    let counted = tokio::spawn(client.list_customers().size(40).stream().count()).await?;
    println!("listCustomers on a spawned task: {counted} customers");

    // Resuming from a kept link (here the one the first page carries).
    let first = client.list_customers().size(40).send().await?.into_inner();
    if let Some(next) = first.links.and_then(|l| l.next) {
        let next = partner_center::runtime::paging::to_link::<_, ()>(&next)?;
        let rest = client.list_customers().stream_from(next).count().await;
        println!("listCustomers resumed at the second page: {rest} customers");
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
