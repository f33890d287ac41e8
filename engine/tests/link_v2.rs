//! Version-2 links never change meaning either. Version 2 reads the engine's declarations
//! (kind tags, field tags and defaults, variant tags), so these tests pin the declarations:
//!
//! - `tests/expected/v2-tables.txt` is [`v2::tables`]: every kind's tag and name, every
//!   field's tag, name and default. Each of its lines must still be in the tables, and each
//!   line of the tables must be in it: a new kind or field is pinned by appending its lines in
//!   the commit that adds it; no line may change or go.
//! - `tests/expected/v2-links.json` holds links made when version 2 shipped (every shipped
//!   scenario with and without a playback position, an editor-made diagram, and random
//!   scenarios that between them use every kind and every variant), each with its scenario as
//!   JSON. Each opens to exactly that scenario and is written again byte for byte.
//!
//! Never re-bless either file: a failure means a change gave shared links a new meaning.

mod common;

use common::pinned_links::Pin;

use common::random_scenario::{editor_scenario, random_valid_scenario};
use pattern_engine::link::{self, decode, v2, EngineVersion, Playback};
use pattern_engine::scenario::{from_json, Scenario};

fn expected(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/expected")
        .join(name)
}

#[test]
fn no_tag_or_default_ever_changes() {
    let pinned = std::fs::read_to_string(expected("v2-tables.txt")).unwrap();
    let now = v2::tables();
    let lines: Vec<&str> = now.lines().collect();
    for line in pinned.lines() {
        assert!(
            lines.contains(&line),
            "`{line}` changed or went: version-2 links holding it would change meaning.\n\
             The tables are now:\n{now}"
        );
    }
    let pinned_lines: Vec<&str> = pinned.lines().collect();
    for line in &lines {
        assert!(
            pinned_lines.contains(line),
            "`{line}` is new: pin it by appending it to tests/expected/v2-tables.txt"
        );
    }
    // The tags of one table are unique, so no two fields can be confused.
    let mut seen = std::collections::BTreeSet::new();
    for line in &lines {
        let mut words = line.split(' ');
        let key = (words.next().unwrap(), words.next().unwrap());
        assert!(seen.insert(key), "tag used twice: {line}");
    }
}

/// What the pinned links hold: the corpus the fixture was made from.
fn corpus() -> Vec<(String, Scenario, Option<Playback>)> {
    let mut out = Vec::new();
    let playback = Some(Playback {
        speed: 2.5,
        at_ns: 1_500_000_000,
    });
    // The scenarios shipped when version 2 did: stories came later (and are read as files).
    let at_v2 = common::all_shipped()
        .into_iter()
        .filter(|(name, _)| !name.starts_with("patterns"));
    for (name, text) in at_v2 {
        let s = from_json(&text).unwrap();
        out.push((name.clone(), s.clone(), None));
        out.push((format!("{name} with playback"), s, playback));
    }
    out.push(("editor, 20 nodes".into(), editor_scenario(5), None));
    for seed in 0..12 {
        let texts = ["Zürich".to_string(), "αβγ".into(), "🙂 x".into()];
        out.push((
            format!("random {seed}"),
            random_valid_scenario(seed, &texts),
            playback.filter(|_| seed % 2 == 0),
        ));
    }
    out
}

fn pins() -> Vec<Pin> {
    common::pinned_links::read("v2-links.json")
}

#[test]
fn every_pinned_link_opens_to_exactly_its_scenario_and_is_written_again() {
    let pins = pins();
    assert_eq!(
        pins.len(),
        corpus().len(),
        "the fixture lost or gained links"
    );
    for pin in &pins {
        let decoded = decode(&pin.link).unwrap_or_else(|e| panic!("{}: {e}", pin.name));
        assert_eq!(decoded.scenario, pin.scenario, "{}", pin.name);
        assert_eq!(decoded.playback, pin.playback, "{}", pin.name);
        assert_eq!(decoded.link_version, 2, "{}", pin.name);
        let engine = decoded.engine.unwrap();
        let again = v2::encode(&pin.scenario, pin.playback, engine);
        assert_eq!(
            link::unpack(&again).unwrap().data,
            link::unpack(&pin.link).unwrap().data,
            "{}: version 2's compact encoding changed",
            pin.name
        );
        assert_eq!(again, pin.link, "{}: the deflate output changed", pin.name);
    }
}

