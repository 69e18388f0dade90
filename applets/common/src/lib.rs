//! What every rbox applet shares (BusyBox's libbb, uutils' uucore).
//!
//! Nothing here knows about a particular applet: data flows from the front (`src/`) to an
//! applet, and from applets to this crate.
//!
//! The applet contract (see README.md, "Writing an applet"):
//! - entry `pub fn main(argv: Vec<OsString>) -> i32`, argv exactly as the front received it;
//! - applets return a status and never exit; output goes through [`io::Out`] and is flushed by
//!   an error-checked [`io::Out::finish`] before returning;
//! - errors print as `applet: object: reason` through [`err`];
//! - data is bytes (`OsStr`, `[u8]`), never forced through UTF-8;
//! - no panics on any input.

pub mod alloc;
pub mod applet;
pub mod err;
pub mod getopt;
pub mod io;
pub mod passwd;

pub use applet::{Applet, InstallDir, Suid};
