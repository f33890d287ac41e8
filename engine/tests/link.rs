//! Share links, as the app and a person pasting one see them:
//! - encode then decode is the identity on random valid scenarios, and re-encoding gives the
//!   same link (proptest);
//! - every shipped scenario fits, and the sizes are printed for docs/benchmarks.md;
//! - version-0 (JSON) links still open, to the same scenario;
//! - every refusal names its problem;
//! - the seeded fuzz loop: random bytes and text, truncations, bit flips, splices, forged
//!   lengths, deflate bombs and future versions never panic and never open to something
//!   invalid.

mod common;

use common::random_scenario::{editor_scenario, random_valid_scenario};
use pattern_engine::bounds::OUT_OF_BOUNDS;
use pattern_engine::link::{
    self, base64url, decode, encode, encode_legacy, fuzz_one, LinkError, Playback,
};
use pattern_engine::random::Stream;
use pattern_engine::scenario::{validate, Scenario, Severity};
use proptest::prelude::*;

/// What a decoded link may still have wrong: values outside bounds added after it was made
/// (it opens, and cannot run until they are fixed). Anything else is a decoder bug.
fn assert_opens_as_valid(scenario: &Scenario) {
    let errors: Vec<_> = validate(scenario)
        .into_iter()
        .filter(|d| d.severity == Severity::Error && d.code != OUT_OF_BOUNDS)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

fn assert_valid(scenario: &Scenario) {
    let errors: Vec<_> = validate(scenario)
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn encode_then_decode_is_the_identity(
        seed in any::<u64>(),
        texts in prop::collection::vec("\\PC{0,16}", 0..40),
        playback in proptest::option::of((0.001f64..1000.0, any::<u64>())),
    ) {
        let scenario = random_valid_scenario(seed, &texts);
        assert_valid(&scenario);
        let playback = playback.map(|(speed, at_ns)| Playback { speed, at_ns });
        let link = encode(&scenario, playback);
        let decoded = decode(&link).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&decoded.scenario, &scenario);
        prop_assert_eq!(decoded.playback, playback);
        prop_assert_eq!(decoded.link_version, 2);
        prop_assert_eq!(decoded.engine, Some(link::EngineVersion::CURRENT));
        prop_assert_eq!(encode(&decoded.scenario, decoded.playback), link.clone());
        // The legacy form carries the same document.
        prop_assert_eq!(decode(&encode_legacy(&scenario)).unwrap().scenario, scenario);
    }
}

#[test]
fn the_random_generator_covers_every_kind_and_form() {
    let mut kinds = std::collections::BTreeSet::new();
    let (mut fractional, mut loops, mut durations) = (0, 0, 0);
    for seed in 0..300 {
        let s = random_valid_scenario(seed, &["ü".into(), "東京".into()]);
        assert_valid(&s);
        kinds.extend(s.nodes.iter().map(|n| n.component.kind()));
        fractional += s.nodes.iter().filter(|n| n.x.fract() != 0.0).count();
        loops += usize::from(s.edges.len() >= s.nodes.len());
        durations += usize::from(s.run.duration_s.is_some());
    }
    assert_eq!(
        kinds.len(),
        pattern_engine::components::Kind::ALL.len(),
        "{kinds:?}"
    );
    assert!(fractional > 100 && loops > 20 && durations > 50);
}

#[test]
fn the_same_scenario_always_gives_the_same_link() {
    let s = common::load("default.json");
    assert_eq!(encode(&s, None), encode(&s.clone(), None));
    let with_playback = encode(
        &s,
        Some(Playback {
            speed: 2.5,
            at_ns: 1_500_000_000,
        }),
    );
    assert_ne!(with_playback, encode(&s, None));
    let decoded = decode(&with_playback).unwrap();
    assert_eq!(
        decoded.playback,
        Some(Playback {
            speed: 2.5,
            at_ns: 1_500_000_000
        })
    );
    assert_eq!(decoded.engine_note(), None);
}

