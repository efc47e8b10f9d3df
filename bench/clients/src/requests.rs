//! The request benchmark: Partner Center `getCustomer` through the
//! generated client (every layer on) and through the hand-written baseline,
//! side by side in one process, in alternating rounds.
//!
//! Each client sends `requests` requests per concurrency level, split into
//! `rounds` rounds. Round `r` runs the clients in an order rotated by `r`
//! (A B, then B A, ...), so drift of the machine over time (other processes,
//! frequency changes) lands on all clients alike. Every client first sends
//! `warmup` unmeasured requests at the same concurrency, which also opens its
//! connections.
//!
//! The clients run on one single-threaded runtime on the calling thread;
//! the server runs on another thread (see [`crate::server`]). With two CPUs
//! each side has one. Per client the report gives requests per second,
//! latency percentiles, the CPU time of the client thread per request
//! (from `/proc`, less disturbed by other processes than wall time) and how
//! busy the server thread was (to show it is not the bottleneck), and the
//! ratios of each client to the hand-written one.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, ensure, Context as _};
use partner_center::runtime::auth::{ClientCredential, ClientCredentials, Secret};
use partner_center::runtime::RetryPolicy;
use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION};

use crate::baseline::{self, HandWritten};
use crate::server::{Server, ServerConfig};
use crate::{sys, token};

/// How much to measure.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Measured requests per client and concurrency level.
    pub requests: usize,
    /// Rounds the requests are split into.
    pub rounds: usize,
    /// Unmeasured requests per client before each concurrency level.
    pub warmup: usize,
    /// Concurrency levels (requests in flight at once).
    pub concurrency: Vec<usize>,
    /// Also measure the generated client with layers turned off, and the
    /// baseline decoding into the generated types.
    pub layers: bool,
    /// Measure only the clients of these names (for profiling one at a
    /// time); ratios are then to the first one left.
    pub only: Vec<String>,
}

/// The tenant id every request asks for (the sample's own).
const TENANT: uuid::Uuid = uuid::uuid!("aaaabbbb-0000-cccc-1111-dddd2222eeee");

/// The `reqwest` client every contender sends with: the generated clients'
/// default settings (15 s to connect, 60 s per request), HTTP/1.1 with
/// keep-alive (reqwest's defaults: idle connections are kept, `TCP_NODELAY`).
/// Each contender gets its own instance, hence its own connection pool.
fn http_client(default_headers: HeaderMap) -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(15))
        .timeout(Duration::from_secs(60))
        .http1_only()
        .default_headers(default_headers)
        .build()
}

/// One client under test.
enum Contender {
    /// The generated client, as built by [`generated`].
    Generated(partner_center::Client),
    /// The baseline, decoding into its own structs.
    HandWritten(HandWritten),
    /// The baseline's request, decoded into the generated type.
    HandWrittenGeneratedTypes(HandWritten),
}

impl Contender {
    async fn call(&self) -> anyhow::Result<()> {
        match self {
            Contender::Generated(client) => {
                let customer = client
                    .get_customer()
                    .customer_tenant_id(TENANT)
                    .send()
                    .await
                    .map_err(|e| anyhow::anyhow!("generated client: {e}"))?
                    .into_inner();
                std::hint::black_box(customer);
            }
            Contender::HandWritten(client) => {
                let customer: baseline::Customer = client.get_customer(TENANT).await?;
                std::hint::black_box(customer);
            }
            Contender::HandWrittenGeneratedTypes(client) => {
                let customer: partner_center::types::Customer = client.get_customer(TENANT).await?;
                std::hint::black_box(customer);
            }
        }
        Ok(())
    }
}

/// Which layers a generated contender has.
struct Layers {
    auth: bool,
    retry: bool,
}

