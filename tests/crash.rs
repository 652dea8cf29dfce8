//! Crash consistency of OUT, as SQLite tests its commit: a `convert` that
//! changes a tree (a file replaced, one added in a new ward folder, one
//! removed with its folder, one unchanged, the manifest) is stopped at
//! every fault-injection point of its write phase (`YOSHIKI_FAULT`, debug
//! builds), killed with SIGKILL at random times, and made to fail with an
//! I/O error at every point. After each: OUT is the old tree or the new one
//! (or, while a journal says a commit is under way, each file is its old
//! or its new self), any yoshiki command that reads it finishes the
//! interrupted commit first, and the next run leaves OUT byte for byte as a
//! clean run does. And the lock: a run whose lock file was deleted under it
//! stops before it commits; a run delayed between opening the lock file and
//! locking it never runs beside another.
//!
//! `cargo test --test crash -- --nocapture` prints each trial's outcome.

mod common;

use common::tree::{Ended, Tree, convert, copy_dir, diff, run, state, tree};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn corpus(name: &str) -> PathBuf {
    common::fixture(&format!("corpus/text/{name}"))
}

/// An archive of the given releases, under `dir/archive`.
fn archive(dir: &Path, files: &[&str]) -> PathBuf {
    let a = dir.join("archive");
    std::fs::create_dir_all(&a).expect("mkdir");
    for f in files {
        std::fs::copy(corpus(f), a.join(f)).expect("copy");
    }
    a
}

struct Scenario {
    dir: tempfile::TempDir,
    old_inputs: PathBuf,
    new_inputs: PathBuf,
    /// OUT after a run over the old inputs.
    base: PathBuf,
    old: Tree,
    new: Tree,
}

impl Scenario {
    /// Old: the 2022 plan with its revision, the 2016 report, the digest.
    /// New: the plan alone (271071/2022.json changes), the 2021 review (a
    /// new file), the digest (unchanged); the report is gone (its file and
    /// its ward folder are removed).
    fn new() -> Scenario {
        let dir = tempfile::tempdir().expect("tempdir");
        let old_inputs = archive(
            &dir.path().join("old"),
            &[
                "minato-2022-plan.txt",
                "minato-2022-plan-revision.txt",
                "taisho-2016-progress.txt",
                "unknown-ward-summary.txt",
            ],
        );
        let new_inputs = archive(
            &dir.path().join("new"),
            &[
                "minato-2022-plan.txt",
                "minato-2021-midterm-review.txt",
                "unknown-ward-summary.txt",
            ],
        );
        let base = dir.path().join("base");
        let r = convert(&old_inputs, &base, &[], &[]);
        assert_eq!(r.code, Some(0), "{}", r.show());
        let clean = dir.path().join("clean");
        let r = convert(&new_inputs, &clean, &[], &[]);
        assert_eq!(r.code, Some(0), "{}", r.show());
        let (old, new) = (tree(&base), tree(&clean));
        assert!(old.contains_key("271080/2016.json") && !new.contains_key("271080/2016.json"));
        assert!(new.contains_key("271071/2021.json") && !old.contains_key("271071/2021.json"));
        assert_ne!(old.get("271071/2022.json"), new.get("271071/2022.json"));
        let s = Scenario {
            dir,
            old_inputs,
            new_inputs,
            base,
            old,
            new,
        };
        // The update over the old tree gives the clean run's tree.
        let t = s.fresh("update");
        let r = convert(&s.new_inputs, &t, &[], &[]);
        assert_eq!(r.code, Some(0), "{}", r.show());
        assert!(tree(&t) == s.new, "{}", diff(&tree(&t), &s.new));
        s
    }

    /// A copy of the old OUT.
    fn fresh(&self, name: &str) -> PathBuf {
        let to = self.dir.path().join(name);
        copy_dir(&self.base, &to);
        to
    }

    /// The fault-injection points an update passes, in order.
    fn points(&self) -> Vec<String> {
        let t = self.fresh("count");
        let log = self.dir.path().join("points.log");
        let log_s = log.to_string_lossy().into_owned();
        let r = convert(&self.new_inputs, &t, &["--jobs", "1"], &[("YOSHIKI_FAULT_LOG", &log_s)]);
        assert_eq!(r.code, Some(0), "{}", r.show());
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        text.lines()
            .map(|l| l.split_once(' ').map_or(l, |(_, n)| n).to_string())
            .collect()
    }

