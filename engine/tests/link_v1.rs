//! Version-1 links never change meaning: a link already shared opens to the same diagram
//! forever, whatever the engine becomes. These tests pin what version 1 is.
//!
//! - `tests/expected/v1-links.json` holds links made by the encoder as it was when version 1
//!   was frozen (every shipped scenario with and without a playback position, an editor-made
//!   diagram, and random scenarios that between them use every kind and every variant), each
//!   with the scenario it holds, written out as JSON. Each link opens to exactly that scenario
//!   and playback, and version 1's writer writes it again byte for byte.
//! - The hashes of version 1's dictionary and of its tables (kind bytes, names, titles, field
//!   order, defaults, variant codes) are constants here.
//! - A kind byte past version 1's kinds is refused, and the message names the field.
//!
//! Never re-bless any of this. A failure means a change gave links people already shared a
//! different meaning (or stopped them opening): undo it, and give the new meaning to a newer
//! link version instead.

mod common;

use common::pinned_links::Pin;
use pattern_engine::components::Component;
use pattern_engine::link::{self, base64url, decode, v1, EngineVersion};
use pattern_engine::random::stable_hash;
use std::collections::{BTreeMap, BTreeSet};

/// `stable_hash` of `v1::DICTIONARY`. Must never change.
const DICTIONARY_HASH: u64 = 0xc355_1d84_17c6_8cb3;
/// `stable_hash` of `v1::frozen_tables()`. Must never change.
const TABLES_HASH: u64 = 0x6a94_f7d0_cbe8_79c5;

fn pins() -> Vec<Pin> {
    common::pinned_links::read("v1-links.json")
}

#[test]
fn every_pinned_link_opens_to_exactly_its_scenario() {
    let pins = pins();
    assert_eq!(pins.len(), 26, "the fixture lost or gained links");
    for pin in &pins {
        let decoded = decode(&pin.link).unwrap_or_else(|e| panic!("{}: {e}", pin.name));
        assert_eq!(decoded.scenario, pin.scenario, "{}", pin.name);
        assert_eq!(decoded.playback, pin.playback, "{}", pin.name);
        assert_eq!(decoded.link_version, 1, "{}", pin.name);
        let made_by = EngineVersion {
            major: 0,
            minor: 1,
            patch: 0,
        };
        assert_eq!(decoded.engine, Some(made_by), "{}", pin.name);
    }
}

/// The fixture's scenarios were written by the JSON writer as it was before the kinds issue
/// (with every field at random non-default values in the random ones): files, autosave and
/// `window.__playground.scenario` must stay byte-for-byte what they were for every document
/// that was valid then.
#[test]
fn scenario_json_is_written_as_before() {
    use pattern_engine::json::{compact, ToJson};
    for pin in pins() {
        assert_eq!(compact(&pin.scenario.to_tree()), pin.json, "{}", pin.name);
    }
}

#[test]
fn version_1_cannot_hold_a_kind_it_never_had_and_says_so() {
    use pattern_engine::components::{Component, Kind};
    use pattern_engine::scenario::Node;
    let mut s = pins()[0].scenario.clone();
    s.nodes.push(Node {
        id: "sg".into(),
        label: String::new(),
        x: 0.0,
        y: 0.0,
        component: Component::default_of(Kind::ScatterGather),
    });
    let refusal = v1::encode(&s, None, EngineVersion::CURRENT).unwrap_err();
    assert!(
        refusal.to_string().contains("the kind `scatter_gather`"),
        "{refusal}"
    );
}

#[test]
fn the_version_1_writer_writes_every_pinned_link_again() {
    for pin in pins() {
        let engine = decode(&pin.link).unwrap().engine.unwrap();
        let again = v1::encode(&pin.scenario, pin.playback, engine)
            .expect("a pinned version-1 scenario is one version 1 can hold");
        assert_eq!(
            link::unpack(&again).unwrap().data,
            link::unpack(&pin.link).unwrap().data,
            "{}: version 1's compact encoding changed",
            pin.name
        );
        // The compact bytes are the same, so only the compressor can differ here: an upgraded
        // deflate that compresses otherwise still opens old links, but no longer makes them.
        assert_eq!(again, pin.link, "{}: the deflate output changed", pin.name);
    }
}

