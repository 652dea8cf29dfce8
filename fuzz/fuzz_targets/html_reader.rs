//! The HTML reader and the recogniser behind it: any bytes — a page, a web
//! archive, or neither — must decode, parse, lose the site's furniture,
//! place table cells on their grid and recognise without a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use yoshiki::limits::Limits;

fuzz_target!(|data: &[u8]| {
    let limits = Limits::default();
    let _ = yoshiki::readers::html::is_page(data);
    if let Ok(ir) = yoshiki::readers::html::read(data, &limits) {
        let _ = yoshiki::recognize::recognize(&ir, &Default::default());
    }
});