    /// What OUT is after an interruption: `old`, `new`, or — only while a
    /// journal is there — each file its old or its new self. Anything else
    /// fails the test.
    fn classify(&self, out: &Path, what: &str) -> &'static str {
        let t = tree(out);
        if t == self.old {
            return "old";
        }
        if t == self.new {
            return "new";
        }
        let journal = out.join(".yoshiki/journal.json").exists();
        assert!(
            journal,
            "{what}: OUT is neither the old tree nor the new one, and no journal says a commit is under way\n\
             against the old:\n{}\nagainst the new:\n{}",
            diff(&t, &self.old),
            diff(&t, &self.new)
        );
        for (p, bytes) in &t {
            assert!(
                self.old.get(p) == Some(bytes) || self.new.get(p) == Some(bytes),
                "{what}: {p} is neither its old nor its new self"
            );
        }
        "between (journal)"
    }

    /// Finish an interrupted commit the way a reader does (`validate`),
    /// then check OUT is whole.
    fn recover_by_validate(&self, out: &Path, what: &str) -> &'static str {
        let v = run(&["validate".as_ref(), out.as_os_str()], &[]);
        assert_eq!(v.code, Some(0), "{what}: validate after the interruption\n{}", v.show());
        let t = tree(out);
        assert!(
            t == self.old || t == self.new,
            "{what}: after validate:\n{}",
            diff(&t, &self.new)
        );
        if t == self.old { "old" } else { "new" }
    }

    /// The next run over `inputs` gives exactly `expected` (a clean run's
    /// tree) and leaves nothing of its own but the lock files.
    fn next_run(&self, out: &Path, inputs: &Path, expected: &Tree, what: &str) {
        let r = convert(inputs, out, &[], &[]);
        assert_eq!(r.code, Some(0), "{what}: the next run\n{}", r.show());
        let t = tree(out);
        assert!(
            &t == expected,
            "{what}: the next run does not leave OUT as a clean run does:\n{}",
            diff(&t, expected)
        );
        let left: Vec<String> = state(out).into_iter().filter(|n| !n.ends_with("lock")).collect();
        assert!(left.is_empty(), "{what}: left in .yoshiki/: {left:?}\n{}", r.show());
    }
}

fn fault_injection_built_in() -> bool {
    // The points exist in debug builds (what `cargo test` builds).
    cfg!(debug_assertions) && std::env::var_os("YOSHIKI_TEST_BIN").is_none()
}

#[test]
fn killed_at_every_point_of_the_write_phase() {
    if !fault_injection_built_in() {
        eprintln!("skipped: fault injection is built into debug builds only");
        return;
    }
    let s = Scenario::new();
    let points = s.points();
    assert!(points.len() >= 15, "{points:?}");
    let mut table = vec!["| point | name | OUT after the kill | read by validate | next run |".to_string()];
    for (i, name) in points.iter().enumerate() {
        let n = i + 1;
        let what = format!("crash@{n} ({name})");
        let t = s.fresh(&format!("crash-{n}"));
        let spec = format!("crash@{n}");
        let r = convert(&s.new_inputs, &t, &["--jobs", "1"], &[("YOSHIKI_FAULT", &spec)]);
        assert_eq!(r.signal, Some(9), "{what}: expected the run to be killed\n{}", r.show());
        let after = s.classify(&t, &what);
        // Half the trials are first read (validate finishes the commit),
        // the others go straight to the next run.
        let read = if n % 2 == 1 {
            s.recover_by_validate(&t, &what)
        } else {
            "–"
        };
        s.next_run(&t, &s.new_inputs, &s.new, &what);
        table.push(format!("| {n} | {name} | {after} | {read} | as a clean run |"));
    }
    eprintln!("{}", table.join("\n"));
}

