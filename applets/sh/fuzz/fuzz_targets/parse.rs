//! The shell's parser on arbitrary bytes: no panic, no stack overflow, no hang. Parsing runs
//! nothing (no expansions, no commands), so any input is safe to feed.
#![no_main]
use libfuzzer_sys::fuzz_target;
use rbox_sh::syntax::{input::Input, Parser};

fuzz_target!(|data: &[u8]| {
    // The same bytes as an interactive prompt (PS1 is parsed like a here-document body).
    let _ = Parser::parse_prompt(data);
    let mut p = Parser::new(Input::mem(data.to_vec()));
    // One command at a time, as the shell reads; stop at the first syntax error.
    for _ in 0..10_000 {
        match p.next_command() {
            Ok(Some(_)) => {}
            _ => break,
        }
    }
});
