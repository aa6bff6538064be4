//! Project automation behind `cargo xtask`: regenerating the client from the specs (and, in
//! other modules, reviewing the specs).

pub mod allocator;
pub mod audit;
pub mod coverage;
pub mod diff;
pub mod lint;
pub mod regenerate;

use std::path::{Path, PathBuf};

/// The workspace root (the folder holding `specs/`), wherever `cargo xtask` is run from.
pub fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives one level below the root").to_owned()
}