/// Link lengths for docs/benchmarks.md:
/// `cargo test -p pattern-engine --test link -- link_lengths --nocapture`
#[test]
fn link_lengths() {
    println!(
        "| scenario | nodes | edges | link (v2) | without description | link (v1) | legacy (v0) |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|");
    let mut rows: Vec<(String, Scenario)> = common::all_shipped()
        .into_iter()
        .map(|(name, text)| (name, pattern_engine::scenario::from_json(&text).unwrap()))
        .collect();
    rows.push((
        "generated: editor-made, 20 nodes".into(),
        editor_scenario(5),
    ));
    for (name, s) in &rows {
        let link = encode(s, None);
        let bare = encode(
            &Scenario {
                description: String::new(),
                ..s.clone()
            },
            None,
        );
        println!(
            "| {name} | {} | {} | {} | {} | {} | {} |",
            s.nodes.len(),
            s.edges.len(),
            link.len(),
            bare.len(),
            link::v1::encode(s, None, link::EngineVersion::CURRENT).map_or(0, |l| l.len()),
            encode_legacy(s).len()
        );
        assert_eq!(decode(&link).unwrap().scenario, *s, "{name}");
    }
    let default = encode(&common::load("default.json"), None);
    assert!(default.len() <= 560, "default link: {}", default.len());
    let twenty = editor_scenario(5);
    assert_eq!(twenty.nodes.len(), 20);
    assert_valid(&twenty);
    assert!(encode(&twenty, None).len() <= 1500);
}

#[test]
fn a_version_0_link_opens_to_the_same_scenario() {
    for (name, text) in common::all_shipped() {
        let scenario = pattern_engine::scenario::from_json(&text).unwrap();
        let legacy = encode_legacy(&scenario);
        assert!(legacy.starts_with("0."));
        let decoded = decode(&legacy).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(decoded.scenario, scenario, "{name}");
        assert_eq!((decoded.link_version, decoded.engine), (0, None));
        assert!(decoded
            .engine_note()
            .unwrap()
            .contains("numbers may differ"));
        // Migrated to the current format, it is the same link as one made today.
        assert_eq!(encode(&decoded.scenario, None), encode(&scenario, None));
    }
    // A version-0 link is plain deflate of the JSON the command-line tool reads.
    let json = r#"{"version":1,"nodes":[{"id":"c","kind":"client"},{"id":"db","kind":"database"}],"edges":[{"from":"c","to":"db"}]}"#;
    let deflated = miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 6);
    let decoded = decode(&format!("0.{}", base64url::encode(&deflated))).unwrap();
    assert_eq!(decoded.scenario.nodes[1].id, "db");
}

fn refusal(link: &str) -> String {
    let err = decode(link).expect_err("should be refused");
    let message = err.to_string();
    assert!(!message.is_empty());
    message
}

fn v1_link_of_bytes(data: &[u8]) -> String {
    let packed = miniz_oxide::deflate::compress_to_vec(data, 6);
    format!("1.{}", base64url::encode(&packed))
}

fn v2_link_of_bytes(data: &[u8]) -> String {
    let packed = miniz_oxide::deflate::compress_to_vec(data, 6);
    format!("2.{}", base64url::encode(&packed))
}

#[test]
fn refusals_name_the_problem() {
    let good = encode(&common::load("default.json"), None);
    assert!(refusal("7.abc").contains("made by a newer version (link v7); this app reads up to v2"));
    assert!(refusal("123456789012345678901234567890.x").contains("newer version"));
    assert!(refusal("").contains("empty"));
    assert!(refusal("https://example.org/#").contains("empty"));
    assert!(refusal("hello").contains("not a Pattern Playground link"));
    assert!(refusal("v1.abc").contains("not a Pattern Playground link"));
    let mangled = format!("{}+{}", &good[..10], &good[11..]);
    let message = refusal(&mangled);
    assert!(
        message.contains("not base64url") && message.contains("'+' at position 11"),
        "{message}"
    );
    assert!(
        refusal(&good[..good.len() - 1]).contains("cut short")
            || refusal(&good[..good.len() - 1]).contains("truncated")
    );
    assert!(refusal(&good[..good.len() / 2]).contains("truncated"));
    assert!(refusal(&format!("{good}AAAA")).contains("unexpected bytes follow"));
    let bomb = v2_link_of_bytes(&vec![0; 2 << 20]);
    assert!(bomb.len() < 4000);
    assert!(refusal(&bomb).contains("more than 1048576 bytes"));
    let long = format!("1.{}", "A".repeat(link::MAX_LINK_CHARS));
    assert!(refusal(&long).contains("characters long"));
}

