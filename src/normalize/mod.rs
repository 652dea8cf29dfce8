//! The normaliser: small pure functions every value goes through, each
//! unit-tested with real examples from the corpus.

pub mod ids;
pub mod join;
pub mod marks;
pub mod money;
pub mod quantity;
pub mod width;
pub mod year;

pub use ids::normalize_id;
pub use join::{join_two, join_wrapped};
pub use money::{parse_money, split_fused_grouping, split_trailing_money};
pub use quantity::{parse_quantity, parse_value_only};
pub use width::{clean, collapse_spaces, normalize as text};
pub use year::{find_years, parse_fiscal_year};
