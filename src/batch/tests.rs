//! The run's machinery over synthetic documents: a stand-in parser reads a
//! one-line description (`plan 271071 2022 budget=1000`; a revision's
//! `was=…` is the struck-out budget) instead of a form,
//! so grouping, canonical bytes, re-runs, shards and merge are tested
//! whatever readers and recogniser exist.

use super::*;
use crate::Error;
use crate::view::tests::{doc, initiative, with_initiatives};
use std::collections::BTreeMap;

fn fake(bytes: &[u8], _path: &str) -> crate::Result<Document> {
    let text = String::from_utf8_lossy(bytes);
    let mut words = text.split_whitespace();
    let kind = match words.next() {
        Some("panic") => panic!("a reader bug"),
        Some("hang") => loop {
            std::thread::sleep(Duration::from_secs(1));
        },
        Some(k) => Kind::parse(k).ok_or_else(|| Error::Unrecognised(format!("no kind {k}")))?,
        None => return Err(Error::Empty),
    };
    let ward = words.next().filter(|w| *w != "-");
    let year = words.next().and_then(|y| y.parse().ok());
    let rest: Vec<&str> = words.collect();
    let number = |key: &str| -> Option<i64> {
        rest.iter()
            .find_map(|w| w.strip_prefix(key))
            .and_then(|b| b.parse().ok())
    };
    let budget = number("budget=");
    let mut d = with_initiatives(doc(kind, "", ward, year), vec![initiative("3-3-4", budget)]);
    if let (Some(was), Some(now)) = (number("was="), budget) {
        let money = |yen: i64| crate::model::RevisedValue {
            text: format!("{}", yen / 1000),
            money: Some(crate::model::Money {
                yen: Some(yen),
                text: format!("{}千円", yen / 1000),
            }),
            quantity: None,
        };
        d.revisions.push(crate::model::Revision {
            before: money(was),
            after: money(now),
            path: Some("issues/3/strategies/3-3/initiatives/3-3-4/budgets/2022:budget".into()),
            at: crate::model::Location::default(),
            evidence: crate::model::Evidence::Strikethrough,
            context: None,
            flag: None,
            readings: Vec::new(),
        });
    }
    if ward.is_none() {
        d.warnings.push(crate::model::Warning::new(
            "ward_unknown",
            "no ward",
            crate::model::Location::default(),
        ));
    }
    Ok(d)
}

fn fake_parse() -> Parsing {
    Parsing::InProcess(std::sync::Arc::new(fake))
}

fn config(inputs: Vec<PathBuf>, out: &Path, jobs: usize) -> Config {
    Config {
        inputs,
        out: out.to_path_buf(),
        jobs,
        shard: None,
        options: Options::default(),
        progress: false,
        min_coverage: None,
    }
}

fn run(inputs: Vec<PathBuf>, out: &Path, jobs: usize) -> Summary {
    convert(&config(inputs, out, jobs), &fake_parse()).unwrap()
}

/// Every file under `dir` but yoshiki's state (`.yoshiki/`): relative
/// path → bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_entry(|e| e.file_name() != transaction::STATE)
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

fn data_files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    tree(dir).into_iter().filter(|(k, _)| k != "manifest.json").collect()
}

/// Check every data file and the manifest under `out` against `schemas/`.
pub(crate) fn validate(out: &Path) {
    // The schemas compiled into the binary (`crate::validate`), chosen by each
    // file's own `schema` field.
    for (rel, bytes) in tree(out) {
        let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        if rel.starts_with("unassigned/") {
            assert_eq!(v["source"]["path"], "", "{rel}");
        }
        let errors = crate::validate::validate_value(&v).unwrap();
        assert!(errors.is_empty(), "{rel}: {errors:#?}");
    }
}

fn read_manifest(dir: &Path) -> Manifest {
    Manifest::read(dir).unwrap().unwrap()
}

