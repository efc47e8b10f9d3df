//! What the request benchmark reports and how it judges: the data of each
//! round, the ratios of one client to another over all rounds and round by
//! round, the table, the noise line and the verdict against the targets.

use std::fmt::Write as _;
use std::time::Duration;

use crate::stats::{quantile, Median, Ratio};

/// The target: generated / hand-written req/s at least this, over all
/// rounds and by the per-round median.
const TARGET_RPS_RATIO: f64 = 0.98;
/// The target: the generated client's p99 latency at most this times the
/// hand-written client's.
const TARGET_P99_RATIO: f64 = 1.1;
/// A run cannot judge a 2 % target when the 95 % interval of the per-round
/// median ratio reaches further than this from the median.
const MAX_HALF_WIDTH: f64 = 0.02;
/// Nor when two identical clients differ by more than this in req/s (per
/// round median or over all rounds)...
const MAX_AA_RPS: f64 = 0.015;
/// ...or by more than this in p99 latency (then only p99 is not judged).
const MAX_AA_P99: f64 = 0.05;

/// One round of one contender.
#[derive(Debug, Clone, Copy)]
pub struct Round {
    /// Requests sent.
    pub requests: usize,
    /// How long the round took.
    pub wall: Duration,
    /// Requests per second.
    pub rps: f64,
    /// The median of the round's latencies, in nanoseconds.
    pub p50_ns: u64,
    /// The 99th percentile of the round's latencies, in nanoseconds.
    pub p99_ns: u64,
    /// The slowest request of the round, in nanoseconds.
    pub max_ns: u64,
    /// The client thread's CPU time during the round (unknown without
    /// `/proc`).
    pub client_cpu_ns: Option<u64>,
    /// Whether the client or the server thread was preempted during the
    /// round (unknown without `/proc`).
    pub preempted: Option<bool>,
}

/// What one contender did at one concurrency level.
#[derive(Default)]
pub struct Tally {
    pub requests: usize,
    pub wall: Duration,
    pub client_cpu_ns: Option<u64>,
    pub server_cpu_ns: Option<u64>,
    /// Each round, in round order.
    pub rounds: Vec<Round>,
    /// Latency of every measured request, in nanoseconds, sorted.
    pub latencies: Vec<u64>,
    /// The same, round by round (each sorted).
    pub round_latencies: Vec<Vec<u64>>,
}

/// A round that took more than this many times its client's median round
/// is a stall.
const STALL_FACTOR: f64 = 2.0;
/// The generated client's stalls are taken to be its own, not the
/// machine's, when chance would give it as many with a probability below
/// this.
const STALL_P: f64 = 0.01;

/// The stalls of one level: rounds that took more than [`STALL_FACTOR`]
/// times their client's median round.
///
/// On a shared virtual machine the CPU now and then runs several times
/// slower for a few milliseconds (a spin loop of fixed work shows the same
/// spells with no benchmark running), and a round that one of them hits
/// takes several times as long. Which client's round a spell hits is
/// chance, yet each such round moves that client's total by several
/// percent; stalls of the machine hit all clients about equally often. So
/// every round index at which any client stalled is set aside, for all
/// clients alike, and the ratio over the remaining rounds is reported
/// beside the ratio over all rounds. Whether the generated client stalls
/// more often than chance allows is tested ([`Stalls::own`]): if it does,
/// its stalls are its own (a tail, say) and only the ratio over all rounds
/// is judged.
pub struct Stalls {
    /// Per round index, whether no client stalled in it.
    pub kept: Vec<bool>,
    /// Per client, how many of its rounds stalled.
    pub per_client: Vec<usize>,
}

