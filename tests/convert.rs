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

/// Every file under `dir` but yoshiki's own state (`.yoshiki/`, never
/// output): relative path → bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if e.file_name() == ".yoshiki" {
                continue;
            }
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
        vec!["convert", i, "-o", o, "--timeout", "0"],
        vec!["convert", i, "-o", o, "--min-coverage", "1.5"],
        vec!["convert", i, "-o", o, "--min-coverage", "high"],
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
    // No data file and no temporary file is left behind: yoshiki's state
    // folder holds its lock files only.
    let files: Vec<String> = tree(&out).into_keys().collect();
    assert_eq!(files, ["manifest.json"], "{}", r.show(Some(&out)));
    let mut state: Vec<String> = std::fs::read_dir(out.join(".yoshiki"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    state.sort();
    assert_eq!(state, ["commit.lock", "lock"], "{}", r.show(Some(&out)));
}

/// The corpus under neutral names in nested folders: (neutral path, corpus file).
const NEUTRAL: &[(&str, &str)] = &[
    ("archive/a/1/doc-01.dat", "text/minato-2022-plan.txt"),
    ("archive/a/2/doc-02.dat", "text/minato-2022-plan-revision.txt"),
    ("archive/b/doc-03.dat", "text/minato-2021-midterm-review.txt"),
    ("archive/b/c/d/doc-04.dat", "text/taisho-2016-progress.txt"),
    ("archive/doc-05.dat", "text/unknown-ward-summary.txt"),
    ("archive/e/doc-06.dat", "xlsx/minato-2022-plan.xlsx"),
    ("archive/e/doc-07.dat", "pdf/minato-2022-plan.pdf"),
    ("archive/f/g/doc-08.dat", "../workbook/minato-2022-plan.ods"),
    ("archive/f/g/doc-09.dat", "../workbook/minato-2022-plan.xls"),
    (
        "archive/f/doc-10.dat",
        "../workbook/minato-2022-plan-revision-strikethrough.xlsx",
    ),
    (
        "archive/f/doc-11.dat",
        "../workbook/minato-2022-plan-revision-strikethrough.ods",
    ),
    (
        "archive/f/doc-12.dat",
        "../workbook/minato-2022-plan-revision-strikethrough.xls",
    ),
    ("archive/f/h/doc-13.dat", "../workbook/taisho-2016-progress.xlsx"),
    ("archive/g/doc-14.dat", "../pdf/chromium-type0-identity-h.pdf"),
    ("archive/g/doc-15.dat", "../pdf/reportlab-unijis-ucs2-h.pdf"),
    ("archive/g/i/doc-16.dat", "../pdf/reportlab-90ms-rksj-h.pdf"),
    ("archive/g/i/doc-17.dat", "../pdf/encrypted-owner-only-aes-256.pdf"),
];

/// Copy the corpus into `root` under the neutral names `name` gives.
fn neutral_corpus(root: &Path, name: impl Fn(&str) -> String) -> Vec<PathBuf> {
    NEUTRAL
        .iter()
        .map(|(neutral, from)| {
            let to = root.join(name(neutral));
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::copy(corpus(from), &to).unwrap();
            to
        })
        .collect()
}

fn sha256_of(rel: &str) -> String {
    yoshiki::parse::sha256_hex(&std::fs::read(corpus(rel)).unwrap())
}

/// Data files (everything but the manifest) under `dir`.
fn data_files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    tree(dir).into_iter().filter(|(k, _)| k != "manifest.json").collect()
}

fn convert(inputs: &[&Path], out: &Path, extra: &[&str]) -> Run {
    let mut args: Vec<std::ffi::OsString> = vec!["convert".into()];
    args.extend(inputs.iter().map(|p| p.as_os_str().to_owned()));
    args.push("-o".into());
    args.push(out.as_os_str().to_owned());
    args.extend(extra.iter().map(Into::into));
    yoshiki(&args)
}

fn validate(out: &Path) {
    // The schemas compiled into the binary (`yoshiki::validate`), chosen by each
    // file's own `schema` field.
    for (rel, bytes) in tree(out) {
        let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        if rel.starts_with("unassigned/") {
            assert_eq!(v["source"]["path"], "", "{rel}");
        }
        let errors = yoshiki::validate::validate_value(&v).unwrap();
        assert!(errors.is_empty(), "{rel}: {errors:#?}");
    }
}

