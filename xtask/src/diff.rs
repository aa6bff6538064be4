//! `cargo xtask diff`: not implemented yet.

use std::path::Path;

/// Runs the command; returns the process exit code.
pub fn run(_root: &Path, _args: &[&str]) -> i32 {
    eprintln!("cargo xtask diff: not implemented yet");
    2
}
