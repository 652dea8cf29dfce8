//! Numbers and dates as the sheet shows them: a cell's value through its
//! number format code (`0.0%` shows 0.481 as `48.1%`, `#,##0"千円"` shows
//! 32550 as `32,550千円`, `ggge年m月d日` shows 44652 as `令和4年4月1日`).
//!
//! Written by hand: calamine gives the format code but formats nothing, and
//! no well-kept crate applies Excel format codes (the JavaScript world has
//! SSF; Rust has writers that store codes, not readers that apply them).
//! This covers what the city's sheets use — sections, literals, digit
//! placeholders, grouping and scaling commas, percent, exponent, dates and
//! times including the Japanese era (g/e) — and falls back to General
//! (Excel's own default: up to 11 significant digits) for anything else.

/// A value as shown by `code` (None or `General`: Excel's General).
pub fn number(v: f64, code: Option<&str>) -> String {
    let Some(code) = code else {
        return general(v);
    };
    let Some((section, signed)) = pick_section(code, v) else {
        return general(v);
    };
    let tokens = tokenize(section);
    let fraction =
        tokens.iter().any(|t| matches!(t, Tok::Lit(s) if s == "/")) && tokens.iter().any(|t| matches!(t, Tok::Num(_)));
    if fraction || tokens.iter().any(|t| matches!(t, Tok::Unsupported)) {
        return general(v);
    }
    if tokens.iter().any(Tok::is_date) {
        return date_tokens(&tokens, v);
    }
    if !tokens.iter().any(|t| matches!(t, Tok::Num(_))) {
        // Only literals (or General): `"-"` for zero, `@`.
        if tokens.iter().any(|t| matches!(t, Tok::General | Tok::Text)) {
            return literals_around(&tokens, &general(v.abs()), signed && v < 0.0);
        }
        return literals_around(&tokens, "", false);
    }
    number_tokens(&tokens, v, signed)
}

/// A date/time serial as shown by `code`; without one, `yyyy/m/d` (the
/// Japanese default) with the time if it has one.
pub fn date(serial: f64, is_1904: bool, code: Option<&str>) -> String {
    let serial = if is_1904 { serial + 1462.0 } else { serial };
    if let Some(code) = code
        && let Some((section, _)) = pick_section(code, serial)
    {
        let tokens = tokenize(section);
        if !tokens.iter().any(|t| matches!(t, Tok::Unsupported)) && tokens.iter().any(Tok::is_date) {
            return date_tokens(&tokens, serial);
        }
    }
    let fallback = if serial.fract() == 0.0 {
        "yyyy/m/d"
    } else {
        "yyyy/m/d h:mm"
    };
    date_tokens(&tokenize(fallback), serial)
}

/// Excel's General in a column wide enough: integers as they are, other
/// values to 15 significant digits without trailing zeros.
pub fn general(v: f64) -> String {
    if !v.is_finite() {
        return "#NUM!".into();
    }
    if v.fract() == 0.0 && v.abs() < 1e15 {
        return format!("{}", v as i64);
    }
    let mag = if v == 0.0 { 0 } else { v.abs().log10().floor() as i32 };
    if !(-9..=14).contains(&mag) {
        let s = format!("{:.5E}", v);
        return exp_style(&s);
    }
    // 15 significant digits (all a double holds): a wide column's General.
    let decimals = (14 - mag).clamp(0, 15) as usize;
    let s = format!("{:.*}", decimals, v);
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s == "-0" { "0".into() } else { s }
}

/// `4.81000E-1` (Rust) → `4.81E-01` (Excel).
fn exp_style(s: &str) -> String {
    let Some((m, e)) = s.split_once('E') else {
        return s.to_string();
    };
    let m = if m.contains('.') {
        m.trim_end_matches('0').trim_end_matches('.')
    } else {
        m
    };
    let (sign, digits) = match e.strip_prefix('-') {
        Some(d) => ('-', d),
        None => ('+', e),
    };
    format!("{m}E{sign}{digits:0>2}")
}

