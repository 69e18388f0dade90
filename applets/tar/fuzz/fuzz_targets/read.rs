//! The archive reader on arbitrary bytes: headers, pax records, GNU long names, sparse
//! maps and the decompressors. Run: `cd applets/tar/fuzz && cargo +nightly fuzz run read`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    rbox_tar::fuzz_read(data);
});
