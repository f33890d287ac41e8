//! The scenario format's documentation follows the declarations: every kind has a section in
//! docs/scenario-format.md that names each of its config fields, so a field declared in code
//! cannot be missing from the page people read.

use pattern_engine::components::Kind;

fn format_doc() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/scenario-format.md");
    std::fs::read_to_string(path).unwrap()
}

/// The text of the `###` section whose heading names the kind (`### \`cache\``, or a
/// heading naming several kinds), up to the next heading.
fn section(doc: &str, kind: Kind) -> Option<&str> {
    let name = format!("`{}`", kind.name());
    let start = doc
        .match_indices("\n### ")
        .map(|(i, _)| i + 1)
        .find(|&i| doc[i..].lines().next().is_some_and(|h| h.contains(&name)))?;
    let rest = &doc[start..];
    let end = rest[4..].find("\n#").map_or(rest.len(), |e| e + 5);
    Some(&rest[..end])
}

#[test]
fn every_kind_and_every_field_is_documented() {
    let doc = format_doc();
    for &kind in Kind::ALL {
        let text = section(&doc, kind)
            .unwrap_or_else(|| panic!("docs/scenario-format.md has no section for {kind}"));
        for field in kind.fields() {
            assert!(
                text.contains(&format!("`{}`", field.name)),
                "the {kind} section of docs/scenario-format.md does not mention `{}`",
                field.name
            );
        }
    }
}
