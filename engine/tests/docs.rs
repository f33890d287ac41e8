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

#[test]
fn every_declared_bound_is_documented_with_its_field() {
    let doc = format_doc();
    for &kind in Kind::ALL {
        let text = section(&doc, kind).unwrap_or_default();
        limits_are_given(text, kind.name(), kind.fields());
    }
    let run = doc
        .split("\n## Run")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("a Run section");
    limits_are_given(run, "Run", pattern_engine::scenario::RunSpec::FIELDS);
}

/// Checks that `text` (the section called `what`) gives every bounded field's limit.
fn limits_are_given(text: &str, what: &str, fields: &[pattern_engine::components::FieldDoc]) {
    for field in fields {
        if let Some(bound) = field.bound {
            let limit = pattern_engine::bounds::plain(bound.most);
            assert!(
                text.contains(&limit),
                "the {what} section of docs/scenario-format.md does not give `{}`'s limit ({})",
                field.name,
                bound.range()
            );
        }
    }
}

#[test]
fn every_edge_policy_field_is_documented_with_its_limit() {
    use pattern_engine::scenario::{BreakerPolicy, HedgePolicy, RetryPolicy};
    let doc = format_doc();
    for (policy, fields) in [
        ("retry", RetryPolicy::FIELDS),
        ("breaker", BreakerPolicy::FIELDS),
        ("hedge", HedgePolicy::FIELDS),
    ] {
        let heading = format!("\n#### `{policy}`\n");
        let start = doc
            .find(&heading)
            .unwrap_or_else(|| panic!("docs/scenario-format.md has no `{policy}` section"));
        let rest = &doc[start + heading.len()..];
        let text = &rest[..rest.find("\n#").unwrap_or(rest.len())];
        for field in fields {
            assert!(
                text.contains(&format!("`{}`", field.name)),
                "the {policy} section does not mention `{}`",
                field.name
            );
        }
        limits_are_given(text, policy, fields);
    }
}