impl Stalls {
    /// The stalls among `tallies`' rounds (which all have the same round
    /// count).
    pub fn find(tallies: &[Tally]) -> Stalls {
        let rounds = tallies.iter().map(|t| t.rounds.len()).min().unwrap_or(0);
        let mut kept = vec![true; rounds];
        let mut per_client = Vec::with_capacity(tallies.len());
        for tally in tallies {
            let walls: Vec<f64> = tally.rounds.iter().map(|r| r.wall.as_secs_f64()).collect();
            let median = Median::of(&walls).map_or(f64::INFINITY, |m| m.median);
            let mut count = 0;
            for (keep, wall) in kept.iter_mut().zip(&walls) {
                if *wall > STALL_FACTOR * median {
                    *keep = false;
                    count += 1;
                }
            }
            per_client.push(count);
        }
        Stalls { kept, per_client }
    }

    /// How many round indices were set aside.
    pub fn dropped(&self) -> usize {
        self.kept.iter().filter(|&&k| !k).count()
    }

    /// Why the stalls of client `generated` are its own, if they are: it
    /// stalled more often than chance allows next to the `others` (under
    /// the hypothesis that a stall hits each of the clients equally
    /// likely, the binomial probability of at least its count is below
    /// [`STALL_P`]).
    pub fn own(&self, generated: usize, others: &[usize]) -> Option<String> {
        let g = *self.per_client.get(generated)?;
        let rest: usize = others.iter().filter_map(|&i| self.per_client.get(i)).sum();
        if others.is_empty() || g == 0 {
            return None;
        }
        let share = 1.0 / (others.len() + 1) as f64;
        let p = binomial_tail(g + rest, g, share);
        (p < STALL_P).then(|| {
            format!(
                "the generated client stalled in {g} rounds against {:.1} on average for the \
                 hand-written ones (p = {p:.4} by chance): its stalls are its own, so only the \
                 figures over all rounds are judged",
                rest as f64 / others.len() as f64
            )
        })
    }
}

/// P(X >= k) for X ~ Binomial(n, p), summed in log space.
fn binomial_tail(n: usize, k: usize, p: f64) -> f64 {
    let ln_choose =
        |n: usize, j: usize| -> f64 { (1..=j).map(|i| ((n - j + i) as f64 / i as f64).ln()).sum() };
    (k..=n)
        .map(|j| (ln_choose(n, j) + j as f64 * p.ln() + (n - j) as f64 * (1.0 - p).ln()).exp())
        .sum::<f64>()
        .min(1.0)
}

/// What the machine did around one concurrency level.
pub struct Machine {
    pub wall: Duration,
    /// Microseconds some task waited for a CPU.
    pub pressure_us: Option<u64>,
    /// CPUs used by other processes, on average.
    pub other_cpus: Option<f64>,
    /// Share of the time stolen by the hypervisor, summed over CPUs.
    pub steal: Option<f64>,
    pub load_before: Option<String>,
    pub load_after: Option<String>,
}

/// The first line of `--rounds-csv`.
pub const ROUNDS_CSV_HEADER: &str =
    "concurrency,round,client,requests,wall_ns,rps,p50_ns,p99_ns,max_ns,client_cpu_ns,preempted,kept";

/// Appends one CSV row per round of `tally` (the client `name` at
/// `concurrency`) to `out`; `kept` says which round indices are outside
/// stalls (see [`Stalls`]); unknown values are empty.
pub fn rounds_csv(out: &mut String, concurrency: usize, name: &str, tally: &Tally, kept: &[bool]) {
    // Client names hold commas and no quotes; quoted, they stay one field.
    debug_assert!(!name.contains('"'));
    for (i, r) in tally.rounds.iter().enumerate() {
        let known = |v: Option<u64>| v.map(|v| v.to_string()).unwrap_or_default();
        let _ = writeln!(
            out,
            "{concurrency},{i},\"{name}\",{},{},{:.1},{},{},{},{},{},{}",
            r.requests,
            r.wall.as_nanos(),
            r.rps,
            r.p50_ns,
            r.p99_ns,
            r.max_ns,
            known(r.client_cpu_ns),
            r.preempted.map(|p| p.to_string()).unwrap_or_default(),
            kept.get(i).copied().unwrap_or(true),
        );
    }
}

/// Requests per second over all rounds.
fn rps(tally: &Tally) -> f64 {
    tally.requests as f64 / tally.wall.as_secs_f64()
}

