//! The ways an adversarial run lost data or memory (issue 18), each kept
//! as a test that runs the real binary: links into `/proc` and `/sys`,
//! FIFOs and devices as inputs, names that are not UTF-8, a ward folder
//! that is a link out of OUT, shards of another archive or relabelled,
//! huge and slow inputs under a memory limit, a tree whose files are not
//! what its manifest says, and errors that must name their path.
//!
//! `YOSHIKI_TEST_BIN=/path/to/yoshiki cargo test --test robustness` runs
//! them against another build.

mod common;

use common::tree::{Ended, convert, diff, run, run_bounded, tree};
use serde_json::Value;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

fn corpus(name: &str) -> PathBuf {
    common::fixture(&format!("corpus/text/{name}"))
}

fn manifest(out: &Path) -> Value {
    let bytes = std::fs::read(out.join("manifest.json")).unwrap_or_default();
    serde_json::from_slice(&bytes).unwrap_or(Value::Null)
}

/// The manifest entry of input `path`.
fn entry(m: &Value, path: &str, r: &Ended) -> Value {
    m["inputs"]
        .as_array()
        .and_then(|a| a.iter().find(|e| e["path"] == path).cloned())
        .unwrap_or_else(|| panic!("{path} is not in the manifest\n{m:#}\n{}", r.show()))
}

fn error_of(m: &Value, path: &str, r: &Ended) -> (String, String) {
    let e = entry(m, path, r);
    (
        e["error"]["code"].as_str().unwrap_or("").to_string(),
        e["error"]["message"].as_str().unwrap_or("").to_string(),
    )
}

#[cfg(unix)]
#[test]
fn links_to_proc_and_sys_are_errors_not_a_hang() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = dir.path().join("archive");
    std::fs::create_dir_all(&a).expect("mkdir");
    std::fs::copy(corpus("taisho-2016-progress.txt"), a.join("report.txt")).expect("copy");
    // The system's folders this machine has (a container may lack /sys).
    let links: Vec<(&str, &str)> = [("self", "/proc/self"), ("sys", "/sys"), ("devices", "/dev")]
        .into_iter()
        .filter(|(_, to)| Path::new(to).exists())
        .collect();
    for (name, to) in &links {
        std::os::unix::fs::symlink(to, a.join(name)).expect("symlink");
    }
    let out = dir.path().join("out");
    // Was: the walk never ended, memory grew past 1.7 GB, nothing printed.
    let r = run_bounded(
        &[
            OsString::from("convert"),
            a.clone().into(),
            "-o".into(),
            out.clone().into(),
        ],
        2 << 20,
        60,
    );
    assert_eq!(r.code, Some(1), "{}", r.show());
    let m = manifest(&out);
    for (name, to) in &links {
        let root = &to[..to[1..].find('/').map_or(to.len(), |i| i + 1)];
        let (code, message) = error_of(&m, &format!("archive/{name}"), &r);
        assert_eq!(code, "io", "{message}");
        assert!(message.contains(root), "archive/{name}: {message}");
        assert!(r.stderr.contains(&format!("archive/{name}: ")), "{}", r.show());
    }
    assert_eq!(entry(&m, "archive/report.txt", &r)["output"], "271080/2016.json");
    assert_eq!(m["counts"]["inputs"], links.len() + 1, "{}", r.show());
}

#[cfg(unix)]
#[test]
fn a_fifo_or_a_device_named_as_input_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fifo = dir.path().join("pipe");
    let c = std::ffi::CString::new(fifo.to_string_lossy().as_bytes()).expect("path");
    // SAFETY: mkfifo with a valid C string.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    let good = dir.path().join("good.txt");
    std::fs::copy(corpus("taisho-2016-progress.txt"), &good).expect("copy");
    let out = dir.path().join("out");
    // Was: "0 converted, 0 errors", exit 0, both silently skipped.
    let r = run_bounded(
        &[
            OsString::from("convert"),
            fifo.into(),
            "/dev/zero".into(),
            good.into(),
            "-o".into(),
            out.clone().into(),
        ],
        2 << 20,
        60,
    );
    assert_eq!(r.code, Some(1), "{}", r.show());
    let m = manifest(&out);
    let (_, pipe) = error_of(&m, "pipe", &r);
    assert!(pipe.contains("FIFO"), "{pipe}");
    let (_, zero) = error_of(&m, "zero", &r);
    assert!(zero.contains("/dev"), "{zero}");
    // The good file converts (its status may carry warnings).
    let converted = m["counts"]["ok"].as_u64().unwrap_or(0) + m["counts"]["warning"].as_u64().unwrap_or(0);
    assert_eq!(converted, 1, "{}", r.show());
    assert_eq!(m["counts"]["error"], 2, "{}", r.show());
}

