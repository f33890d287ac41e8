//! The frame of each kind's icon, used by the palette and by the nodes on the canvas; the
//! strokes inside are the kind's own, in its file under `src/kinds/`. Icons are decoration:
//! they are hidden from assistive technology (the text beside them names the kind) and draw in
//! `currentColor`, so each theme colours them through CSS.

use leptos::prelude::*;
use pattern_engine::components::Kind;

use crate::kinds;

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
            {kinds::icon(kind)}
        </svg>
    }
}