#[test]
fn the_app_writes_version_2_and_the_default_scenario_fits_560_characters() {
    let s = common::load("default.json");
    let link = link::encode(&s, None);
    assert!(link.starts_with("2."), "{link}");
    assert!(link.len() <= 560, "{}", link.len());
    let decoded = decode(&link).unwrap();
    assert_eq!(decoded.engine, Some(EngineVersion::CURRENT));
    assert_eq!(decoded.scenario, s);
}

/// The default scenario with one fault of every kind, on every shape of target.
fn with_every_fault() -> Scenario {
    let mut s = common::load("default.json");
    s.faults = pattern_engine::scenario::faults::tests_support::every_kind();
    s
}

#[test]
fn faults_ride_in_a_link_after_its_playback_and_read_back_exactly() {
    let s = with_every_fault();
    for playback in [
        None,
        Some(Playback {
            speed: 1.0,
            at_ns: 42,
        }),
    ] {
        let link = link::encode(&s, playback);
        let decoded = decode(&link).unwrap();
        assert_eq!(decoded.scenario, s);
        assert_eq!(decoded.playback, playback);
    }
    // A link holding faults is pinned like every other: its tags never change meaning.
    let decoded = decode(FAULTS_LINK).unwrap();
    assert_eq!(decoded.scenario.faults, s.faults);
}

/// [`with_every_fault`]'s link, as the first build with faults wrote it.
const FAULTS_LINK: &str = "2.VZS7SgNREIZnzm1PLiSpJJ3buVgEsRUkCdiKWNlI2DUrilFDUExpaSOksLRI3iCPkNIywSews_QRnDl7yd6YnXOWYebM_83-ejvn8XU8oYEjFghf6uHVE83Ih0iKnTiBQ39USsfUkLLFrA4b6jfrkaJPame19FxINhqJeIXP_Y5_wnmyk9_F8ZioSAUgMh3ZDCqr9PjykPfmqJiC4Rk_R_RTuYk5vMAAc8EMJuNIqUP_vtQQV3-YNXk4CW9p5ByxeQd7nX3E-SfKlj6EGgqplNbGeFazvHIU2bQZ1fQcgzD3IuvOMgjTd6SH0SBkExlXgJdkNq7tjRJq9QJqQFdtW9HW7TdKEAJcLHEmZuKP7rVcS7bT6bS7xOSxFmFVFwItqLc9LUwimvVSkSwAnTDdlTLbVoBWYqBwdVz01k2Br98Nudgt-RK7CueYvxFnpxQm8AuhRive4gqEZKPISI0cV-GyDLvaI9dYMpUqmSovwQYYoIc_l7hpStJBtACVbAOeoVWbJrY5h9D-4t342EIwwQGg9rrYAisk5aSYfw";

/// The default scenario with every edge policy on its edges: a timeout, a client's deadline
/// and a bulkhead.
fn with_policies() -> Scenario {
    let mut s = common::load("default.json");
    // Every call edge: a publish to a queue waits for nothing.
    for e in s.edges.iter_mut().filter(|e| e.to != "queue") {
        e.timeout_ms = Some(750.0);
        e.bulkhead = Some(6);
    }
    s.edges[0].deadline_ms = Some(1500.5);
    s
}

#[test]
fn edge_policies_ride_in_a_link_and_read_back_exactly() {
    let s = with_policies();
    let decoded = decode(&link::encode(&s, None)).unwrap();
    assert_eq!(decoded.scenario, s);
    // Pinned: the policies' tags never change meaning.
    assert_eq!(decode(POLICIES_LINK).unwrap().scenario, s);
}

