//! How the allocator gets memory from the system, and how long it keeps
//! what was freed.
//!
//! mimalloc gives freed memory back to the system a second after it is
//! freed (its `purge_delay`). A build frees and allocates hundreds of megabytes as
//! it goes, page after page, so memory it gave back is soon asked for again,
//! and the system zeroes it again; with transparent huge pages, 2 MB at a
//! time. On the 10,000-story site with search that was 4,500 to 15,000 page
//! faults a build and 2 to 5% of its CPU in the kernel zeroing pages; kept,
//! about 2,000, for 4% more peak memory. A command that ends when it is done
//! keeps what it freed; `brum serve`, which stays, gives it back as usual.

#[cfg(test)]
use libmimalloc_sys::mi_option_get;
use libmimalloc_sys::{mi_option_set, mi_option_t};

/// mimalloc's `mi_option_purge_delay` (its place in the enum in v2 and
/// v3), which libmimalloc-sys does not name.
const PURGE_DELAY: mi_option_t = 15;

/// From now on, freed memory stays with the process until it ends.
pub fn keep_freed_memory() {
    // SAFETY: setting an option is a store mimalloc reads when it next
    // purges; -1 is its documented "no purging at all".
    unsafe { mi_option_set(PURGE_DELAY, -1) }
}

/// No transparent huge pages for the rest of this process (Linux).
///
/// mimalloc asks Linux for huge pages (`MADV_HUGEPAGE`), so each first
/// touch of its memory has the kernel zero 2 MB at once. In a virtual
/// machine that zeroing is what fresh memory costs most: on the 10,000-story
/// site with search it was 17% of a build's samples (`clear_page_erms`,
/// 263 huge-page faults), where 4 KB pages fault more often but zero only
/// what is touched. A build is over in seconds, too soon for fewer TLB
/// misses to pay that back. `brum serve`, which stays, keeps them.
#[cfg(any(target_os = "linux", target_os = "android"))]
pub fn small_pages() {
    // If the kernel refuses, huge pages stay: slower, never wrong.
    let _ = rustix::thread::disable_transparent_huge_pages(true);
}

/// Elsewhere mimalloc does not ask for huge pages.
#[cfg(not(any(target_os = "linux", target_os = "android")))]
pub fn small_pages() {}

/// The purge delay now, in milliseconds (-1: never).
#[cfg(test)]
fn purge_delay() -> std::os::raw::c_long {
    // SAFETY: reading an option has no effect beyond initialising it.
    unsafe { mi_option_get(PURGE_DELAY) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_option_is_the_purge_delay_and_is_set() {
        // 1,000 ms is mimalloc v3's default purge delay, and no other
        // option defaults to 1,000: a different number here means the enum
        // or the default moved.
        assert_eq!(purge_delay(), 1000);
        keep_freed_memory();
        assert_eq!(purge_delay(), -1);
    }

    #[cfg(any(target_os = "linux", target_os = "android"))]
    #[test]
    fn small_pages_turns_huge_pages_off_for_the_process() {
        small_pages();
        assert_eq!(
            rustix::thread::transparent_huge_pages_are_disabled().ok(),
            Some(true)
        );
    }
}
