//! The allocator `cargo xtask` runs on: mimalloc, told never to hand memory back to the system
//! while the process lives.
//!
//! `regenerate` builds and drops a few gigabytes of token streams and syntax trees for a large
//! spec, which left glibc's malloc spending a third of the run consolidating and splitting free
//! chunks, and mimalloc's default (purge freed pages after a second) making the kernel zero the same
//! pages again and again. BENCHMARKS.md ("Spec tools at scale") has the measurements. The
//! process is short-lived, so keeping freed pages costs nothing that lasts.

pub use mimalloc::MiMalloc as Allocator;

/// mimalloc's `mi_option_purge_delay` (its position in `mi_option_e` of the vendored
/// `mimalloc.h`; `libmimalloc-sys` names only some options).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Turns purging off; call first thing in `main`. (mimalloc reads the option on each purge, so
/// setting it after the first allocation takes effect.)
pub fn keep_freed_pages() {
    // SAFETY: `mi_option_set` only stores an integer in mimalloc's option table; -1 is the
    // documented "never purge" value of this option.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) }
}

#[cfg(test)]
mod tests {
    /// The option index is taken from the C header (and `libmimalloc-sys` is pinned); an update
    /// that moved it would most likely show another default than purge_delay's 1000 ms (the
    /// default in the vendored v3 `options.c`).
    #[test]
    fn the_purge_delay_option_is_the_one_set() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            // SAFETY: reads an integer from mimalloc's option table.
            let default = unsafe { libmimalloc_sys::mi_option_get(super::MI_OPTION_PURGE_DELAY) };
            assert_eq!(default, 1000, "index {} is not purge_delay", super::MI_OPTION_PURGE_DELAY);
        }
        super::keep_freed_pages();
        // SAFETY: reads an integer from mimalloc's option table.
        let value = unsafe { libmimalloc_sys::mi_option_get(super::MI_OPTION_PURGE_DELAY) };
        assert_eq!(value, -1);
    }
}