#[cfg(unix)]
#[test]
fn names_that_are_not_utf8_keep_paths_of_their_own() {
    use std::os::unix::ffi::OsStringExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let a = dir.path().join("archive");
    std::fs::create_dir_all(&a).expect("mkdir");
    // Two Shift_JIS names that are not UTF-8, and a UTF-8 name that reads
    // like an escape.
    let names: [(Vec<u8>, &str); 3] = [
        (b"\x8d\x60\x8b\xe6.txt".to_vec(), "minato-2022-plan.txt"),
        (b"\x91\xe5\x90\xb3.txt".to_vec(), "taisho-2016-progress.txt"),
        (b"%8D%60.txt".to_vec(), "minato-2021-midterm-review.txt"),
    ];
    for (name, from) in &names {
        std::fs::copy(corpus(from), a.join(OsString::from_vec(name.clone()))).expect("copy");
    }
    let out = dir.path().join("out");
    let r = convert(&a, &out, &[], &[]);
    assert_eq!(r.code, Some(0), "{}", r.show());
    let m = manifest(&out);
    let paths: Vec<&str> = m["inputs"]
        .as_array()
        .map(|a| a.iter().filter_map(|e| e["path"].as_str()).collect())
        .unwrap_or_default();
    // Was: both became `archive/��.txt`, one manifest path for two files.
    assert_eq!(
        paths,
        // Only the bytes that are not UTF-8 (and `%`) are escaped.
        ["archive/%258D%2560.txt", "archive/%8D`%8B%E6.txt", "archive/%91吳.txt"],
        "{}",
        r.show()
    );
}

#[test]
fn a_walk_is_bounded() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = dir.path().join("archive");
    let deep = a.join("1/2/3/4/5/6");
    std::fs::create_dir_all(&deep).expect("mkdir");
    std::fs::copy(corpus("taisho-2016-progress.txt"), deep.join("deep.txt")).expect("copy");
    std::fs::copy(corpus("minato-2022-plan.txt"), a.join("top.txt")).expect("copy");
    let out = dir.path().join("out");
    let r = convert(&a, &out, &["--max-walk-depth", "3"], &[]);
    assert_eq!(r.code, Some(1), "{}", r.show());
    let (_, why) = error_of(&manifest(&out), "archive/1/2/3", &r);
    assert!(why.contains("--max-walk-depth"), "{why}");
    let out2 = dir.path().join("out2");
    let r = convert(&a, &out2, &["--max-walk-entries", "5"], &[]);
    assert_eq!(r.code, Some(2), "{}", r.show());
    assert!(r.stderr.contains("--max-walk-entries"), "{}", r.show());
    assert!(!out2.join("manifest.json").exists(), "nothing written");
}

/// OUT with the 2016 report written, its ward folder then replaced by a
/// link to a folder outside OUT holding the same file and one of its own.
#[cfg(unix)]
fn linked_ward_folder() -> (tempfile::TempDir, PathBuf, PathBuf, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let old = dir.path().join("old/archive");
    std::fs::create_dir_all(&old).expect("mkdir");
    std::fs::copy(corpus("taisho-2016-progress.txt"), old.join("report.txt")).expect("copy");
    std::fs::copy(corpus("minato-2022-plan.txt"), old.join("plan.txt")).expect("copy");
    let new = dir.path().join("new/archive");
    std::fs::create_dir_all(&new).expect("mkdir");
    std::fs::copy(corpus("minato-2022-plan.txt"), new.join("plan.txt")).expect("copy");
    let out = dir.path().join("out");
    let r = convert(&old, &out, &[], &[]);
    assert_eq!(r.code, Some(0), "{}", r.show());
    let outside = dir.path().join("elsewhere");
    std::fs::create_dir_all(&outside).expect("mkdir");
    std::fs::rename(out.join("271080/2016.json"), outside.join("2016.json")).expect("move");
    std::fs::write(outside.join("theirs.json"), b"{\"not\": \"yoshiki's\"}").expect("write");
    std::fs::remove_dir(out.join("271080")).expect("rmdir");
    std::os::unix::fs::symlink(&outside, out.join("271080")).expect("symlink");
    (dir, old, new, out, outside)
}

