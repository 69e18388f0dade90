//! What ls parses from untrusted bytes: LS_COLORS (dircolors syntax), file names through every
//! quoting mode, version comparison, --block-size. Run:
//! `cd applets/ls/fuzz && cargo +nightly fuzz run parse`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    rbox_ls::fuzz_parse(data);
});