#[test]
fn the_corpus_under_neutral_names_converts_in_one_call() {
    let dir = tempfile::tempdir().unwrap();
    neutral_corpus(dir.path(), str::to_string);
    // A broken file among the good ones.
    std::fs::write(
        dir.path().join("archive/b/c/broken.dat"),
        b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog",
    )
    .unwrap();
    let out = dir.path().join("out");
    let r = convert(&[&dir.path().join("archive")], &out, &["--jobs", "2"]);
    let show = || r.show(Some(&out));
    let m = manifest(&out);

    let summary = sha256_of("text/unknown-ward-summary.txt");
    let mut expected = vec![
        "271071/2021.json".to_string(),
        "271071/2022.json".to_string(),
        "271080/2016.json".to_string(),
        format!("unassigned/{summary}.json"),
    ];
    expected.sort();
    assert_eq!(data_files(&out).into_keys().collect::<Vec<_>>(), expected, "{}", show());

    // Every input is listed, under its neutral path.
    assert_eq!(m["counts"]["inputs"], NEUTRAL.len() + 1, "{}", show());
    for (path, kind, ward, year, output) in [
        ("archive/a/1/doc-01.dat", "plan", "271071", 2022, "271071/2022.json"),
        (
            "archive/a/2/doc-02.dat",
            "plan_revision",
            "271071",
            2022,
            "271071/2022.json",
        ),
        (
            "archive/b/doc-03.dat",
            "midterm_review",
            "271071",
            2021,
            "271071/2021.json",
        ),
        (
            "archive/b/c/d/doc-04.dat",
            "progress_report",
            "271080",
            2016,
            "271080/2016.json",
        ),
    ] {
        let e = entry(&m, path);
        assert_ne!(e["status"], "error", "{path}: {}", show());
        assert_eq!(
            (
                e["kind"].as_str(),
                e["ward"].as_str(),
                e["fiscal_year"].as_i64(),
                e["output"].as_str()
            ),
            (Some(kind), Some(ward), Some(year), Some(output)),
            "{path}: {}",
            show()
        );
        assert_eq!(e["format"], "text");
    }
    let digest = entry(&m, "archive/doc-05.dat");
    assert_eq!(digest["status"], "warning", "{}", show());
    assert_eq!(digest["kind"], "summary");
    assert!(
        digest["warning_codes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c == "unassigned"),
        "{}",
        show()
    );
    assert!(r.stderr().contains("archive/doc-05.dat: warning:"), "{}", show());

    // The workbooks, each under the ward and year of the release it copies.
    for (path, format, kind, ward, year, output) in [
        (
            "archive/e/doc-06.dat",
            "xlsx",
            "plan",
            "271071",
            2022,
            "271071/2022.json",
        ),
        (
            "archive/f/g/doc-08.dat",
            "ods",
            "plan",
            "271071",
            2022,
            "271071/2022.json",
        ),
        (
            "archive/f/g/doc-09.dat",
            "xls",
            "plan",
            "271071",
            2022,
            "271071/2022.json",
        ),
        (
            "archive/f/doc-10.dat",
            "xlsx",
            "plan_revision",
            "271071",
            2022,
            "271071/2022.json",
        ),
        (
            "archive/f/doc-11.dat",
            "ods",
            "plan_revision",
            "271071",
            2022,
            "271071/2022.json",
        ),
        (
            "archive/f/doc-12.dat",
            "xls",
            "plan_revision",
            "271071",
            2022,
            "271071/2022.json",
        ),
        (
            "archive/f/h/doc-13.dat",
            "xlsx",
            "progress_report",
            "271080",
            2016,
            "271080/2016.json",
        ),
    ] {
        let e = entry(&m, path);
        assert_ne!(e["status"], "error", "{path}: {}", show());
        assert_eq!(
            (
                e["format"].as_str(),
                e["kind"].as_str(),
                e["ward"].as_str(),
                e["fiscal_year"].as_i64(),
                e["output"].as_str()
            ),
            (Some(format), Some(kind), Some(ward), Some(year), Some(output)),
            "{path}: {}",
            show()
        );
    }
    // The PDFs: LibreOffice's print of the corpus workbook, Chromium's
    // print of the release, reportlab's two CID-font prints and a
    // copy-protected (owner-password) copy, each under its release's ward
    // and year.
    for (path, kind, output) in [
        ("archive/e/doc-07.dat", "plan", "271071/2022.json"),
        ("archive/g/doc-14.dat", "plan", "271071/2022.json"),
        ("archive/g/doc-15.dat", "progress_report", "271080/2016.json"),
        ("archive/g/i/doc-16.dat", "plan", "271071/2022.json"),
        ("archive/g/i/doc-17.dat", "plan", "271071/2022.json"),
    ] {
        let e = entry(&m, path);
        assert_eq!(e["format"], "pdf", "{path}: {}", show());
        assert_ne!(e["status"], "error", "{path}: {}", show());
        assert_eq!(
            (e["kind"].as_str(), e["output"].as_str()),
            (Some(kind), Some(output)),
            "{path}: {}",
            show()
        );
    }
    let broken = entry(&m, "archive/b/c/broken.dat");
    assert_eq!(broken["status"], "error", "{}", show());
    assert_eq!(broken["format"], "pdf", "{}", show());
    assert_eq!(broken["output"], serde_json::Value::Null);
    assert!(r.stderr().contains("yoshiki: archive/b/c/broken.dat: "), "{}", show());
    assert_eq!(r.code(), 1, "{}", show());

    // The 2022 file: plan and revision, the revision applied on top.
    let group: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("271071/2022.json")).unwrap()).unwrap();
    let kinds: Vec<&str> = group["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.starts_with(&["plan"]) && kinds.contains(&"plan_revision"),
        "{kinds:?}"
    );
    for d in group["documents"].as_array().unwrap() {
        assert_eq!(d["source"]["path"], "", "data files hold no input path");
    }
    let view = &group["plan"];
    let revised_by = view["revised_by"].as_array().unwrap();
    assert!(
        revised_by.contains(&sha256_of("text/minato-2022-plan-revision.txt").into()),
        "{revised_by:?}"
    );
    assert_eq!(
        revised_by.len(),
        4,
        "the text and three workbook revisions: {revised_by:?}"
    );
    assert_eq!(
        view["compared_with"].as_array().unwrap().len(),
        7,
        "eight plans: text, xlsx, ods, xls and four PDFs"
    );
    // The revision is applied through its revisions' paths only. This
    // plan is of another version than the one the revision struck from
    // (3-3-4's budget: the plan says 4,960千円, the revision 6,166 → 6,227
    // 千円): nothing is overwritten, the revision's claim is a
    // disagreement, typed.
    assert_eq!(
        view["revisions_applied"],
        serde_json::json!([]),
        "{:#}",
        view["revisions_applied"]
    );
    let path = "key_issues/3/main_initiatives/3-3-4/budget";
    let dis = group["disagreements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["path"] == path)
        .unwrap_or_else(|| panic!("no disagreement at {path}"));
    assert_eq!(dis["values"][0]["kind"], "plan");
    assert_eq!(dis["values"][0]["value"]["yen"], 4_960_000);
    let claims: Vec<&serde_json::Value> = dis["values"].as_array().unwrap()[1..]
        .iter()
        .map(|c| &c["value"]["after"]["money"]["yen"])
        .collect();
    assert!(
        !claims.is_empty() && claims.iter().all(|y| **y == 6_227_000),
        "{claims:?}"
    );
    let shown = view["key_issues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["number"] == 3)
        .unwrap()["main_initiatives"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "3-3-4")
        .unwrap()["budget"]["yen"]
        .clone();
    assert_eq!(shown, 4_960_000);
    // The 2021 review stands alone: its view is built from it.
    let review: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("271071/2021.json")).unwrap()).unwrap();
    assert_eq!(review["plan"]["built_from"]["kind"], "midterm_review");

    validate(&out);
    let text = String::from_utf8(tree(&out).into_values().flatten().collect()).unwrap();
    assert!(
        !text.contains(dir.path().to_str().unwrap()),
        "an absolute path in the output"
    );
}

