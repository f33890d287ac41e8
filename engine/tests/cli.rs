//! The `simulate` command-line tool as a user runs it: a summary on stdout for a good scenario,
//! a clear message on stderr and exit status 2 for anything wrong, and never a panic.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn simulate(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_simulate"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../public/scenarios"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
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
