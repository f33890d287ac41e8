//! A consistent-hash ring with virtual nodes. Each backend owns many points on a 64-bit ring,
//! placed by hashing its *id*; a key goes to the first point clockwise from the key's hash.
//! Adding a backend takes over about 1/n of the keys and moves no others.

use crate::random::{mix, stable_hash};

/// The ring: points sorted by position.
#[derive(Clone, Debug)]
pub struct HashRing {
    points: Vec<(u64, u32)>,
}

impl HashRing {
    /// A ring of the backends named `ids` (their index is what lookups return), each with
    /// `virtual_nodes` points (at least one): one hash per point, then one sort, so
    /// O(points log points) time and 16 bytes a point.
    pub fn new<S: AsRef<str>>(ids: &[S], virtual_nodes: u32) -> Self {
        let per = virtual_nodes.max(1) as u64;
        let mut points: Vec<(u64, u32)> = ids
            .iter()
            .enumerate()
            .flat_map(|(i, id)| {
                let base = stable_hash(id.as_ref().as_bytes());
                (0..per).map(move |v| (mix(base ^ mix(v)), i as u32))
            })
            .collect();
        // Sorting by (position, index) keeps ties (astronomically rare) deterministic.
        points.sort_unstable();
        HashRing { points }
    }

    /// The ring of only the backends `keep` accepts (by index), each keeping its points and
    /// its index: what a ring built over just those ids would be, in one pass and no hashing
    /// (a shard router takes its shards in and out of a ring of all of them).
    pub fn retaining(&self, keep: impl Fn(usize) -> bool) -> HashRing {
        HashRing {
            points: self
                .points
                .iter()
                .copied()
                .filter(|&(_, i)| keep(i as usize))
                .collect(),
        }
    }

    /// How many points the ring holds (backends × virtual nodes).
    pub fn points(&self) -> usize {
        self.points.len()
    }

    /// The backend index owning `key`.
    pub fn lookup(&self, key: u64) -> usize {
        let h = mix(key ^ 0x5bd1_e995);
        let i = self.points.partition_point(|&(p, _)| p < h);
        self.points[i % self.points.len()].1 as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owners(ring: &HashRing, ids: &[String], keys: u64) -> Vec<String> {
        (0..keys).map(|k| ids[ring.lookup(k)].clone()).collect()
    }

    #[test]
    fn adding_a_node_moves_about_one_nth_of_the_keys() {
        let mut ids: Vec<String> = (0..4).map(|i| format!("cache_{i}")).collect();
        let before = owners(&HashRing::new(&ids, 160), &ids, 100_000);
        ids.push("cache_4".into());
        let after = owners(&HashRing::new(&ids, 160), &ids, 100_000);
        let moved = before.iter().zip(&after).filter(|(a, b)| a != b).count();
        let fraction = moved as f64 / 100_000.0;
        // Theory: 1/5 of the keys move to the new node, and only to it.
        assert!((fraction - 0.2).abs() < 0.04, "moved {fraction}");
        assert!(before
            .iter()
            .zip(&after)
            .all(|(a, b)| a == b || b == "cache_4"));
    }

    #[test]
    fn a_ring_retaining_some_backends_is_the_ring_of_those_alone() {
        let ids: Vec<String> = (0..6).map(|i| format!("shard_{i}")).collect();
        let all = HashRing::new(&ids, 50);
        let kept = all.retaining(|i| i % 2 == 0);
        let alone = HashRing::new(&[&ids[0], &ids[2], &ids[4]], 50);
        assert_eq!(kept.points(), 150);
        // The same owners: the ring of three numbers them 0, 1, 2; the retained one keeps 0, 2, 4.
        assert!((0..10_000).all(|k| kept.lookup(k) == 2 * alone.lookup(k)));
    }

    #[test]
    fn virtual_nodes_spread_keys_evenly() {
        let ids: Vec<String> = (0..5).map(|i| format!("s{i}")).collect();
        let ring = HashRing::new(&ids, 200);
        let mut counts = [0u32; 5];
        for k in 0..100_000 {
            counts[ring.lookup(k)] += 1;
        }
        assert!(
            counts.iter().all(|&c| (16_000..24_000).contains(&c)),
            "{counts:?}"
        );
    }
}
