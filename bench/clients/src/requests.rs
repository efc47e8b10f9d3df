//! The request benchmark: Partner Center `getCustomer` through the
//! generated client (every layer on) and through the hand-written baseline,
//! side by side in one process, in alternating rounds, judged against the
//! targets and against its own noise.
//!
//! Each client sends `requests` requests per concurrency level, split into
//! `rounds` short rounds. Round `r` runs the clients in an order rotated by
//! `r`, so drift of the machine over time (other processes, frequency
//! changes) lands on all clients alike, and the ratio of two clients is
//! taken round by round as well as over all rounds. Every client first
//! sends `warmup` unmeasured requests at the same concurrency, which also
//! opens its connections.
//!
//! The clients run on one single-threaded runtime on the calling thread;
//! the server runs on another thread (see [`crate::server`]). With two CPUs
//! each side has one, and by default each thread is pinned to its own CPU
//! so that neither migrates nor lands on the other's CPU.
//!
//! Noise is measured, not assumed away: a second, identical hand-written
//! client (the A/A control) is measured like the others, so its ratio to
//! the first shows what the machine alone does to a ratio; every round
//! records whether the client or server thread was preempted; and each
//! level records the CPU pressure (PSI), the CPU other processes used and
//! the steal time. The verdict of a level is "met", "MISSED" or "TOO NOISY
//! TO JUDGE", the last when the A/A control strays or the 95 % interval of
//! the per-round median is too wide to tell a 2 % difference.

use std::str::FromStr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, ensure, Context as _};
use partner_center::runtime::auth::{ClientCredential, ClientCredentials, Secret};
use partner_center::runtime::RetryPolicy;
use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION};

use crate::baseline::{self, HandWritten};
use crate::report::{noise_line, print_table, verdict, Comparison, Machine, Round, Stalls, Tally};
use crate::server::{Server, ServerConfig};
use crate::stats::quantile;
use crate::{sys, token};

/// Which CPUs the client and server threads run on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pin {
    /// Wherever the scheduler puts them.
    Off,
    /// At concurrency 1 both on the first CPU this process may use; above,
    /// the client on the first and the server on the second. Not pinned
    /// when the process may use only one CPU.
    ///
    /// At concurrency 1 a request is a ping-pong between the two threads,
    /// and waking a thread on the other, idle, virtual CPU costs more than
    /// the client's own work and varies with what that CPU is doing (on
    /// the project's 2-CPU VM: 100 µs of client CPU per request instead of
    /// 50, and a spread of 2x between runs); on one CPU the threads hand
    /// over directly. With 32 in flight both threads are busy, and each
    /// gets a CPU of its own.
    Auto,
    /// These CPUs.
    Cpus {
        /// The client thread's CPU.
        client: usize,
        /// The server thread's CPU.
        server: usize,
    },
}

impl FromStr for Pin {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "off" => Ok(Pin::Off),
            "auto" => Ok(Pin::Auto),
            _ => {
                let parse = |cpu: &str| cpu.trim().parse::<usize>().ok();
                match s.split_once(',').map(|(c, s)| (parse(c), parse(s))) {
                    Some((Some(client), Some(server))) => Ok(Pin::Cpus { client, server }),
                    _ => Err(format!(
                        "`{s}` is not `off`, `auto` or CLIENT_CPU,SERVER_CPU (e.g. `0,1`)"
                    )),
                }
            }
        }
    }
}

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
    /// Where the client and server threads run.
    pub pin: Pin,
    /// Where to write every round of every client as CSV, if anywhere.
    pub rounds_csv: Option<std::path::PathBuf>,
}

/// The names of the clients the verdict compares.
const HAND_WRITTEN: &str = "hand-written";
const CONTROL: &str = "hand-written again (A/A control)";
const GENERATED: &str = "generated";

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

/// The threads whose CPU time and preemptions are read.
#[derive(Clone, Copy)]
struct Threads {
    client: Option<u32>,
    server: Option<u32>,
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
    let allowed = sys::allowed_cpus().unwrap_or_default();
    // Read before pinning, which narrows what the process sees.
    let machine = sys::machine();
    let server = Server::start(ServerConfig {
        token: token(),
        customers: 0,
    })?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let threads = Threads {
        client: sys::thread_id(),
        server: server.thread_id(),
    };
    let placement = Placement {
        pin: settings.pin,
        allowed,
        threads,
    };
    runtime.block_on(run_on(settings, &server, &placement, &machine))
}

/// Where the threads go at each level.
struct Placement {
    pin: Pin,
    /// The CPUs the process may use, lowest first.
    allowed: Vec<usize>,
    threads: Threads,
}