const ARCHIVE: &[(&str, &str)] = &[
    ("plan", "plan 271071 2022 budget=6166000"),
    ("revision", "plan_revision 271071 2022 was=6166000 budget=6227000"),
    ("review", "midterm_review 271071 2021"),
    ("report", "progress_report 271080 2016"),
    ("digest", "summary - -"),
    ("broken", "nonsense"),
];

/// The archive under `root`, each file at `name(i, key)`.
fn archive(root: &Path, name: impl Fn(usize, &str) -> String) -> PathBuf {
    for (i, (key, text)) in ARCHIVE.iter().enumerate() {
        let p = root.join(name(i, key));
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    root.to_path_buf()
}

#[test]
fn documents_go_to_their_ward_and_year_and_the_manifest_lists_every_input() {
    let dir = tempfile::tempdir().unwrap();
    let input = archive(&dir.path().join("in"), |i, _| format!("a/b{}/file{i}.dat", i % 2));
    let out = dir.path().join("out");
    let s = run(vec![input], &out, 2);
    assert_eq!((s.inputs, s.converted, s.errors), (6, 5, 1), "{s:?}");

    let files: Vec<String> = data_files(&out).into_keys().collect();
    let digest = crate::parse::sha256_hex(b"summary - -");
    assert_eq!(
        files,
        [
            "271071/2021.json".to_string(),
            "271071/2022.json".to_string(),
            "271080/2016.json".to_string(),
            format!("unassigned/{digest}.json"),
        ]
    );
    let m = read_manifest(&out);
    assert_eq!(m.counts.inputs, 6);
    assert_eq!(m.counts.error, 1);
    let paths: Vec<&str> = m.inputs.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "in/a/b0/file0.dat",
            "in/a/b0/file2.dat",
            "in/a/b0/file4.dat",
            "in/a/b1/file1.dat",
            "in/a/b1/file3.dat",
            "in/a/b1/file5.dat"
        ]
    );
    let broken = &m.inputs[5];
    assert_eq!(broken.status, Status::Error);
    assert_eq!(broken.error.as_ref().map(|e| e.code.as_str()), Some("unrecognised"));
    assert_eq!(broken.output, None);
    let digest_entry = &m.inputs[2];
    assert_eq!(digest_entry.status, Status::Warning);
    assert_eq!(digest_entry.warning_codes, ["unassigned", "ward_unknown"]);
    assert_eq!(
        digest_entry.output.as_deref(),
        Some(format!("unassigned/{digest}.json").as_str())
    );
    let revision = &m.inputs[3];
    assert_eq!(revision.kind, Some(Kind::PlanRevision));
    assert_eq!(revision.ward.as_deref(), Some("271071"));
    assert_eq!(revision.output.as_deref(), Some("271071/2022.json"));

    let group: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("271071/2022.json")).unwrap()).unwrap();
    assert_eq!(group["schema"], "yoshiki/ward-year/2");
    assert_eq!(group["ward"]["name"], "港区");
    assert_eq!(group["documents"][0]["kind"], "plan");
    assert_eq!(group["documents"][1]["kind"], "plan_revision");
    assert_eq!(
        group["documents"][0]["source"]["path"], "",
        "no input path in data files"
    );
    let applied = &group["plan"]["revisions_applied"][0];
    assert_eq!(applied["before"]["yen"], 6166000);
    assert_eq!(applied["after"]["yen"], 6227000);
    let shown = &group["plan"]["issues"][0]["strategies"][0]["initiatives"][0]["budgets"][0]["yen"];
    assert_eq!(shown, 6227000);
    let text = String::from_utf8(std::fs::read(out.join("271071/2022.json")).unwrap()).unwrap();
    assert!(!text.contains(&dir.path().to_string_lossy().to_string()));
    assert!(text.ends_with("}\n"));
    validate(&out);
    let leftovers: Vec<String> = walkdir::WalkDir::new(&out)
        .into_iter()
        .flatten()
        .map(|e| e.path().strip_prefix(&out).unwrap().to_string_lossy().into_owned())
        .filter(|k| k.starts_with(".yoshiki/") && !k.ends_with("lock"))
        .collect();
    assert!(leftovers.is_empty(), "only the lock files stay: {leftovers:?}");
}

