//! Shared helpers for the integration tests: run the real binary in a
//! temporary directory, and print everything when it fails.
#![allow(dead_code)]

pub mod compare;
pub mod tree;
pub mod zipbomb;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(rel: &str) -> PathBuf {
    root().join("fixtures").join(rel)
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub cmd: String,
}

impl Run {
    /// Panic with everything the command printed.
    pub fn fail(&self, why: &str) -> ! {
        panic!(
            "{why}\n--- command: {}\n--- exit code: {}\n--- stdout:\n{}\n--- stderr:\n{}",
            self.cmd, self.code, self.stdout, self.stderr
        )
    }

    pub fn json(&self) -> Value {
        if self.code != 0 {
            self.fail("expected success");
        }
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| self.fail(&format!("stdout is not JSON: {e}")))
    }
}

impl Run {
    fn of(out: std::process::Output, args: &[&str]) -> Run {
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            cmd: format!("yoshiki {}", args.join(" ")),
        }
    }
}

pub fn yoshiki(args: &[&str], cwd: &Path) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_yoshiki"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("the yoshiki binary runs");
    Run::of(out, args)
}

/// `yoshiki ARGS` with at most `kib` KiB of address space (`ulimit -v`),
/// killed after `secs` seconds (`timeout`, exit 124).
pub fn yoshiki_bounded(args: &[&str], cwd: &Path, kib: u64, secs: u64) -> Run {
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!(r#"ulimit -v {kib}; exec timeout {secs} "$0" "$@""#))
        .arg(env!("CARGO_BIN_EXE_yoshiki"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("sh runs");
    Run::of(out, args)
}

/// Copy a fixture into `dir` under a neutral name (the content, not the
/// name, must tell kind, ward and year).
pub fn neutral_copy(rel: &str, dir: &Path, name: &str) -> PathBuf {
    let to = dir.join(name);
    std::fs::copy(fixture(rel), &to).expect("copy fixture");
    to
}

/// `parse` a fixture copied under a neutral name.
pub fn parse_fixture(rel: &str) -> Value {
    let dir = tempfile::tempdir().expect("tempdir");
    let ext = Path::new(rel).extension().and_then(|e| e.to_str()).unwrap_or("bin");
    let p = neutral_copy(rel, dir.path(), &format!("document.{ext}"));
    yoshiki(&["parse", p.to_str().expect("utf-8 path")], dir.path()).json()
}

/// The same text re-encoded as Shift_JIS (CP932) with CRLF line ends.
pub fn parse_as_shift_jis_crlf(rel: &str) -> Value {
    let text = std::fs::read_to_string(fixture(rel)).expect("fixture is UTF-8");
    let crlf = text.replace("\r\n", "\n").replace('\n', "\r\n");
    let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(&crlf);
    assert!(
        !unmappable || rel.contains("text/"),
        "{rel}: characters Shift_JIS cannot hold"
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path().join("document.txt");
    std::fs::write(&p, &bytes).expect("write");
    yoshiki(&["parse", p.to_str().expect("utf-8 path")], dir.path()).json()
}

/// Find a node by a path of keys and `[id]` lookups:
/// `at(&doc, &["issues", "#1", "strategies", "1-1"])` — `#n` picks by
/// `number`, other strings in arrays pick by `id`.
pub fn at<'a>(v: &'a Value, path: &[&str]) -> &'a Value {
    let mut cur = v;
    for p in path {
        cur = match cur {
            Value::Object(m) => m.get(*p).unwrap_or_else(|| panic!("no key {p} in {}", short(cur))),
            Value::Array(a) => {
                if let Some(n) = p.strip_prefix('#') {
                    let n: u64 = n.parse().expect("number");
                    a.iter()
                        .find(|x| x["number"] == n)
                        .unwrap_or_else(|| panic!("no number {n} in {}", short(cur)))
                } else if let Ok(i) = p.parse::<usize>() {
                    a.get(i).unwrap_or_else(|| panic!("no index {i} in {}", short(cur)))
                } else {
                    a.iter()
                        .find(|x| x["id"] == *p)
                        .unwrap_or_else(|| panic!("no id {p} in {}", short(cur)))
                }
            }
            _ => panic!("cannot descend into {} with {p}", short(cur)),
        };
    }
    cur
}

pub fn short(v: &Value) -> String {
    let s = v.to_string();
    s.chars().take(300).collect()
}

/// Remove every `at`, the `source` and the warnings: what the tests that
/// compare formats ignore.
pub fn without_provenance(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| !matches!(k.as_str(), "at" | "source" | "warnings" | "detection"))
                .map(|(k, v)| (k.clone(), without_provenance(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(without_provenance).collect()),
        other => other.clone(),
    }
}

/// Every difference between two JSON values, field by field, as
/// `path: a against b` (paths like `.plan.issues[0].title`); `skip(path,
/// key)` leaves a key of an object out of the comparison.
pub fn json_differences(a: &Value, b: &Value, skip: &dyn Fn(&str, &str) -> bool) -> Vec<String> {
    fn short(v: &Value) -> String {
        v.to_string().chars().take(160).collect()
    }
    fn walk(path: &str, a: &Value, b: &Value, skip: &dyn Fn(&str, &str) -> bool, out: &mut Vec<String>) {
        match (a, b) {
            (Value::Object(x), Value::Object(y)) => {
                let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
                keys.sort();
                keys.dedup();
                for k in keys.into_iter().filter(|k| !skip(path, k)) {
                    let (p, q) = (x.get(k).unwrap_or(&Value::Null), y.get(k).unwrap_or(&Value::Null));
                    walk(&format!("{path}.{k}"), p, q, skip, out);
                }
            }
            (Value::Array(x), Value::Array(y)) => {
                if x.len() != y.len() {
                    out.push(format!("{path}: {} items against {}", x.len(), y.len()));
                }
                for (i, (p, q)) in x.iter().zip(y).enumerate() {
                    walk(&format!("{path}[{i}]"), p, q, skip, out);
                }
            }
            (p, q) if p != q => out.push(format!("{path}: {} against {}", short(p), short(q))),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk("", a, b, skip, &mut out);
    out
}
