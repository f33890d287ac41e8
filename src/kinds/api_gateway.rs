//! An API gateway: a gate with a request passing through it; its routing rules.

use leptos::prelude::*;
use pattern_engine::components::api_gateway::GatewayConfig;

use super::KindView;
use crate::inspector::form::{impl_config, Form, NodeCtx};
use crate::inspector::routing::GatewayRules;

impl_config!(GatewayConfig => ApiGateway);

/// The API gateway's side of the app.
pub struct ApiGateway;

impl KindView for ApiGateway {
    fn icon() -> AnyView {
        // A gate with a request passing through it.
        view! {
            <path d="M4 21V9l8-6 8 6v12" />
            <path d="M8 15h8M13 12l3 3-3 3" />
        }
        .into_any()
    }

    fn form(ctx: NodeCtx) -> AnyView {
        view! { <GatewayForm ctx /> }.into_any()
    }
}

#[component]
fn GatewayForm(ctx: NodeCtx) -> impl IntoView {
    let f = Form::<GatewayConfig>::new(ctx);
    view! { <GatewayRules f /> }
}
