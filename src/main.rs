//! The `yoshiki` binary: a thin layer over the library.

/// The system allocator, with the per-input memory budget a parse worker
/// keeps (`batch/memory.rs`); off, at the cost of one load, elsewhere.
#[global_allocator]
static ALLOCATOR: yoshiki::batch::memory::Budgeted = yoshiki::batch::memory::Budgeted;

fn main() {
    std::process::exit(yoshiki::cli::run());
}
