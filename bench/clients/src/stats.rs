//! The few statistics the request benchmark reports: nearest-rank
//! quantiles, the median of paired per-round ratios with a
//! distribution-free 95 % confidence interval, and a block-bootstrap 95 %
//! interval for the ratio of two clients' totals over all rounds.

/// The `q` quantile (0..=1) of sorted values, nearest rank.
pub fn quantile(sorted: &[u64], q: f64) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// The median of some values with a 95 % confidence interval for it, and
/// their range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Median {
    /// The median (the mean of the middle two for an even count).
    pub median: f64,
    /// Lower end of the 95 % interval.
    pub low: f64,
    /// Upper end of the 95 % interval.
    pub high: f64,
    /// The smallest value.
    pub min: f64,
    /// The largest value.
    pub max: f64,
}

impl Median {
    /// The median of `values` and its 95 % interval from order statistics:
    /// the `k`th smallest and `k`th largest value, with `k` the largest rank
    /// for which a Binomial(n, ½) count falls below it with probability at
    /// most 2.5 %. It assumes nothing about the distribution, only that the
    /// values are independent. With fewer than 6 values there is no such
    /// `k` and the interval is the whole range. `None` without values.
    pub fn of(values: &[f64]) -> Option<Median> {
        let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
        if sorted.is_empty() {
            return None;
        }
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len();
        let median = if n % 2 == 1 {
            sorted[n / 2]
        } else {
            (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
        };
        let k = interval_rank(n);
        let (low, high) = if k == 0 {
            (sorted[0], sorted[n - 1])
        } else {
            (sorted[k - 1], sorted[n - k])
        };
        Some(Median {
            median,
            low,
            high,
            min: sorted[0],
            max: sorted[n - 1],
        })
    }

    /// The larger distance from the median to an end of its interval.
    pub fn half_width(&self) -> f64 {
        (self.median - self.low).max(self.high - self.median)
    }
}

/// A ratio of two totals with a 95 % interval for it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ratio {
    /// `sum(numerator) / sum(denominator)` over all rounds.
    pub ratio: f64,
    /// Lower end of the 95 % interval.
    pub low: f64,
    /// Upper end of the 95 % interval.
    pub high: f64,
}

/// How many resamples [`Ratio::of_totals`] draws.
const RESAMPLES: usize = 2000;

impl Ratio {
    /// The larger distance from the ratio to an end of its interval.
    pub fn half_width(&self) -> f64 {
        (self.ratio - self.low).max(self.high - self.ratio)
    }

    /// `sum(numerator) / sum(denominator)`, where element `i` of both is
    /// round `i` (the two clients' rounds of the same index ran next to
    /// each other), with a 95 % percentile interval from a moving-block
    /// bootstrap: each resample strings together randomly chosen runs of
    /// consecutive rounds, pairs kept, so that a slow spell of the machine
    /// that spans several rounds is resampled whole instead of being
    /// treated as independent rounds. The block length is the cube root
    /// of the round count (at least 1), the usual choice; the random
    /// numbers come from a fixed seed, so the same rounds give the same
    /// interval. `None` when the slices differ in length, are empty, or a
    /// total is not positive.
    pub fn of_totals(numerator: &[f64], denominator: &[f64]) -> Option<Ratio> {
        let n = numerator.len();
        if n == 0 || n != denominator.len() {
            return None;
        }
        let total = |v: &[f64]| v.iter().sum::<f64>();
        let (num, den) = (total(numerator), total(denominator));
        if !(num > 0.0 && den > 0.0) {
            return None;
        }
        let block = ((n as f64).cbrt().round() as usize).clamp(1, n);
        let starts = n - block + 1;
        let mut rng = SplitMix64(0x5EED_5EED_5EED_5EED);
        let mut ratios: Vec<f64> = (0..RESAMPLES)
            .map(|_| {
                let (mut a, mut b, mut taken) = (0.0, 0.0, 0);
                while taken < n {
                    let start = (rng.next() % starts as u64) as usize;
                    let len = block.min(n - taken);
                    a += total(&numerator[start..start + len]);
                    b += total(&denominator[start..start + len]);
                    taken += len;
                }
                a / b
            })
            .filter(|r| r.is_finite())
            .collect();
        if ratios.is_empty() {
            return None;
        }
        ratios.sort_by(f64::total_cmp);
        let at = |q: f64| ratios[((q * ratios.len() as f64) as usize).min(ratios.len() - 1)];
        Some(Ratio {
            ratio: num / den,
            low: at(0.025),
            high: at(0.975),
        })
    }
}