#[test]
fn the_whole_address_may_be_pasted() {
    let s = common::load("validation/mm1.json");
    let link = encode(&s, None);
    let pasted = format!("  https://example.org/playground/#{link}\n");
    assert_eq!(decode(&pasted).unwrap().scenario, s);
}

/// Compact data: engine version, name, description, seed, run mask.
fn header() -> Vec<u8> {
    vec![0xe8, 0x07, 0, 0, 0, 0]
}

#[test]
fn forged_counts_and_lengths_are_refused_before_allocating() {
    // Both versions start alike: engine, name, description, seed, then the run (an empty mask
    // in version 1, an empty table in version 2), then the nodes.
    for link_of in [v1_link_of_bytes, v2_link_of_bytes] {
        let mut huge_name = vec![0xe8, 0x07];
        huge_name.extend_from_slice(&[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]);
        assert!(refusal(&link_of(&huge_name)).contains("name: claims"));
        let mut many_nodes = header();
        many_nodes.extend_from_slice(&[0xf5, 0x03]); // 501
        assert_eq!(
            decode(&link_of(&many_nodes)),
            Err(LinkError::TooManyNodes { found: 501 })
        );
        assert!(refusal(&link_of(&many_nodes)).contains("501 nodes; a scenario has at most 500"));
        let mut many_edges = header();
        many_edges.extend_from_slice(&[0, 0xd1, 0x0f]); // no nodes, 2001 edges
        assert!(refusal(&link_of(&many_edges)).contains("2001 edges; a scenario has at most 2000"));
        let mut claims_more = header();
        claims_more.extend_from_slice(&[50, 0]);
        assert!(refusal(&link_of(&claims_more)).contains("node count: claims 50 items"));
    }
}

#[test]
fn malformed_version_1_data_names_the_field() {
    // One database whose config claims an unknown field bit.
    let mut data = header();
    data.extend_from_slice(&[1, 5, 3, b'd', b'b', 1, 0, 0, 0x40, 0, 0]);
    let message = refusal(&v1_link_of_bytes(&data));
    assert!(
        message.contains("node 1 `db` config")
            && message.contains("fields this version does not have"),
        "{message}"
    );
    // An unknown kind.
    let mut data = header();
    data.extend_from_slice(&[1, 9]);
    assert!(refusal(&v1_link_of_bytes(&data)).contains("node 1 kind: unknown kind 9"));
    // Workers beyond u32.
    let mut data = header();
    data.extend_from_slice(&[1, 3, 2, b's', 1, 0, 0, 1, 0xff, 0xff, 0xff, 0xff, 0x7f]);
    let message = refusal(&v1_link_of_bytes(&data));
    assert!(
        message.contains("config.workers") && message.contains("larger than"),
        "{message}"
    );
}

#[test]
fn version_2_names_what_a_newer_playground_added_and_what_is_damaged() {
    let newer = "made by a newer version of Pattern Playground";
    // A database (kind tag 6) whose config holds field 64, which no database has yet.
    let mut data = header();
    data.extend_from_slice(&[1, 6, 3, b'd', b'b', 0, 0, 0, 64, 0, 0]);
    let message = refusal(&v2_link_of_bytes(&data));
    assert!(
        message.contains(newer) && message.contains("a database field (tag 64)"),
        "{message}"
    );
    // A kind tag no kind has.
    let mut data = header();
    data.extend_from_slice(&[1, 200]);
    let message = refusal(&v2_link_of_bytes(&data));
    assert!(
        message.contains(newer) && message.contains("a kind of component (tag 200)"),
        "{message}"
    );
    // A distribution variant no build has: a service (tag 4) with service_time (field 3) of
    // variant 99.
    let mut data = header();
    data.extend_from_slice(&[1, 4, 2, b's', 0, 0, 0, 3, 99, 0, 0, 0]);
    let message = refusal(&v2_link_of_bytes(&data));
    assert!(
        message.contains(newer) && message.contains("a kind of service_time (tag 99)"),
        "{message}"
    );
    // Workers (field 1) beyond u32.
    let mut data = header();
    data.extend_from_slice(&[1, 4, 2, b's', 0, 0, 0, 1, 0xff, 0xff, 0xff, 0xff, 0x7f]);
    let message = refusal(&v2_link_of_bytes(&data));
    assert!(
        message.contains("node 1 `s` config.workers") && message.contains("larger than"),
        "{message}"
    );
    // A field given twice.
    let mut data = header();
    data.extend_from_slice(&[1, 4, 2, b's', 0, 0, 0, 1, 2, 1, 3, 0, 0, 0]);
    let message = refusal(&v2_link_of_bytes(&data));
    assert!(message.contains("field 1 is given twice"), "{message}");
}

