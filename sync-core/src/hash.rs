//! Stable 64-bit hashing for persisted merge bases and in-memory indexes.
//!
//! The merge base is persisted, so its hashes must be the same on every run, platform and build:
//! std's `RandomState` is seeded per process and `DefaultHasher` may change between releases.
//! XXH3 is a fixed, specified algorithm; strings are hashed with XXH3-64 seeded by the running
//! state and integers are folded in with a fixed 64-bit mixer (the `splitmix64` finaliser).

use xxhash_rust::xxh3::{xxh3_64, xxh3_64_with_seed};

/// Hashes an item id (index keys; not persisted, but stable anyway).
pub(crate) fn hash_id(id: &str) -> u64 {
    xxh3_64(id.as_bytes())
}

/// A chained stable hasher over tagged parts.
pub(crate) struct StableHasher(u64);

impl StableHasher {
    pub(crate) fn new() -> Self {
        StableHasher(0x9E37_79B9_7F4A_7C15)
    }

    pub(crate) fn tag(&mut self, t: u8) {
        self.u64(u64::from(t) | 0x5A00);
    }

    pub(crate) fn u64(&mut self, v: u64) {
        self.0 = mix(self.0 ^ v.wrapping_add(0x632B_E59B_D9B4_E019));
    }

    pub(crate) fn str(&mut self, s: &str) {
        self.0 = xxh3_64_with_seed(s.as_bytes(), self.0);
    }

    pub(crate) fn finish(&self) -> u64 {
        mix(self.0)
    }
}

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Value;

    /// Pinned values: if these change, persisted states would see every item as changed.
    #[test]
    fn hashes_are_pinned_across_runs_and_platforms() {
        assert_eq!(hash_id("AAMkAGI2"), xxh3_64(b"AAMkAGI2"));
        assert_eq!(
            Value::text("Quarterly review").stable_hash(),
            18_321_280_523_218_557_968
        );
        assert_eq!(Value::Int(3).stable_hash(), 14_957_709_946_334_063_617);
    }

    #[test]
    fn string_boundaries_matter() {
        let mut a = StableHasher::new();
        a.str("ab");
        a.str("c");
        let mut b = StableHasher::new();
        b.str("a");
        b.str("bc");
        assert_ne!(a.finish(), b.finish());
    }
}
