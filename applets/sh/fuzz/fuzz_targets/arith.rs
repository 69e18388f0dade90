//! Arithmetic expansion on arbitrary expressions, against a variable table in memory.
#![no_main]
use libfuzzer_sys::fuzz_target;
use rbox_sh::expand::arith::{eval, ArithEnv};
use std::collections::HashMap;

struct Vars(HashMap<Vec<u8>, i64>);

impl ArithEnv for Vars {
    fn get_var(&mut self, n: &[u8]) -> Result<i64, String> {
        Ok(*self.0.get(n).unwrap_or(&0))
    }
    fn set_var(&mut self, n: &[u8], v: i64) -> Result<(), String> {
        self.0.insert(n.to_vec(), v);
        Ok(())
    }
}

fuzz_target!(|data: &[u8]| {
    let mut v = Vars(HashMap::new());
    let _ = eval(data, &mut v);
});
