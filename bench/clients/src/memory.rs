//! The memory benchmark: 100,000 AvePoint managed customers through the
//! generated client's paging stream (`listCustomers`, every layer on),
//! reporting the process's peak resident memory (`VmHWM`) as the stream goes.
//!
//! [`compare`] runs [`stream`] twice, each in a fresh process so that one
//! run's peak cannot hide the other's: once dropping each customer after
//! looking at it, once collecting every customer into a `Vec` for contrast.

use std::process::Command;
use std::time::Instant;

use anyhow::{bail, ensure, Context as _};
use avepoint_graph::runtime::auth::{ClientCredential, ClientCredentials, Secret};
use avepoint_graph::runtime::{RetryPolicy, StreamExt as _};
use serde::{Deserialize, Serialize};

use crate::server::{customer_id, Server, ServerConfig};
use crate::{sys, token};

/// What to stream.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Customers the server lists in all.
    pub items: u64,
    /// `pageSize` of each request.
    pub page_size: u32,
    /// After how many customers to read the memory figures.
    pub checkpoints: Vec<u64>,
}

/// The memory figures after some customers.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Checkpoint {
    /// Customers yielded so far (0: before the first request).
    pub items: u64,
    /// `VmHWM` in KiB.
    pub peak_kib: u64,
    /// `VmRSS` in KiB.
    pub current_kib: u64,
    /// Milliseconds since the stream started.
    pub elapsed_ms: u64,
}

/// Streams `settings.items` customers in this process, printing a
/// [`Checkpoint`] as a JSON line at the start and at each checkpoint;
/// with `collect`, keeps every customer in a `Vec` until the end.
pub fn stream(settings: &Settings, collect: bool) -> anyhow::Result<()> {
    let server = Server::start(ServerConfig {
        token: token(),
        customers: settings.items,
    })?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let source = ClientCredentials::builder(
            server.token_url(),
            "00000000-0000-0000-0000-000000000000",
            ClientCredential::Secret(Secret::new("bench-client-secret")),
        )
        .allow_insecure_loopback()
        .build()?;
        let client = avepoint_graph::Client::builder(server.base_url())
            .auth(&avepoint_graph::schemes::ELEMENTS_COMMERCIAL, source)
            .retry(RetryPolicy::default())
            .build()?;

        let started = Instant::now();
        let report = |items: u64| -> anyhow::Result<()> {
            let memory = sys::memory().context("cannot read /proc/self/status")?;
            let checkpoint = Checkpoint {
                items,
                peak_kib: memory.peak_kib,
                current_kib: memory.current_kib,
                elapsed_ms: started.elapsed().as_millis() as u64,
            };
            println!("{}", serde_json::to_string(&checkpoint)?);
            Ok(())
        };
        report(0)?;
        let mut kept = Vec::new();
        let mut seen: u64 = 0;
        let mut customers = client
            .list_customers()
            .page_size(settings.page_size)
            .body(avepoint_graph::types::CustomerBatchRequest::default())
            .stream();
        while let Some(customer) = customers.next().await {
            let customer = customer.map_err(|e| anyhow::anyhow!("customer {seen}: {e}"))?;
            // Every customer once, in order.
            ensure!(
                customer.id.as_deref() == Some(customer_id(seen).as_str()),
                "customer {seen} has id {:?}",
                customer.id
            );
            seen += 1;
            if collect {
                kept.push(customer);
            } else {
                std::hint::black_box(customer);
            }
            if settings.checkpoints.contains(&seen) {
                report(seen)?;
            }
        }
        ensure!(
            seen == settings.items,
            "the stream ended after {seen} of {} customers",
            settings.items
        );
        std::hint::black_box(&kept);
        Ok(())
    })
}

/// Runs [`stream`] without and with collecting, each in a child process of
/// this binary, and prints the figures side by side.
pub fn compare(settings: &Settings) -> anyhow::Result<()> {
    let run = |collect: bool| -> anyhow::Result<Vec<Checkpoint>> {
        let exe = std::env::current_exe().context("cannot find this binary")?;
        let checkpoints: Vec<String> = settings.checkpoints.iter().map(u64::to_string).collect();
        let mut command = Command::new(exe);
        command
            .arg("stream")
            .arg("--items")
            .arg(settings.items.to_string())
            .arg("--page-size")
            .arg(settings.page_size.to_string())
            .arg("--checkpoints")
            .arg(checkpoints.join(","));
        if collect {
            command.arg("--collect");
        }
        let output = command.output().context("cannot run the stream child")?;
        if !output.status.success() {
            bail!(
                "the stream child failed ({}): {}",
                output.status,
                String::from_utf8_lossy(&output.stderr).trim()
            );
        }
        String::from_utf8(output.stdout)?
            .lines()
            .map(|line| serde_json::from_str(line).with_context(|| format!("child said `{line}`")))
            .collect()
    };
    let streamed = run(false)?;
    let collected = run(true)?;

    let mib = |kib: u64| kib as f64 / 1024.0;
    println!("# memory: AvePoint listCustomers through the generated client's stream()");
    println!();
    println!("machine: {}", sys::machine());
    println!(
        "settings: {} customers in pages of {} (server builds each page when asked), \
         generated client with token cache and retries, single-threaded tokio runtime; \
         each column is its own process; figures from /proc/self/status",
        settings.items, settings.page_size
    );
    println!();
    println!(
        "| customers so far | stream: peak RSS (VmHWM) | stream: RSS | stream: elapsed | \
         collect into Vec: peak RSS | collect: RSS | collect: elapsed |"
    );
    println!("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (s, c) in streamed.iter().zip(&collected) {
        println!(
            "| {} | {:.1} MiB | {:.1} MiB | {} ms | {:.1} MiB | {:.1} MiB | {} ms |",
            s.items,
            mib(s.peak_kib),
            mib(s.current_kib),
            s.elapsed_ms,
            mib(c.peak_kib),
            mib(c.current_kib),
            c.elapsed_ms,
        );
    }
    if let (Some(first), Some(last)) = (streamed.get(1), streamed.last()) {
        println!();
        println!(
            "stream: peak RSS grew by {:.2} MiB from {} to {} customers; \
             {:.0} customers/s over the whole stream",
            mib(last.peak_kib.saturating_sub(first.peak_kib)),
            first.items,
            last.items,
            last.items as f64 / (last.elapsed_ms.max(1) as f64 / 1000.0),
        );
    }
    if let (Some(s), Some(c)) = (streamed.last(), collected.last()) {
        println!(
            "collect: peak RSS {:.1} MiB above streaming at {} customers",
            mib(c.peak_kib.saturating_sub(s.peak_kib)),
            c.items
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A short stream with a partial last page, kept and dropped: checks
    /// the wiring and the order check, not the memory.
    #[test]
    fn a_short_stream_yields_every_customer_once() {
        let settings = Settings {
            items: 250,
            page_size: 100,
            checkpoints: vec![100, 250],
        };
        stream(&settings, false).unwrap();
        stream(&settings, true).unwrap();
    }
}
