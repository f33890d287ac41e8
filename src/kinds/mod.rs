//! The app's side of each kind, one file per kind: how its icon is drawn, its form in the
//! inspector, and what its badge adds during a run. The engine declares a kind once
//! (`pattern_engine::components`); this module lists the kinds once more, for the app, in
//! [`app_kinds!`], the one place on the app's side with a line per kind. Adding a kind here is
//! one file and one line (docs/ARCHITECTURE.md, "Adding a kind").
//!
//! What is the same for every kind stays where it is used: the icon's frame is
//! [`KindIcon`](crate::diagram::icons::KindIcon), the form machinery and controls are in
//! [`inspector`](crate::inspector), and the badge with the caption every kind shows is
//! `live::badges`.

mod api_gateway;
mod cache;
mod client;
mod database;
mod load_balancer;
mod queue;
mod scatter_gather;
mod service;
mod shard_router;
mod station;
mod worker;

use leptos::prelude::*;
use pattern_engine::components::Kind;

use crate::inspector::form::NodeCtx;
use crate::live::NodeLive;

/// What the app knows of one kind beyond its engine declaration. Each kind's file implements
/// it for a unit struct named after the kind; a method a kind does not need keeps its default.
pub trait KindView {
    /// The strokes of its icon on a 24 × 24 grid, drawn in `currentColor` inside
    /// [`KindIcon`](crate::diagram::icons::KindIcon)'s frame.
    fn icon() -> AnyView;

    /// Its configuration's fields, for the inspector's node panel.
    fn form(ctx: NodeCtx) -> AnyView;

    /// What its badge's caption says after the busy share and the queue, which every kind
    /// shows; most kinds add nothing.
    fn caption(_level: &NodeLive, _parts: &mut Vec<String>) {}
}

/// Declares the app's side of every kind from one list, `Variant => module::View`: the
/// functions below dispatch to each kind's [`KindView`] through a `match` generated from the
/// list, as the engine's `kinds!` does. Static dispatch, not `&dyn KindView`: the trait objects
/// cost the first load 4 KB gzipped where these `match`es cost under 1 KB (measured).
macro_rules! app_kinds {
    ($($variant:ident => $module:ident :: $view:ident),+ $(,)?) => {
        /// The strokes of `kind`'s icon, for [`KindIcon`](crate::diagram::icons::KindIcon).
        pub fn icon(kind: Kind) -> AnyView {
            match kind {
                $(Kind::$variant => <$module::$view as KindView>::icon(),)+
            }
        }

        /// The form of `kind`'s configuration, for the node of `ctx`.
        pub fn form(kind: Kind, ctx: NodeCtx) -> AnyView {
            match kind {
                $(Kind::$variant => <$module::$view as KindView>::form(ctx),)+
            }
        }

        /// What `kind` adds to its badge's caption after the parts every kind shows.
        pub fn caption(kind: Kind, level: &NodeLive, parts: &mut Vec<String>) {
            match kind {
                $(Kind::$variant => <$module::$view as KindView>::caption(level, parts),)+
            }
        }
    };
}

app_kinds!(
    Client => client::Client,
    LoadBalancer => load_balancer::LoadBalancer,
    ApiGateway => api_gateway::ApiGateway,
    Service => service::Service,
    Cache => cache::Cache,
    Database => database::Database,
    Queue => queue::Queue,
    Worker => worker::Worker,
    ScatterGather => scatter_gather::ScatterGather,
    ShardRouter => shard_router::ShardRouter,
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagram::icons::KindIcon;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_test::wasm_bindgen_test;

    const SVG: &str = "http://www.w3.org/2000/svg";

    #[wasm_bindgen_test]
    fn every_kind_draws_its_own_icon_in_svg() {
        let document = web_sys::window().unwrap().document().unwrap();
        let mut drawings: Vec<(Kind, String)> = Vec::new();
        for &kind in Kind::ALL {
            let host: web_sys::HtmlElement =
                document.create_element("div").unwrap().unchecked_into();
            document.body().unwrap().append_child(&host).unwrap();
            let mounted = leptos::mount::mount_to(host.clone(), move || {
                view! { <KindIcon kind class="test-icon" size=16.0 /> }
            });
            let svg = host.query_selector("svg").unwrap().expect("an svg");
            assert_eq!(svg.get_attribute("data-icon").as_deref(), Some(kind.name()));
            assert!(svg.child_element_count() > 0, "{kind:?} draws nothing");
            let mut stroke = svg.first_element_child();
            while let Some(s) = stroke {
                assert_eq!(
                    s.namespace_uri().as_deref(),
                    Some(SVG),
                    "{kind:?}: {}",
                    s.tag_name()
                );
                stroke = s.next_element_sibling();
            }
            let drawing = svg.inner_html();
            if let Some((other, _)) = drawings.iter().find(|(_, d)| *d == drawing) {
                panic!("{kind:?} draws {other:?}'s icon");
            }
            drawings.push((kind, drawing));
            drop(mounted);
            host.remove();
        }
    }
}
