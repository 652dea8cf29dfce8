//! `yoshiki convert` and `yoshiki merge`, run as the real binary in a
//! temporary directory, over the bundled corpus copied under neutral names.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_yoshiki");

fn corpus(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/corpus").join(rel)
}

struct Run {
    out: Output,
    args: Vec<String>,
}

impl Run {
    fn code(&self) -> i32 {
        self.out.status.code().unwrap_or(-1)
    }

    fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.out.stderr).into_owned()
    }

    /// Everything, for a failed assertion.
    fn show(&self, out_dir: Option<&Path>) -> String {
        let manifest = out_dir
            .and_then(|d| std::fs::read_to_string(d.join("manifest.json")).ok())
            .unwrap_or_else(|| "(no manifest)".into());
        format!(
            "yoshiki {}\nexit {}\n--- stdout\n{}\n--- stderr\n{}\n--- manifest\n{manifest}",
            self.args.join(" "),
            self.code(),
            String::from_utf8_lossy(&self.out.stdout),
            self.stderr()
        )
    }
}

fn yoshiki<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Run {
    let out = Command::new(BIN).args(args).output().expect("run yoshiki");
    Run {
        out,
        args: args.iter().map(|a| a.as_ref().to_string_lossy().into_owned()).collect(),
    }
}

/// Every file under `dir`: relative path → bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

fn manifest(dir: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap()
}

fn entry<'a>(m: &'a serde_json::Value, path: &str) -> &'a serde_json::Value {
    m["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["path"] == path)
        .unwrap_or_else(|| panic!("{path} not in the manifest:\n{m:#}"))
}

#[test]
fn usage_errors_exit_2_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.txt");
    std::fs::write(&input, "x").unwrap();
    let out = dir.path().join("out");
    let i = input.to_str().unwrap();
    let o = out.to_str().unwrap();
    for args in [
        vec!["convert", i, "-o", o, "--shard", "3/2"],
        vec!["convert", i, "-o", o, "--shard", "half"],
        vec!["convert", i, "-o", o, "--ward", "大阪区"],
        vec!["convert", i, "-o", o, "--jobs", "0"],
        vec!["convert", i],
        vec!["convert", "-o", o],
        vec!["convert", "/nonexistent/yoshiki-input", "-o", o],
        vec!["merge", i, "-o", o],
    ] {
        let r = yoshiki(&args);
        assert_eq!(r.code(), 2, "{}", r.show(None));
        assert!(!r.stderr().is_empty(), "{}", r.show(None));
        assert!(!out.join("manifest.json").exists(), "{}", r.show(Some(&out)));
    }
}

#[test]
fn broken_files_are_errors_in_the_manifest_and_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("archive");
    std::fs::create_dir_all(input.join("sub")).unwrap();
    std::fs::write(input.join("sub/empty.pdf"), "").unwrap();
    std::fs::write(
        input.join("binary.txt"),
        [0u8, 1, 2, 3, 0xff, 0xfe, 0, 0, 7, 8].repeat(50),
    )
    .unwrap();
    std::fs::write(input.join("truncated.xlsx"), b"%PDF-1.7\n1 0 obj\n<<").unwrap();
    let out = dir.path().join("out");
    let r = yoshiki(&["convert".as_ref(), input.as_os_str(), "-o".as_ref(), out.as_os_str()]);
    assert_eq!(r.code(), 1, "{}", r.show(Some(&out)));
    let m = manifest(&out);
    assert_eq!(m["counts"]["inputs"], 3, "{}", r.show(Some(&out)));
    assert_eq!(m["counts"]["error"], 3, "{}", r.show(Some(&out)));
    let empty = entry(&m, "archive/sub/empty.pdf");
    assert_eq!(empty["status"], "error");
    assert_eq!(empty["error"]["code"], "empty");
    assert_eq!(empty["output"], serde_json::Value::Null);
    // The format is the bytes', not the name's.
    assert_eq!(
        entry(&m, "archive/truncated.xlsx")["format"],
        "pdf",
        "{}",
        r.show(Some(&out))
    );
    // Each failure is on stderr, with its path and reason.
    let err = r.stderr();
    assert!(
        err.contains("yoshiki: archive/sub/empty.pdf: empty file"),
        "{}",
        r.show(Some(&out))
    );
    assert!(err.contains("archive/binary.txt: "), "{}", r.show(Some(&out)));
    assert!(err.contains("0 converted"), "the summary line: {}", r.show(Some(&out)));
    // No data file and no temporary file is left behind.
    let files: Vec<String> = tree(&out).into_keys().collect();
    assert_eq!(files, ["manifest.json"], "{}", r.show(Some(&out)));
}
