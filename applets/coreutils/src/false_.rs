//! false: exit with status 1.
//!
//! POSIX: <https://pubs.opengroup.org/onlinepubs/9699919799/utilities/false.html>. Every
//! argument, `--help` included, is ignored, as in BusyBox.

use std::ffi::OsString;

pub const USAGE: &str = "\n\nDo nothing and fail (exit status 1)";

pub fn main(_argv: Vec<OsString>) -> i32 {
    1
}