#[test]
fn jobs_order_and_names_do_not_change_a_byte() {
    let dir = tempfile::tempdir().unwrap();
    let a = archive(&dir.path().join("one"), |i, key| format!("x/{key}-{i}.txt"));
    let n = ARCHIVE.len();
    let b = archive(&dir.path().join("two"), |i, _| format!("deep/er/{}/f{}", n - i, n - i));
    // Reversed input order: files as separate arguments, last first.
    let mut b_files: Vec<PathBuf> = tree(&b).into_keys().map(|k| b.join(k)).collect();
    b_files.reverse();
    run(vec![a], &dir.path().join("o1"), 1);
    run(b_files, &dir.path().join("o2"), 2);
    let (t1, t2) = (data_files(&dir.path().join("o1")), data_files(&dir.path().join("o2")));
    assert_eq!(t1.len(), 4);
    assert_eq!(t1.keys().collect::<Vec<_>>(), t2.keys().collect::<Vec<_>>());
    for (k, v) in &t1 {
        assert!(t2[k] == *v, "{k} differs");
    }
}

#[test]
fn a_rerun_rewrites_nothing_and_removes_what_vanished() {
    let dir = tempfile::tempdir().unwrap();
    let input = archive(&dir.path().join("in"), |_, key| format!("{key}.txt"));
    let out = dir.path().join("out");
    let first = run(vec![input.clone()], &out, 2);
    assert_eq!(first.written, 5, "4 data files and the manifest: {first:?}");
    let stamp = |p: &Path| std::fs::metadata(p).unwrap().modified().unwrap();
    let before: BTreeMap<String, _> = tree(&out)
        .into_keys()
        .map(|k| (k.clone(), stamp(&out.join(&k))))
        .collect();
    std::thread::sleep(Duration::from_millis(20));
    let again = run(vec![input.clone()], &out, 1);
    assert_eq!((again.written, again.unchanged, again.removed), (0, 5, 0), "{again:?}");
    assert!(again.to_string().contains("nothing changed"), "{again}");
    let after: BTreeMap<String, _> = tree(&out)
        .into_keys()
        .map(|k| (k.clone(), stamp(&out.join(&k))))
        .collect();
    assert_eq!(before, after);

    std::fs::remove_file(input.join("report.txt")).unwrap();
    let third = run(vec![input], &out, 1);
    assert_eq!(third.removed, 1, "{third:?}");
    assert!(!out.join("271080").exists(), "the emptied ward folder goes too");
    // A file not written by yoshiki is never touched.
    std::fs::write(out.join("notes.txt"), "mine").unwrap();
    run(vec![dir.path().join("in")], &out, 1);
    assert!(out.join("notes.txt").exists());
}

