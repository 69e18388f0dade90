//! Lists an arbitrary byte string as a (possibly compressed) archive with `tar tvf`: the
//! reader, every header form, pax records, the decompressors. Must never panic or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::ffi::OsString;
use std::io::Write;

fuzz_target!(|data: &[u8]| {
    let path = std::env::temp_dir().join(format!("rbox-fuzz-tar-{}", std::process::id()));
    let Ok(mut f) = std::fs::File::create(&path) else { return };
    if f.write_all(data).is_err() {
        return;
    }
    drop(f);
    let argv: Vec<OsString> = vec!["tar".into(), "tvf".into(), path.clone().into()];
    let _ = rbox_tar::main(argv);
});