/// The generated Partner Center client with the token cache in front of a
/// client-credentials source on the loopback token endpoint (or, without
/// `auth`, the same bearer header set as a default header of the HTTP
/// client, so the requests stay byte for byte the same), and the default
/// retry policy (or, without `retry`, [`RetryPolicy::none`]).
fn generated(server: &Server, layers: &Layers) -> anyhow::Result<partner_center::Client> {
    let mut headers = HeaderMap::new();
    if !layers.auth {
        let mut bearer = HeaderValue::from_str(&format!("Bearer {}", token()))?;
        bearer.set_sensitive(true);
        headers.insert(AUTHORIZATION, bearer);
    }
    let mut builder = partner_center::Client::builder(server.base_url())
        .http_client(http_client(headers)?)
        .retry(if layers.retry {
            RetryPolicy::default()
        } else {
            RetryPolicy::none()
        });
    if layers.auth {
        let source = ClientCredentials::builder(
            server.token_url(),
            "00000000-0000-0000-0000-000000000000",
            ClientCredential::Secret(Secret::new("bench-client-secret")),
        )
        .resource("https://api.partnercenter.microsoft.com")
        .allow_insecure_loopback()
        .build()?;
        builder = builder.auth(&partner_center::schemes::PARTNER_CENTER_APP_ONLY, source);
    }
    Ok(builder.build()?)
}

struct Entry {
    name: &'static str,
    contender: Arc<Contender>,
}

/// What one contender did at one concurrency level.
#[derive(Default)]
struct Tally {
    requests: usize,
    wall: Duration,
    client_cpu_ns: Option<u64>,
    server_cpu_ns: Option<u64>,
    /// Requests per second of each round, in round order.
    round_rps: Vec<f64>,
    /// Latency of every measured request, in nanoseconds.
    latencies: Vec<u64>,
}

/// Runs the benchmark and prints its report.
pub fn run(settings: &Settings) -> anyhow::Result<()> {
    ensure!(settings.rounds > 0, "--rounds must be at least 1");
    ensure!(
        settings.requests >= settings.rounds,
        "--requests must be at least --rounds"
    );
    ensure!(
        settings.concurrency.iter().all(|&c| c > 0),
        "concurrency must be at least 1"
    );
    let server = Server::start(ServerConfig {
        token: token(),
        customers: 0,
    })?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let client_tid = sys::thread_id();
    runtime.block_on(run_on(settings, &server, client_tid))
}

async fn run_on(
    settings: &Settings,
    server: &Server,
    client_tid: Option<u32>,
) -> anyhow::Result<()> {
    crate::check_sample()?;
    let baseline = HandWritten::new(http_client(HeaderMap::new())?, server.base_url(), &token());
    let mut entries = vec![
        Entry {
            name: "hand-written",
            contender: Arc::new(Contender::HandWritten(baseline)),
        },
        Entry {
            name: "generated",
            contender: Arc::new(Contender::Generated(generated(
                server,
                &Layers {
                    auth: true,
                    retry: true,
                },
            )?)),
        },
    ];
    if settings.layers {
        let variants = [
            ("generated, RetryPolicy::none()", true, false),
            ("generated, no auth layer", false, true),
            ("generated, no auth, no retry", false, false),
        ];
        for (name, auth, retry) in variants {
            entries.push(Entry {
                name,
                contender: Arc::new(Contender::Generated(generated(
                    server,
                    &Layers { auth, retry },
                )?)),
            });
        }
        let baseline =
            HandWritten::new(http_client(HeaderMap::new())?, server.base_url(), &token());
        entries.push(Entry {
            name: "hand-written, generated types",
            contender: Arc::new(Contender::HandWrittenGeneratedTypes(baseline)),
        });
    }

    if !settings.only.is_empty() {
        entries.retain(|e| settings.only.iter().any(|name| name == e.name));
        ensure!(
            !entries.is_empty(),
            "--only names no client (the names are those of the report's first column; \
             the variants need --layers)"
        );
    }
    println!("# generated vs hand-written client: Partner Center getCustomer on loopback");
    println!();
    println!("machine: {}", sys::machine());
    println!(
        "settings: {} measured requests per client and concurrency in {} alternating rounds, \
         {} warm-up requests; clients on one single-threaded tokio runtime, \
         server (hyper, HTTP/1.1 keep-alive) on another thread; response body {} bytes",
        settings.requests,
        settings.rounds,
        settings.warmup,
        crate::server::CUSTOMER_SAMPLE.trim_end().len(),
    );
    let mut verdicts = Vec::new();
    for &concurrency in &settings.concurrency {
        let tallies = measure(settings, server, client_tid, &entries, concurrency).await?;
        println!();
        println!("## concurrency {concurrency}");
        println!();
        print_table(&entries, &tallies);
        let index = |name: &str| entries.iter().position(|e| e.name == name);
        if let (Some(h), Some(g)) = (index("hand-written"), index("generated")) {
            verdicts.push((concurrency, RpsRatio::of(&tallies[g], &tallies[h])));
        }
    }

    let counters = server.counters();
    println!();
    println!(
        "server: {} getCustomer requests, {} without the expected bearer token, {} without \
         Accept/MS-RequestId/MS-CorrelationId; {} token requests",
        counters.customer_requests.load(Ordering::Relaxed),
        counters.bad_auth.load(Ordering::Relaxed),
        counters.missing_headers.load(Ordering::Relaxed),
        counters.token_requests.load(Ordering::Relaxed),
    );
    if counters.bad_auth.load(Ordering::Relaxed) != 0
        || counters.missing_headers.load(Ordering::Relaxed) != 0
    {
        bail!("some requests lacked headers; the comparison is not like for like");
    }
    println!();
    for (concurrency, ratio) in verdicts {
        println!(
            "target (generated/hand-written req/s >= 0.95) at concurrency {concurrency}: \
             {:.3} over all rounds, per-round median {:.3}: {}",
            ratio.overall,
            ratio.median,
            if ratio.overall >= 0.95 && ratio.median >= 0.95 {
                "met"
            } else {
                "MISSED"
            }
        );
    }
    Ok(())
}