/// The pins mean something only if they use every kind byte and every variant code that
/// version 1's tables list. A version-1 link can only hold those, so it is enough that the
/// pins hold as many different kinds and variants of each choice as the tables list.
#[test]
fn the_pinned_links_use_every_kind_and_every_variant() {
    let mut used: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for pin in pins() {
        for node in &pin.scenario.nodes {
            let kind = node.component.kind();
            used.entry("kind").or_default().insert(format!("{kind:?}"));
            for (choice, variant) in variants_of(&node.component) {
                used.entry(choice).or_default().insert(variant);
            }
        }
    }
    let mut listed: BTreeMap<String, usize> = BTreeMap::new();
    for table in listed_codes() {
        *listed.entry(table).or_default() += 1;
    }
    assert_eq!(
        listed.values().sum::<usize>(),
        8 + 3 + 4 + 2 + 7 + 4,
        "{listed:?}"
    );
    for (table, count) in &listed {
        let seen = used.get(table.as_str()).cloned().unwrap_or_default();
        assert_eq!(
            seen.len(),
            *count,
            "{table}: the pinned links use only {seen:?}"
        );
    }
}

/// The table of every code version 1's canonical text lists (`kind`, `duration`, ...), once
/// per code.
fn listed_codes() -> Vec<String> {
    v1::frozen_tables()
        .lines()
        .filter_map(|line| {
            let mut words = line.split(' ');
            let (table, code) = (words.next()?, words.next()?);
            code.parse::<u8>().ok()?;
            Some(table.to_string())
        })
        .collect()
}

/// `(choice, variant)` for each choice in a component's configuration, the variant named by
/// its `Debug` text.
fn variants_of(component: &Component) -> Vec<(&'static str, String)> {
    let named = |choice, value: &dyn std::fmt::Debug| (choice, variant_name(value));
    match component {
        Component::Client(c) => vec![
            named("arrival", &c.arrival),
            named("popularity", &c.keys.popularity),
        ],
        Component::LoadBalancer(c) => vec![named("algorithm", &c.algorithm)],
        Component::ApiGateway(c) => c
            .routes
            .iter()
            .map(|r| named("route_match", &r.matches))
            .collect(),
        Component::Service(c) => vec![named("duration", &c.service_time)],
        Component::Database(c) => vec![
            named("duration", &c.read_time),
            named("duration", &c.write_time),
        ],
        Component::Worker(c) => vec![named("duration", &c.service_time)],
        _ => Vec::new(),
    }
}

/// A variant's name from its `Debug` text: `LogNormal { .. }` -> `LogNormal`.
fn variant_name(value: &dyn std::fmt::Debug) -> String {
    let text = format!("{value:?}");
    text.split([' ', '(', '{']).next().unwrap().to_string()
}

#[test]
fn the_dictionary_never_changes() {
    assert_eq!(v1::DICTIONARY.len(), 1018);
    assert_eq!(
        format!("{:016x}", stable_hash(v1::DICTIONARY)),
        format!("{DICTIONARY_HASH:016x}")
    );
}

#[test]
fn the_tables_never_change() {
    let tables = v1::frozen_tables();
    assert_eq!(
        format!("{:016x}", stable_hash(tables.as_bytes())),
        format!("{TABLES_HASH:016x}"),
        "version 1's tables changed:\n{tables}"
    );
}

/// A version-1 link of compact bytes (not through the writer, which cannot write them).
fn link_of(data: &[u8]) -> String {
    let packed = miniz_oxide::deflate::compress_to_vec(data, 6);
    format!("1.{}", base64url::encode(&packed))
}

#[test]
fn a_kind_byte_past_version_1s_kinds_is_refused() {
    // Engine 0.1.0, no name, no description, seed 0, default run, then the node count.
    let header = [0xe8, 0x07, 0, 0, 0, 0];
    for code in [8u8, 9, 200, 255] {
        let mut data = header.to_vec();
        data.extend_from_slice(&[2, 0, code]);
        let err = decode(&link_of(&data)).unwrap_err();
        assert_eq!(
            err,
            link::LinkError::Malformed {
                field: "node 2 kind".into(),
                problem: format!("unknown kind {code}"),
            }
        );
        assert_eq!(
            err.to_string(),
            format!("the link is damaged: node 2 kind: unknown kind {code}")
        );
    }
}
