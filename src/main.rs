//! The rbox front: one executable, many applets.
//!
//! Entered through a C `main` (`#![no_main]`) so that Rust's runtime set-up, which would set
//! SIGPIPE to ignored, never runs: every applet sees the signal dispositions its parent left,
//! exactly as a C program does (`rbox ls | head -1` ends quietly on SIGPIPE, and a shell started
//! with a signal ignored can keep it ignored, as POSIX requires).
//!
//! Dispatch: the basename of argv[0] without a leading `-` names the applet; a name starting
//! with `rbox` is the front itself, which takes the applet name from argv[1] (`rbox ls`,
//! `rbox /bin/ls`). The applet gets argv verbatim. Only this file exits: applets return a
//! status, and the front flushes Rust's stdout, checking for errors, before returning it.

#![no_main]

mod front;

/// Size classes in front of musl's malloc (applets/common/src/alloc.rs says why).
#[global_allocator]
static ALLOC: rbox_common::alloc::Pool = rbox_common::alloc::Pool::new();
mod install;

use std::ffi::{c_char, c_int, CStr, OsString};
use std::os::unix::ffi::OsStringExt;

include!(concat!(env!("OUT_DIR"), "/applets.rs"));

/// # Safety
/// Called by the C runtime with the process's argc and argv.
#[no_mangle]
pub unsafe extern "C" fn main(argc: c_int, argv: *const *const c_char) -> c_int {
    let mut args = Vec::with_capacity(argc.max(0) as usize);
    for i in 0..argc.max(0) as usize {
        // SAFETY: the C runtime passes argc valid NUL-terminated strings.
        let p = unsafe { *argv.add(i) };
        if p.is_null() {
            break;
        }
        let bytes = unsafe { CStr::from_ptr(p) }.to_bytes().to_vec();
        args.push(OsString::from_vec(bytes));
    }
    rbox_common::applet::set_table(&APPLETS);
    front::run(args)
}
