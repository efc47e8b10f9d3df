//! Benchmarks of the generated clients on loopback: request rate and latency
//! against a hand-written reqwest + serde client (`requests`), and the memory
//! of a paging stream over 100,000 items (`memory`). See `bench/README.md`;
//! `bench/clients.sh` builds this in release mode and runs both.

use clap::{Parser, Subcommand};

mod baseline;
mod memory;
mod report;
mod requests;
mod server;
mod stats;
mod sys;

/// Benchmarks of the generated clients against a loopback server.
#[derive(Debug, Parser)]
#[command(name = "client-bench")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Requests per second and latency of `getCustomer`: the generated
    /// Partner Center client (every layer on) against a hand-written one
    /// and an identical second hand-written one (the A/A noise control),
    /// judged against the targets and the noise.
    Requests {
        /// Measured requests per client and concurrency level.
        #[arg(long, default_value_t = 120_000)]
        requests: usize,
        /// Rounds the measured requests are split into; the clients take
        /// turns, in an order that rotates every round.
        #[arg(long, default_value_t = 600)]
        rounds: usize,
        /// Unmeasured requests per client before each concurrency level.
        #[arg(long, default_value_t = 2_000)]
        warmup: usize,
        /// Concurrency levels, comma-separated.
        #[arg(long, value_delimiter = ',', default_value = "1,32")]
        concurrency: Vec<usize>,
        /// Also measure the generated client with one layer off at a time,
        /// and the hand-written request decoded into the generated type.
        #[arg(long)]
        layers: bool,
        /// Measure only these clients (names as in the report's first
        /// column, separated by `;`), e.g. to profile one at a time; ratios
        /// are then to the first one left.
        #[arg(long, value_delimiter = ';')]
        only: Vec<String>,
        /// Where the client and server threads run: `auto` (each on a CPU
        /// of its own when the process may use two), `off`, or
        /// `CLIENT_CPU,SERVER_CPU`.
        #[arg(long, default_value = "auto")]
        pin: requests::Pin,
        /// Also write every round of every client to this CSV file (one
        /// row per client and round: level, round, client, requests, wall
        /// time, p50/p99/max latency, client CPU, preempted), for a look at
        /// the spread behind the ratios.
        #[arg(long)]
        rounds_csv: Option<std::path::PathBuf>,
    },
    /// Peak memory while streaming AvePoint customers page by page, against
    /// collecting them all (each in a child process).
    Memory {
        /// Customers the server lists in all.
        #[arg(long, default_value_t = 100_000)]
        items: u64,
        /// `pageSize` of each page request (the API's maximum is 100).
        #[arg(long, default_value_t = 100)]
        page_size: u32,
        /// After how many customers to read the memory, comma-separated.
        #[arg(long, value_delimiter = ',', default_value = "1000,10000,100000")]
        checkpoints: Vec<u64>,
    },
    /// One streaming run in this process, printing JSON lines (what
    /// `memory` runs as its children).
    #[command(hide = true)]
    Stream {
        /// Customers the server lists in all.
        #[arg(long, default_value_t = 100_000)]
        items: u64,
        /// `pageSize` of each page request.
        #[arg(long, default_value_t = 100)]
        page_size: u32,
        /// After how many customers to read the memory, comma-separated.
        #[arg(long, value_delimiter = ',', default_value = "1000,10000,100000")]
        checkpoints: Vec<u64>,
        /// Keep every customer in a `Vec` instead of dropping it.
        #[arg(long)]
        collect: bool,
    },
}

/// Writes `bytes` to `path` through a temporary file in the same directory,
/// renamed into place: a reader never sees half a file.
fn write_atomically(path: &std::path::Path, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write as _;
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => std::path::Path::new("."),
    };
    let mut file = tempfile::NamedTempFile::new_in(dir)?;
    file.write_all(bytes)?;
    file.as_file().sync_all()?;
    file.persist(path)?;
    Ok(())
}

fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Requests {
            requests,
            rounds,
            warmup,
            concurrency,
            layers,
            only,
            pin,
            rounds_csv,
        } => requests::run(&requests::Settings {
            requests,
            rounds,
            warmup,
            concurrency,
            layers,
            only,
            pin,
            rounds_csv,
        }),
        Command::Memory {
            items,
            page_size,
            checkpoints,
        } => memory::compare(&memory::Settings {
            items,
            page_size,
            checkpoints,
        }),
        Command::Stream {
            items,
            page_size,
            checkpoints,
            collect,
        } => memory::stream(
            &memory::Settings {
                items,
                page_size,
                checkpoints,
            },
            collect,
        ),
    }
}

/// The access token the token endpoint hands out and the baseline sends: a
/// stand-in of the size of a Microsoft Entra ID access token (a JWT of about
/// 1,400 characters), so headers weigh what they weigh in production.
pub fn token() -> String {
    format!(
        "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiIsIng1dCI6ImJlbmNoIn0.{}.{}",
        "eyJhdWQiOiJodHRwczovL2FwaS5wYXJ0bmVyY2VudGVyLm1pY3Jvc29mdC5jb20i".repeat(16),
        "c2lnbmF0dXJl".repeat(28),
    )
}

/// Checks that the served sample decodes into both the generated type and
/// the baseline's struct and that each re-encodes to the very same JSON: so
/// both clients read every field and the comparison is like for like.
pub fn check_sample() -> anyhow::Result<()> {
    let sample: serde_json::Value = serde_json::from_str(server::CUSTOMER_SAMPLE)?;
    let generated: partner_center::types::Customer = serde_json::from_value(sample.clone())?;
    let hand_written: baseline::Customer = serde_json::from_value(sample.clone())?;
    anyhow::ensure!(
        serde_json::to_value(&generated)? == sample,
        "the generated type does not reproduce the sample"
    );
    anyhow::ensure!(
        serde_json::to_value(&hand_written)? == sample,
        "the hand-written struct does not reproduce the sample"
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use codegen::samples::SampleKind;

    #[test]
    fn both_types_read_the_whole_sample() {
        super::check_sample().unwrap();
    }

    /// The served body is the spec's `current` 200 sample of `getCustomer`,
    /// so the benchmark follows the spec when the sample changes.
    #[test]
    fn served_sample_is_the_documented_one() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../specs/partner-center.yaml"
        );
        let spec = codegen::load(Path::new(path)).unwrap();
        let documented = codegen::samples::samples(&spec)
            .into_iter()
            .find(|s| {
                s.operation == "getCustomer"
                    && s.name == "current"
                    && matches!(&s.kind, SampleKind::Response { status, .. } if status == "200")
            })
            .expect("getCustomer has a `current` 200 sample");
        let served: serde_json::Value =
            serde_json::from_str(super::server::CUSTOMER_SAMPLE).unwrap();
        assert_eq!(
            served, documented.value,
            "bench/clients/data/get-customer.current.json differs from the spec's sample; \
             copy the sample there again (compact JSON, one line)"
        );
    }
}