#[test]
fn coverage_is_in_the_manifest_and_the_summary_ends_with_the_lowest() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let inputs = [
        corpus("text/taisho-2016-progress.txt"),
        corpus("text/minato-2022-plan.txt"),
    ];
    let refs: Vec<&Path> = inputs.iter().map(PathBuf::as_path).collect();
    let r = convert(&refs, &out, &["--min-coverage", "0.9"]);
    let show = || r.show(Some(&out));
    assert_eq!(r.code(), 0, "{}", show());
    let m = manifest(&out);
    let progress = entry(&m, "taisho-2016-progress.txt");
    let plan = entry(&m, "minato-2022-plan.txt");
    for e in [progress, plan] {
        let c = &e["coverage"];
        let (placed, read) = (c["placed"].as_u64().unwrap(), c["read"].as_u64().unwrap());
        assert!(placed <= read && read > 0, "{}", show());
        let ratio = c["ratio"].as_f64().unwrap();
        assert!((ratio - placed as f64 / read as f64).abs() < 1e-4, "{}", show());
    }
    // The plan is above 0.9; the older report, whose grammar leaves columns
    // unread, below: a warning with its own code, said on stderr too.
    let codes = |e: &serde_json::Value| e["warning_codes"].to_string();
    assert!(!codes(plan).contains("low_coverage"), "{}", show());
    assert!(codes(progress).contains("low_coverage"), "{}", show());
    assert_eq!(progress["status"], "warning");
    assert!(
        r.stderr().contains("taisho-2016-progress.txt: warning: coverage"),
        "{}",
        show()
    );
    // The summary's last line: the inputs of lowest coverage, lowest first.
    let last = r.stderr().lines().last().unwrap_or("").to_string();
    assert!(last.starts_with("yoshiki: lowest coverage: "), "{}", show());
    let (a, b) = (
        last.find("taisho").unwrap_or(usize::MAX),
        last.find("minato").unwrap_or(0),
    );
    assert!(a < b, "{}", show());
    validate(&out);
}