impl Placement {
    /// The client's and the server's CPU at `concurrency`, if pinned.
    fn cpus(&self, concurrency: usize) -> Option<(usize, usize)> {
        match (self.pin, self.allowed.as_slice()) {
            (Pin::Off, _) => None,
            (Pin::Cpus { client, server }, _) => Some((client, server)),
            (Pin::Auto, [first, ..]) if concurrency == 1 => Some((*first, *first)),
            (Pin::Auto, [first, second, ..]) => Some((*first, *second)),
            (Pin::Auto, _) => None,
        }
    }

    /// Pins both threads for `concurrency` and says where they run.
    fn apply(&self, concurrency: usize) -> anyhow::Result<String> {
        let Some((client, server)) = self.cpus(concurrency) else {
            return Ok("threads not pinned".into());
        };
        sys::pin_thread(None, client)
            .with_context(|| format!("cannot pin the client thread to CPU {client}"))?;
        let tid = self
            .threads
            .server
            .context("the server thread's id is unknown, so it cannot be pinned")?;
        sys::pin_thread(Some(tid), server)
            .with_context(|| format!("cannot pin the server thread to CPU {server}"))?;
        Ok(if client == server {
            format!("client and server threads pinned to CPU {client}")
        } else {
            format!("client thread pinned to CPU {client}, server thread to CPU {server}")
        })
    }
}

