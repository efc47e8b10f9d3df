//! What the request benchmark reports and how it judges: the data of each
//! round, the ratios of one client to another over all rounds and round by
//! round, the table, the noise line and the verdict against the targets.

use std::fmt::Write as _;
use std::time::Duration;

use crate::stats::{quantile, Median};

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
    /// Requests per second.
    pub rps: f64,
    /// The 99th percentile of the round's latencies, in nanoseconds.
    pub p99_ns: u64,
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
    /// Latency of every measured request, in nanoseconds.
    pub latencies: Vec<u64>,
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

/// Requests per second over all rounds.
fn rps(tally: &Tally) -> f64 {
    tally.requests as f64 / tally.wall.as_secs_f64()
}

/// One client against another (the baseline), over the same rounds.
pub struct Comparison {
    /// Req/s over all rounds together.
    pub rps_overall: f64,
    /// The ratios of the req/s of the same round.
    pub rps_per_round: Option<Median>,
    /// p99 of all requests together.
    pub p99_overall: f64,
    /// The ratios of the p99 of the same round.
    pub p99_per_round: Option<Median>,
}

impl Comparison {
    /// `tally` against `base`, over all rounds and round by round.
    pub fn of(tally: &Tally, base: &Tally) -> Comparison {
        let per_round = |f: fn(&Round) -> f64| {
            let ratios: Vec<f64> = tally
                .rounds
                .iter()
                .zip(&base.rounds)
                .map(|(a, b)| f(a) / f(b))
                .collect();
            Median::of(&ratios)
        };
        Comparison {
            rps_overall: rps(tally) / rps(base),
            rps_per_round: per_round(|r| r.rps),
            p99_overall: quantile(&tally.latencies, 0.99) as f64
                / quantile(&base.latencies, 0.99) as f64,
            p99_per_round: per_round(|r| r.p99_ns as f64),
        }
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
pub fn print_table(names: &[&str], tallies: &[Tally]) {
    let base = &tallies[0];
    let micros = |ns: u64| ns as f64 / 1000.0;
    let per_request = |t: &Tally| {
        t.client_cpu_ns
            .map(|ns| ns as f64 / t.requests as f64 / 1000.0)
    };
    println!(
        "| client | requests | req/s | p50 µs | p99 µs | client CPU µs/req | server busy | \
         req/s ratio, all rounds | req/s ratio per round: median [95 % CI] (min–max) | \
         p50 ratio | p99 ratio | p99 ratio per round: median [95 % CI] | CPU/req ratio |"
    );
    println!(
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | --- | ---: |"
    );
    for (name, tally) in names.iter().zip(tallies) {
        let p50 = quantile(&tally.latencies, 0.50);
        let p99 = quantile(&tally.latencies, 0.99);
        let cpu = per_request(tally);
        let busy = tally
            .server_cpu_ns
            .map(|ns| format!("{:.0} %", ns as f64 / tally.wall.as_nanos() as f64 * 100.0))
            .unwrap_or_else(|| "n/a".into());
        let ratio = |a: f64, b: f64| format!("{:.3}", a / b);
        let vs = Comparison::of(tally, base);
        let p99_rounds = vs.p99_per_round.map_or_else(
            || "n/a".into(),
            |m| format!("{:.3} [{:.3}, {:.3}]", m.median, m.low, m.high),
        );
        println!(
            "| {} | {} | {:.0} | {:.1} | {:.1} | {} | {} | {:.3} | {} | {} | {:.3} | {} | {} |",
            name,
            tally.requests,
            rps(tally),
            micros(p50),
            micros(p99),
            cpu.map_or_else(|| "n/a".into(), |c| format!("{c:.1}")),
            busy,
            vs.rps_overall,
            show_median(vs.rps_per_round),
            ratio(p50 as f64, quantile(&base.latencies, 0.50) as f64),
            vs.p99_overall,
            p99_rounds,
            match (cpu, per_request(base)) {
                (Some(c), Some(b)) => ratio(c, b),
                _ => "n/a".into(),
            },
        );
    }
}

/// What the A/A control and the machine say about one level.
pub fn noise_line(tallies: &[Tally], control: Option<&Comparison>, machine: &Machine) -> String {
    let mut line = String::from("noise: ");
    match control {
        Some(c) => {
            let _ = write!(
                line,
                "two identical hand-written clients (A/A) differ by req/s {:.3} over all rounds, \
                 per-round median {}, p99 {:.3}; ",
                c.rps_overall,
                show_median(c.rps_per_round),
                c.p99_overall
            );
        }
        None => line.push_str("no A/A control measured; "),
    }
    let runs: Vec<bool> = tallies
        .iter()
        .flat_map(|t| t.rounds.iter().filter_map(|r| r.preempted))
        .collect();
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
pub fn verdict(concurrency: usize, generated: &Comparison, control: Option<&Comparison>) -> String {
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
    // False for NaN too: a ratio that could not be computed judges nothing.
    let within = |deviation: f64, limit: f64| deviation <= limit;
    if let Some(c) = control {
        let median = c.rps_per_round.map_or(f64::NAN, |m| m.median);
        let worst = (c.rps_overall - 1.0).abs().max((median - 1.0).abs());
        if !within(worst, MAX_AA_RPS) {
            noisy.push(format!(
                "identical clients differ by {worst:.3} in req/s (more than {MAX_AA_RPS})"
            ));
        }
        if !within((c.p99_overall - 1.0).abs(), MAX_AA_P99) {
            p99_noisy = Some(format!(
                "identical clients differ by {:.3} in p99 (more than {MAX_AA_P99})",
                (c.p99_overall - 1.0).abs()
            ));
        }
    }
    let median = generated.rps_per_round.map_or(f64::NAN, |m| m.median);
    let rps_met = generated.rps_overall >= TARGET_RPS_RATIO && median >= TARGET_RPS_RATIO;
    let p99_met = generated.p99_overall <= TARGET_P99_RATIO;
    let figures = format!(
        "req/s ratio {:.3} over all rounds, per-round median {} (target >= {TARGET_RPS_RATIO}); \
         p99 ratio {:.3} (target <= {TARGET_P99_RATIO})",
        generated.rps_overall,
        show_median(generated.rps_per_round),
        generated.p99_overall,
    );
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
                    rps,
                    p99_ns,
                    preempted: Some(false),
                })
                .collect(),
            latencies: rounds.iter().map(|&(_, p99)| p99).collect(),
            ..Tally::default()
        }
    }

    #[test]
    fn ratios_compare_the_same_rounds() {
        let ratio = Comparison::of(
            &tally(&[(90.0, 10), (50.0, 10), (100.0, 10)]),
            &tally(&[(100.0, 10), (50.0, 20), (100.0, 10)]),
        );
        let m = ratio.rps_per_round.unwrap();
        assert_eq!((m.min, m.median, m.max), (0.9, 1.0, 1.0));
        assert!(
            (ratio.rps_overall - 0.973).abs() < 0.001,
            "{}",
            ratio.rps_overall
        );
        let p99 = ratio.p99_per_round.unwrap();
        assert_eq!((p99.min, p99.median, p99.max), (0.5, 1.0, 1.0));
    }

    #[test]
    fn verdicts_judge_only_what_the_noise_allows() {
        let steady: Vec<(f64, u64)> = (0..40).map(|i| (1000.0 + f64::from(i % 3), 100)).collect();
        let slower: Vec<(f64, u64)> = steady.iter().map(|&(r, p)| (r * 0.95, p)).collect();
        let base = tally(&steady);
        let control = Comparison::of(&tally(&steady), &base);
        let same = verdict(1, &Comparison::of(&tally(&steady), &base), Some(&control));
        assert!(same.ends_with("req/s met, p99 met"), "{same}");
        let missed = verdict(1, &Comparison::of(&tally(&slower), &base), Some(&control));
        assert!(missed.ends_with("req/s MISSED, p99 met"), "{missed}");
        let wobbly: Vec<(f64, u64)> = steady
            .iter()
            .enumerate()
            .map(|(i, &(r, p))| (if i % 2 == 0 { r * 1.2 } else { r * 0.8 }, p))
            .collect();
        let noisy = verdict(1, &Comparison::of(&tally(&wobbly), &base), Some(&control));
        assert!(noisy.contains("TOO NOISY TO JUDGE"), "{noisy}");
        let stray = Comparison::of(&tally(&slower), &base);
        let noisy = verdict(1, &Comparison::of(&tally(&steady), &base), Some(&stray));
        assert!(noisy.contains("identical clients differ"), "{noisy}");
    }
}
