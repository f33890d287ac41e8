//! A scenario drawn as a diagram: nodes as labelled boxes at their canvas positions, edges as
//! arrows with their latency. The view fits the whole diagram; it reads the document and
//! changes nothing.

mod geometry;

use geometry::{edge_path, fit, NODE_H, NODE_W};
use leptos::prelude::*;
use pattern_engine::scenario::{Edge, Node, Scenario};

/// The diagram of `scenario`, scaled to fit its container.
#[component]
pub fn Diagram(scenario: Scenario) -> impl IntoView {
    let view_box = fit(&scenario.nodes);
    let label = format!(
        "Diagram of {}: {} components",
        scenario.name,
        scenario.nodes.len()
    );
    let edges = scenario
        .edges
        .iter()
        .filter_map(|e| {
            Some((
                e.clone(),
                scenario.node(&e.from)?.clone(),
                scenario.node(&e.to)?.clone(),
            ))
        })
        .map(|(edge, from, to)| view! { <EdgeView edge from to /> })
        .collect_view();
    let nodes = scenario
        .nodes
        .into_iter()
        .map(|node| view! { <NodeView node /> })
        .collect_view();
    view! {
        <svg class="diagram" viewBox=view_box role="img" aria-label=label preserveAspectRatio="xMidYMid meet">
            <defs>
                <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                    <path d="M 0 0 L 10 5 L 0 10 z" class="edge-arrow" />
                </marker>
            </defs>
            <g class="edges">{edges}</g>
            <g class="nodes">{nodes}</g>
        </svg>
    }
}

/// One node: a box with its label and kind.
#[component]
fn NodeView(node: Node) -> impl IntoView {
    let kind = node.component.kind();
    let transform = format!("translate({} {})", node.x, node.y);
    let label = if node.label.is_empty() {
        node.id.clone()
    } else {
        node.label.clone()
    };
    view! {
        <g
            class=format!("node node-{}", kind.name())
            data-testid=format!("node-{}", node.id)
            data-kind=kind.name()
            transform=transform
        >
            <rect class="node-box" width=NODE_W height=NODE_H rx="8" />
            <text class="node-label" x=NODE_W / 2.0 y="24" text-anchor="middle">{label}</text>
            <text class="node-kind" x=NODE_W / 2.0 y="42" text-anchor="middle">{kind.title()}</text>
        </g>
    }
}

/// One edge: an arrow from the caller to the callee, with its one-way latency.
#[component]
fn EdgeView(edge: Edge, from: Node, to: Node) -> impl IntoView {
    let (path, (lx, ly)) = edge_path(&from, &to);
    let latency = format!("{} ms", edge.latency_ms);
    view! {
        <g class="edge" data-testid=format!("edge-{}-{}", edge.from, edge.to)>
            <path class="edge-line" d=path marker-end="url(#arrow)" />
            <text class="edge-label" x=lx y=ly text-anchor="middle">{latency}</text>
        </g>
    }
}
