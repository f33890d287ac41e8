//! The left panel: the building blocks, grouped by the job they do in a system.

use leptos::prelude::*;

/// One family of components: what it is called and what it is for.
struct Group {
    name: &'static str,
    about: &'static str,
}

/// In the order a request meets them, from the client inwards, then what keeps it safe.
static GROUPS: [Group; 6] = [
    Group {
        name: "Traffic",
        about: "Clients that send requests: how many, how often, for which keys.",
    },
    Group {
        name: "Routing",
        about: "Load balancers and gateways that pick where each request goes.",
    },
    Group {
        name: "Compute",
        about: "Services and workers: a pool of threads and the time each call takes.",
    },
    Group {
        name: "Data",
        about: "Caches and databases, where hits, misses and slow queries happen.",
    },
    Group {
        name: "Messaging",
        about: "Queues that let a caller publish work and move on.",
    },
    Group {
        name: "Resilience",
        about: "Timeouts, retries and circuit breakers that keep one failure from spreading.",
    },
];

/// The component groups as headed sections.
#[component]
pub fn Palette() -> impl IntoView {
    view! {
        <aside class="panel palette" aria-label="Components" data-testid="palette">
            <h2 class="panel-title">"Components"</h2>
            {GROUPS.iter().map(|group| view! { <PaletteGroup group /> }).collect_view()}
        </aside>
    }
}

/// One group: its heading and a line on what it holds.
#[component]
fn PaletteGroup(group: &'static Group) -> impl IntoView {
    let slug = group.name.to_lowercase();
    let heading_id = format!("palette-group-{slug}");
    let labelled_by = heading_id.clone();
    // The per-group class only picks the group's colour (style/main.css).
    let class = format!("palette-group palette-group-{slug}");
    view! {
        <section class=class aria-labelledby=labelled_by>
            <h3 class="palette-group-name" id=heading_id>
                {group.name}
            </h3>
            <p class="palette-group-about">{group.about}</p>
        </section>
    }
}