/// [`with_policies`]'s link, as the first build with edge policies wrote it.
const POLICIES_LINK: &str = "2.VVQ7TgMxEPX4t85HgYo26UAUKWiRUBKJloKKLvKSRSACRBGIlJSUKSgpsjfIEVJSroToOABljsCM13b2p_WzvdbMvPdm_5KDy-wmm2PDoRfQvsjh9TP2yAcvk507gW1vWgtHrkFlq1GdbZBv0sNbH9UOuQzdkdAapXiV7VG_d05xQuX3WTZDV3gB0JnO2WRUUunp9TFyc1oNQeaZvaT4U7nN6HjFA-QL8mDZjhja9h5qhLj8bSB5Mrd32HLOsZHBYf8YYPUJYl-dsBZwIaVSWidGkbximhpPRtPXMbYRpcbVMrZ-TNUkHVt6pdolkJSRtaO9U7Nau2I1hldrl9EOjjo1EzJ2tYYlX_It3oUoBL0Xi8VgDeVjDLBNm3MwTL4fKq5L0UziRTKMYYV-VYiwLBkYAUcSNmdVVOxxePvuiLxbwwIGElYQR4DlBR7j8AWshbMVyG1f5T-_SCOGA4NTRFxEJAMSCvKuhw1KWse5SsJH2gTUaAbUjLvsHw";

/// The default scenario with retries, breakers and hedges on its edges, every choice of
/// backoff, jitter and window among them, and a cache serving stale on error.
fn with_answer_policies() -> Scenario {
    use pattern_engine::components::Component;
    use pattern_engine::scenario::{
        Backoff, BreakerPolicy, BreakerWindow, HedgePolicy, Jitter, RetryPolicy,
    };
    let mut s = common::load("default.json");
    let calls: Vec<usize> = (0..s.edges.len())
        .filter(|&i| s.edges[i].to != "queue")
        .collect();
    let jitters = [
        Jitter::None,
        Jitter::Full,
        Jitter::Equal,
        Jitter::Decorrelated,
    ];
    for (n, &i) in calls.iter().enumerate() {
        let e = &mut s.edges[i];
        if n % 3 == 2 {
            e.hedge = Some(HedgePolicy {
                delay_ms: 12.5,
                at_p95: n % 2 == 0,
            });
        } else {
            e.retry = Some(RetryPolicy {
                max_attempts: 2 + n as u32 % 4,
                backoff: if n % 2 == 0 {
                    Backoff::Exponential
                } else {
                    Backoff::Constant
                },
                base_ms: 10.0 * n as f64,
                cap_ms: 5_000.0,
                jitter: jitters[n % 4],
                retry_on: vec!["timed_out".into(), "circuit_open".into()],
                budget_percent: (n % 3 == 0).then_some(25.0),
                budget_min_retries: 2,
                token_bucket: (n % 3 == 1).then_some(8.0),
                token_refill: 0.25,
            });
        }
        if n % 2 == 1 {
            e.breaker = Some(BreakerPolicy {
                window: if n % 4 == 1 {
                    BreakerWindow::Time
                } else {
                    BreakerWindow::Count
                },
                window_size: 30,
                minimum_calls: 15,
                failure_rate_percent: 40.0,
                slow_call_rate_percent: 80.0,
                slow_call_ms: 250.0,
                open_ms: 3_000.0,
                half_open_calls: 4,
            });
        }
    }
    for node in &mut s.nodes {
        if let Component::Cache(c) = &mut node.component {
            c.stale_if_error_ms = Some(45_000.0);
        }
    }
    s
}

#[test]
fn retries_breakers_and_hedges_ride_in_a_link_and_read_back_exactly() {
    let s = with_answer_policies();
    assert!(pattern_engine::scenario::validate(&s)
        .iter()
        .all(|d| d.severity != pattern_engine::scenario::Severity::Error));
    let decoded = decode(&link::encode(&s, None)).unwrap();
    assert_eq!(decoded.scenario, s);
    // Pinned: the policies' tags and their choices' variant tags never change meaning.
    assert_eq!(decode(ANSWER_POLICIES_LINK).unwrap().scenario, s);
}