#[test]
fn jobs_input_order_and_names_do_not_change_a_byte() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a");
    neutral_corpus(&a, str::to_string);
    // Other names, other folders, given file by file in reversed order.
    let b = dir.path().join("b");
    let mut files = neutral_corpus(&b, |p| format!("x/{}", p.replace('/', "_").replace("doc", "z")));
    files.reverse();
    let (o1, o2) = (dir.path().join("o1"), dir.path().join("o2"));
    let r1 = convert(&[&a], &o1, &["--jobs", "1"]);
    let refs: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let r2 = convert(&refs, &o2, &["--jobs", "2"]);
    let (t1, t2) = (data_files(&o1), data_files(&o2));
    assert!(t1.len() >= 4, "{}", r1.show(Some(&o1)));
    assert_eq!(
        t1.keys().collect::<Vec<_>>(),
        t2.keys().collect::<Vec<_>>(),
        "{}\n{}",
        r1.show(Some(&o1)),
        r2.show(Some(&o2))
    );
    for (k, v) in &t1 {
        assert!(t2[k] == *v, "{k} differs between the runs");
    }
}

#[test]
fn a_rerun_over_an_unchanged_archive_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    neutral_corpus(dir.path(), str::to_string);
    let input = dir.path().join("archive");
    let out = dir.path().join("out");
    convert(&[&input], &out, &[]);
    let stamps = |d: &Path| -> BTreeMap<String, std::time::SystemTime> {
        tree(d)
            .into_keys()
            .map(|k| (k.clone(), std::fs::metadata(d.join(&k)).unwrap().modified().unwrap()))
            .collect()
    };
    let before = stamps(&out);
    std::thread::sleep(std::time::Duration::from_millis(50));
    let r = convert(&[&input], &out, &["--jobs", "1"]);
    assert!(
        r.stderr().contains(" 0 files written") && r.stderr().contains("nothing changed"),
        "{}",
        r.show(Some(&out))
    );
    assert_eq!(before, stamps(&out), "{}", r.show(Some(&out)));
}

#[test]
fn shards_merged_are_a_single_run_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    neutral_corpus(dir.path(), str::to_string);
    let input = dir.path().join("archive");
    std::fs::write(input.join("empty.dat"), b"").unwrap();
    let single = dir.path().join("single");
    let r = convert(&[&input], &single, &[]);
    assert!(data_files(&single).len() >= 4, "{}", r.show(Some(&single)));
    let mut shards = Vec::new();
    let mut total = 0;
    for k in 1..=3 {
        let o = dir.path().join(format!("shard-{k}"));
        let r = convert(&[&input], &o, &["--shard", &format!("{k}/3")]);
        assert!(r.code() == 0 || r.code() == 1, "{}", r.show(Some(&o)));
        total += manifest(&o)["counts"]["inputs"].as_u64().unwrap();
        shards.push(o);
    }
    assert_eq!(total, manifest(&single)["counts"]["inputs"].as_u64().unwrap());
    // The 2022 documents fall in different shards: merge puts
    // 271071/2022.json together again from all of them.
    let outputs = |o: &Path| {
        manifest(o)["outputs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["path"].clone())
            .collect::<Vec<_>>()
    };
    let holding = shards
        .iter()
        .filter(|s| outputs(s).contains(&"271071/2022.json".into()))
        .count();
    assert!(
        holding >= 2,
        "{:?}",
        shards.iter().map(|s| outputs(s)).collect::<Vec<_>>()
    );
    let merged = dir.path().join("merged");
    let mut args: Vec<&std::ffi::OsStr> = vec!["merge".as_ref()];
    args.extend(shards.iter().map(|s| s.as_os_str()));
    args.extend(["-o".as_ref(), merged.as_os_str()]);
    let m = yoshiki(&args);
    assert_eq!(
        m.code(),
        r.code(),
        "merge exits as the single run did: {}",
        m.show(Some(&merged))
    );
    let (t1, t2) = (tree(&single), tree(&merged));
    assert_eq!(
        t1.keys().collect::<Vec<_>>(),
        t2.keys().collect::<Vec<_>>(),
        "{}",
        m.show(Some(&merged))
    );
    for (k, v) in &t1 {
        assert!(t2[k] == *v, "{k} differs: {}", m.show(Some(&merged)));
    }
}