#[cfg(unix)]
#[test]
fn a_ward_folder_that_links_out_of_out_is_never_followed() {
    let (_dir, old, new, out, outside) = linked_ward_folder();
    let before = tree(&outside);
    // The new run no longer produces 271080/2016.json: it was removed
    // through the link (the file there has the very bytes yoshiki wrote).
    let r = convert(&new, &out, &[], &[]);
    assert_eq!(r.code, Some(0), "{}", r.show());
    assert!(r.stderr.contains("271080: a symbolic link"), "{}", r.show());
    assert_eq!(tree(&outside), before, "nothing outside OUT is touched");
    // A run that writes there: refused, nothing changed, nothing written
    // through the link.
    let out_before = tree(&out);
    let r = convert(&old, &out, &[], &[]);
    assert_eq!(r.code, Some(1), "{}", r.show());
    assert!(
        r.stderr
            .contains(&format!("{}: a symbolic link", out.join("271080").display())),
        "{}",
        r.show()
    );
    assert!(r.stderr.contains("nothing was changed"), "{}", r.show());
    assert_eq!(tree(&outside), before, "nothing written through the link");
    assert_eq!(tree(&out), out_before, "OUT unchanged");
}

#[test]
fn a_file_yoshiki_did_not_write_is_never_removed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = dir.path().join("archive");
    std::fs::create_dir_all(&a).expect("mkdir");
    std::fs::copy(corpus("taisho-2016-progress.txt"), a.join("report.txt")).expect("copy");
    std::fs::copy(corpus("minato-2022-plan.txt"), a.join("plan.txt")).expect("copy");
    let out = dir.path().join("out");
    assert_eq!(convert(&a, &out, &[], &[]).code, Some(0));
    // Someone edits the 2016 file; then its input goes.
    std::fs::write(out.join("271080/2016.json"), b"{\"edited\": true}\n").expect("write");
    std::fs::remove_file(a.join("report.txt")).expect("rm");
    let r = convert(&a, &out, &[], &[]);
    assert_eq!(r.code, Some(0), "{}", r.show());
    assert!(r.stderr.contains("not removed"), "{}", r.show());
    assert_eq!(
        std::fs::read(out.join("271080/2016.json")).unwrap_or_default(),
        b"{\"edited\": true}\n"
    );
}

/// Shards 1/2 and 2/2 of `archive` into `dir/<prefix>-1`, `-2`.
fn shards(archive: &Path, dir: &Path, prefix: &str) -> Vec<PathBuf> {
    (1..=2)
        .map(|k| {
            let o = dir.join(format!("{prefix}-{k}"));
            let r = convert(archive, &o, &["--shard", &format!("{k}/2")], &[]);
            assert!(r.code == Some(0) || r.code == Some(1), "{}", r.show());
            o
        })
        .collect()
}

fn merge(shards: &[&Path], out: &Path) -> Ended {
    let mut args: Vec<OsString> = vec!["merge".into()];
    args.extend(shards.iter().map(|s| s.as_os_str().to_owned()));
    args.extend(["-o".into(), out.as_os_str().to_owned()]);
    run(&args, &[])
}