#[test]
fn an_invalid_scenario_is_refused_with_the_validators_messages() {
    let mut s = common::load("default.json");
    if let pattern_engine::components::Component::Database(c) = &mut s.nodes[7].component {
        c.connections = 0;
    }
    s.edges.push(pattern_engine::scenario::Edge::new(
        "worker", "nowhere", 1.0,
    ));
    let err = decode(&encode(&s, None)).unwrap_err();
    let LinkError::Invalid(errors) = &err else {
        panic!("{err}")
    };
    assert!(
        errors
            .iter()
            .any(|e| e.contains("node `db_a` config.connections")),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.contains("there is no node `nowhere`")),
        "{errors:?}"
    );
    assert!(err.to_string().contains("cannot run"));
}

#[test]
fn an_older_engine_is_noted() {
    let s = common::load("validation/mm1.json");
    let link = encode(&s, None);
    let data = link::unpack(&link).unwrap().data;
    assert_eq!(
        &data[..2],
        &[0xe8, 0x07],
        "0.1.0 packs as 1000, a two-byte varint"
    );
    let mut older = vec![0x09]; // 0.0.9
    older.extend_from_slice(&data[2..]);
    let decoded = decode(&v2_link_of_bytes(&older)).unwrap();
    assert_eq!(decoded.engine.unwrap().to_string(), "0.0.9");
    assert!(decoded
        .engine_note()
        .unwrap()
        .contains("older engine (0.0.9; this is 0.1.0)"));
}

/// A link may hold a config with hundreds of thousands of entries (each a byte or two); opening
/// it must cost time in proportion, not entries times edges.
#[test]
fn a_huge_config_list_opens_or_is_refused_quickly() {
    use pattern_engine::components::{Component, Kind};
    let mut s = editor_scenario(1);
    let service = s
        .nodes
        .iter()
        .position(|n| n.component.kind() == Kind::Service)
        .unwrap();
    for i in 0..450 {
        let id = format!("database_{}", i + 10);
        s.nodes.push(pattern_engine::scenario::Node {
            id: id.clone(),
            label: String::new(),
            x: 0.0,
            y: 0.0,
            component: Component::default_of(Kind::Database),
        });
        s.edges
            .push(pattern_engine::scenario::Edge::new("service_1", &id, 1.0));
    }
    let targets: Vec<String> = s
        .edges
        .iter()
        .filter(|e| e.from == "service_1" && !e.to.starts_with("queue"))
        .map(|e| e.to.clone())
        .collect();
    if let Component::Service(c) = &mut s.nodes[service].component {
        c.calls = targets.iter().cycle().take(300_000).cloned().collect();
    }
    let link = encode(&s, None);
    let started = std::time::Instant::now();
    assert_eq!(decode(&link).unwrap().scenario, s);
    // A call to a node the service is not connected to: 300,000 errors, 21 listed.
    if let Component::Service(c) = &mut s.nodes[service].component {
        c.calls
            .iter_mut()
            .for_each(|call| *call = "client_1".into());
    }
    let Err(LinkError::Invalid(errors)) = decode(&encode(&s, None)) else {
        panic!("refused")
    };
    assert_eq!(errors.len(), 21);
    assert!(
        errors[20].contains("and 299980 more errors"),
        "{}",
        errors[20]
    );
    let took = started.elapsed();
    assert!(took.as_secs_f64() < 2.0, "{took:?}");
}

