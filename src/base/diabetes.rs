//! The diabetes data as scikit-learn ships it (442 patients, ten raw features and the target): what
//! `load_diabetes(return_X_y=True, scaled=False)` returns in a numpy program, and what the ridge chapters standardise
//! ([`crate::lab::ridge`]). Read once from `assets/diabetes/diabetes.bin`.

use std::sync::OnceLock;

/// Patients.
pub const ROWS: usize = 442;

/// The variables of the shipped data, in its order (the target last).
pub const VARIABLES: [&str; 11] = [
    "age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6", "y",
];

/// Reads the shipped data, `assets/diabetes/diabetes.bin` (written by `scripts/diabetes-pack.py`, which documents the
/// format): for each variable a table of its distinct values, then each patient's index into it. Returns the
/// features row-major and the targets.
pub fn decode(bytes: &[u8]) -> Result<(Vec<f64>, Vec<f64>), String> {
    const N: usize = 442;
    let bad = || {
        "the shipped diabetes data is damaged: rebuild it with scripts/diabetes-pack.py".to_string()
    };
    let mut at = 0;
    let mut byte = || {
        at += 1;
        bytes.get(at - 1).copied().map(u64::from).ok_or_else(bad)
    };
    let leb = |byte: &mut dyn FnMut() -> Result<u64, String>| {
        let (mut v, mut shift) = (0u64, 0);
        loop {
            let b = byte()?;
            v |= (b & 127).checked_shl(shift).ok_or_else(bad)?;
            shift += 7;
            if b < 128 {
                return Ok::<u64, String>(v);
            }
        }
    };
    let mut tables = Vec::with_capacity(VARIABLES.len());
    for _ in VARIABLES {
        let scale = 10f64.powi(byte()? as i32);
        let count = leb(&mut byte)?;
        let mut v = 0u64;
        let mut table = Vec::new();
        for _ in 0..count.min(N as u64) {
            v += leb(&mut byte)?;
            table.push(v as f64 / scale);
        }
        tables.push(table);
    }
    let body = bytes.get(at..).ok_or_else(bad)?;
    let mut bit = 0;
    let mut cols = Vec::with_capacity(VARIABLES.len());
    for table in &tables {
        let width = usize::BITS - (table.len().max(2) - 1).leading_zeros();
        let mut col = Vec::with_capacity(N);
        for _ in 0..N {
            let mut i = 0;
            for k in 0..width {
                let b = body.get(bit / 8).ok_or_else(bad)? >> (bit % 8) & 1;
                i |= (b as usize) << k;
                bit += 1;
            }
            col.push(*table.get(i).ok_or_else(bad)?);
        }
        cols.push(col);
    }
    let y = cols.pop().unwrap_or_default();
    let x = (0..N)
        .flat_map(|i| cols.iter().map(move |c| c[i]))
        .collect();
    Ok((x, y))
}

/// The shipped data, decoded once: the features row-major (442 × 10) and the targets.
pub fn raw() -> Result<&'static (Vec<f64>, Vec<f64>), String> {
    static DATA: OnceLock<Result<(Vec<f64>, Vec<f64>), String>> = OnceLock::new();
    DATA.get_or_init(|| decode(include_bytes!("../../assets/diabetes/diabetes.bin")))
        .as_ref()
        .map_err(Clone::clone)
}