/// Warm-up, then the alternating rounds at one concurrency level.
async fn measure(
    settings: &Settings,
    server: &Server,
    client_tid: Option<u32>,
    entries: &[Entry],
    concurrency: usize,
) -> anyhow::Result<Vec<Tally>> {
    for entry in entries {
        round(&entry.contender, settings.warmup, concurrency)
            .await
            .with_context(|| format!("warm-up of `{}`", entry.name))?;
    }
    let mut tallies: Vec<Tally> = entries.iter().map(|_| Tally::default()).collect();
    let cpu = |tid: Option<u32>| tid.and_then(sys::thread_cpu_ns);
    for r in 0..settings.rounds {
        // Spread the remainder over the first rounds.
        let n = settings.requests / settings.rounds
            + usize::from(r < settings.requests % settings.rounds);
        for k in 0..entries.len() {
            let i = (k + r) % entries.len();
            let (client_before, server_before) = (cpu(client_tid), server.cpu_ns());
            let started = Instant::now();
            let latencies = round(&entries[i].contender, n, concurrency)
                .await
                .with_context(|| format!("`{}`", entries[i].name))?;
            let wall = started.elapsed();
            let tally = &mut tallies[i];
            tally.requests += n;
            tally.wall += wall;
            tally.round_rps.push(n as f64 / wall.as_secs_f64());
            tally.latencies.extend(latencies);
            tally.client_cpu_ns = add_delta(tally.client_cpu_ns, client_before, cpu(client_tid), r);
            tally.server_cpu_ns = add_delta(tally.server_cpu_ns, server_before, server.cpu_ns(), r);
        }
    }
    for tally in &mut tallies {
        tally.latencies.sort_unstable();
    }
    Ok(tallies)
}

/// Adds `after - before` to `total`; unknown once any reading is missing.
fn add_delta(
    total: Option<u64>,
    before: Option<u64>,
    after: Option<u64>,
    round: usize,
) -> Option<u64> {
    let delta = after?.checked_sub(before?)?;
    if round == 0 {
        Some(delta)
    } else {
        Some(total? + delta)
    }
}

/// Sends `n` requests with `concurrency` of them in flight, each from its
/// own task, and returns every request's latency in nanoseconds.
async fn round(
    contender: &Arc<Contender>,
    n: usize,
    concurrency: usize,
) -> anyhow::Result<Vec<u64>> {
    let next = Arc::new(AtomicUsize::new(0));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..concurrency.min(n.max(1)) {
        let contender = Arc::clone(contender);
        let next = Arc::clone(&next);
        tasks.spawn(async move {
            let mut latencies = Vec::with_capacity(n / concurrency + 1);
            while next.fetch_add(1, Ordering::Relaxed) < n {
                let started = Instant::now();
                contender.call().await?;
                latencies.push(started.elapsed().as_nanos() as u64);
            }
            anyhow::Ok(latencies)
        });
    }
    let mut all = Vec::with_capacity(n);
    while let Some(done) = tasks.join_next().await {
        all.extend(done??);
    }
    Ok(all)
}

fn rps(tally: &Tally) -> f64 {
    tally.requests as f64 / tally.wall.as_secs_f64()
}

/// Requests per second of one client over another's.
struct RpsRatio {
    /// Over all rounds together.
    overall: f64,
    /// The median, lowest and highest of the ratios of the same round.
    median: f64,
    min: f64,
    max: f64,
}

