//! true: exit with status 0.
//!
//! POSIX: <https://pubs.opengroup.org/onlinepubs/9699919799/utilities/true.html>. Every
//! argument, `--help` included, is ignored, as in BusyBox.

use std::ffi::OsString;

pub const USAGE: &str = "\n\nDo nothing and succeed (exit status 0)";

pub fn main(_argv: Vec<OsString>) -> i32 {
    0
}