#[test]
fn merge_refuses_shards_of_another_archive_and_relabelled_ones() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = dir.path().join("x/archive");
    std::fs::create_dir_all(&a).expect("mkdir");
    for f in [
        "minato-2022-plan.txt",
        "minato-2022-plan-revision.txt",
        "taisho-2016-progress.txt",
        "minato-2021-midterm-review.txt",
        "unknown-ward-summary.txt",
    ] {
        std::fs::copy(corpus(f), a.join(f)).expect("copy");
    }
    let x = shards(&a, dir.path(), "x");
    // Both shards hold something.
    for s in &x {
        assert!(
            manifest(s)["counts"]["inputs"].as_u64().unwrap_or(0) > 0,
            "{}",
            s.display()
        );
    }
    // The same archive and one more file: another archive.
    let b = dir.path().join("y/archive");
    std::fs::create_dir_all(&b).expect("mkdir");
    for e in std::fs::read_dir(&a).expect("ls").flatten() {
        std::fs::copy(e.path(), b.join(e.file_name())).expect("copy");
    }
    std::fs::write(b.join("extra.txt"), b"not a form\n").expect("write");
    let y = shards(&b, dir.path(), "y");
    let ok = merge(&[&x[0], &x[1]], &dir.path().join("merged"));
    assert!(ok.code == Some(0) || ok.code == Some(1), "{}", ok.show());
    // Was: exit 0, with inputs missing and foreign ones included.
    let foreign = merge(&[&x[0], &y[1]], &dir.path().join("m1"));
    assert_eq!(foreign.code, Some(2), "{}", foreign.show());
    assert!(foreign.stderr.contains("different archives"), "{}", foreign.show());
    // Shard 1/2 relabelled 2/2 (and given with the real 1/2).
    let relabelled = dir.path().join("relabelled");
    common::tree::copy_dir(&x[0], &relabelled);
    let mpath = relabelled.join("manifest.json");
    let text = std::fs::read_to_string(&mpath).expect("manifest");
    std::fs::write(&mpath, text.replace("\"shard\": \"1/2\"", "\"shard\": \"2/2\"")).expect("write");
    let r = merge(&[&x[0], &relabelled], &dir.path().join("m2"));
    assert_eq!(r.code, Some(2), "{}", r.show());
    assert!(r.stderr.contains("belongs to another shard"), "{}", r.show());
    // A shard whose manifest lost an input.
    let cut = dir.path().join("cut");
    common::tree::copy_dir(&x[1], &cut);
    let mpath = cut.join("manifest.json");
    let mut m: Value = serde_json::from_slice(&std::fs::read(&mpath).expect("read")).expect("json");
    if let Some(a) = m["inputs"].as_array_mut()
        && let Some(i) = a.iter().position(|e| e["output"].is_null())
    {
        a.remove(i);
    } else if let Some(a) = m["inputs"].as_array_mut() {
        a.pop();
    }
    std::fs::write(&mpath, serde_json::to_vec_pretty(&m).expect("json")).expect("write");
    let r = merge(&[&x[0], &cut], &dir.path().join("m3"));
    assert_eq!(r.code, Some(2), "{}", r.show());
}

#[test]
fn a_huge_text_file_fails_alone_under_a_memory_limit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = dir.path().join("archive");
    std::fs::create_dir_all(&a).expect("mkdir");
    std::fs::copy(corpus("taisho-2016-progress.txt"), a.join("report.txt")).expect("copy");
    // Was 150 bytes a blank line (10 MB: 1.5 GB), and an abort of the
    // whole batch under a limit: no manifest, the good file lost.
    std::fs::write(a.join("newlines.txt"), vec![b'\n'; 4_000_000]).expect("write");
    std::fs::write(a.join("short.txt"), b"a\n".repeat(1_000_000)).expect("write");
    let out = dir.path().join("out");
    let r = run_bounded(
        &[
            OsString::from("convert"),
            a.into(),
            "-o".into(),
            out.clone().into(),
            "--jobs".into(),
            "2".into(),
        ],
        512 << 10,
        120,
    );
    assert_eq!(r.code, Some(1), "{}", r.show());
    let m = manifest(&out);
    assert_eq!(entry(&m, "archive/report.txt", &r)["output"], "271080/2016.json");
    let (code, message) = error_of(&m, "archive/short.txt", &r);
    assert_eq!(code, "too_large", "{message}");
    assert_eq!(entry(&m, "archive/newlines.txt", &r)["status"], "error");
}

