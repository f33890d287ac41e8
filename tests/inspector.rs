//! The inspector and the diagnostics panel in a real browser: edits go through the validator,
//! refused values show inline and change nothing, and a finding selects what it names.
#![cfg(target_arch = "wasm32")]

use std::cell::Cell;
use std::rc::Rc;

use leptos::mount::mount_to;
use leptos::prelude::*;
use pattern_engine::components::{Component, Kind};
use pattern_playground::diagram::edge_selection;
use pattern_playground::inspector::Inspector;
use pattern_playground::state::{autosave, ops, Editor};
use pattern_playground::{document, App};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Document, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> Document {
    web_sys::window().unwrap().document().unwrap()
}

fn storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

fn container() -> HtmlElement {
    let container: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&container).unwrap();
    container
}

/// A fresh `App` on a first visit (nothing saved).
fn mount_app() -> HtmlElement {
    storage().clear().unwrap();
    mount_without_clearing()
}

/// A fresh `App` on whatever this browser has saved.
fn mount_without_clearing() -> HtmlElement {
    let root = container();
    std::mem::forget(mount_to(root.clone(), App));
    root
}

/// Only the inspector, on an editor the test holds: for selections the canvas cannot make yet.
fn mount_inspector(scenario: pattern_engine::Scenario) -> (HtmlElement, Editor) {
    let root = container();
    let slot = Rc::new(Cell::new(None));
    let out = slot.clone();
    std::mem::forget(mount_to(root.clone(), move || {
        let editor = Editor::new(scenario);
        out.set(Some(editor));
        provide_context(editor);
        view! { <Inspector /> }
    }));
    (root, slot.get().expect("mounted"))
}

fn find(root: &HtmlElement, selector: &str) -> Option<HtmlElement> {
    root.query_selector(selector)
        .unwrap()
        .map(|e| e.unchecked_into())
}

fn by_testid(root: &HtmlElement, id: &str) -> HtmlElement {
    find(root, &format!("[data-testid='{id}']"))
        .unwrap_or_else(|| panic!("no element with data-testid={id}"))
}

fn by_id(root: &HtmlElement, id: &str) -> HtmlElement {
    find(root, &format!("#{id}")).unwrap_or_else(|| panic!("no element with id {id}"))
}

/// Types `text` into a control and commits it, as leaving the field does.
fn change(el: &HtmlElement, text: &str) {
    js_sys::Reflect::set(el, &"value".into(), &text.into()).unwrap();
    el.dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
}

fn value(el: &HtmlElement) -> String {
    js_sys::Reflect::get(el, &"value".into())
        .unwrap()
        .as_string()
        .unwrap()
}

/// Lets the app finish reacting: effects, and the input values Leptos sets in a microtask.
async fn settle() {
    for _ in 0..3 {
        leptos::task::tick().await;
    }
}

fn saved_text() -> String {
    storage()
        .get_item(autosave::KEY)
        .unwrap()
        .unwrap_or_default()
}

fn saved() -> pattern_engine::Scenario {
    pattern_engine::scenario::from_json(&saved_text()).unwrap()
}

fn workers(s: &pattern_engine::Scenario, id: &str) -> u32 {
    match &s.node(id).expect("node").component {
        Component::Service(c) => c.workers,
        other => panic!("{id} is a {:?}", other.kind()),
    }
}

/// The inline message of a field, if it shows one.
fn shown_error(root: &HtmlElement, id: &str) -> Option<String> {
    let p = by_id(root, &format!("{id}-error"));
    (!p.hidden()).then(|| p.text_content().unwrap())
}

#[wasm_bindgen_test]
async fn editing_a_services_workers_changes_the_document_and_undo_takes_it_back() {
    let app = mount_app();
    // Adding from the palette selects the new service.
    by_testid(&app, "palette-service").click();
    settle().await;
    by_testid(&app, "inspector-node-service_1");
    let field = by_id(&app, "inspector-workers");
    assert_eq!(value(&field), "4");

    change(&field, "12");
    settle().await;
    assert_eq!(workers(&saved(), "service_1"), 12);
    assert_eq!(shown_error(&app, "inspector-workers"), None);

    by_testid(&app, "undo").click();
    settle().await;
    assert_eq!(
        workers(&saved(), "service_1"),
        4,
        "one undo step per change"
    );
    assert_eq!(value(&by_id(&app, "inspector-workers")), "4");

    by_testid(&app, "redo").click();
    settle().await;
    assert_eq!(workers(&saved(), "service_1"), 12);
}

