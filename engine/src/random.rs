//! Random streams: one seeded, portable generator per node.
//!
//! Each node draws from its own stream, derived from the run's seed and the node's *id* (not its
//! position in the list), so adding a node leaves every other node's randomness unchanged and a
//! change to one part of a diagram does not reshuffle the rest.

use rand_core::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;

/// A deterministic stream of random numbers, identical natively and in wasm for the same seed.
#[derive(Clone, Debug)]
pub struct Stream(Pcg64Mcg);

impl Stream {
    /// The stream of the node `id` in a run seeded with `seed`.
    pub fn for_node(seed: u64, id: &str) -> Self {
        Self::from_seed(mix(seed ^ mix(stable_hash(id.as_bytes()))))
    }

    /// The stream of `id` (a node, an edge) for one `purpose` (fault coins, retry jitter) in a
    /// run seeded with `seed`: apart from the node's own stream and every other purpose's.
    pub fn for_purpose(seed: u64, id: &str, purpose: &str) -> Self {
        let purpose = mix(stable_hash(purpose.as_bytes()));
        Self::from_seed(mix(seed ^ mix(stable_hash(id.as_bytes()) ^ purpose)))
    }

    /// A stream from a bare seed.
    pub fn from_seed(seed: u64) -> Self {
        Stream(Pcg64Mcg::seed_from_u64(seed))
    }

    /// A uniform number in the open interval (0, 1): never 0, so `ln(u)` is always finite.
    #[inline]
    pub fn open01(&mut self) -> f64 {
        // 53 random bits, offset by half a step so both ends are excluded.
        ((self.0.next_u64() >> 11) as f64 + 0.5) * (1.0 / (1u64 << 53) as f64)
    }

    /// A uniform integer in `0..n` (`n > 0`), without modulo bias (Lemire's method). A try is
    /// rejected with probability below `n / 2^64` (at most a half), so after 64 tries, which
    /// are never needed, the last is taken: a draw's work is bounded.
    #[inline]
    pub fn below(&mut self, n: u64) -> u64 {
        debug_assert!(n > 0);
        let mut wide = u128::from(self.0.next_u64()) * u128::from(n);
        if (wide as u64) < n {
            let threshold = n.wrapping_neg() % n;
            let mut tries = 1;
            while (wide as u64) < threshold && tries < 64 {
                wide = u128::from(self.0.next_u64()) * u128::from(n);
                tries += 1;
            }
        }
        (wide >> 64) as u64
    }

    /// True with probability `p`.
    #[inline]
    pub fn chance(&mut self, p: f64) -> bool {
        p >= 1.0 || (p > 0.0 && self.open01() < p)
    }
}

/// The splitmix64 finaliser: a fast, well-mixed bijection on 64-bit values.
#[inline]
pub fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// FNV-1a over bytes: stable across runs, platforms and Rust versions (unlike `DefaultHasher`).
pub fn stable_hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_and_id_give_the_same_stream() {
        let mut a = Stream::for_node(7, "db");
        let mut b = Stream::for_node(7, "db");
        let mut c = Stream::for_node(7, "cache");
        let xs: Vec<u64> = (0..8).map(|_| a.below(1000)).collect();
        let ys: Vec<u64> = (0..8).map(|_| b.below(1000)).collect();
        let zs: Vec<u64> = (0..8).map(|_| c.below(1000)).collect();
        assert_eq!(xs, ys);
        assert_ne!(xs, zs);
    }

    #[test]
    fn open01_stays_inside_and_averages_a_half() {
        let mut s = Stream::from_seed(1);
        let n = 200_000;
        let mut sum = 0.0;
        for _ in 0..n {
            let u = s.open01();
            assert!(u > 0.0 && u < 1.0);
            sum += u;
        }
        assert!((sum / n as f64 - 0.5).abs() < 0.003);
    }

    #[test]
    fn below_is_uniform() {
        let mut s = Stream::from_seed(3);
        let mut counts = [0u32; 6];
        for _ in 0..60_000 {
            counts[s.below(6) as usize] += 1;
        }
        for c in counts {
            assert!((9_500..10_500).contains(&c), "{counts:?}");
        }
    }

    #[test]
    fn below_stays_below_even_where_half_the_tries_are_rejected() {
        let mut s = Stream::from_seed(4);
        let n = (1u64 << 63) + 1;
        assert!((0..10_000).all(|_| s.below(n) < n));
    }
}

/// A hash map keyed by integers (keys, node indices, sessions), hashed by [`KeyHasher`].
pub type KeyMap<K, V> = std::collections::HashMap<K, V, std::hash::BuildHasherDefault<KeyHasher>>;

/// Keys are already well spread integers; one multiply per word mixes them enough, far cheaper
/// than SipHash. Iteration order is never used, so determinism does not depend on it. Words
/// after the first fold into the state, so a tuple of integers hashes all of its parts.
#[derive(Default)]
pub struct KeyHasher(u64);

impl std::hash::Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ b as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    // One word alone hashes as it always has (`rotate_left` of 0 is 0): the caches' tables are
    // laid out as before.
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(23) ^ n ^ (n >> 32)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }

    fn write_u32(&mut self, n: u32) {
        self.write_u64(n.into());
    }
}
