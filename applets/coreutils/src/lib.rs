//! Small POSIX utilities, one module each, each behind its own feature.

#[cfg(feature = "false")]
pub mod false_;
#[cfg(feature = "true")]
pub mod true_;