/// [`with_answer_policies`]'s link, as the first build with them wrote it.
const ANSWER_POLICIES_LINK: &str = "2.jVQ9b9NgEH7v7v1yEiUsMNJsIIYOrEgorcSKEBObZRMjEKWNIhAZO7IgZWBkSP5BRiQWjx1d9Q907Ngf0KF3rz_iqE3bxLJfv_bdPfc8z_nCPXmffcqmPHDsBbYvc_jxO8_IHyzBToPAyfBgo5y4hpVtVw22Yb5Fj8r6rHaNZS-E1KNRitd6vL87fCN16s6_ZtmEXVEJwM4MzhajikpHPw8bbl61S4h5Jj9S_qh8ziS85QHxhXiwHEcunQy_bRAS8Cc1yeNp8oVHLji2YXBv9wXA4i_QI_NSdQFJa2Osdd6IvHSQ-oqMTtVHnDSr1Ide4qS6pmacxomcUhsAuLKyDbT3N6zWa1lN8a-7RrRe7vc3TKjUhxXMcY6X_C-oIDnPZrPRCsrDe1B5DxG80r-eGbSlaN5VInmluMNql6je1go8wXMN-ev2qhggHJ_1abljIL96fHODYKRhAc0VYP6WEyCcgOry3QIcl1M6_4cWI5nUccxm6lVf-fhokh06ftlj53Qg0MA7VPROAgxsDfEYwUgiPAA-pYHO0RwbWwxc_h-8VgoJfATL3xaBbzRnBcN5LyEkpgdg8bfmJQPLHWkpxzt7agAqikQKy2FbsAaYShknIDWdU4D4ILqsrxtb6XsaWzN2a19Rp8VXx5UqFOYeGVpsbdFBXQM";

/// The hot-shard cure (a range of split points) with a client's scans and both resharding
/// faults: the shards issue's kind, field and fault tags.
fn with_shards() -> Scenario {
    use pattern_engine::components::Component;
    use pattern_engine::scenario::{Fault, FaultKind, FaultTarget};
    let mut s = common::load("patterns/hot-shard-cured.json");
    if let Component::Client(c) = &mut s.nodes[0].component {
        c.scan_ratio = 0.25;
    }
    let reshard = |at_s: f64, id: &str, kind: FaultKind| Fault {
        at_s,
        for_s: Some(2.5),
        target: FaultTarget::Node(id.into()),
        kind,
    };
    s.faults
        .push(reshard(3.0, "shard7", FaultKind::RemoveShard));
    s.faults.push(reshard(25.0, "shard6", FaultKind::AddShard));
    s
}

#[test]
fn shards_ride_in_a_link_and_read_back_exactly() {
    let s = with_shards();
    let decoded = decode(&link::encode(&s, None)).unwrap();
    assert_eq!(decoded.scenario, s);
    // Pinned: the shard router's, the scans' and the resharding faults' tags never change.
    assert_eq!(decode(SHARDS_LINK).unwrap().scenario, s);
}

/// [`with_shards`]'s link, as the first build with shards wrote it.
const SHARDS_LINK: &str = "2.pVTNbtNAEN5JUv_kQMOlcGNvBWm1sl07ppy4ICEuRIJ77DpLYuHYVe2E5g04whGJC28ATwHXvgHcOMILVJ3Z3aTtubY0n39Gs_PzffPX9V_isLQQfg7eon-bL0kgJB_MlejR7b7mlRKGFvQNm9sRtSvsJ7YRmTtbFdTEDT_DLaFw3m2HkxGaLS2KrOOnTUkqKFaaIMgACqS5OyvX5QxnqVAJFUXAP2c7AvH3atM-46HgY8GjSPA0RkzQPB0nOstIHMeR5FTCCZFGVaSPucLTcit05Dll0nyohY5ZoxL4u3JtFoIiaopdxakIgoAXTTUjKu6KM546a2SI5C9wwWxs_Bp5U9CiwzLyExI3kb0gcqO4VDlfdPxxdyvBw1ZoJ_yPwn1yffxCodZa3HenaPON6ct2S9qRVEry12vdJZzGquaZXZ3TZStxe2Y2iyjhSzwnqxusRepcU7nMz6eaCtNK1fNusXUOj00SN71DeWNVbx0DmcS8MdNB3ZTUJu0t7wPrwT9gQxg69vK3jHINa1ztGRgIDUQGjgzEBhIDYwMp25-YSVj2eW905wOLocXI4pHF2GJicWwxZYvfcPvOMu9i7_mPe-efH3yH_4-AffoCvR54bPDx0LnYZwAuOAevLuGPc3nAoNeH0QD4XR98jDvCVzwH-mQGZPbIOGRcMh4ZHw3rT2ACzBk9hG9fAfzhL9APnn8F";
