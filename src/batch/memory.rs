//! The memory budget of one input's parse.
//!
//! A parse runs in a worker process (`worker.rs`) whose allocator is
//! [`Budgeted`]: the system allocator, counting the bytes live. When a
//! parse would pass its budget (`--max-memory`), or the system refuses an
//! allocation (`ulimit -v`, a full machine), the worker ends at once with a
//! code of its own, which the run records as that input's `too_large`. Rust
//! aborts a process on a failed allocation; here the process that ends is
//! the worker, never the run, and the budget is met before the machine's
//! memory is.
//!
//! The binary installs [`Budgeted`] as its global allocator (`main.rs`);
//! the budget is off (one relaxed load per allocation) except in a worker.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, AtomicUsize, Ordering::Relaxed};

/// A worker's exit code when a parse passed its budget.
pub const EXIT_OVER_BUDGET: i32 = 86;
/// A worker's exit code when the system refused an allocation.
pub const EXIT_NO_MEMORY: i32 = 87;

/// 0: off.
static BUDGET: AtomicUsize = AtomicUsize::new(0);
static LIVE: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);

/// The system allocator with a budget (see the module documentation).
pub struct Budgeted;

/// Count from here on, and end the process past `bytes` live (0: no
/// budget, but a refused allocation still ends it with its code).
pub fn start(bytes: u64) {
    LIVE.store(0, Relaxed);
    PEAK.store(0, Relaxed);
    BUDGET.store(usize::try_from(bytes).unwrap_or(usize::MAX).max(1), Relaxed);
}

/// The most bytes live since `start` (or the last `reset_peak`).
pub fn peak() -> u64 {
    PEAK.load(Relaxed).max(0) as u64
}

pub fn reset_peak() {
    PEAK.store(LIVE.load(Relaxed), Relaxed);
}

fn end(code: i32) -> ! {
    #[cfg(unix)]
    // SAFETY: _exit ends the process without running anything (no
    // allocation, no unwinding): what an allocator may do.
    unsafe {
        libc::_exit(code)
    }
    #[cfg(not(unix))]
    std::process::exit(code)
}

#[inline]
fn charge(n: usize) {
    let budget = BUDGET.load(Relaxed);
    if budget == 0 {
        return;
    }
    let live = LIVE.fetch_add(n as isize, Relaxed) + n as isize;
    if live > budget as isize {
        end(EXIT_OVER_BUDGET);
    }
    PEAK.fetch_max(live, Relaxed);
}

#[inline]
fn credit(n: usize) {
    if BUDGET.load(Relaxed) != 0 {
        LIVE.fetch_sub(n as isize, Relaxed);
    }
}

#[inline]
fn check(p: *mut u8) -> *mut u8 {
    if p.is_null() && BUDGET.load(Relaxed) != 0 {
        end(EXIT_NO_MEMORY);
    }
    p
}

// SAFETY: every call is passed on to `System` unchanged; the counting
// touches only atomics and never allocates.
unsafe impl GlobalAlloc for Budgeted {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        charge(layout.size());
        // SAFETY: the caller's contract, passed on.
        check(unsafe { System.alloc(layout) })
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        charge(layout.size());
        // SAFETY: the caller's contract, passed on.
        check(unsafe { System.alloc_zeroed(layout) })
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        credit(layout.size());
        // SAFETY: the caller's contract, passed on.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size >= layout.size() {
            charge(new_size - layout.size());
        } else {
            credit(layout.size() - new_size);
        }
        // SAFETY: the caller's contract, passed on.
        check(unsafe { System.realloc(ptr, layout, new_size) })
    }
}