#[test]
fn an_io_error_at_any_point_leaves_the_old_tree_or_the_new() {
    if !fault_injection_built_in() {
        eprintln!("skipped: fault injection is built into debug builds only");
        return;
    }
    let s = Scenario::new();
    let points = s.points();
    let mut table = vec!["| point | name | exit | OUT after the run | next run |".to_string()];
    for (i, name) in points.iter().enumerate() {
        let n = i + 1;
        let what = format!("error@{n} ({name})");
        let t = s.fresh(&format!("error-{n}"));
        let spec = format!("error@{n}");
        let r = convert(&s.new_inputs, &t, &["--jobs", "1"], &[("YOSHIKI_FAULT", &spec)]);
        assert!(
            r.code == Some(1) && r.stderr.contains("injected fault"),
            "{what}: expected exit 1 naming the fault\n{}",
            r.show()
        );
        assert!(!r.stderr.contains("panicked"), "{what}\n{}", r.show());
        let t_now = tree(&t);
        assert!(
            t_now == s.old || t_now == s.new,
            "{what}: OUT is neither the old tree nor the new one:\n{}",
            diff(&t_now, &s.old)
        );
        let after = if t_now == s.old { "old" } else { "new" };
        s.next_run(&t, &s.new_inputs, &s.new, &what);
        table.push(format!("| {n} | {name} | 1 | {after} | as a clean run |"));
    }
    eprintln!("{}", table.join("\n"));
}

/// SIGKILL at random times (a fixed sequence), then the next run goes
/// back to the old inputs: it must leave exactly the old tree (a killed
/// run's files must not survive as strays no manifest lists).
#[test]
fn killed_at_random_times_and_run_again() {
    let s = Scenario::new();
    // How long an update takes here.
    let t = s.fresh("timing");
    let started = Instant::now();
    let r = convert(&s.new_inputs, &t, &["--jobs", "2"], &[]);
    assert_eq!(r.code, Some(0), "{}", r.show());
    let took = started.elapsed();
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut table = vec!["| trial | killed after | OUT after the kill | next run (old inputs) |".to_string()];
    for trial in 1..=12 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        // Between a fifth of the run and a little past its end.
        let delay = took.mul_f64(0.2 + (seed % 1000) as f64 / 1000.0);
        let what = format!("trial {trial}, killed after {delay:?}");
        let t = s.fresh(&format!("random-{trial}"));
        let mut child = std::process::Command::new(common::tree::bin())
            .args([
                "convert".as_ref(),
                s.new_inputs.as_os_str(),
                "-o".as_ref(),
                t.as_os_str(),
            ])
            .args(["--jobs", "2"])
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(delay);
        let _ = child.kill();
        let _ = child.wait();
        // Workers die with the run.
        std::thread::sleep(Duration::from_millis(50));
        let after = s.classify(&t, &what);
        s.next_run(&t, &s.old_inputs, &s.old, &what);
        table.push(format!(
            "| {trial} | {delay:.2?} | {after} | the old tree, as a clean run |"
        ));
    }
    eprintln!("{}", table.join("\n"));
}

