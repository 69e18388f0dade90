//! Placeholder until its issue lands: not compiled into any profile.

macro_rules! placeholder {
    ($($m:ident),*) => {$(
        pub mod $m {
            pub const USAGE: &str = stringify!($m);
            pub fn main(_argv: Vec<std::ffi::OsString>) -> i32 {
                rbox_common::err::report_msg(stringify!($m), "not implemented yet");
                1
            }
        }
    )*};
}
placeholder!(adduser, addgroup, deluser, delgroup, passwd, chpasswd);
