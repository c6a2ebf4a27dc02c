//! Interned strings and a fast hash for the few distinct values of a crime file.
//!
//! A year of a force's street files has about 100,000 rows but only a dozen months, a
//! handful of forces, some hundreds of areas and LSOA codes, fourteen crime types and
//! twenty outcomes. Each row's cells are turned into small numbers once, so counting is
//! hashing five numbers, and a new `String` is made only for a value never seen before.
//!
//! The hash is a multiply-rotate hash of eight bytes at a time, the construction rustc
//! uses for its own tables: several times faster than the standard SipHash on short
//! keys. It gives no protection against keys chosen to collide; a hostile file could
//! only make the count slower, never wrong, and it is read by the person who chose it.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// An odd constant with well-spread bits (from the golden ratio).
const K: u64 = 0x9E37_79B9_7F4A_7C15;

/// A multiply-rotate hasher for short keys of trusted input.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct FastHasher(u64);

impl FastHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(K);
    }
}

impl Hasher for FastHasher {
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

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        // The table takes its control bits from the top of the hash: fold the low bits,
        // where the last word landed, up into them.
        (self.0 ^ (self.0 >> 29)).wrapping_mul(K).rotate_left(20)
    }
}

/// The `BuildHasher` of [`FastHasher`].
pub(crate) type FastBuild = BuildHasherDefault<FastHasher>;

/// A hash map with the fast hash.
pub(crate) type FastMap<K, V> = HashMap<K, V, FastBuild>;

/// Strings by number and numbers by bytes.
#[derive(Debug, Default)]
pub(crate) struct Interner {
    ids: FastMap<Box<[u8]>, u32>,
    strings: Vec<String>,
}

/// The bytes were not UTF-8 text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NotText;

impl Interner {
    /// The number of `bytes`, giving it the next one if it is new; new bytes must be UTF-8.
    pub fn intern(&mut self, bytes: &[u8]) -> Result<u32, NotText> {
        if let Some(&id) = self.ids.get(bytes) {
            return Ok(id);
        }
        let text = std::str::from_utf8(bytes).map_err(|_| NotText)?;
        Ok(self.insert(text))
    }

    /// The number of `text`, giving it the next one if it is new.
    pub fn intern_str(&mut self, text: &str) -> u32 {
        match self.ids.get(text.as_bytes()) {
            Some(&id) => id,
            None => self.insert(text),
        }
    }

    fn insert(&mut self, text: &str) -> u32 {
        // A file has far fewer than 4 billion distinct values; saturating keeps this
        // total without a panic path (a collision would need 4 billion strings first).
        let id = u32::try_from(self.strings.len()).unwrap_or(u32::MAX);
        self.ids.insert(text.as_bytes().into(), id);
        self.strings.push(text.to_owned());
        id
    }

    /// The number of strings held.
    pub fn len(&self) -> u32 {
        u32::try_from(self.strings.len()).unwrap_or(u32::MAX)
    }

    /// The string numbered `id`.
    pub fn get(&self, id: u32) -> &str {
        self.strings.get(id as usize).map_or("", String::as_str)
    }
}

/// Adds `id` to `list` unless it is there (lists of a file's months and forces are short).
pub(crate) fn push_new(list: &mut Vec<u32>, id: u32) {
    if !list.contains(&id) {
        list.push(id);
    }
}

/// The strings numbered `ids`, sorted.
pub(crate) fn sorted(strings: &Interner, ids: Vec<u32>) -> Vec<String> {
    let mut out: Vec<String> = ids.into_iter().map(|id| strings.get(id).to_owned()).collect();
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_bytes_get_the_same_number_and_new_ones_the_next() {
        let mut i = Interner::default();
        let a = i.intern(b"Burglary").ok();
        let b = i.intern(b"Robbery").ok();
        assert_eq!(a, Some(0));
        assert_eq!(b, Some(1));
        assert_eq!(i.intern_str("Burglary"), 0);
        assert_eq!(i.get(1), "Robbery");
    }

    #[test]
    fn bytes_that_are_not_utf8_are_refused() {
        let mut i = Interner::default();
        assert!(i.intern(b"Ynys M\xF4n").is_err());
    }

    #[test]
    fn keys_differing_in_one_byte_hash_apart() {
        use std::hash::BuildHasher;
        let build = FastBuild::default();
        let h = |s: &str| build.hash_one(s);
        assert_ne!(h("Blaby 002A"), h("Blaby 002B"));
        assert_ne!(h("2021-10"), h("2021-11"));
    }
}