async fn run_on(
    settings: &Settings,
    server: &Server,
    placement: &Placement,
    machine: &str,
) -> anyhow::Result<()> {
    let threads = placement.threads;
    crate::check_sample()?;
    let hand_written = || -> anyhow::Result<Arc<Contender>> {
        let http = http_client(HeaderMap::new())?;
        Ok(Arc::new(Contender::HandWritten(HandWritten::new(
            http,
            server.base_url(),
            &token(),
        ))))
    };
    let mut entries = vec![
        Entry {
            name: HAND_WRITTEN,
            contender: hand_written()?,
        },
        Entry {
            name: CONTROL,
            contender: hand_written()?,
        },
        Entry {
            name: GENERATED,
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
    println!("machine: {machine}");
    println!(
        "settings: {} measured requests per client and concurrency in {} alternating rounds \
         of {}, {} warm-up requests; clients on one single-threaded tokio runtime, \
         server (hyper, HTTP/1.1 keep-alive) on another thread; response body {} bytes",
        settings.requests,
        settings.rounds,
        settings.requests / settings.rounds,
        settings.warmup,
        crate::server::CUSTOMER_SAMPLE.trim_end().len(),
    );
    let mut verdicts = Vec::new();
    let mut csv = String::from(crate::report::ROUNDS_CSV_HEADER);
    csv.push('\n');
    for &concurrency in &settings.concurrency {
        let pinned = placement.apply(concurrency)?;
        // Preemptions say something about other processes only when the
        // two threads do not take turns on one CPU.
        let shared_cpu = placement.cpus(concurrency).is_some_and(|(c, s)| c == s);
        let (tallies, machine) =
            measure(settings, threads, shared_cpu, &entries, concurrency).await?;
        println!();
        println!("## concurrency {concurrency}");
        println!();
        println!("{pinned}.");
        println!();
        let names: Vec<&str> = entries.iter().map(|e| e.name).collect();
        let stalls = Stalls::find(&tallies);
        print_table(&names, &tallies, &stalls);
        for (name, tally) in names.iter().zip(&tallies) {
            crate::report::rounds_csv(&mut csv, concurrency, name, tally, &stalls.kept);
        }
        println!();
        let index = |name: &str| entries.iter().position(|e| e.name == name);
        let control = index(HAND_WRITTEN)
            .zip(index(CONTROL))
            .map(|(h, c)| Comparison::of(&tallies[c], &tallies[h], &stalls.kept));
        println!(
            "{}",
            noise_line(&tallies, control.as_ref(), &machine, &stalls)
        );
        if let (Some(h), Some(g)) = (index(HAND_WRITTEN), index(GENERATED)) {
            let generated = Comparison::of(&tallies[g], &tallies[h], &stalls.kept);
            let others: Vec<usize> = [Some(h), index(CONTROL)].into_iter().flatten().collect();
            let own = stalls.own(g, &others);
            verdicts.push(verdict(
                concurrency,
                &generated,
                control.as_ref(),
                own.as_deref(),
            ));
        }
    }

    let counters = server.counters();
    println!();
    println!(
        "server: {} getCustomer requests, {} without the expected bearer token, {} without \
         Accept/MS-RequestId/MS-CorrelationId/MS-Contract-Version; {} token requests (one per client with the \
         auth layer)",
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
    for line in verdicts {
        println!("{line}");
    }
    if let Some(path) = &settings.rounds_csv {
        crate::write_atomically(path, csv.as_bytes())
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

/// Warm-up, then the alternating rounds at one concurrency level.
async fn measure(
    settings: &Settings,
    threads: Threads,
    shared_cpu: bool,
    entries: &[Entry],
    concurrency: usize,
) -> anyhow::Result<(Vec<Tally>, Machine)> {
    for entry in entries {
        round(&entry.contender, settings.warmup, concurrency)
            .await
            .with_context(|| format!("warm-up of `{}`", entry.name))?;
    }
    let mut tallies: Vec<Tally> = entries.iter().map(|_| Tally::default()).collect();
    let cpu = |tid: Option<u32>| tid.and_then(sys::thread_cpu_ns);
    let preemptions = || {
        if shared_cpu {
            return None;
        }
        Some(sys::thread_preemptions(threads.client?)? + sys::thread_preemptions(threads.server?)?)
    };
    let load_before = sys::load_average();
    let (pressure_before, times_before) = (sys::cpu_pressure_us(), sys::CpuTimes::now());
    let level_started = Instant::now();
    for r in 0..settings.rounds {
        // Spread the remainder over the first rounds.
        let n = settings.requests / settings.rounds
            + usize::from(r < settings.requests % settings.rounds);
        for k in 0..entries.len() {
            let i = (k + r) % entries.len();
            let (client_before, server_before) = (cpu(threads.client), cpu(threads.server));
            let preempted_before = preemptions();
            let started = Instant::now();
            let mut latencies = round(&entries[i].contender, n, concurrency)
                .await
                .with_context(|| format!("`{}`", entries[i].name))?;
            let wall = started.elapsed();
            let preempted = preemptions()
                .zip(preempted_before)
                .map(|(after, before)| after > before);
            latencies.sort_unstable();
            let tally = &mut tallies[i];
            tally.requests += n;
            tally.wall += wall;
            let client_after = cpu(threads.client);
            tally.rounds.push(Round {
                requests: n,
                wall,
                rps: n as f64 / wall.as_secs_f64(),
                p50_ns: quantile(&latencies, 0.50),
                p99_ns: quantile(&latencies, 0.99),
                max_ns: latencies.last().copied().unwrap_or(0),
                client_cpu_ns: client_after
                    .zip(client_before)
                    .and_then(|(after, before)| after.checked_sub(before)),
                preempted,
            });
            tally.round_latencies.push(latencies);
            tally.client_cpu_ns = add_delta(tally.client_cpu_ns, client_before, client_after, r);
            tally.server_cpu_ns =
                add_delta(tally.server_cpu_ns, server_before, cpu(threads.server), r);
        }
    }
    let wall = level_started.elapsed();
    for tally in &mut tallies {
        tally.latencies = tally.round_latencies.concat();
        tally.latencies.sort_unstable();
    }
    let ticks = sys::clock_ticks_per_second();
    let times = times_before.zip(sys::CpuTimes::now());
    let per_second =
        |delta: u64| ticks.map(|ticks| delta as f64 / ticks as f64 / wall.as_secs_f64());
    let machine = Machine {
        wall,
        pressure_us: sys::cpu_pressure_us()
            .zip(pressure_before)
            .map(|(after, before)| after.saturating_sub(before)),
        other_cpus: times.and_then(|(before, after)| {
            let busy = after.machine_busy.saturating_sub(before.machine_busy);
            let own = after.process.saturating_sub(before.process);
            per_second(busy.saturating_sub(own))
        }),
        steal: times
            .and_then(|(before, after)| per_second(after.steal.saturating_sub(before.steal))),
        load_before,
        load_after: sys::load_average(),
    };
    Ok((tallies, machine))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pin_settings_parse() {
        assert_eq!("off".parse(), Ok(Pin::Off));
        assert_eq!("auto".parse(), Ok(Pin::Auto));
        assert_eq!(
            "0,1".parse(),
            Ok(Pin::Cpus {
                client: 0,
                server: 1
            })
        );
        assert!("1".parse::<Pin>().is_err());
    }

    /// Every contender against the real server, a handful of requests each:
    /// checks the wiring, not the speed.
    #[test]
    fn a_tiny_run_completes() {
        let dir = tempfile::tempdir().unwrap();
        let csv = dir.path().join("rounds.csv");
        run(&Settings {
            requests: 4,
            rounds: 2,
            warmup: 2,
            concurrency: vec![1, 3],
            layers: true,
            only: Vec::new(),
            pin: Pin::Off,
            rounds_csv: Some(csv.clone()),
        })
        .unwrap();
        let rows = std::fs::read_to_string(&csv).unwrap();
        let mut lines = rows.lines();
        assert_eq!(lines.next(), Some(crate::report::ROUNDS_CSV_HEADER));
        // 2 levels x 2 rounds x (3 clients + 4 variants).
        assert_eq!(lines.count(), 2 * 2 * 7, "{rows}");
    }
}
