//! The text reader and the recogniser behind it: any bytes the sniffer
//! calls text must decode, split into rows and recognise without a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use yoshiki::limits::Limits;

fuzz_target!(|data: &[u8]| {
    let limits = Limits::default();
    if let Ok(ir) = yoshiki::readers::text::read(data, &limits) {
        let _ = yoshiki::recognize::recognize(&ir, &Default::default());
    }
});
