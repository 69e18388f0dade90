//! wget's HTTP response parser and body decoder (status line, headers, Content-Length,
//! chunked, Location resolution) on arbitrary server bytes.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    rbox_wget::fuzz_response(data);
});