/// One client against another (the baseline), over the same rounds.
pub struct Comparison {
    /// Req/s over all rounds together.
    pub rps_overall: f64,
    /// The same with its block-bootstrap 95 % interval.
    pub rps_overall_interval: Option<Ratio>,
    /// Req/s over the rounds outside stalls (see [`Stalls`]), with its
    /// interval.
    pub rps_kept: Option<Ratio>,
    /// The ratios of the req/s of the same round.
    pub rps_per_round: Option<Median>,
    /// p99 of all requests together.
    pub p99_overall: f64,
    /// p99 of the requests of the rounds outside stalls.
    pub p99_kept: f64,
    /// The ratios of the p99 of the same round.
    pub p99_per_round: Option<Median>,
}

impl Comparison {
    /// `tally` against `base`, over all rounds, over the rounds `kept`
    /// (see [`Stalls`]) and round by round.
    pub fn of(tally: &Tally, base: &Tally, kept: &[bool]) -> Comparison {
        let per_round = |f: fn(&Round) -> f64| {
            let ratios: Vec<f64> = tally
                .rounds
                .iter()
                .zip(&base.rounds)
                .map(|(a, b)| f(a) / f(b))
                .collect();
            Median::of(&ratios)
        };
        // Round `i` of both sent the same number of requests, so the ratio
        // of the req/s over all rounds is the inverse ratio of the walls.
        let walls =
            |t: &Tally| -> Vec<f64> { t.rounds.iter().map(|r| r.wall.as_secs_f64()).collect() };
        let kept_walls = |t: &Tally| -> Vec<f64> {
            t.rounds
                .iter()
                .zip(kept)
                .filter(|(_, &k)| k)
                .map(|(r, _)| r.wall.as_secs_f64())
                .collect()
        };
        let kept_p99 = |t: &Tally| {
            let mut all: Vec<u64> = t
                .round_latencies
                .iter()
                .zip(kept)
                .filter(|(_, &k)| k)
                .flat_map(|(l, _)| l.iter().copied())
                .collect();
            all.sort_unstable();
            quantile(&all, 0.99) as f64
        };
        Comparison {
            rps_overall: rps(tally) / rps(base),
            rps_overall_interval: Ratio::of_totals(&walls(base), &walls(tally)),
            rps_kept: Ratio::of_totals(&kept_walls(base), &kept_walls(tally)),
            p99_kept: kept_p99(tally) / kept_p99(base),
            rps_per_round: per_round(|r| r.rps),
            p99_overall: quantile(&tally.latencies, 0.99) as f64
                / quantile(&base.latencies, 0.99) as f64,
            p99_per_round: per_round(|r| r.p99_ns as f64),
        }
    }
}

/// `ratio [low, high]`, the ratio over all rounds and its interval.
fn show_overall(c: &Comparison) -> String {
    match c.rps_overall_interval {
        Some(r) => format!("{:.3} [{:.3}, {:.3}]", c.rps_overall, r.low, r.high),
        None => format!("{:.3}", c.rps_overall),
    }
}

/// `ratio [low, high]`, or `n/a`.
fn show_ratio(r: Option<Ratio>) -> String {
    match r {
        Some(r) => format!("{:.3} [{:.3}, {:.3}]", r.ratio, r.low, r.high),
        None => "n/a".into(),
    }
}

/// `median [low, high] (min–max)`.
fn show_median(m: Option<Median>) -> String {
    match m {
        Some(m) => format!(
            "{:.3} [{:.3}, {:.3}] ({:.3}–{:.3})",
            m.median, m.low, m.high, m.min, m.max
        ),
        None => "n/a".into(),
    }
}

