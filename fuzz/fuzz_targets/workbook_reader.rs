//! The workbook reader (xlsx, xls, ods): hostile packages must give an
//! error or rows, never a panic, a hang or unbounded memory.
#![no_main]

use libfuzzer_sys::fuzz_target;
use yoshiki::limits::Limits;

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        max_part_bytes: 16 << 20,
        max_total_decompressed: 64 << 20,
        max_cells: 200_000,
        ..Limits::default()
    };
    if let Ok(ir) = yoshiki::readers::workbook::read(data, &limits) {
        let _ = yoshiki::recognize::recognize(&ir, &Default::default());
    }
});