#[wasm_bindgen_test]
async fn invalid_values_show_a_message_and_leave_the_document_byte_identical() {
    let app = mount_app();
    by_testid(&app, "palette-service").click();
    settle().await;
    let before = saved_text();
    assert!(!before.is_empty());
    let field = by_id(&app, "inspector-workers");

    change(&field, "0");
    settle().await;
    let message = shown_error(&app, "inspector-workers").expect("a message");
    assert!(message.contains("at least one worker"), "{message}");
    assert_eq!(field.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert_eq!(
        field.get_attribute("aria-describedby").as_deref(),
        Some("inspector-workers-error")
    );
    assert_eq!(saved_text(), before);

    // Text in a number field: the browser hands over an empty value.
    change(&field, "many");
    settle().await;
    let message = shown_error(&app, "inspector-workers").expect("a message");
    assert!(message.contains("enter a number"), "{message}");
    change(&field, "2.5");
    settle().await;
    assert!(shown_error(&app, "inspector-workers").is_some());
    assert_eq!(saved_text(), before);

    // A negative service time.
    let mean = by_id(&app, "inspector-service_time-mean_ms");
    change(&mean, "-5");
    settle().await;
    assert!(shown_error(&app, "inspector-service_time-mean_ms").is_some());
    assert_eq!(saved_text(), before);

    // A good value clears the message and is taken.
    change(&field, "6");
    settle().await;
    assert_eq!(shown_error(&app, "inspector-workers"), None);
    assert_eq!(workers(&saved(), "service_1"), 6);
}

/// The ids and test ids of the controls (inputs, selects, buttons) inside `el`.
fn control_ids(el: &HtmlElement) -> Vec<String> {
    let found = el.query_selector_all("input, select, button").unwrap();
    (0..found.length())
        .filter_map(|i| found.item(i))
        .map(|n| n.unchecked_into::<web_sys::Element>())
        .flat_map(|e| [Some(e.id()), e.get_attribute("data-testid")])
        .flatten()
        .filter(|id| !id.is_empty())
        .collect()
}

#[wasm_bindgen_test]
async fn every_field_a_kind_declares_has_a_control_in_its_form() {
    let mut scenario = document::default_scenario();
    let nodes: Vec<(Kind, String)> = Kind::ALL
        .iter()
        .map(|&kind| {
            (
                kind,
                ops::add_node(&mut scenario, kind, 0.0, 900.0).unwrap(),
            )
        })
        .collect();
    let (root, editor) = mount_inspector(scenario);
    for (kind, id) in nodes {
        editor.selection.set(vec![id.clone()]);
        settle().await;
        let controls = control_ids(&by_testid(&root, &format!("inspector-node-{id}")));
        for field in kind.fields() {
            // A field's control is `inspector-<field>`, or `inspector-<field>-<part>` for a
            // field edited in parts (a duration's kind and mean, a list's Add button).
            let control = format!("inspector-{}", field.name);
            let part = format!("{control}-");
            assert!(
                controls
                    .iter()
                    .any(|c| *c == control || c.starts_with(&part)),
                "the {} form has no control for `{}`: {controls:?}",
                kind.name(),
                field.name
            );
        }
    }
}

#[wasm_bindgen_test]
async fn an_edge_refuses_a_negative_latency_and_takes_a_valid_one() {
    let (root, editor) = mount_inspector(document::default_scenario());
    editor.selection.set(vec![edge_selection("user", "lb")]);
    settle().await;
    by_testid(&root, "inspector-edge-user-lb");
    let before = editor.doc.get_untracked().to_json();
    let latency = by_id(&root, "inspector-latency_ms");
    assert_eq!(value(&latency), "20");

    change(&latency, "-3");
    settle().await;
    let message = shown_error(&root, "inspector-latency_ms").expect("a message");
    assert!(message.contains("latency"), "{message}");
    assert_eq!(editor.doc.get_untracked().to_json(), before);
    assert!(!editor.can_undo.get_untracked(), "no step recorded");

    change(&latency, "35");
    settle().await;
    assert_eq!(editor.doc.get_untracked().edges[0].latency_ms, 35.0);
    editor.undo();
    assert_eq!(editor.doc.get_untracked().to_json(), before);
}

#[wasm_bindgen_test]
async fn nothing_selected_shows_the_run_settings_and_several_offer_delete() {
    let (root, editor) = mount_inspector(document::default_scenario());
    let text = by_testid(&root, "inspector").text_content().unwrap();
    assert!(
        text.contains("Select a node or an edge to edit it"),
        "{text}"
    );
    let window = by_id(&root, "inspector-run-window_s");
    change(&window, "0");
    settle().await;
    assert!(shown_error(&root, "inspector-run-window_s").is_some());
    change(&window, "0.5");
    settle().await;
    assert_eq!(editor.doc.get_untracked().run.window_s, 0.5);

    editor
        .selection
        .set(vec!["cache_a".to_string(), "db_a".to_string()]);
    settle().await;
    let text = by_testid(&root, "inspector").text_content().unwrap();
    assert!(text.contains("2 items selected"), "{text}");
    by_testid(&root, "inspector-delete").click();
    settle().await;
    let doc = editor.doc.get_untracked();
    assert!(doc.node("cache_a").is_none() && doc.node("db_a").is_none());
}

#[wasm_bindgen_test]
async fn the_diagnostics_list_an_error_and_clicking_it_selects_the_node() {
    let mut broken = document::default_scenario();
    for node in &mut broken.nodes {
        if let Component::Service(c) = &mut node.component {
            if node.id == "service_b" {
                c.workers = 0;
            }
        }
    }
    storage().clear().unwrap();
    storage()
        .set_item(autosave::KEY, &broken.to_json())
        .unwrap();
    let app = mount_without_clearing();
    settle().await;
    let panel = by_testid(&app, "diagnostics");
    let row = by_testid(&panel, "diagnostic-config-service_b");
    assert_eq!(row.tag_name(), "BUTTON", "keyboard-usable");
    let text = row.text_content().unwrap();
    assert!(
        text.contains("Error") && text.contains("at least one worker"),
        "{text}"
    );
    assert!(text.contains("config.workers"), "{text}");
    // Errors come first.
    let first = find(&panel, "button").unwrap();
    assert!(first.class_name().contains("diagnostic-error"));
    assert!(find(&app, "[data-testid='inspector-node-service_b']").is_none());

    row.click();
    settle().await;
    by_testid(&app, "inspector-node-service_b");
    assert_eq!(value(&by_id(&app, "inspector-workers")), "0");
}

#[wasm_bindgen_test]
async fn a_sound_scenario_says_no_problems_found() {
    let mut fine = document::default_scenario();
    fine.nodes
        .retain(|n| ["user", "lb", "service_a"].contains(&n.id.as_str()));
    fine.edges.retain(|e| {
        fine.nodes.iter().any(|n| n.id == e.to) && fine.nodes.iter().any(|n| n.id == e.from)
    });
    fine.edges
        .push(pattern_engine::scenario::Edge::new("lb", "service_a", 1.0));
    let diagnostics = pattern_engine::scenario::validate(&fine);
    let (root, _) = mount_inspector(fine);
    settle().await;
    let panel = by_testid(&root, "diagnostics");
    if diagnostics.is_empty() {
        by_testid(&panel, "diagnostics-none");
    } else {
        panic!("expected a sound scenario: {diagnostics:?}");
    }
}

fn has_edge(editor: &Editor, from: &str, to: &str) -> bool {
    editor
        .doc
        .with_untracked(|s| s.edges.iter().any(|e| e.from == from && e.to == to))
}

/// The text of the option `value` in a select, and whether it is disabled.
fn option(select: &HtmlElement, value: &str) -> (String, bool) {
    let el = find(select, &format!("option[value='{value}']")).expect("an option");
    (el.text_content().unwrap(), el.has_attribute("disabled"))
}

#[wasm_bindgen_test]
async fn a_node_connects_and_disconnects_from_the_inspector() {
    let (root, editor) = mount_inspector(document::default_scenario());
    editor.selection.set(vec!["service_b".to_string()]);
    settle().await;
    let target = by_testid(&root, "connect-target");
    assert_eq!(
        find(&root, "label[for='connect-target']")
            .unwrap()
            .text_content()
            .unwrap(),
        "Connect to…"
    );
    let (text, disabled) = option(&target, "user");
    assert!(disabled && text.contains("nothing can call it"), "{text}");
    let (text, disabled) = option(&target, "queue");
    assert!(!disabled && text.contains("Message Queue"), "{text}");

    // Nothing chosen: a message, no change.
    by_testid(&root, "connect-add").click();
    settle().await;
    assert!(shown_error(&root, "connect-target").is_some());
    assert!(!editor.can_undo.get_untracked());

    change(&target, "queue");
    by_testid(&root, "connect-add").click();
    settle().await;
    assert!(has_edge(&editor, "service_b", "queue"));
    assert_eq!(shown_error(&root, "connect-target"), None);

    let remove = by_testid(&root, "edge-remove-service_b-queue");
    assert_eq!(remove.tag_name(), "BUTTON");
    assert!(remove
        .get_attribute("aria-label")
        .unwrap()
        .contains("Message Queue"));
    remove.click();
    settle().await;
    assert!(!has_edge(&editor, "service_b", "queue"));
    editor.undo();
    assert!(
        has_edge(&editor, "service_b", "queue"),
        "removal is one step"
    );
}

fn gateway_rules(editor: &Editor) -> Vec<(String, String)> {
    editor
        .doc
        .with_untracked(|s| match &s.node("gateway").unwrap().component {
            Component::ApiGateway(g) => g
                .routes
                .iter()
                .map(|r| (format!("{:?}", r.matches), r.to.clone()))
                .collect(),
            _ => panic!("gateway"),
        })
}

#[wasm_bindgen_test]
async fn gateway_rules_are_reordered_edited_and_a_refused_removal_changes_nothing() {
    let (root, editor) = mount_inspector(document::default_scenario());
    editor.selection.set(vec!["gateway".to_string()]);
    settle().await;
    let before = gateway_rules(&editor);
    assert_eq!(before.len(), 2);
    assert!(by_testid(&root, "inspector-routes-0-up").has_attribute("disabled"));

    by_testid(&root, "inspector-routes-0-down").click();
    settle().await;
    assert_eq!(
        gateway_rules(&editor),
        [before[1].clone(), before[0].clone()]
    );
    editor.undo();
    settle().await;
    assert_eq!(gateway_rules(&editor), before);

    // Rule 1 takes writes instead of route "orders"; its target is a labelled choice.
    let matches = by_id(&root, "inspector-routes-0-match");
    assert_eq!(
        find(&root, "label[for='inspector-routes-0-match']")
            .unwrap()
            .text_content()
            .unwrap(),
        "Rule 1 takes"
    );
    change(&matches, "write");
    settle().await;
    assert_eq!(gateway_rules(&editor)[0].0, "Write");
    change(&by_id(&root, "inspector-routes-0-to"), "service_b");
    settle().await;
    assert_eq!(gateway_rules(&editor)[0].1, "service_b");

    // Two services behind the gateway need rules: removing the last one is refused.
    by_testid(&root, "inspector-routes-1-remove").click();
    settle().await;
    assert_eq!(gateway_rules(&editor).len(), 1);
    let json = editor.doc.get_untracked().to_json();
    by_testid(&root, "inspector-routes-0-remove").click();
    settle().await;
    let message = shown_error(&root, "inspector-routes").expect("a refusal");
    assert!(message.contains("no routes"), "{message}");
    assert_eq!(editor.doc.get_untracked().to_json(), json);

    by_testid(&root, "inspector-routes-add").click();
    settle().await;
    assert_eq!(gateway_rules(&editor).len(), 2);
    assert_eq!(shown_error(&root, "inspector-routes"), None);
}

#[wasm_bindgen_test]
async fn client_routes_refuse_an_empty_name_and_a_zero_weight() {
    let (root, editor) = mount_inspector(document::default_scenario());
    editor.selection.set(vec!["user".to_string()]);
    settle().await;
    let json = editor.doc.get_untracked().to_json();
    let name = by_id(&root, "inspector-routes-0-name");
    assert_eq!(value(&name), "orders");
    change(&name, "  ");
    settle().await;
    assert!(shown_error(&root, "inspector-routes").is_some());
    change(&name, "catalog");
    settle().await;
    assert!(shown_error(&root, "inspector-routes")
        .unwrap()
        .contains("already"));
    change(&by_id(&root, "inspector-routes-1-weight"), "0");
    settle().await;
    assert!(shown_error(&root, "inspector-routes")
        .unwrap()
        .contains("weight"));
    assert_eq!(
        editor.doc.get_untracked().to_json(),
        json,
        "nothing changed"
    );

    change(&by_id(&root, "inspector-routes-1-weight"), "3");
    settle().await;
    assert_eq!(shown_error(&root, "inspector-routes"), None);
    let weights = editor
        .doc
        .with_untracked(|s| match &s.node("user").unwrap().component {
            Component::Client(c) => c.routes.iter().map(|r| r.weight).collect::<Vec<_>>(),
            _ => panic!("client"),
        });
    assert_eq!(weights, [1.0, 3.0]);
}

#[wasm_bindgen_test]
async fn a_services_call_order_starts_from_edge_order_and_can_be_reordered() {
    let mut scenario = document::default_scenario();
    scenario.edges.push(pattern_engine::scenario::Edge::new(
        "service_a",
        "db_b",
        1.0,
    ));
    let (root, editor) = mount_inspector(scenario);
    editor.selection.set(vec!["service_a".to_string()]);
    settle().await;
    let calls = |editor: &Editor| {
        editor
            .doc
            .with_untracked(|s| match &s.node("service_a").unwrap().component {
                Component::Service(c) => c.calls.clone(),
                _ => panic!("service"),
            })
    };
    let list = by_testid(&root, "inspector-calls").text_content().unwrap();
    assert!(list.contains("in the order they were made"), "{list}");

    by_testid(&root, "inspector-calls-add").click();
    settle().await;
    assert_eq!(calls(&editor), ["cache_a", "db_b"], "the queue is left out");
    by_testid(&root, "inspector-calls-1-up").click();
    settle().await;
    assert_eq!(calls(&editor), ["db_b", "cache_a"]);
    by_testid(&root, "inspector-calls-add").click();
    settle().await;
    assert!(shown_error(&root, "inspector-calls")
        .unwrap()
        .contains("already"));
    by_testid(&root, "inspector-calls-0-remove").click();
    settle().await;
    assert_eq!(calls(&editor), ["cache_a"]);
    editor.undo();
    assert_eq!(calls(&editor), ["db_b", "cache_a"]);
}

#[wasm_bindgen_test]
async fn stale_if_error_needs_a_ttl_and_is_taken_with_one() {
    let app = mount_app();
    by_testid(&app, "palette-cache").click();
    settle().await;
    let before = saved_text();
    let cache = |s: &pattern_engine::Scenario| match &s.nodes.last().unwrap().component {
        Component::Cache(c) => c.clone(),
        other => panic!("a cache was added, not {other:?}"),
    };
    assert_eq!(cache(&saved()).stale_if_error_ms, None);
    // A new cache has no TTL: nothing would ever be stale, so the validator refuses it.
    change(&by_id(&app, "inspector-stale_if_error_ms"), "5000");
    settle().await;
    let message = shown_error(&app, "inspector-stale_if_error_ms").expect("a message");
    assert!(message.contains("ttl_ms"), "{message}");
    assert_eq!(saved_text(), before);
    change(&by_id(&app, "inspector-ttl_ms"), "30000");
    settle().await;
    change(&by_id(&app, "inspector-stale_if_error_ms"), "5000");
    settle().await;
    assert_eq!(shown_error(&app, "inspector-stale_if_error_ms"), None);
    let taken = cache(&saved());
    assert_eq!(
        (taken.ttl_ms, taken.stale_if_error_ms),
        (Some(30000.0), Some(5000.0))
    );
}

/// The edge from `from` to `to` in the editor's document.
fn edge_of(editor: &Editor, from: &str, to: &str) -> pattern_engine::scenario::Edge {
    editor.doc.with_untracked(|s| {
        s.edges
            .iter()
            .find(|e| e.from == from && e.to == to)
            .cloned()
            .expect("the edge")
    })
}

/// Ticks or unticks a checkbox as a click does, and commits it.
fn tick(el: &HtmlElement) {
    el.click();
}

fn checked(el: &HtmlElement) -> bool {
    el.unchecked_ref::<web_sys::HtmlInputElement>().checked()
}

#[wasm_bindgen_test]
async fn a_retry_policy_is_added_edited_refused_by_field_undone_and_removed() {
    use pattern_engine::scenario::{Backoff, RetryPolicy};
    let (root, editor) = mount_inspector(document::default_scenario());
    editor.selection.set(vec![edge_selection("user", "lb")]);
    settle().await;
    let toggle = by_testid(&root, "inspector-retry");
    assert!(!checked(&toggle));
    assert!(
        find(&root, "#inspector-retry-max_attempts").is_none(),
        "no fields without it"
    );

    tick(&toggle);
    settle().await;
    assert_eq!(
        edge_of(&editor, "user", "lb").retry,
        Some(RetryPolicy::default())
    );
    let attempts = by_id(&root, "inspector-retry-max_attempts");
    assert_eq!(value(&attempts), "3");
    change(&attempts, "5");
    change(&by_id(&root, "inspector-retry-backoff"), "constant");
    tick(&by_id(&root, "inspector-retry-on-circuit_open"));
    settle().await;
    let retry = edge_of(&editor, "user", "lb").retry.unwrap();
    assert_eq!((retry.max_attempts, retry.backoff), (5, Backoff::Constant));
    assert!(retry.retry_on.iter().any(|o| o == "circuit_open"));

    // A cap below the base wait: the validator's message by the field, nothing changed.
    let before = editor.doc.get_untracked().to_json();
    change(&by_id(&root, "inspector-retry-cap_ms"), "10");
    settle().await;
    let message = shown_error(&root, "inspector-retry-cap_ms").expect("a message");
    assert!(message.contains("cap"), "{message}");
    assert_eq!(editor.doc.get_untracked().to_json(), before);

    // A budget: a share of the calls shows its two fields; a share over 100% is refused.
    assert!(find(&root, "#inspector-retry-budget_percent").is_none());
    change(&by_id(&root, "inspector-retry-budget"), "share");
    settle().await;
    assert_eq!(
        edge_of(&editor, "user", "lb").retry.unwrap().budget_percent,
        Some(20.0)
    );
    change(&by_id(&root, "inspector-retry-budget_percent"), "150");
    settle().await;
    let message = shown_error(&root, "inspector-retry-budget_percent").expect("a message");
    assert!(message.contains("percentage"), "{message}");
    assert_eq!(
        edge_of(&editor, "user", "lb").retry.unwrap().budget_percent,
        Some(20.0)
    );
    change(&by_id(&root, "inspector-retry-budget"), "bucket");
    settle().await;
    assert!(find(&root, "#inspector-retry-budget_percent").is_none());
    let retry = edge_of(&editor, "user", "lb").retry.unwrap();
    assert_eq!(
        (retry.budget_percent, retry.token_bucket),
        (None, Some(10.0))
    );
    assert_eq!(value(&by_id(&root, "inspector-retry-token_refill")), "0.1");

    // A hedge beside retries is refused, naming the hedge, and its box stays unticked.
    let hedge = by_testid(&root, "inspector-hedge");
    tick(&hedge);
    settle().await;
    let message = shown_error(&root, "inspector-hedge").expect("a message");
    assert!(message.contains("hedges or retries"), "{message}");
    assert!(!checked(&hedge));
    assert_eq!(edge_of(&editor, "user", "lb").hedge, None);

    // One undo step per change: back to no budget, then removed, and undone again.
    editor.undo();
    settle().await;
    assert_eq!(
        edge_of(&editor, "user", "lb").retry.unwrap().budget_percent,
        Some(20.0)
    );
    tick(&by_testid(&root, "inspector-retry"));
    settle().await;
    assert_eq!(edge_of(&editor, "user", "lb").retry, None);
    assert!(find(&root, "#inspector-retry-max_attempts").is_none());
    editor.undo();
    settle().await;
    assert_eq!(
        edge_of(&editor, "user", "lb").retry.unwrap().max_attempts,
        5
    );
    assert_eq!(value(&by_id(&root, "inspector-retry-max_attempts")), "5");
}

#[wasm_bindgen_test]
async fn a_breaker_and_a_hedge_take_their_fields_and_refuse_bad_ones() {
    use pattern_engine::scenario::{BreakerPolicy, BreakerWindow};
    let (root, editor) = mount_inspector(document::default_scenario());
    editor.selection.set(vec![edge_selection("lb", "gateway")]);
    settle().await;
    tick(&by_testid(&root, "inspector-breaker"));
    settle().await;
    assert_eq!(
        edge_of(&editor, "lb", "gateway").breaker,
        Some(BreakerPolicy::default())
    );
    change(&by_id(&root, "inspector-breaker-window"), "time");
    change(&by_id(&root, "inspector-breaker-window_size"), "30");
    change(&by_id(&root, "inspector-breaker-minimum_calls"), "10");
    change(
        &by_id(&root, "inspector-breaker-failure_rate_percent"),
        "25",
    );
    change(
        &by_id(&root, "inspector-breaker-slow_call_rate_percent"),
        "80",
    );
    change(&by_id(&root, "inspector-breaker-slow_call_ms"), "500");
    change(&by_id(&root, "inspector-breaker-open_ms"), "2000");
    change(&by_id(&root, "inspector-breaker-half_open_calls"), "5");
    settle().await;
    let expected = BreakerPolicy {
        window: BreakerWindow::Time,
        window_size: 30,
        minimum_calls: 10,
        failure_rate_percent: 25.0,
        slow_call_rate_percent: 80.0,
        slow_call_ms: 500.0,
        open_ms: 2000.0,
        half_open_calls: 5,
    };
    assert_eq!(
        edge_of(&editor, "lb", "gateway").breaker,
        Some(expected.clone())
    );
    let before = editor.doc.get_untracked().to_json();
    change(&by_id(&root, "inspector-breaker-open_ms"), "0");
    change(&by_id(&root, "inspector-breaker-half_open_calls"), "0");
    settle().await;
    for field in ["open_ms", "half_open_calls"] {
        let id = format!("inspector-breaker-{field}");
        assert!(shown_error(&root, &id).is_some(), "{field} refused");
    }
    assert_eq!(editor.doc.get_untracked().to_json(), before);
    // Without a run there are no counts to show.
    assert!(by_testid(&root, "inspector-breaker-counts").hidden());

    tick(&by_testid(&root, "inspector-hedge"));
    settle().await;
    assert_eq!(
        edge_of(&editor, "lb", "gateway").hedge.unwrap().delay_ms,
        10.0
    );
    change(&by_id(&root, "inspector-hedge-delay_ms"), "-1");
    settle().await;
    let message = shown_error(&root, "inspector-hedge-delay_ms").expect("a message");
    assert!(message.contains("delay"), "{message}");
    tick(&by_id(&root, "inspector-hedge-at_p95"));
    settle().await;
    let hedge = edge_of(&editor, "lb", "gateway").hedge.unwrap();
    assert_eq!((hedge.delay_ms, hedge.at_p95), (10.0, true));
    tick(&by_testid(&root, "inspector-breaker"));
    settle().await;
    assert_eq!(edge_of(&editor, "lb", "gateway").breaker, None);
    editor.undo();
    settle().await;
    assert_eq!(edge_of(&editor, "lb", "gateway").breaker, Some(expected));
}

#[wasm_bindgen_test]
async fn an_edge_into_a_queue_has_no_policies_to_set() {
    let (root, editor) = mount_inspector(document::default_scenario());
    editor
        .selection
        .set(vec![edge_selection("service_a", "queue")]);
    settle().await;
    by_testid(&root, "inspector-edge-service_a-queue");
    by_id(&root, "inspector-latency_ms");
    for policy in ["retry", "breaker", "hedge"] {
        let selector = format!("[data-testid='inspector-{policy}']");
        assert!(find(&root, &selector).is_none(), "no {policy} on a publish");
    }
    editor
        .selection
        .set(vec![edge_selection("queue", "worker")]);
    settle().await;
    by_testid(&root, "inspector-retry");

    // One that came in with a file shows, refused by the validator, so it can be taken off.
    let mut scenario = document::default_scenario();
    let publish = scenario
        .edges
        .iter_mut()
        .find(|e| e.from == "service_a" && e.to == "queue")
        .unwrap();
    publish.retry = Some(pattern_engine::scenario::RetryPolicy::default());
    let (root, editor) = mount_inspector(scenario);
    editor
        .selection
        .set(vec![edge_selection("service_a", "queue")]);
    settle().await;
    tick(&by_testid(&root, "inspector-retry"));
    settle().await;
    assert_eq!(edge_of(&editor, "service_a", "queue").retry, None);
    assert!(
        find(&root, "[data-testid='inspector-retry']").is_none(),
        "gone with it"
    );
}

fn shard_router_config(
    editor: &Editor,
    id: &str,
) -> pattern_engine::components::shard_router::ShardRouterConfig {
    editor
        .doc
        .with_untracked(|s| match &s.node(id).unwrap().component {
            Component::ShardRouter(c) => c.clone(),
            other => panic!("{id} is a {:?}", other.kind()),
        })
}

#[wasm_bindgen_test]
async fn a_shard_routers_scheme_takes_even_split_points_and_refuses_bad_ones_by_name() {
    use pattern_engine::components::shard_router::Scheme;
    let mut scenario = document::default_scenario();
    let router = ops::add_node(&mut scenario, Kind::ShardRouter, 0.0, 900.0).unwrap();
    for i in 0..4 {
        let shard = ops::add_node(
            &mut scenario,
            Kind::Database,
            200.0,
            900.0 + 80.0 * i as f64,
        )
        .unwrap();
        ops::connect(&mut scenario, &router, &shard).unwrap();
    }
    let keys = scenario
        .nodes
        .iter()
        .filter_map(|n| match &n.component {
            Component::Client(c) => Some(c.keys.count),
            _ => None,
        })
        .max()
        .unwrap();
    let (root, editor) = mount_inspector(scenario);
    editor.selection.set(vec![router.clone()]);
    settle().await;
    assert_eq!(shard_router_config(&editor, &router).scheme, Scheme::Modulo);

    // Range: split points evenly spaced over the clients' keys, one fewer than the shards.
    change(&by_id(&root, "inspector-scheme"), "range");
    settle().await;
    let even = vec![keys / 4, keys / 2, keys * 3 / 4];
    assert_eq!(
        shard_router_config(&editor, &router).scheme,
        Scheme::Range {
            splits: even.clone()
        }
    );
    let splits = by_id(&root, "inspector-scheme-splits");
    assert_eq!(
        value(&splits),
        format!("{}, {}, {}", even[0], even[1], even[2])
    );

    // Each wrong list is refused with a message naming the split points; nothing changes.
    let json = editor.doc.get_untracked().to_json();
    for (typed, said) in [
        ("300, 100, 200", "ascending"),
        ("1, x, 3", "split points: `x`"),
        ("10, 20", "give it 3 split points"),
    ] {
        change(&splits, typed);
        settle().await;
        let message = shown_error(&root, "inspector-scheme-splits").expect(typed);
        assert!(message.contains(said), "{typed}: {message}");
        assert!(message.contains("split points"), "{typed}: {message}");
        assert_eq!(editor.doc.get_untracked().to_json(), json, "{typed}");
    }
    change(&splits, "10, 20 30");
    settle().await;
    assert_eq!(shown_error(&root, "inspector-scheme-splits"), None);
    assert_eq!(
        shard_router_config(&editor, &router).scheme,
        Scheme::Range {
            splits: vec![10, 20, 30]
        }
    );

    // Consistent hashing: its points per shard, within the ring's bound.
    change(&by_id(&root, "inspector-scheme"), "consistent_hash");
    settle().await;
    let points = by_id(&root, "inspector-scheme-virtual_nodes");
    assert_eq!(value(&points), "100");
    let json = editor.doc.get_untracked().to_json();
    change(&points, "0");
    settle().await;
    assert!(shown_error(&root, "inspector-scheme-virtual_nodes").is_some());
    assert_eq!(editor.doc.get_untracked().to_json(), json);
    change(&points, "250");
    settle().await;
    assert_eq!(
        shard_router_config(&editor, &router).scheme,
        Scheme::ConsistentHash { virtual_nodes: 250 }
    );

    // The move rate, within its bound.
    let rate = by_id(&root, "inspector-move_rate_keys_per_s");
    change(&rate, "0");
    settle().await;
    let message = shown_error(&root, "inspector-move_rate_keys_per_s").expect("a refusal");
    assert!(message.contains("move_rate_keys_per_s"), "{message}");
    change(&rate, "5000");
    settle().await;
    assert_eq!(
        shard_router_config(&editor, &router).move_rate_keys_per_s,
        5000.0
    );

    // A client's scans are a share of its reads.
    editor.selection.set(vec!["user".to_string()]);
    settle().await;
    let scans = by_id(&root, "inspector-scan_ratio-number");
    change(&scans, "1.5");
    settle().await;
    assert!(shown_error(&root, "inspector-scan_ratio").is_some());
    change(&scans, "0.25");
    settle().await;
    let taken = editor
        .doc
        .with_untracked(|s| match &s.node("user").unwrap().component {
            Component::Client(c) => c.scan_ratio,
            _ => panic!("client"),
        });
    assert_eq!(taken, 0.25);
}
