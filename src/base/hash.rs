//! Hash maps with a small, fast hash (FNV-1a): the keys are the program's own names and expression nodes,
//! nothing an attacker picks to collide, and SipHash's code and per-map random keys would only cost size.

use std::hash::{BuildHasherDefault, Hasher};

/// FNV-1a, 64 bits.
pub struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ b as u64).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

pub type Map<K, V> = std::collections::HashMap<K, V, BuildHasherDefault<Fnv>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_and_sets_work() {
        let mut m: Map<String, usize> = Map::default();
        for i in 0..1000 {
            m.insert(format!("a{i}"), i);
        }
        assert_eq!(m.get("a999"), Some(&999));
    }
}