/// The table of one concurrency level, every client against the first.
pub fn print_table(names: &[&str], tallies: &[Tally], stalls: &Stalls) {
    let base = &tallies[0];
    let micros = |ns: u64| ns as f64 / 1000.0;
    let per_request = |t: &Tally| {
        t.client_cpu_ns
            .map(|ns| ns as f64 / t.requests as f64 / 1000.0)
    };
    println!(
        "| client | requests | req/s | p50 µs | p99 µs | client CPU µs/req | server busy | \
         stalled rounds | req/s ratio, all rounds [95 % CI] | req/s ratio outside stalls [95 % CI] | \
         req/s ratio per round: median [95 % CI] (min–max) | \
         p50 ratio | p99 ratio, all rounds | p99 ratio outside stalls | \
         p99 ratio per round: median [95 % CI] | CPU/req ratio |"
    );
    println!(
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | --- | ---: |"
    );
    for ((name, tally), stalled) in names.iter().zip(tallies).zip(&stalls.per_client) {
        let p50 = quantile(&tally.latencies, 0.50);
        let p99 = quantile(&tally.latencies, 0.99);
        let cpu = per_request(tally);
        let busy = tally
            .server_cpu_ns
            .map(|ns| format!("{:.0} %", ns as f64 / tally.wall.as_nanos() as f64 * 100.0))
            .unwrap_or_else(|| "n/a".into());
        let ratio = |a: f64, b: f64| format!("{:.3}", a / b);
        let vs = Comparison::of(tally, base, &stalls.kept);
        let p99_rounds = vs.p99_per_round.map_or_else(
            || "n/a".into(),
            |m| format!("{:.3} [{:.3}, {:.3}]", m.median, m.low, m.high),
        );
        println!(
            "| {} | {} | {:.0} | {:.1} | {:.1} | {} | {} | {} | {} | {} | {} | {} | {:.3} | {:.3} | {} | {} |",
            name,
            tally.requests,
            rps(tally),
            micros(p50),
            micros(p99),
            cpu.map_or_else(|| "n/a".into(), |c| format!("{c:.1}")),
            busy,
            stalled,
            show_overall(&vs),
            show_ratio(vs.rps_kept),
            show_median(vs.rps_per_round),
            ratio(p50 as f64, quantile(&base.latencies, 0.50) as f64),
            vs.p99_overall,
            vs.p99_kept,
            p99_rounds,
            match (cpu, per_request(base)) {
                (Some(c), Some(b)) => ratio(c, b),
                _ => "n/a".into(),
            },
        );
    }
}

/// What the A/A control and the machine say about one level.
pub fn noise_line(
    tallies: &[Tally],
    control: Option<&Comparison>,
    machine: &Machine,
    stalls: &Stalls,
) -> String {
    let mut line = String::from("noise: ");
    match control {
        Some(c) => {
            let _ = write!(
                line,
                "two identical hand-written clients (A/A) differ by req/s {} over all rounds, \
                 {} outside stalls, per-round median {}, p99 {:.3} ({:.3} outside stalls); ",
                show_overall(c),
                show_ratio(c.rps_kept),
                show_median(c.rps_per_round),
                c.p99_overall,
                c.p99_kept,
            );
        }
        None => line.push_str("no A/A control measured; "),
    }
    let runs: Vec<bool> = tallies
        .iter()
        .flat_map(|t| t.rounds.iter().filter_map(|r| r.preempted))
        .collect();
    let _ = write!(
        line,
        "rounds over {STALL_FACTOR}x their client's median (stalls): {} of {} round indices \
         set aside ({} per client, in table order); ",
        stalls.dropped(),
        stalls.kept.len(),
        stalls
            .per_client
            .iter()
            .map(|n| n.to_string())
            .collect::<Vec<_>>()
            .join("/"),
    );
    if !runs.is_empty() {
        let _ = write!(
            line,
            "client or server thread preempted in {} of {} rounds; ",
            runs.iter().filter(|&&p| p).count(),
            runs.len()
        );
    }
    let wall_us = machine.wall.as_secs_f64() * 1e6;
    let mut facts = Vec::new();
    if let Some(us) = machine.pressure_us {
        facts.push(format!(
            "CPU pressure (some task waiting for a CPU) {:.1} % of the time",
            us as f64 / wall_us * 100.0
        ));
    }
    if let Some(cpus) = machine.other_cpus {
        facts.push(format!("other processes used {cpus:.2} CPUs"));
    }
    if let Some(steal) = machine.steal {
        facts.push(format!("steal {:.1} %", steal * 100.0));
    }
    if let (Some(before), Some(after)) = (&machine.load_before, &machine.load_after) {
        facts.push(format!("load average {before} before, {after} after"));
    }
    line.push_str(&facts.join(", "));
    line
}