/// Wait for `gate.reached` (a paused run got there).
fn wait_reached(gate: &Path, child: &mut std::process::Child) {
    let reached = PathBuf::from(format!("{}.reached", gate.display()));
    let started = Instant::now();
    while !reached.exists() {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("the paused run ended early: {status}");
        }
        assert!(started.elapsed() < Duration::from_secs(60), "the run never paused");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn paused(inputs: &Path, out: &Path, point: &str, gate: &Path) -> std::process::Child {
    std::process::Command::new(common::tree::bin())
        .args(["convert".as_ref(), inputs.as_os_str(), "-o".as_ref(), out.as_os_str()])
        .env("YOSHIKI_FAULT", format!("pause@{point}"))
        .env("YOSHIKI_FAULT_GATE", gate)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn")
}

fn finish(child: std::process::Child) -> Ended {
    let out = child.wait_with_output().expect("wait");
    #[cfg(unix)]
    let signal = {
        use std::os::unix::process::ExitStatusExt;
        out.status.signal()
    };
    #[cfg(not(unix))]
    let signal = None;
    Ended {
        code: out.status.code(),
        signal,
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        cmd: "convert (paused)".into(),
    }
}

#[test]
fn a_run_whose_lock_file_is_deleted_stops_before_it_commits() {
    if !fault_injection_built_in() {
        eprintln!("skipped: fault injection is built into debug builds only");
        return;
    }
    let s = Scenario::new();
    let out = s.fresh("lock-deleted");
    let gate = s.dir.path().join("gate-a");
    // A holds the lock, then someone deletes the lock file…
    let mut a = paused(&s.new_inputs, &out, "locked", &gate);
    wait_reached(&gate, &mut a);
    std::fs::remove_file(out.join(".yoshiki/lock")).expect("delete the lock file");
    // …so B can lock a new file at the path, and runs to the end.
    let b = convert(&s.old_inputs, &out, &[], &[]);
    assert_eq!(b.code, Some(0), "{}", b.show());
    std::fs::write(&gate, b"").expect("open the gate");
    let a = finish(a);
    assert_eq!(a.code, Some(1), "A must not go on\n{}", a.show());
    assert!(a.stderr.contains("deleted or replaced"), "{}", a.show());
    // OUT is B's tree, untouched by A.
    let t = tree(&out);
    assert!(t == s.old, "{}", diff(&t, &s.old));
}

#[test]
fn a_run_delayed_before_it_locks_never_runs_beside_another() {
    if !fault_injection_built_in() {
        eprintln!("skipped: fault injection is built into debug builds only");
        return;
    }
    let s = Scenario::new();
    let out = s.fresh("lock-delayed");
    // A opens the lock file and stalls before it locks it.
    let gate_a = s.dir.path().join("gate-a");
    let mut a = paused(&s.new_inputs, &out, "lock-opened", &gate_a);
    wait_reached(&gate_a, &mut a);
    // B runs to its end (and, unlike yoshiki 0.1, leaves the lock file).
    let b = convert(&s.old_inputs, &out, &[], &[]);
    assert_eq!(b.code, Some(0), "{}", b.show());
    // C takes the lock and holds it.
    let gate_c = s.dir.path().join("gate-c");
    let mut c = paused(&s.new_inputs, &out, "locked", &gate_c);
    wait_reached(&gate_c, &mut c);
    // A wakes: the lock it opened is C's, held: A is refused.
    std::fs::write(&gate_a, b"").expect("open gate a");
    let a = finish(a);
    assert_eq!(a.code, Some(2), "A must be refused while C holds OUT\n{}", a.show());
    assert!(
        a.stderr.contains("another yoshiki run is writing there"),
        "{}",
        a.show()
    );
    std::fs::write(&gate_c, b"").expect("open gate c");
    let c = finish(c);
    assert_eq!(c.code, Some(0), "{}", c.show());
    let t = tree(&out);
    assert!(t == s.new, "{}", diff(&t, &s.new));
}

#[test]
fn a_later_run_finishes_what_a_killed_one_committed() {
    // The journal is found by `export` too, which finishes the commit
    // before it reads.
    if !fault_injection_built_in() {
        eprintln!("skipped: fault injection is built into debug builds only");
        return;
    }
    let s = Scenario::new();
    let points = s.points();
    let n = points.iter().position(|p| p == "apply").expect("an apply point") + 3;
    let t = s.fresh("export");
    let spec = format!("crash@{n}");
    let r = convert(&s.new_inputs, &t, &["--jobs", "1"], &[("YOSHIKI_FAULT", &spec)]);
    assert_eq!(r.signal, Some(9), "{}", r.show());
    assert!(
        t.join(".yoshiki/journal.json").exists(),
        "killed in the middle of a commit"
    );
    let csv = s.dir.path().join("csv");
    let e = run(
        &[
            "export".as_ref(),
            t.as_os_str(),
            "--format".as_ref(),
            "csv".as_ref(),
            "-o".as_ref(),
            csv.as_os_str(),
        ],
        &[],
    );
    assert_eq!(e.code, Some(0), "{}", e.show());
    assert!(e.stderr.contains("completed the commit"), "{}", e.show());
    assert!(tree(&t) == s.new, "{}", diff(&tree(&t), &s.new));
}
