//! The `simulate` command-line tool as a user runs it: a summary on stdout for a good scenario,
//! a clear message on stderr and exit status 2 for anything wrong, and never a panic.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn simulate(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = spawn(args);
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

fn json(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("one JSON object")
}

fn refused(out: &Output, needle: &str) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(out.stdout.is_empty());
    assert!(
        err.contains(needle),
        "stderr should mention {needle:?}: {err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn prints_the_summary_with_per_node_metrics_and_events() {
    let s = json(&simulate(&["default.json", "--requests", "2000"], None));
    assert_eq!(s["requests"]["generated"], 2000);
    assert!(s["events"].as_u64().unwrap() > 10_000);
    assert!(s["nodes"]["service_a"]["utilisation"].as_f64().unwrap() > 0.0);
    assert!(s["latency_ms"]["p99"].as_f64().unwrap() >= s["latency_ms"]["p50"].as_f64().unwrap());
}

#[test]
fn reads_stdin_and_the_same_seed_prints_the_same_bytes() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../public/scenarios/validation/mm1.json"
    ))
    .unwrap();
    let a = simulate(&["-", "--requests", "5000", "--seed", "9"], Some(&text));
    let b = simulate(
        &["validation/mm1.json", "--requests", "5000", "--seed", "9"],
        None,
    );
    let c = simulate(
        &["validation/mm1.json", "--requests", "5000", "--seed", "10"],
        None,
    );
    assert_eq!(a.stdout, b.stdout);
    assert_ne!(b.stdout, c.stdout);
    assert_eq!(json(&b)["seed"], 9);
}

#[test]
fn duration_overrides_the_request_count() {
    let s = json(&simulate(
        &["validation/mm1.json", "--duration", "30"],
        None,
    ));
    assert_eq!(s["simulated_s"], 30.0);
    // A duration shorter than the warm-up measures nothing, and says so.
    refused(
        &simulate(&["validation/mm1.json", "--duration", "3"], None),
        "warm-up is as long as the run",
    );
}

#[test]
fn bad_input_is_named_with_exit_status_2() {
    refused(
        &simulate(&["no-such-file.json"], None),
        "cannot read no-such-file.json",
    );
    refused(
        &simulate(&["-"], Some("{ not json")),
        "not JSON: expected a key in double quotes at line 1, column 3",
    );
    refused(
        &simulate(&["-"], Some(r#"{"version": 7, "nodes": []}"#)),
        "newer than this playground",
    );
    let cyclic = r#"{"version":1,"nodes":[{"id":"c","kind":"client"},{"id":"a","kind":"service"},{"id":"b","kind":"service"}],
        "edges":[{"from":"c","to":"a"},{"from":"a","to":"b"},{"from":"b","to":"a"}]}"#;
    refused(&simulate(&["-"], Some(cyclic)), "calls loop: a -> b");
    refused(
        &simulate(&["default.json", "--seed", "x"], None),
        "--seed takes a whole number",
    );
    refused(
        &simulate(
            &["default.json", "--requests", "5", "--duration", "1"],
            None,
        ),
        "not both",
    );
    refused(
        &simulate(&["default.json", "--frobnicate"], None),
        "unknown option",
    );
    refused(&simulate(&[], None), "no scenario given");
}

#[test]
fn a_link_runs_exactly_as_its_file_does() {
    let out = simulate(&["default.json", "--link"], None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let link = String::from_utf8(out.stdout).unwrap().trim().to_string();
    assert!(link.starts_with("2.") && link.len() <= 560, "{link}");
    let from_file = simulate(&["default.json", "--requests", "3000"], None);
    let from_link = simulate(&["--from-link", &link, "--requests", "3000"], None);
    assert_eq!(json(&from_file), json(&from_link));
    assert_eq!(from_file.stdout, from_link.stdout);
    // Overrides are part of the link printed.
    let seeded = simulate(&["validation/mm1.json", "--seed", "5", "--link"], None);
    let seeded = String::from_utf8(seeded.stdout).unwrap();
    let s = json(&simulate(
        &["--from-link", seeded.trim(), "--requests", "100"],
        None,
    ));
    assert_eq!(s["seed"], 5);
}

#[test]
fn a_bad_link_is_named_with_exit_status_2() {
    refused(
        &simulate(&["--from-link", "7.abc"], None),
        "link: the link was made by a newer version (link v7); this app reads up to v2",
    );
    refused(
        &simulate(&["--from-link", "1.ab!c"], None),
        "character '!' at position 5",
    );
    refused(&simulate(&["--from-link", "1.AAAA"], None), "link:");
    refused(
        &simulate(&["default.json", "--from-link", "1.x"], None),
        "not both",
    );
    refused(
        &simulate(&["--from-link"], None),
        "--from-link needs a value",
    );
}

/// Waits for `child` at most `seconds`, collecting what it writes; a child still running then
/// is killed and the test fails, so "it returns" is part of what is tested.
fn finish_within(mut child: std::process::Child, seconds: u64) -> Output {
    use std::io::Read;
    // A pipe already taken (the test closed it) reads as nothing.
    let pipe = |p: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut p) = p {
                let _ = p.read_to_end(&mut bytes);
            }
            bytes
        })
    };
    let stdout = pipe(child.stdout.take().map(|p| Box::new(p) as _));
    let stderr = pipe(child.stderr.take().map(|p| Box::new(p) as _));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("simulate was still running after {seconds} s");
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    };
    Output {
        status,
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
    }
}

