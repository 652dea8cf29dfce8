//! The `yoshiki` binary: a thin layer over the library.

fn main() {
    std::process::exit(yoshiki::cli::run());
}
