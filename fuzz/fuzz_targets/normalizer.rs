//! The normaliser's functions on any text: no panic (slicing inside a
//! character, overflow in an amount), and the width normaliser is stable.
#![no_main]

use libfuzzer_sys::fuzz_target;
use yoshiki::normalize;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    let once = normalize::text(s);
    assert_eq!(normalize::text(&once), once, "normalising twice changes the text");
    let _ = normalize::clean(s);
    let _ = normalize::parse_money(s);
    let _ = normalize::split_trailing_money(s);
    let _ = normalize::money::is_money_only(s);
    let _ = normalize::split_fused_grouping(s);
    let _ = normalize::parse_quantity(s);
    let _ = normalize::quantity::locate_quantity(s);
    let _ = normalize::parse_value_only(s);
    let _ = normalize::find_years(s, Some(2022));
    let _ = normalize::find_years(s, None);
    let _ = normalize::normalize_id(s);
    let _ = normalize::marks::read_mark(s);
    let _ = normalize::join_wrapped(s.lines());
});