fn spawn(args: &[&str]) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_simulate"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../public/scenarios"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

#[test]
fn a_reader_that_goes_away_ends_the_tool_quietly() {
    use std::io::Read;
    // Ten simulated minutes of the default scenario print about 400 KB: far more than a pipe
    // holds, so the tool is still writing when the reader leaves.
    let mut child = spawn(&["default.json", "--duration", "600", "--bench"]);
    drop(child.stdin.take());
    let mut first = [0u8; 16];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .unwrap();
    assert!(first.starts_with(b"{"));
    drop(child.stdout.take());
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        stderr.is_empty(),
        "no message for a reader that had enough: {stderr}"
    );
    assert_eq!(
        status.code(),
        Some(0),
        "documented: a closed pipe is not an error"
    );

    // The same when the reader is gone before anything is written.
    let mut child = spawn(&["default.json", "--link"]);
    drop(child.stdin.take());
    drop(child.stdout.take());
    let out = finish_within(child, 60);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.is_empty(), "{stderr}");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn input_over_the_cap_is_refused_after_reading_at_most_the_cap() {
    use pattern_engine::scenario::MAX_TEXT_BYTES;
    let limit = format!("the limit is {MAX_TEXT_BYTES} bytes");

    // Three mebibytes through standard input: refused once one byte past the cap has been
    // read; the writer finds the pipe closed, which is fine.
    let mut child = spawn(&["-"]);
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let block = vec![b' '; 64 * 1024];
        for _ in 0..48 {
            if stdin.write_all(&block).is_err() {
                return false;
            }
        }
        true
    });
    let out = finish_within(child, 60);
    refused(
        &out,
        &format!("-: the scenario is more than {MAX_TEXT_BYTES} bytes; {limit}"),
    );
    assert!(
        !writer.join().unwrap(),
        "the tool stopped reading before the end"
    );

    // A file of three mebibytes: its size is known, so the message is the parser's exactly.
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("three-mib.json");
    std::fs::write(&path, vec![b' '; 3 << 20]).unwrap();
    let out = finish_within(spawn(&[path.to_str().unwrap()]), 60);
    let parser = pattern_engine::scenario::from_json(&" ".repeat(3 << 20))
        .unwrap_err()
        .to_string();
    assert_eq!(
        parser,
        format!("the scenario is {} bytes; {limit}", 3 << 20)
    );
    refused(&out, &parser);
    std::fs::remove_file(&path).unwrap();

    // An endless input ends too.
    #[cfg(unix)]
    refused(
        &finish_within(spawn(&["/dev/zero"]), 60),
        &format!("/dev/zero: the scenario is more than {MAX_TEXT_BYTES} bytes; {limit}"),
    );

    // Exactly at the cap is read (and then found not to be JSON).
    let mut child = spawn(&["-"]);
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(&vec![b' '; MAX_TEXT_BYTES]));
    let out = finish_within(child, 60);
    writer.join().unwrap().unwrap();
    refused(&out, "not JSON");
}

#[test]
fn input_that_is_not_utf8_is_named() {
    let mut child = spawn(&["-"]);
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"{\"name\": \"\xff\"}")
        .unwrap();
    refused(
        &finish_within(child, 60),
        "-: it is not UTF-8 text (byte 10",
    );
}

#[test]
fn a_run_over_its_budget_prints_its_summary_and_says_why_with_exit_status_2() {
    // One worker fed a million requests a second: in flight without bound.
    let overloaded = r#"{"version": 1, "name": "overloaded", "description": "", "seed": 1,
        "run": {"requests": null, "duration_s": 1000, "warmup_s": 0, "window_s": 1, "trace_every": 100},
        "nodes": [
          {"id": "c", "kind": "client", "label": "c", "x": 0, "y": 0,
           "config": {"arrival": {"poisson": {"rate_per_s": 1000000}}}},
          {"id": "s", "kind": "service", "label": "s", "x": 200, "y": 0,
           "config": {"workers": 1, "service_time": {"constant": {"ms": 1}}}}],
        "edges": [{"from": "c", "to": "s", "latency_ms": 1}]}"#;
    let out = simulate(&["-"], Some(overloaded));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("requests in flight") && err.contains("the system is overloaded"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).expect("the summary");
    assert_eq!(summary["stopped"]["code"], "in_flight");
    assert!(summary["stopped"]["at_s"].as_f64().unwrap() > 0.0);
    assert!(
        summary["requests"]["completed"].as_u64().unwrap() > 0,
        "what it measured stays"
    );
}
