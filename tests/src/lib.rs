//! Golden tests live in `tests/`.
