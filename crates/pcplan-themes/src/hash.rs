//! Fixed, fast hashing for the crate's lookup tables and shingles.
//!
//! The standard library's `RandomState` is seeded per process and, through SipHash,
//! costs several times more per key than this multiply-rotate hash (the one rustc
//! uses, "FxHash"), which matters when every token of 100,000 responses is looked
//! up. Being unseeded it is also the same in every run. It is not resistant to
//! crafted collisions: the keys are words of the responses being analysed, and the
//! worst a crafted input can do is slow its own analysis down.
//!
//! Nothing here ever iterates a map: lookups only, so results never depend on a
//! table's internal order.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

/// The FxHash word-at-a-time hasher.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct FxHasher {
    hash: u64,
}

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    #[inline]
    fn write_u128(&mut self, i: u128) {
        self.add(i as u64);
        self.add((i >> 64) as u64);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

/// A `HashMap` with the fixed hasher.
pub(crate) type FxHashMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// Mixes a 64-bit value into a well-spread one (the SplitMix64 finaliser), so that
/// hashes built from small integers (word ids) are spread over all 64 bits.
#[inline]
pub(crate) fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::BuildHasher;

    #[test]
    fn the_hash_is_the_same_in_every_run_and_tells_words_apart() {
        let build = BuildHasherDefault::<FxHasher>::default();
        assert_eq!(build.hash_one("speeding"), build.hash_one("speeding"));
        assert_ne!(build.hash_one("speeding"), build.hash_one("speedinh"));
        assert_ne!(mix64(1), mix64(2));
    }
}