/// A client, a weighted-random load balancer and a service for each distribution added after
/// version 1 froze: what only a version-2 link can hold.
fn newer_choices() -> Scenario {
    let durations = [
        (
            "uniform",
            r#"{ "uniform": { "min_ms": 0.5, "max_ms": 1.5 } }"#,
        ),
        ("gamma", r#"{ "gamma": { "mean_ms": 4, "shape": 0.37 } }"#),
        (
            "weibull",
            r#"{ "weibull": { "scale_ms": 3.25, "shape": 2 } }"#,
        ),
        (
            "pareto",
            r#"{ "bounded_pareto": { "min_ms": 0.1, "max_ms": 5000, "alpha": 1.1 } }"#,
        ),
        (
            "measured",
            r#"{ "empirical": { "samples_ms": [1.5, 2, 2, 80.125, 0] } }"#,
        ),
    ];
    let services: Vec<String> = durations
        .iter()
        .map(|(id, d)| {
            format!(r#"{{ "id": "{id}", "kind": "service", "config": {{ "service_time": {d} }} }}"#)
        })
        .collect();
    let edges: Vec<String> = durations
        .iter()
        .zip(1..)
        .map(|((id, _), w)| format!(r#"{{ "from": "lb", "to": "{id}", "weight": {w} }}"#))
        .collect();
    let text = format!(
        r#"{{ "version": 1, "nodes": [
            {{ "id": "users", "kind": "client" }},
            {{ "id": "lb", "kind": "load_balancer", "config": {{ "algorithm": "weighted_random" }} }},
            {} ],
          "edges": [ {{ "from": "users", "to": "lb" }}, {} ] }}"#,
        services.join(", "),
        edges.join(", ")
    );
    pattern_engine::scenario::from_json(&text).unwrap()
}

#[test]
fn what_version_1_cannot_hold_travels_in_version_2_and_version_1_refuses_it_by_name() {
    let s = newer_choices();
    assert_valid(&s);
    let link = encode(&s, None);
    let decoded = decode(&link).unwrap();
    assert_eq!(decoded.scenario, s);
    assert_eq!(encode(&decoded.scenario, None), link);
    let engine = link::EngineVersion::CURRENT;
    let refusal = link::v1::encode(&s, None, engine).unwrap_err();
    assert_eq!(
        refusal.to_string(),
        "link version 1 cannot hold the algorithm `weighted_random` (node `lb` config \
         algorithm); a version-2 link can"
    );
    let mut round_robin = s.clone();
    let pattern_engine::components::Component::LoadBalancer(c) =
        &mut round_robin.nodes[1].component
    else {
        panic!("the balancer")
    };
    c.algorithm = pattern_engine::components::load_balancer::Algorithm::RoundRobin;
    let refusal = link::v1::encode(&round_robin, None, engine).unwrap_err();
    assert!(
        refusal
            .to_string()
            .contains("the distribution `uniform` (node `uniform` config service_time)"),
        "{refusal}"
    );
}

/// The corpus the fuzz loop mutates: every shipped scenario and a few random ones, with and
/// without playback, in both link versions, and what only version 2 can hold.
fn corpus() -> Vec<String> {
    // Version 1 holds only what it had: scenarios with newer kinds are in version 2 alone.
    let v1 = |s: &Scenario, p| link::v1::encode(s, p, link::EngineVersion::CURRENT);
    let mut links = Vec::new();
    for (_, text) in common::all_shipped() {
        let s = pattern_engine::scenario::from_json(&text).unwrap();
        links.push(encode(&s, None));
        links.extend(v1(&s, None));
    }
    for seed in 0..6 {
        let s = random_valid_scenario(seed, &["Zürich".into(), "αβγ".into(), "🙂 x".into()]);
        let playback = (seed % 2 == 0).then_some(Playback {
            speed: 0.25 * seed as f64 + 0.5,
            at_ns: seed * 1_000_000_007,
        });
        links.push(encode(&s, playback));
        links.extend(v1(&s, playback));
    }
    links.push(encode_legacy(&common::load("validation/mm1.json")));
    links.push(encode(&newer_choices(), None));
    links
}

struct Tally {
    cases: u64,
    opened: u64,
}

impl Tally {
    /// One case through the library's fuzz entry point: it panics on a broken invariant; here
    /// we also check that what opens validates.
    fn run(&mut self, data: &[u8]) {
        self.cases += 1;
        if let Ok(decoded) = fuzz_one(data) {
            self.opened += 1;
            assert_opens_as_valid(&decoded.scenario);
        }
    }

    fn text(&mut self, link: &str) {
        let mut data = vec![0];
        data.extend_from_slice(link.as_bytes());
        self.run(&data);
    }

    /// Compact data of link `version` (fuzz_one's modes 2 and 4).
    fn compact(&mut self, version: u8, bytes: &[u8]) {
        let mut data = vec![if version == 2 { 2 } else { 4 }];
        data.extend_from_slice(bytes);
        self.run(&data);
    }
}

/// The seeded fuzz loop (the same function the libFuzzer target in engine/fuzz/ calls).
/// Runs about 200,000 cases in a few seconds at opt-level 3.
#[test]
fn decoding_never_panics_and_never_opens_something_invalid() {
    let mut rng = Stream::from_seed(0x11_4b);
    let mut t = Tally {
        cases: 0,
        opened: 0,
    };
    let corpus = corpus();
    let compact: Vec<(u8, Vec<u8>)> = corpus
        .iter()
        .filter(|l| !l.starts_with("0."))
        .map(|l| {
            let unpacked = link::unpack(l).unwrap();
            (unpacked.version as u8, unpacked.data)
        })
        .collect();
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    // Every valid link opens, then every truncation of it is refused or opens validly.
    for link in &corpus {
        t.text(link);
        for cut in 0..link.len() {
            t.text(&link[..cut]);
        }
    }
    let valid_opened = t.opened;
    // Every single-bit flip of the compact data (the compact decoder itself, not the inflater).
    for (version, data) in &compact {
        for bit in 0..data.len() * 8 {
            let mut flipped = data.clone();
            flipped[bit / 8] ^= 1 << (bit % 8);
            t.compact(*version, &flipped);
        }
    }
    // Forged lengths: a huge varint spliced in at every position.
    for (version, data) in compact.iter().take(8) {
        for at in 0..data.len() {
            let mut forged = data[..at].to_vec();
            forged.extend_from_slice(&[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
            forged.extend_from_slice(&data[at..]);
            t.compact(*version, &forged);
            let mut replaced = data.clone();
            replaced[at] = 0xff;
            t.compact(*version, &replaced);
        }
    }
    // Bit flips of the compressed bytes (the inflater), and splices of two links.
    for _ in 0..20_000 {
        let link = &corpus[rng.below(corpus.len() as u64) as usize];
        let mut packed = base64url::decode(&link[2..]).unwrap();
        let bit = rng.below(packed.len() as u64 * 8) as usize;
        packed[bit / 8] ^= 1 << (bit % 8);
        t.text(&format!("{}{}", &link[..2], base64url::encode(&packed)));
        let other = &corpus[rng.below(corpus.len() as u64) as usize];
        let (a, b) = (
            rng.below(link.len() as u64) as usize,
            rng.below(other.len() as u64) as usize,
        );
        t.text(&format!("{}{}", &link[..a], &other[b..]));
    }
    // Random bytes at every layer, random base64url text, future versions.
    for _ in 0..60_000 {
        let len = rng.below(64) as usize;
        let bytes: Vec<u8> = (0..len).map(|_| rng.below(256) as u8).collect();
        t.run(&bytes);
        let text: String = (0..rng.below(200))
            .map(|_| alphabet[rng.below(64) as usize] as char)
            .collect();
        let version = ["0.", "1.", "2.", "9.", "", "1"][rng.below(6) as usize];
        t.text(&format!("{version}{text}"));
    }
    // Deflate bombs, in every version.
    for version in ["0", "1", "2"] {
        let bomb = miniz_oxide::deflate::compress_to_vec(&vec![b' '; 3 << 20], 10);
        let link = format!("{version}.{}", base64url::encode(&bomb));
        assert!(link.len() < 6000);
        assert_eq!(decode(&link), Err(LinkError::TooLarge));
        t.text(&link);
    }
    println!("{} cases, {} opened", t.cases, t.opened);
    assert!(t.cases >= 200_000, "{}", t.cases);
    assert!(
        valid_opened >= corpus.len() as u64,
        "the corpus itself opens"
    );
    assert!(
        t.opened > valid_opened,
        "some mutations must still open (flipped labels, say)"
    );
}
