//! Routing algorithms as plain functions over a load balancer's backends, each with its own
//! tests. Backends are indices `0..n` into the balancer's links.

mod hash_ring;

pub use hash_ring::HashRing;

use crate::random::{mix, Stream};

/// Round robin: the next backend in turn.
#[inline]
pub fn round_robin(cursor: &mut usize, n: usize) -> usize {
    let pick = *cursor % n;
    *cursor = (pick + 1) % n;
    pick
}

/// Smooth weighted round robin (as nginx does it): each pick adds every backend's weight to its
/// credit, takes the backend with the most credit and charges it the total. Over any window the
/// picks follow the weights, interleaved rather than in runs.
pub fn smooth_weighted(credit: &mut [f64], weights: &[f64]) -> usize {
    let total: f64 = weights.iter().sum();
    let mut best = 0;
    for i in 0..credit.len() {
        credit[i] += weights[i];
        if credit[i] > credit[best] {
            best = i;
        }
    }
    credit[best] -= total;
    best
}

/// Uniformly at random.
#[inline]
pub fn random(rng: &mut Stream, n: usize) -> usize {
    rng.below(n as u64) as usize
}

/// The running sums of `weights` (each > 0), divided by the largest weight so that no sum can
/// overflow: what [`weighted_random`] searches.
pub fn cumulative_shares(weights: &[f64]) -> Vec<f64> {
    let largest = weights.iter().copied().fold(0.0, f64::max);
    let mut sum = 0.0;
    weights
        .iter()
        .map(|w| {
            sum += w / largest;
            sum
        })
        .collect()
}

/// At random, backend `i` with probability proportional to its weight, given the running sums
/// of the weights ([`cumulative_shares`]): the first backend whose running sum exceeds a
/// uniform draw below the total. One draw per pick, and the same draws on every target.
pub fn weighted_random(rng: &mut Stream, cumulative: &[f64]) -> usize {
    let total = cumulative.last().copied().unwrap_or(0.0);
    let u = rng.open01() * total;
    cumulative
        .partition_point(|&sum| sum <= u)
        .min(cumulative.len().saturating_sub(1))
}

/// The backend with the fewest requests in flight; ties go to the first at or after `start`,
/// so equally idle backends share the load instead of the first one taking it all.
pub fn least_connections(in_flight: &[u32], start: usize) -> usize {
    let n = in_flight.len();
    (0..n)
        .map(|i| (start + i) % n)
        .min_by_key(|&i| in_flight[i])
        .unwrap_or(0)
}

/// Power of two choices: two distinct backends at random, the less loaded one wins. Nearly as
/// good as least connections while looking at only two backends.
pub fn power_of_two(in_flight: &[u32], rng: &mut Stream) -> usize {
    let n = in_flight.len();
    if n < 2 {
        return 0;
    }
    let a = rng.below(n as u64) as usize;
    let b = (a + 1 + rng.below(n as u64 - 1) as usize) % n;
    if in_flight[b] < in_flight[a] {
        b
    } else {
        a
    }
}

/// IP hash: the same caller always reaches the same backend (until the backend count changes,
/// when nearly every caller moves: the lesson consistent hashing answers).
#[inline]
pub fn ip_hash(client_id: u64, n: usize) -> usize {
    (mix(client_id) % n as u64) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_robin_spreads_exactly_evenly() {
        let mut cursor = 0;
        let mut counts = [0; 3];
        for _ in 0..300 {
            counts[round_robin(&mut cursor, 3)] += 1;
        }
        assert_eq!(counts, [100, 100, 100]);
    }

    #[test]
    fn smooth_weighted_follows_weights_and_interleaves() {
        let weights = [5.0, 1.0, 1.0];
        let mut credit = [0.0; 3];
        let picks: Vec<usize> = (0..7)
            .map(|_| smooth_weighted(&mut credit, &weights))
            .collect();
        assert_eq!(picks.iter().filter(|&&p| p == 0).count(), 5);
        assert_eq!(
            picks,
            [0, 0, 1, 0, 2, 0, 0],
            "nginx's documented sequence for 5:1:1"
        );
    }

    #[test]
    fn weighted_random_shares_lie_within_binomial_bounds() {
        // Weights 1 : 2 : 5 (and a tiny one); 200,000 picks. Each count is binomial(n, p_i):
        // it must lie within 4 standard deviations, sqrt(n p (1 - p)), of n p.
        let weights = [1.0, 2.0, 5.0, 0.01];
        let cumulative = cumulative_shares(&weights);
        let total: f64 = weights.iter().sum();
        let mut rng = Stream::from_seed(9);
        let n = 200_000;
        let mut counts = [0u32; 4];
        for _ in 0..n {
            counts[weighted_random(&mut rng, &cumulative)] += 1;
        }
        for (i, &w) in weights.iter().enumerate() {
            let p = w / total;
            let expected = n as f64 * p;
            let sd = (n as f64 * p * (1.0 - p)).sqrt();
            let got = f64::from(counts[i]);
            assert!(
                (got - expected).abs() < 4.0 * sd,
                "backend {i}: {got} picks, expected {expected:.0} +- {:.0}",
                4.0 * sd
            );
        }
    }

    #[test]
    fn weighted_random_survives_weights_near_the_largest_number() {
        let cumulative = cumulative_shares(&[f64::MAX, f64::MAX]);
        assert_eq!(cumulative, [1.0, 2.0]);
        let mut rng = Stream::from_seed(2);
        let ones = (0..1000)
            .filter(|_| weighted_random(&mut rng, &cumulative) == 1)
            .count();
        assert!((400..600).contains(&ones), "{ones}");
        assert_eq!(weighted_random(&mut rng, &cumulative_shares(&[7.0])), 0);
    }

    #[test]
    fn least_connections_picks_the_idlest_and_rotates_ties() {
        assert_eq!(least_connections(&[3, 1, 2], 0), 1);
        assert_eq!(least_connections(&[0, 0, 0], 2), 2);
        assert_eq!(least_connections(&[0, 0, 0], 1), 1);
    }

    #[test]
    fn power_of_two_never_picks_the_busiest_of_two() {
        let mut rng = Stream::from_seed(1);
        for _ in 0..1000 {
            assert_eq!(power_of_two(&[9, 0], &mut rng), 1);
        }
        let mut counts = [0; 4];
        for _ in 0..40_000 {
            counts[power_of_two(&[0, 0, 0, 0], &mut rng)] += 1;
        }
        assert!(
            counts.iter().all(|&c| (9_500..10_500).contains(&c)),
            "{counts:?}"
        );
    }

    #[test]
    fn ip_hash_is_sticky_and_spread() {
        let mut counts = [0; 4];
        for client in 0..40_000u64 {
            let b = ip_hash(client, 4);
            assert_eq!(b, ip_hash(client, 4));
            counts[b] += 1;
        }
        assert!(
            counts.iter().all(|&c| (9_600..10_400).contains(&c)),
            "{counts:?}"
        );
    }
}