#[test]
fn an_input_past_its_memory_budget_fails_alone_with_too_large() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = dir.path().join("archive");
    std::fs::create_dir_all(&a).expect("mkdir");
    std::fs::copy(corpus("taisho-2016-progress.txt"), a.join("report.txt")).expect("copy");
    let plan = std::fs::read(corpus("minato-2022-plan.txt")).expect("read");
    std::fs::write(a.join("big.txt"), plan.repeat(50)).expect("write");
    let out = dir.path().join("out");
    let budget = (8u64 << 20).to_string();
    let r = convert(&a, &out, &["--max-memory", &budget], &[]);
    assert_eq!(r.code, Some(1), "{}", r.show());
    let m = manifest(&out);
    let (code, message) = error_of(&m, "archive/big.txt", &r);
    assert_eq!(code, "too_large", "{message}");
    assert!(message.contains("--max-memory"), "{message}");
    assert_eq!(entry(&m, "archive/report.txt", &r)["output"], "271080/2016.json");
}

#[test]
fn timed_out_parses_give_their_memory_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = dir.path().join("archive");
    std::fs::create_dir_all(&a).expect("mkdir");
    std::fs::copy(corpus("taisho-2016-progress.txt"), a.join("report.txt")).expect("copy");
    // Ten releases of some 8 MiB, each too slow for `--timeout 2` here
    // (some 8 s in a debug build) and growing as it is parsed; the good
    // release takes a fraction of a second, even on a busy machine.
    let plan = std::fs::read(corpus("minato-2022-plan.txt")).expect("read");
    let big = plan.repeat((8 << 20) / plan.len());
    for i in 0..10 {
        let mut b = big.clone();
        b.extend(std::iter::repeat_n(b'\n', i + 1));
        std::fs::write(a.join(format!("slow-{i}.txt")), b).expect("write");
    }
    let out = dir.path().join("out");
    // Was: the abandoned parser threads kept running, and their memory
    // (10.2 GB at --timeout 3 in the report; here past the 512 MiB limit)
    // aborted the run: no manifest.
    let r = run_bounded(
        &[
            OsString::from("convert"),
            a.into(),
            "-o".into(),
            out.clone().into(),
            "--jobs".into(),
            "2".into(),
            "--timeout".into(),
            "2".into(),
        ],
        512 << 10,
        120,
    );
    assert_eq!(r.code, Some(1), "{}", r.show());
    let m = manifest(&out);
    for i in 0..10 {
        let (code, _) = error_of(&m, &format!("archive/slow-{i}.txt"), &r);
        assert_eq!(code, "timeout", "{}", r.show());
    }
    assert_eq!(entry(&m, "archive/report.txt", &r)["output"], "271080/2016.json");
}

/// A converted tree of the 2016 report and the 2022 plan, for the
/// validate/export tests.
fn converted(dir: &Path) -> PathBuf {
    let a = dir.join("archive");
    std::fs::create_dir_all(&a).expect("mkdir");
    std::fs::copy(corpus("taisho-2016-progress.txt"), a.join("report.txt")).expect("copy");
    std::fs::copy(corpus("minato-2022-plan.txt"), a.join("plan.txt")).expect("copy");
    std::fs::copy(corpus("unknown-ward-summary.txt"), a.join("digest.txt")).expect("copy");
    let out = dir.join("out");
    let r = convert(&a, &out, &[], &[]);
    assert_eq!(r.code, Some(0), "{}", r.show());
    out
}

fn validate(out: &Path) -> Ended {
    run(&["validate".as_ref(), out.as_os_str()], &[])
}

fn export(out: &Path, dest: &Path) -> Ended {
    run(
        &[
            "export".as_ref(),
            out.as_os_str(),
            "--format".as_ref(),
            "ndjson".as_ref(),
            "-o".as_ref(),
            dest.as_os_str(),
        ],
        &[],
    )
}

