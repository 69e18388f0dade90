//! Placeholder until its issue lands: not compiled into any profile.

use std::ffi::OsString;

pub const USAGE: &str = "tar";

pub fn main(_argv: Vec<OsString>) -> i32 {
    rbox_common::err::report_msg("tar", "not implemented yet");
    1
}
