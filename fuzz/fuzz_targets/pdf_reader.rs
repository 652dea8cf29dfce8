//! The PDF reader: hostile files must give an error or rows, never a panic
//! (the reader's own `catch_unwind` turns one into an `internal` error,
//! which counts as a crash here), a hang or unbounded memory.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::time::Duration;
use yoshiki::limits::Limits;

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        max_stream_bytes: 16 << 20,
        max_total_decompressed: 64 << 20,
        max_cells: 200_000,
        max_pages: 200,
        timeout: Duration::from_secs(10),
        ..Limits::default()
    };
    match yoshiki::readers::pdf::read(data, &limits) {
        Ok(ir) => {
            let _ = yoshiki::recognize::recognize(&ir, &Default::default());
        }
        Err(e) => assert_ne!(e.code(), "internal", "{e}"),
    }
});
