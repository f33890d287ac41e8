//! Pinned share links (tests/expected/v*-links.json): each link with the scenario and playback
//! it holds, read through the scenario reader, never through the link code under test.

use pattern_engine::json::{self, Fields, Json};
use pattern_engine::link::Playback;
use pattern_engine::scenario::{from_json, Scenario};

/// One pinned link and what it holds.
pub struct Pin {
    pub name: String,
    pub link: String,
    pub scenario: Scenario,
    pub playback: Option<Playback>,
    /// The scenario's JSON as the fixture holds it (written when the fixture was made), on one
    /// line.
    pub json: String,
}

/// The pins of `tests/expected/<file>`.
pub fn read(file: &str) -> Vec<Pin> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/expected")
        .join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let Json::Array(items) = json::parse(&text).unwrap() else {
        panic!("{file}: expected an array")
    };
    items.iter().map(pin).collect()
}

fn pin(item: &Json) -> Pin {
    let f = Fields::of(item, &["name", "playback", "link", "scenario"]).unwrap();
    let name: String = f.req("name").unwrap();
    // Exact numbers, every scenario-format version.
    let json = json::compact(f.get("scenario").unwrap());
    let scenario = from_json(&json).unwrap_or_else(|e| panic!("{name}: {e}"));
    let playback = match f.get("playback").unwrap() {
        Json::Null => None,
        p => {
            let p = Fields::of(p, &["speed", "at_ns"]).unwrap();
            Some(Playback {
                speed: p.req("speed").unwrap(),
                at_ns: p.req("at_ns").unwrap(),
            })
        }
    };
    Pin {
        link: f.req("link").unwrap(),
        name,
        scenario,
        playback,
        json,
    }
}