#[test]
fn validate_checks_a_tree_against_its_manifest_and_export_agrees() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = converted(dir.path());
    let v = validate(&out);
    assert_eq!(v.code, Some(0), "{}", v.show());

    // A file no manifest lists, where yoshiki writes: flagged, not exported.
    let stray = out.join("271071/2019.json");
    let text = std::fs::read_to_string(out.join("271071/2022.json")).expect("read");
    std::fs::write(&stray, text.replace("\"fiscal_year\": 2022", "\"fiscal_year\": 2019")).expect("write");
    let v = validate(&out);
    assert_eq!(v.code, Some(1), "{}", v.show());
    assert!(
        v.stdout.contains(&format!("{}: not in the manifest", stray.display())),
        "{}",
        v.show()
    );
    let e = export(&out, &dir.path().join("nd1"));
    assert_eq!(e.code, Some(0), "{}", e.show());
    let docs = std::fs::read_to_string(dir.path().join("nd1/documents.ndjson")).unwrap_or_default();
    assert!(!docs.contains("\"fiscal_year\":2019"), "the stray is not exported");
    std::fs::remove_file(&stray).expect("rm");

    // A Document where a ward-year file belongs: both refuse it.
    let unassigned: Vec<PathBuf> = std::fs::read_dir(out.join("unassigned"))
        .expect("ls")
        .flatten()
        .map(|e| e.path())
        .collect();
    let saved = std::fs::read(out.join("271071/2022.json")).expect("read");
    std::fs::copy(&unassigned[0], out.join("271071/2022.json")).expect("copy");
    let v = validate(&out);
    assert_eq!(v.code, Some(1), "{}", v.show());
    assert!(v.stdout.contains(yoshiki::view::WARD_YEAR_SCHEMA), "{}", v.show());
    let e = export(&out, &dir.path().join("nd2"));
    assert_eq!(e.code, Some(1), "{}", e.show());
    std::fs::write(out.join("271071/2022.json"), saved).expect("restore");

    // A manifest without its generator: both refuse it (export used to
    // read only the inputs).
    let mpath = out.join("manifest.json");
    let saved = std::fs::read(&mpath).expect("read");
    let mut m: Value = serde_json::from_slice(&saved).expect("json");
    m.as_object_mut().map(|o| o.remove("generator"));
    std::fs::write(&mpath, serde_json::to_vec_pretty(&m).expect("json")).expect("write");
    let v = validate(&out);
    assert_eq!(v.code, Some(1), "{}", v.show());
    let e = export(&out, &dir.path().join("nd3"));
    assert_eq!(e.code, Some(1), "{}", e.show());
    assert!(e.stderr.contains("generator"), "{}", e.show());
    std::fs::write(&mpath, saved).expect("restore");

    // A data file whose bytes are not those the manifest records.
    let p = out.join("271080/2016.json");
    let mut bytes = std::fs::read(&p).expect("read");
    bytes.extend_from_slice(b" ");
    std::fs::write(&p, bytes).expect("write");
    let v = validate(&out);
    assert!(v.code == Some(1) && v.stdout.contains("sha256"), "{}", v.show());
    let e = export(&out, &dir.path().join("nd4"));
    assert_eq!(e.code, Some(1), "{}", e.show());
}

#[test]
fn errors_name_their_path() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = dir.path().join("archive");
    std::fs::create_dir_all(&a).expect("mkdir");
    std::fs::copy(corpus("taisho-2016-progress.txt"), a.join("report.txt")).expect("copy");
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).expect("mkdir");
    // A file where the ward folder goes. Was: `cannot write: File exists`.
    std::fs::write(out.join("271080"), b"mine").expect("write");
    let r = convert(&a, &out, &[], &[]);
    assert_eq!(r.code, Some(1), "{}", r.show());
    let named = out.join("271080");
    assert!(
        r.stderr.contains(&format!("{}: ", named.display())),
        "the error names {}\n{}",
        named.display(),
        r.show()
    );
    assert_eq!(std::fs::read(out.join("271080")).unwrap_or_default(), b"mine");
    let t = tree(&out);
    assert_eq!(
        t.keys().collect::<Vec<_>>(),
        ["271080"],
        "{}",
        diff(&t, &Default::default())
    );
}

#[test]
fn the_decompression_limit_that_binds_is_the_one_named() {
    let pdf = common::fixture("corpus/pdf/minato-2022-plan.pdf");
    let r = run(
        &[
            "parse".as_ref(),
            pdf.as_os_str(),
            "--max-total-decompressed".as_ref(),
            "1000".as_ref(),
        ],
        &[],
    );
    assert_eq!(r.code, Some(1), "{}", r.show());
    assert!(
        r.stderr.contains("1000 bytes") && r.stderr.contains("--max-total-decompressed"),
        "{}",
        r.show()
    );
    assert!(!r.stderr.contains("--max-stream-bytes"), "{}", r.show());
}