/// Sebastiano Vigna's SplitMix64: a few lines of well-known, good-enough
/// pseudo-random numbers for resampling (no cryptography, no dependency).
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// The largest `k` (1-based rank, 0 when there is none) with
/// P(Binomial(n, ½) < k) <= 0.025.
fn interval_rank(n: usize) -> usize {
    // Cumulative probabilities in log space, so that large `n` does not
    // underflow 0.5^n.
    let ln_half = 0.5f64.ln();
    let mut ln_pmf = n as f64 * ln_half; // P(X = 0)
    let mut cdf = 0.0; // P(X < j)
    let mut k = 0;
    for j in 0..n {
        // cdf is P(X < j) here; rank j qualifies when it is at most 2.5 %.
        if j > 0 && cdf <= 0.025 {
            k = j;
        }
        cdf += ln_pmf.exp();
        if cdf > 0.025 {
            break;
        }
        ln_pmf += ((n - j) as f64 / (j + 1) as f64).ln();
    }
    k
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
    fn interval_ranks_match_the_binomial_tables() {
        // Published values of the order-statistic interval for the median
        // (e.g. n = 10: 2nd to 9th; n = 20: 6th to 15th; n = 100: 40th to 61st).
        assert_eq!(interval_rank(5), 0);
        assert_eq!(interval_rank(6), 1);
        assert_eq!(interval_rank(10), 2);
        assert_eq!(interval_rank(20), 6);
        assert_eq!(interval_rank(100), 40);
        assert!(interval_rank(5000) > 2400);
    }

    #[test]
    fn median_interval_and_range() {
        let values: Vec<f64> = (1..=20).map(f64::from).rev().collect();
        let m = Median::of(&values).unwrap();
        assert_eq!((m.median, m.low, m.high), (10.5, 6.0, 15.0));
        assert_eq!((m.min, m.max), (1.0, 20.0));
        assert_eq!(m.half_width(), 4.5);
        let few = Median::of(&[3.0, 1.0, 2.0]).unwrap();
        assert_eq!((few.median, few.low, few.high), (2.0, 1.0, 3.0));
        assert_eq!(Median::of(&[]), None);
    }

    #[test]
    fn ratio_of_totals_and_its_interval() {
        // Identical rounds: the ratio is exact and so is every resample.
        let flat = vec![2.0; 100];
        let half = vec![1.0; 100];
        let r = Ratio::of_totals(&flat, &half).unwrap();
        assert_eq!((r.ratio, r.low, r.high), (2.0, 2.0, 2.0));
        // One round 50x slower in the numerator: the ratio moves, and the
        // interval covers the resamples with and without that round.
        let mut spiky = flat.clone();
        spiky[40] = 100.0;
        let r = Ratio::of_totals(&spiky, &flat).unwrap();
        assert!((r.ratio - 1.49).abs() < 1e-9, "{r:?}");
        assert!(
            r.low < 1.2 && r.high > 1.6 && r.low <= r.ratio && r.ratio <= r.high,
            "{r:?}"
        );
        assert!(r.half_width() > 0.1);
        // The same input gives the same interval.
        assert_eq!(Ratio::of_totals(&spiky, &flat), Some(r));
        assert_eq!(Ratio::of_totals(&[], &[]), None);
        assert_eq!(Ratio::of_totals(&[1.0], &[1.0, 2.0]), None);
        assert_eq!(Ratio::of_totals(&[1.0], &[0.0]), None);
    }
}