/// The section of a `pos;neg;zero;text` code for `v`, and whether the
/// number still needs its minus sign (only the first section does).
fn pick_section(code: &str, v: f64) -> Option<(&str, bool)> {
    let sections = split_sections(code);
    if sections
        .iter()
        .any(|s| s.contains("[<") || s.contains("[>") || s.contains("[="))
    {
        return None; // conditional sections
    }
    let first = *sections.first()?;
    Some(if v < 0.0 && sections.len() >= 2 {
        (sections[1], false)
    } else if v == 0.0 && sections.len() >= 3 {
        (sections[2], false)
    } else {
        (first, true)
    })
}

fn split_sections(code: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut start, mut quoted, mut bracket, mut escaped) = (0, false, false, false);
    for (i, c) in code.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' if !quoted => escaped = true,
            '"' => quoted = !quoted,
            '[' if !quoted => bracket = true,
            ']' if !quoted => bracket = false,
            ';' if !quoted && !bracket => {
                out.push(&code[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&code[start..]);
    out
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Lit(String),
    /// Digit placeholders and their punctuation: `0 # ? . , E+ E-`.
    Num(char),
    Exp,
    Percent,
    General,
    Text,
    /// A date/time token, lower-cased (`yyyy`, `m`, `d`, `h`, `s`, `ggg`, `e`, `ampm`, `[h]`).
    Date(String),
    Unsupported,
}

impl Tok {
    fn is_date(&self) -> bool {
        matches!(self, Tok::Date(_))
    }
}

fn tokenize(section: &str) -> Vec<Tok> {
    let cs: Vec<char> = section.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let run = |cs: &[char], i: usize, c: char| cs[i..].iter().take_while(|&&x| x.eq_ignore_ascii_case(&c)).count();
    while i < cs.len() {
        let c = cs[i];
        let lower = c.to_ascii_lowercase();
        match c {
            '"' => {
                let end = cs[i + 1..]
                    .iter()
                    .position(|&x| x == '"')
                    .map_or(cs.len(), |p| i + 1 + p);
                out.push(Tok::Lit(cs[i + 1..end].iter().collect()));
                i = end + 1;
            }
            '\\' => {
                if let Some(&n) = cs.get(i + 1) {
                    out.push(Tok::Lit(n.to_string()));
                }
                i += 2;
            }
            '_' => {
                out.push(Tok::Lit(" ".into()));
                i += 2;
            }
            '*' => i += 2,
            '[' => {
                let end = cs[i + 1..]
                    .iter()
                    .position(|&x| x == ']')
                    .map_or(cs.len(), |p| i + 1 + p);
                let inner: String = cs[i + 1..end].iter().collect();
                let l = inner.to_ascii_lowercase();
                if !l.is_empty() && l.chars().all(|x| matches!(x, 'h' | 'm' | 's')) {
                    out.push(Tok::Date(format!("[{}]", &l[..1])));
                } else if let Some(cur) = inner.strip_prefix('$') {
                    // [$¥-411]: a currency symbol and a locale.
                    let sym = cur.split('-').next().unwrap_or("");
                    if !sym.is_empty() {
                        out.push(Tok::Lit(sym.to_string()));
                    }
                }
                // Colours, [DBNum1] and other locale switches show nothing.
                i = end + 1;
            }
            '0' | '#' | '?' | '.' | ',' => {
                out.push(Tok::Num(c));
                i += 1;
            }
            'E' | 'e' if matches!(cs.get(i + 1), Some('+') | Some('-')) => {
                out.push(Tok::Exp);
                i += 2;
            }
            '%' => {
                out.push(Tok::Percent);
                i += 1;
            }
            '@' => {
                out.push(Tok::Text);
                i += 1;
            }
            _ if section[char_offset(&cs, i)..]
                .to_ascii_lowercase()
                .starts_with("general") =>
            {
                out.push(Tok::General);
                i += 7;
            }
            _ if section[char_offset(&cs, i)..].to_ascii_lowercase().starts_with("am/pm") => {
                out.push(Tok::Date("ampm".into()));
                i += 5;
            }
            _ if section[char_offset(&cs, i)..].to_ascii_lowercase().starts_with("a/p") => {
                out.push(Tok::Date("ap".into()));
                i += 3;
            }
            _ if matches!(lower, 'y' | 'm' | 'd' | 'h' | 's' | 'g' | 'e' | 'a') => {
                let n = run(&cs, i, c);
                if lower == 'a' && n < 3 {
                    out.push(Tok::Unsupported);
                } else {
                    out.push(Tok::Date(std::iter::repeat_n(lower, n).collect()));
                }
                i += n;
            }
            'b' | 'B' if matches!(cs.get(i + 1), Some('1') | Some('2')) => {
                out.push(Tok::Unsupported); // Buddhist calendar
                i += 2;
            }
            _ if c.is_ascii_alphabetic() => {
                out.push(Tok::Unsupported);
                i += 1;
            }
            _ => {
                out.push(Tok::Lit(c.to_string()));
                i += 1;
            }
        }
    }
    out
}

fn char_offset(cs: &[char], i: usize) -> usize {
    cs[..i].iter().map(|c| c.len_utf8()).sum()
}

fn literals_around(tokens: &[Tok], value: &str, minus: bool) -> String {
    let mut out = String::new();
    if minus {
        out.push('-');
    }
    for t in tokens {
        match t {
            Tok::Lit(s) => out.push_str(s),
            Tok::General | Tok::Text => out.push_str(value),
            _ => {}
        }
    }
    out
}

fn number_tokens(tokens: &[Tok], v: f64, signed: bool) -> String {
    let pattern: String = tokens
        .iter()
        .filter_map(|t| match t {
            Tok::Num(c) => Some(*c),
            Tok::Exp => Some('E'),
            _ => None,
        })
        .collect();
    let percent = tokens.iter().filter(|t| matches!(t, Tok::Percent)).count() as i32;
    let (mantissa_pat, exp) = match pattern.split_once('E') {
        Some((m, _)) => (m, true),
        None => (pattern.as_str(), false),
    };
    let (int_pat, frac_pat) = match mantissa_pat.split_once('.') {
        Some((i, f)) => (i, f.replace(',', "")),
        None => (mantissa_pat, String::new()),
    };
    // Commas after the last placeholder scale by a thousand each.
    let trimmed = int_pat.trim_end_matches(',');
    let scale = if frac_pat.is_empty() {
        (int_pat.len() - trimmed.len()) as i32
    } else {
        0
    };
    let grouping = trimmed.contains(',');
    let min_int = trimmed.chars().filter(|&c| c == '0').count();
    let max_dec = frac_pat.chars().filter(|c| matches!(c, '0' | '#' | '?')).count();
    let min_dec = frac_pat.chars().filter(|&c| c == '0').count();

    let mut x = v.abs() * 100f64.powi(percent) / 1000f64.powi(scale);
    let body = if exp {
        let s = format!("{:.*E}", max_dec, x);
        exp_style_fixed(&s, max_dec)
    } else {
        let p = 10f64.powi(max_dec as i32);
        x = (x * p).round() / p;
        let s = format!("{:.*}", max_dec, x);
        let (int, frac) = match s.split_once('.') {
            Some((i, f)) => (i.to_string(), f.to_string()),
            None => (s, String::new()),
        };
        let mut frac = frac;
        while frac.len() > min_dec && frac.ends_with('0') {
            frac.pop();
        }
        let mut int = if int == "0" && min_int == 0 { String::new() } else { int };
        while int.len() < min_int {
            int.insert(0, '0');
        }
        if grouping {
            int = group(&int);
        }
        if frac.is_empty() { int } else { format!("{int}.{frac}") }
    };
    let minus = signed && v < 0.0 && body.chars().any(|c| c.is_ascii_digit() && c != '0');
    let mut out = String::new();
    if minus {
        out.push('-');
    }
    let mut placed = false;
    for t in tokens {
        match t {
            Tok::Lit(s) => out.push_str(s),
            Tok::Percent => out.push('%'),
            Tok::Num(_) | Tok::Exp if !placed => {
                out.push_str(&body);
                placed = true;
            }
            _ => {}
        }
    }
    out
}

fn exp_style_fixed(s: &str, _decimals: usize) -> String {
    let Some((m, e)) = s.split_once('E') else {
        return s.to_string();
    };
    let (sign, digits) = match e.strip_prefix('-') {
        Some(d) => ('-', d),
        None => ('+', e),
    };
    format!("{m}E{sign}{digits:0>2}")
}

fn group(int: &str) -> String {
    let n = int.len();
    let mut out = String::with_capacity(n + n / 3);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (n - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Japanese eras: (first day as a serial date, name, short name, initial).
const ERAS: [(f64, &str, &str, &str, i32); 5] = [
    (43586.0, "令和", "令", "R", 2019), // 2019-05-01
    (32516.0, "平成", "平", "H", 1989), // 1989-01-08
    (9856.0, "昭和", "昭", "S", 1926),  // 1926-12-25
    (4595.0, "大正", "大", "T", 1912),  // 1912-07-30 (as Excel counts)
    (-11395.0, "明治", "明", "M", 1868),
];

fn date_tokens(tokens: &[Tok], serial: f64) -> String {
    if !(0.0..2_958_466.0).contains(&serial) {
        return general(serial);
    }
    let dt = calamine::ExcelDateTime::new(serial, calamine::ExcelDateTimeType::DateTime, false);
    let (y, mo, d, h, mi, s, _ms) = dt.to_ymd_hms_milli();
    let ampm = tokens
        .iter()
        .any(|t| matches!(t, Tok::Date(x) if x == "ampm" || x == "ap"));
    let era = ERAS.iter().find(|e| serial.floor() >= e.0).unwrap_or(&ERAS[4]);
    let era_year = y as i32 - era.4 + 1;
    // Serial day 0 is Saturday 1899-12-30 in Excel's count (with its 1900 leap-year bug).
    let weekday = ((serial.floor() as i64 + 6).rem_euclid(7)) as usize;
    let is_minute = |i: usize| -> bool {
        let prev = tokens[..i].iter().rev().find_map(|t| match t {
            Tok::Date(x) => Some(x.as_str()),
            _ => None,
        });
        let next = tokens[i + 1..].iter().find_map(|t| match t {
            Tok::Date(x) => Some(x.as_str()),
            _ => None,
        });
        prev.is_some_and(|p| p.starts_with('h') || p == "[h]") || next.is_some_and(|n| n.starts_with('s') || n == "[s]")
    };
    let mut out = String::new();
    for (i, t) in tokens.iter().enumerate() {
        match t {
            Tok::Lit(x) => out.push_str(x),
            Tok::Num(c) => out.push(*c),
            Tok::Percent => out.push('%'),
            Tok::Date(x) => match x.as_str() {
                "yy" | "y" => out.push_str(&format!("{:02}", y % 100)),
                x if x.starts_with('y') => out.push_str(&format!("{y:04}")),
                "m" | "mm" if is_minute(i) => out.push_str(&pad(mi as i64, x.len())),
                "m" | "mm" => out.push_str(&pad(mo as i64, x.len())),
                "mmm" => out.push_str(MONTHS[(mo as usize).clamp(1, 12) - 1].get(..3).unwrap_or("")),
                "mmmmm" => out.push_str(MONTHS[(mo as usize).clamp(1, 12) - 1].get(..1).unwrap_or("")),
                x if x.starts_with("mmm") => out.push_str(MONTHS[(mo as usize).clamp(1, 12) - 1]),
                "d" | "dd" => out.push_str(&pad(d as i64, x.len())),
                "ddd" => out.push_str(DAYS[weekday].get(..3).unwrap_or("")),
                x if x.starts_with('d') => out.push_str(DAYS[weekday]),
                "aaa" => out.push_str(DAYS_JA[weekday]),
                x if x.starts_with("aaaa") => {
                    out.push_str(DAYS_JA[weekday]);
                    out.push_str("曜日");
                }
                "h" | "hh" => {
                    let hh = if ampm { (h as i64 + 11) % 12 + 1 } else { h as i64 };
                    out.push_str(&pad(hh, x.len()));
                }
                "s" | "ss" => out.push_str(&pad(s as i64, x.len())),
                "[h]" => out.push_str(&format!("{}", (serial * 24.0).floor() as i64)),
                "[m]" => out.push_str(&format!("{}", (serial * 1440.0).floor() as i64)),
                "[s]" => out.push_str(&format!("{}", (serial * 86400.0).round() as i64)),
                "ampm" => out.push_str(if h < 12 { "AM" } else { "PM" }),
                "ap" => out.push_str(if h < 12 { "A" } else { "P" }),
                "g" => out.push_str(era.3),
                "gg" => out.push_str(era.2),
                x if x.starts_with('g') => out.push_str(era.1),
                "e" => out.push_str(&era_year.to_string()),
                x if x.starts_with('e') => out.push_str(&format!("{era_year:02}")),
                _ => {}
            },
            _ => {}
        }
    }
    out
}

fn pad(v: i64, width: usize) -> String {
    if width >= 2 { format!("{v:02}") } else { v.to_string() }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
const DAYS_JA: [&str; 7] = ["日", "月", "火", "水", "木", "金", "土"];

/// Format codes of the built-in ids calamine does not name: the Japanese
/// locale's dates (ECMA-376 18.8.30 leaves them to the locale).
pub fn builtin_ja(id: u32) -> Option<&'static str> {
    Some(match id {
        27 | 50 => "[$-411]ge.m.d",
        28 | 29 | 51 | 54 => "[$-411]ggge\"年\"m\"月\"d\"日\"",
        30 | 57 => "m/d/yy",
        31 | 55 | 58 => "yyyy\"年\"m\"月\"d\"日\"",
        32 => "h\"時\"mm\"分\"",
        33 => "h\"時\"mm\"分\"ss\"秒\"",
        34 => "yyyy\"年\"m\"月\"",
        35 | 56 => "m\"月\"d\"日\"",
        36 | 52 | 53 => "yyyy\"年\"m\"月\"",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_and_decimals() {
        assert_eq!(number(0.481, Some("0.0%")), "48.1%");
        assert_eq!(number(0.55, Some("0%")), "55%");
        assert_eq!(number(1234.5, Some("#,##0")), "1,235");
        assert_eq!(number(1234.5, Some("#,##0.00")), "1,234.50");
        assert_eq!(number(0.5, Some("0.##")), "0.5");
        assert_eq!(number(-3.0, Some("0.0")), "-3.0");
    }

    #[test]
    fn literals_sections_and_scaling() {
        assert_eq!(number(32550.0, Some("#,##0\"千円\"")), "32,550千円");
        assert_eq!(number(32_550_000.0, Some("#,##0,\"千円\"")), "32,550千円");
        assert_eq!(number(-5.0, Some("#,##0;[Red]\\(#,##0\\)")), "(5)");
        assert_eq!(number(0.0, Some("#,##0;-#,##0;\"-\"")), "-");
        assert_eq!(number(12.0, Some("[$¥-411]#,##0")), "¥12");
        assert_eq!(number(0.000123, Some("0.00E+00")), "1.23E-04");
    }

    #[test]
    fn general_is_excels() {
        assert_eq!(general(0.1 + 0.2), "0.3");
        assert_eq!(general(12.0), "12");
        assert_eq!(general(-0.481), "-0.481");
        assert_eq!(general(1.0 / 3.0), "0.333333333333333");
        assert_eq!(number(7.5, Some("General")), "7.5");
        assert_eq!(number(7.5, None), "7.5");
    }

    #[test]
    fn dates_with_japanese_eras() {
        // 2022-04-01 is serial 44652.
        assert_eq!(date(44652.0, false, Some("yyyy/m/d")), "2022/4/1");
        assert_eq!(
            date(44652.0, false, Some("[$-411]ggge\"年\"m\"月\"d\"日\"")),
            "令和4年4月1日"
        );
        assert_eq!(date(44652.0, false, Some("ge.m.d")), "R4.4.1");
        assert_eq!(date(42461.0, false, Some("ggge年")), "平成28年");
        assert_eq!(date(44652.0, false, Some("yyyy-mm-dd")), "2022-04-01");
        assert_eq!(date(44652.0, false, None), "2022/4/1");
        assert_eq!(date(44652.5, false, Some("h:mm")), "12:00");
        assert_eq!(date(44652.0, false, Some("m月d日(aaa)")), "4月1日(金)");
    }

    #[test]
    fn unsupported_codes_fall_back_to_general() {
        assert_eq!(number(5.0, Some("[>100]0;0.0")), "5");
        assert_eq!(number(0.25, Some("# ?/?")), "0.25");
    }
}