#[test]
fn shards_merged_are_the_single_run_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let input = archive(&dir.path().join("in"), |i, key| format!("{}/{key}.txt", i % 3));
    // A copy of one document under another name, and more documents, so
    // every shard has some.
    std::fs::write(input.join("copy-of-plan.txt"), ARCHIVE[0].1).unwrap();
    for y in 2010..2020 {
        std::fs::write(input.join(format!("p{y}.txt")), format!("plan 271021 {y}")).unwrap();
    }
    let single = dir.path().join("single");
    run(vec![input.clone()], &single, 2);
    let mut shard_dirs = Vec::new();
    for k in 1..=3 {
        let o = dir.path().join(format!("shard{k}"));
        let mut cfg = config(vec![input.clone()], &o, 1);
        cfg.shard = Some(Shard { k, n: 3 });
        convert(&cfg, &fake_parse()).unwrap();
        let m = read_manifest(&o);
        assert_eq!(m.shard.as_deref(), Some(format!("{k}/3").as_str()));
        assert!(m.counts.inputs > 0, "shard {k} is empty");
        shard_dirs.push(o);
    }
    let merged = dir.path().join("merged");
    let s = merge(&shard_dirs, &merged, 2, false).unwrap();
    assert_eq!(s.errors, 1);
    let (t1, t2) = (tree(&single), tree(&merged));
    assert_eq!(t1.keys().collect::<Vec<_>>(), t2.keys().collect::<Vec<_>>());
    for (k, v) in &t1 {
        assert!(
            t2[k] == *v,
            "{k} differs:\n{}\n---\n{}",
            String::from_utf8_lossy(v),
            String::from_utf8_lossy(&t2[k])
        );
    }
    let m = read_manifest(&single);
    let copies: Vec<&Entry> = m
        .inputs
        .iter()
        .filter(|e| e.sha256.as_deref() == Some(&crate::parse::sha256_hex(ARCHIVE[0].1.as_bytes())))
        .collect();
    assert_eq!(copies.len(), 2, "a duplicate is one document listed twice");
    assert_eq!(copies[0].output, copies[1].output);
    assert_eq!(m.counts.documents, 5 + 10);

    // An incomplete or doubled set of shards is refused.
    assert!(matches!(
        merge(&shard_dirs[..2], &dir.path().join("m2"), 1, false),
        Err(RunError::Usage(_))
    ));
    let doubled = vec![shard_dirs[0].clone(), shard_dirs[0].clone(), shard_dirs[1].clone()];
    assert!(matches!(
        merge(&doubled, &dir.path().join("m3"), 1, false),
        Err(RunError::Usage(_))
    ));
    // A shard's output changed after it was written is refused.
    let victim = read_manifest(&shard_dirs[1]).outputs[0].path.clone();
    std::fs::write(shard_dirs[1].join(victim), "{}").unwrap();
    assert!(matches!(
        merge(&shard_dirs, &dir.path().join("m4"), 1, false),
        Err(RunError::Failed(_))
    ));
    // A shard cannot write into another shard's directory.
    let mut cfg = config(vec![input], &shard_dirs[0], 1);
    cfg.shard = Some(Shard { k: 2, n: 3 });
    assert!(matches!(convert(&cfg, &fake_parse()), Err(RunError::Usage(_))));
}

#[test]
fn a_panicking_reader_is_one_error_not_the_end() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad"), "panic").unwrap();
    std::fs::write(dir.path().join("good"), "plan 271071 2022").unwrap();
    let out = dir.path().join("o");
    let s = run(vec![dir.path().join("bad"), dir.path().join("good")], &out, 2);
    assert_eq!((s.converted, s.errors), (1, 1));
    let m = read_manifest(&out);
    assert_eq!(m.inputs[0].error.as_ref().map(|e| e.code.as_str()), Some("internal"));
    assert!(out.join("271071/2022.json").exists());
}

#[test]
fn a_file_that_hangs_times_out_and_the_run_ends() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("slow"), "hang").unwrap();
    std::fs::write(dir.path().join("good"), "plan 271071 2022").unwrap();
    let out = dir.path().join("o");
    let mut cfg = config(vec![dir.path().join("slow"), dir.path().join("good")], &out, 1);
    cfg.options.limits.timeout = Duration::from_millis(300);
    let s = convert(&cfg, &fake_parse()).unwrap();
    assert_eq!((s.converted, s.errors), (1, 1));
    let m = read_manifest(&out);
    assert_eq!(m.inputs[1].error.as_ref().map(|e| e.code.as_str()), Some("timeout"));
    assert!(out.join("271071/2022.json").exists());
}

#[test]
fn a_second_run_on_the_same_out_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o");
    let held = Out::open(&out, &|_| {}).unwrap();
    std::fs::write(dir.path().join("f"), "plan 271071 2022").unwrap();
    let r = convert(&config(vec![dir.path().join("f")], &out, 1), &fake_parse());
    assert!(matches!(r, Err(RunError::Usage(_))), "{r:?}");
    drop(held);
    assert!(convert(&config(vec![dir.path().join("f")], &out, 1), &fake_parse()).is_ok());
}