/// The verdict line of one level: the targets met, MISSED, or the run too
/// noisy to judge, with the reasons.
///
/// The req/s target is judged by the per-round median and by the ratio
/// outside stalls (see [`Stalls`]); when `own_stalls` says why the
/// generated client's stalls are its own, by the ratio over all rounds
/// instead. Likewise the p99 target.
pub fn verdict(
    concurrency: usize,
    generated: &Comparison,
    control: Option<&Comparison>,
    own_stalls: Option<&str>,
) -> String {
    let all = own_stalls.is_some();
    let scope = if all {
        "over all rounds"
    } else {
        "outside stalls"
    };
    let judged = |c: &Comparison| -> (Option<Ratio>, f64) {
        if all {
            (c.rps_overall_interval, c.p99_overall)
        } else {
            (c.rps_kept, c.p99_kept)
        }
    };
    let mut noisy = Vec::new();
    let mut p99_noisy = None;
    if let Some(m) = generated.rps_per_round {
        if m.half_width() > MAX_HALF_WIDTH {
            noisy.push(format!(
                "the 95 % interval of the per-round median reaches ±{:.3} (more than ±{MAX_HALF_WIDTH})",
                m.half_width()
            ));
        }
    }
    let (rps, p99) = judged(generated);
    match rps {
        Some(r) if r.half_width() > MAX_HALF_WIDTH => noisy.push(format!(
            "the 95 % interval of the ratio {scope} reaches ±{:.3} (more than ±{MAX_HALF_WIDTH})",
            r.half_width()
        )),
        Some(_) => {}
        None => noisy.push(format!("no ratio {scope} could be computed")),
    }
    // False for NaN too: a ratio that could not be computed judges nothing.
    let within = |deviation: f64, limit: f64| deviation <= limit;
    if let Some(c) = control {
        let median = c.rps_per_round.map_or(f64::NAN, |m| m.median);
        let (c_rps, c_p99) = judged(c);
        let c_rps = c_rps.map_or(f64::NAN, |r| r.ratio);
        let worst = (c_rps - 1.0).abs().max((median - 1.0).abs());
        if !within(worst, MAX_AA_RPS) {
            noisy.push(format!(
                "identical clients differ by {worst:.3} in req/s (more than {MAX_AA_RPS})"
            ));
        }
        if !within((c_p99 - 1.0).abs(), MAX_AA_P99) {
            p99_noisy = Some(format!(
                "identical clients differ by {:.3} in p99 {scope} (more than {MAX_AA_P99})",
                (c_p99 - 1.0).abs()
            ));
        }
    }
    let median = generated.rps_per_round.map_or(f64::NAN, |m| m.median);
    let rps_value = rps.map_or(f64::NAN, |r| r.ratio);
    let rps_met = rps_value >= TARGET_RPS_RATIO && median >= TARGET_RPS_RATIO;
    let p99_met = p99 <= TARGET_P99_RATIO;
    let figures = format!(
        "req/s ratio {} over all rounds, {} outside stalls, per-round median {} \
         (target >= {TARGET_RPS_RATIO}); p99 ratio {:.3} over all rounds, {:.3} outside stalls \
         (target <= {TARGET_P99_RATIO}); judged {scope}",
        show_overall(generated),
        show_ratio(generated.rps_kept),
        show_median(generated.rps_per_round),
        generated.p99_overall,
        generated.p99_kept,
    );
    let figures = match own_stalls {
        Some(why) => format!("{figures} ({why})"),
        None => figures,
    };
    let outcome = if !noisy.is_empty() {
        format!("TOO NOISY TO JUDGE: {}", noisy.join("; "))
    } else {
        let mut outcome = if rps_met { "req/s met" } else { "req/s MISSED" }.to_string();
        match (&p99_noisy, p99_met) {
            (Some(why), _) => {
                let _ = write!(outcome, ", p99 TOO NOISY TO JUDGE ({why})");
            }
            (None, true) => outcome.push_str(", p99 met"),
            (None, false) => outcome.push_str(", p99 MISSED"),
        }
        outcome
    };
    format!("target at concurrency {concurrency}: {figures}: {outcome}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tally(rounds: &[(f64, u64)]) -> Tally {
        Tally {
            requests: rounds.len(),
            wall: Duration::from_secs_f64(rounds.iter().map(|(rps, _)| 1.0 / rps).sum()),
            rounds: rounds
                .iter()
                .map(|&(rps, p99_ns)| Round {
                    requests: 1,
                    wall: Duration::from_secs_f64(1.0 / rps),
                    rps,
                    p50_ns: p99_ns,
                    p99_ns,
                    max_ns: p99_ns,
                    client_cpu_ns: None,
                    preempted: Some(false),
                })
                .collect(),
            latencies: {
                let mut all: Vec<u64> = rounds.iter().map(|&(_, p99)| p99).collect();
                all.sort_unstable();
                all
            },
            round_latencies: rounds.iter().map(|&(_, p99)| vec![p99]).collect(),
            ..Tally::default()
        }
    }

    /// `generated` against `base`, judged with the A/A `control` (a copy
    /// of the base), stalls found among all three as the benchmark does.
    fn judge(generated: &Tally, base: &Tally) -> String {
        let control = tally(
            &base
                .rounds
                .iter()
                .map(|r| (r.rps, r.p99_ns))
                .collect::<Vec<_>>(),
        );
        let all = [base, &control, generated];
        let owned: Vec<Tally> = all
            .iter()
            .map(|t| {
                tally(
                    &t.rounds
                        .iter()
                        .map(|r| (r.rps, r.p99_ns))
                        .collect::<Vec<_>>(),
                )
            })
            .collect();
        let stalls = Stalls::find(&owned);
        let aa = Comparison::of(&control, base, &stalls.kept);
        let own = stalls.own(2, &[0, 1]);
        verdict(
            1,
            &Comparison::of(generated, base, &stalls.kept),
            Some(&aa),
            own.as_deref(),
        )
    }

    #[test]
    fn ratios_compare_the_same_rounds() {
        let kept = [true, true, false];
        let ratio = Comparison::of(
            &tally(&[(90.0, 10), (50.0, 10), (100.0, 10)]),
            &tally(&[(100.0, 10), (50.0, 20), (100.0, 10)]),
            &kept,
        );
        let m = ratio.rps_per_round.unwrap();
        assert_eq!((m.min, m.median, m.max), (0.9, 1.0, 1.0));
        assert!(
            (ratio.rps_overall - 0.973).abs() < 0.001,
            "{}",
            ratio.rps_overall
        );
        let overall = ratio.rps_overall_interval.unwrap();
        assert!((overall.ratio - ratio.rps_overall).abs() < 1e-12);
        // Outside the third round: (1/100 + 1/50) / (1/90 + 1/50).
        let kept = ratio.rps_kept.unwrap();
        assert!(
            (kept.ratio - 0.03 / (1.0 / 90.0 + 0.02)).abs() < 1e-6,
            "{kept:?}"
        );
        let p99 = ratio.p99_per_round.unwrap();
        assert_eq!((p99.min, p99.median, p99.max), (0.5, 1.0, 1.0));
        assert_eq!(ratio.p99_kept, 0.5);
    }

    #[test]
    fn stalls_are_set_aside_for_every_client_at_once() {
        let steady: Vec<(f64, u64)> = (0..40).map(|_| (1000.0, 100)).collect();
        let mut hit = steady.clone();
        hit[5] = (100.0, 100);
        let mut other = steady.clone();
        other[9] = (400.0, 100);
        let stalls = Stalls::find(&[tally(&steady), tally(&hit), tally(&other)]);
        assert_eq!(stalls.per_client, vec![0, 1, 1]);
        assert_eq!(stalls.dropped(), 2);
        assert!(!stalls.kept[5] && !stalls.kept[9] && stalls.kept[6]);
        // One stall each is chance, not the client's own.
        assert_eq!(stalls.own(1, &[0, 2]), None);
        // 12 against none in 40 rounds is not.
        let mut tail = steady.clone();
        for r in tail.iter_mut().step_by(3) {
            r.0 = 300.0;
        }
        let stalls = Stalls::find(&[tally(&steady), tally(&steady), tally(&tail)]);
        assert_eq!(stalls.per_client, vec![0, 0, 14]);
        let why = stalls.own(2, &[0, 1]).unwrap();
        assert!(why.contains("stalled in 14 rounds"), "{why}");
    }

    #[test]
    fn binomial_tails() {
        assert!((binomial_tail(2, 2, 1.0 / 3.0) - 1.0 / 9.0).abs() < 1e-12);
        assert!((binomial_tail(10, 0, 0.5) - 1.0).abs() < 1e-12);
        assert!((binomial_tail(10, 10, 0.5) - 0.5f64.powi(10)).abs() < 1e-15);
    }

    #[test]
    fn verdicts_judge_only_what_the_noise_allows() {
        let steady: Vec<(f64, u64)> = (0..40).map(|i| (1000.0 + f64::from(i % 3), 100)).collect();
        let slower: Vec<(f64, u64)> = steady.iter().map(|&(r, p)| (r * 0.95, p)).collect();
        let base = tally(&steady);
        let same = judge(&tally(&steady), &base);
        assert!(same.ends_with("req/s met, p99 met"), "{same}");
        let missed = judge(&tally(&slower), &base);
        assert!(missed.ends_with("req/s MISSED, p99 met"), "{missed}");
        let wobbly: Vec<(f64, u64)> = steady
            .iter()
            .enumerate()
            .map(|(i, &(r, p))| (if i % 2 == 0 { r * 1.2 } else { r * 0.8 }, p))
            .collect();
        let noisy = judge(&tally(&wobbly), &base);
        assert!(noisy.contains("TOO NOISY TO JUDGE"), "{noisy}");
        let stray = Comparison::of(&tally(&slower), &base, &[true; 40]);
        let noisy = verdict(
            1,
            &Comparison::of(&tally(&steady), &base, &[true; 40]),
            Some(&stray),
            None,
        );
        assert!(noisy.contains("identical clients differ"), "{noisy}");
    }

    #[test]
    fn a_few_stalls_are_set_aside_and_a_tail_of_its_own_is_judged() {
        let steady: Vec<(f64, u64)> = (0..40).map(|i| (1000.0 + f64::from(i % 3), 100)).collect();
        let base = tally(&steady);
        // Two rounds stalled 20x: over all rounds the ratio cannot be
        // pinned down, but those rounds are set aside and the rest is met.
        let stalled: Vec<(f64, u64)> = steady
            .iter()
            .enumerate()
            .map(|(i, &(r, p))| (if i == 7 || i == 30 { r / 20.0 } else { r }, p))
            .collect();
        let stalled = tally(&stalled);
        let overall = Comparison::of(&stalled, &base, &[true; 40]);
        assert!(overall.rps_overall_interval.unwrap().half_width() > 0.1);
        let judged = judge(&stalled, &base);
        assert!(judged.contains("judged outside stalls"), "{judged}");
        assert!(judged.ends_with("req/s met, p99 met"), "{judged}");
        // A client that is 3x slower in every third round has a tail of
        // its own: judged over all rounds, where it misses.
        let tail: Vec<(f64, u64)> = steady
            .iter()
            .enumerate()
            .map(|(i, &(r, p))| (if i % 3 == 0 { r / 3.0 } else { r }, p))
            .collect();
        let judged = judge(&tally(&tail), &base);
        assert!(judged.contains("judged over all rounds"), "{judged}");
        assert!(judged.contains("its stalls are its own"), "{judged}");
        assert!(!judged.ends_with("req/s met, p99 met"), "{judged}");
    }
}
