//! One small line drawing per component kind, used by the palette and by the nodes on the
//! canvas. Icons are decoration: they are hidden from assistive technology (the text beside
//! them names the kind) and draw in `currentColor`, so each theme colours them through CSS.

use leptos::prelude::*;
use pattern_engine::components::Kind;

/// The icon of `kind`, `size` units square, its top-left corner at (`x`, `y`) when placed inside
/// another SVG (the canvas); in HTML (the palette) the position is ignored.
#[component]
pub fn KindIcon(
    /// Whose icon.
    kind: Kind,
    /// The class that sizes and colours it in CSS.
    class: &'static str,
    /// Width and height.
    size: f64,
    /// Left edge, inside an enclosing SVG.
    #[prop(optional)]
    x: f64,
    /// Top edge, inside an enclosing SVG.
    #[prop(optional)]
    y: f64,
) -> impl IntoView {
    view! {
        <svg
            class=class
            data-icon=kind.name()
            x=x
            y=y
            width=size
            height=size
            viewBox="0 0 24 24"
            aria-hidden="true"
            focusable="false"
            fill="none"
            stroke="currentColor"
            stroke-width="1.75"
            stroke-linecap="round"
            stroke-linejoin="round"
        >
            {drawing(kind)}
        </svg>
    }
}

/// The strokes of each kind's icon, on a 24 x 24 grid.
fn drawing(kind: Kind) -> AnyView {
    match kind {
        // A person: head and shoulders.
        Kind::Client => view! {
            <circle cx="12" cy="8" r="4" />
            <path d="M4 21c0-4.4 3.6-7 8-7s8 2.6 8 7" />
        }
        .into_any(),
        // One line in, fanning out to three.
        Kind::LoadBalancer => view! {
            <circle cx="12" cy="4.5" r="2" />
            <path d="M12 6.5v4M12 10.5L5 16M12 10.5V16M12 10.5l7 5.5" />
            <circle cx="5" cy="18.5" r="2" />
            <circle cx="12" cy="18.5" r="2" />
            <circle cx="19" cy="18.5" r="2" />
        }
        .into_any(),
        // A gate with a request passing through it.
        Kind::ApiGateway => view! {
            <path d="M4 21V9l8-6 8 6v12" />
            <path d="M8 15h8M13 12l3 3-3 3" />
        }
        .into_any(),
        // Two stacked servers.
        Kind::Service => view! {
            <rect x="3" y="4" width="18" height="7" rx="1.5" />
            <rect x="3" y="13" width="18" height="7" rx="1.5" />
            <path d="M7 7.5h.01M7 16.5h.01M11 7.5h6M11 16.5h6" />
        }
        .into_any(),
        // A bolt: fast answers.
        Kind::Cache => view! { <path d="M13.5 2.5L5 13.5h6.5l-1 8 8.5-11h-6.5z" /> }.into_any(),
        // A cylinder.
        Kind::Database => view! {
            <ellipse cx="12" cy="5.5" rx="8" ry="3" />
            <path d="M4 5.5v13c0 1.7 3.6 3 8 3s8-1.3 8-3v-13" />
            <path d="M4 12c0 1.7 3.6 3 8 3s8-1.3 8-3" />
        }
        .into_any(),
        // Jobs waiting in line, moving right.
        Kind::Queue => view! {
            <rect x="2.5" y="8" width="4.5" height="8" rx="1" />
            <rect x="9.5" y="8" width="4.5" height="8" rx="1" />
            <path d="M17 12h4.5M19.5 9.5l2 2.5-2 2.5" />
        }
        .into_any(),
        // A cog.
        Kind::Worker => view! {
            <circle cx="12" cy="12" r="5.5" />
            <circle cx="12" cy="12" r="2" />
            <path d="M12 2.5v4M12 17.5v4M2.5 12h4M17.5 12h4M5.3 5.3l2.8 2.8M15.9 15.9l2.8 2.8M5.3 18.7l2.8-2.8M15.9 8.1l2.8-2.8" />
        }
        .into_any(),
    }
}