impl RpsRatio {
    fn of(tally: &Tally, base: &Tally) -> RpsRatio {
        let mut per_round: Vec<f64> = tally
            .round_rps
            .iter()
            .zip(&base.round_rps)
            .map(|(a, b)| a / b)
            .collect();
        per_round.sort_by(f64::total_cmp);
        let n = per_round.len();
        let median = match n {
            0 => f64::NAN,
            n if n % 2 == 1 => per_round[n / 2],
            n => (per_round[n / 2 - 1] + per_round[n / 2]) / 2.0,
        };
        RpsRatio {
            overall: rps(tally) / rps(base),
            median,
            min: per_round.first().copied().unwrap_or(f64::NAN),
            max: per_round.last().copied().unwrap_or(f64::NAN),
        }
    }
}

/// The `q` quantile (0..=1) of sorted values, nearest rank.
fn quantile(sorted: &[u64], q: f64) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn print_table(entries: &[Entry], tallies: &[Tally]) {
    let base = &tallies[0];
    let micros = |ns: u64| ns as f64 / 1000.0;
    let per_request = |t: &Tally| {
        t.client_cpu_ns
            .map(|ns| ns as f64 / t.requests as f64 / 1000.0)
    };
    println!(
        "| client | requests | req/s | p50 µs | p99 µs | client CPU µs/req | server busy | \
         req/s ratio: all rounds (per-round median, min–max) | p50 ratio | p99 ratio | CPU/req ratio |"
    );
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: |");
    for (entry, tally) in entries.iter().zip(tallies) {
        let p50 = quantile(&tally.latencies, 0.50);
        let p99 = quantile(&tally.latencies, 0.99);
        let cpu = per_request(tally);
        let busy = tally
            .server_cpu_ns
            .map(|ns| format!("{:.0} %", ns as f64 / tally.wall.as_nanos() as f64 * 100.0))
            .unwrap_or_else(|| "n/a".into());
        let ratio = |a: f64, b: f64| format!("{:.3}", a / b);
        let rps_ratio = RpsRatio::of(tally, base);
        println!(
            "| {} | {} | {:.0} | {:.1} | {:.1} | {} | {} | {:.3} ({:.3}, {:.3}–{:.3}) | {} | {} | {} |",
            entry.name,
            tally.requests,
            rps(tally),
            micros(p50),
            micros(p99),
            cpu.map_or_else(|| "n/a".into(), |c| format!("{c:.1}")),
            busy,
            rps_ratio.overall,
            rps_ratio.median,
            rps_ratio.min,
            rps_ratio.max,
            ratio(p50 as f64, quantile(&base.latencies, 0.50) as f64),
            ratio(p99 as f64, quantile(&base.latencies, 0.99) as f64),
            match (cpu, per_request(base)) {
                (Some(c), Some(b)) => ratio(c, b),
                _ => "n/a".into(),
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_use_the_nearest_rank() {
        let v: Vec<u64> = (1..=100).collect();
        assert_eq!(quantile(&v, 0.5), 50);
        assert_eq!(quantile(&v, 0.99), 99);
        assert_eq!(quantile(&v, 1.0), 100);
        assert_eq!(quantile(&[7], 0.99), 7);
        assert_eq!(quantile(&[], 0.5), 0);
    }

    #[test]
    fn ratios_compare_the_same_rounds() {
        let tally = |rps: &[f64]| Tally {
            requests: rps.len(),
            wall: Duration::from_secs_f64(rps.iter().map(|r| 1.0 / r).sum()),
            round_rps: rps.to_vec(),
            ..Tally::default()
        };
        let ratio = RpsRatio::of(&tally(&[90.0, 50.0, 100.0]), &tally(&[100.0, 50.0, 100.0]));
        assert_eq!((ratio.min, ratio.median, ratio.max), (0.9, 1.0, 1.0));
        assert!((ratio.overall - 0.973).abs() < 0.001, "{}", ratio.overall);
    }

    /// Every contender against the real server, a handful of requests each:
    /// checks the wiring, not the speed.
    #[test]
    fn a_tiny_run_completes() {
        run(&Settings {
            requests: 4,
            rounds: 2,
            warmup: 2,
            concurrency: vec![1, 3],
            layers: true,
            only: Vec::new(),
        })
        .unwrap();
    }
}
