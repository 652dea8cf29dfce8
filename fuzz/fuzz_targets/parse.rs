//! The whole pipeline on any bytes: sniff, read, recognise.
#![no_main]

use libfuzzer_sys::fuzz_target;
use yoshiki::parse::{Options, parse_bytes};

fuzz_target!(|data: &[u8]| {
    let _ = parse_bytes(data, "fuzz", &Options::default());
});
