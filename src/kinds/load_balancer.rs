//! A load balancer: one line fanning out to three; its algorithm.

use leptos::prelude::*;
use pattern_engine::components::load_balancer::{Algorithm, LoadBalancerConfig};

use super::KindView;
use crate::inspector::fields::{NumberField, SelectField};
use crate::inspector::form::{impl_config, Form, NodeCtx, MAX_U32};

impl_config!(LoadBalancerConfig => LoadBalancer);

/// The load balancer's side of the app.
pub struct LoadBalancer;

impl KindView for LoadBalancer {
    fn icon() -> AnyView {
        // One line in, fanning out to three.
        view! {
            <circle cx="12" cy="4.5" r="2" />
            <path d="M12 6.5v4M12 10.5L5 16M12 10.5V16M12 10.5l7 5.5" />
            <circle cx="5" cy="18.5" r="2" />
            <circle cx="12" cy="18.5" r="2" />
            <circle cx="19" cy="18.5" r="2" />
        }
        .into_any()
    }

    fn form(ctx: NodeCtx) -> AnyView {
        view! { <LoadBalancerForm ctx /> }.into_any()
    }
}

const ALGORITHMS: &[(&str, &str)] = &[
    ("round_robin", "Round robin"),
    ("weighted_round_robin", "Weighted round robin"),
    ("random", "Random"),
    ("least_connections", "Least connections"),
    ("ip_hash", "IP hash (sticky)"),
    ("power_of_two", "Power of two choices"),
    ("consistent_hash", "Consistent hashing"),
    ("weighted_random", "Weighted random (split by weight)"),
];

fn algorithm_of(name: &str) -> Algorithm {
    match name {
        "weighted_round_robin" => Algorithm::WeightedRoundRobin,
        "random" => Algorithm::Random,
        "least_connections" => Algorithm::LeastConnections,
        "ip_hash" => Algorithm::IpHash,
        "power_of_two" => Algorithm::PowerOfTwo,
        "consistent_hash" => Algorithm::ConsistentHash { virtual_nodes: 100 },
        "weighted_random" => Algorithm::WeightedRandom,
        _ => Algorithm::RoundRobin,
    }
}

#[component]
fn LoadBalancerForm(ctx: NodeCtx) -> impl IntoView {
    let f = Form::<LoadBalancerConfig>::new(ctx);
    let name = Memo::new(move |_| {
        f.config
            .with(|c| c.as_ref().map_or("round_robin", |c| c.algorithm.name()))
    });
    view! {
        <SelectField id=f.id("algorithm") label="Algorithm" options=ALGORITHMS
            value=Signal::derive(move || name.get())
            commit=f.write("algorithm", |c, v: &'static str| {
                if c.algorithm.name() != v {
                    c.algorithm = algorithm_of(v);
                }
            }) />
        <Show when=move || name.get() == "consistent_hash">
            <NumberField id=f.id("algorithm.virtual_nodes") label="Virtual nodes" unit="per backend"
                integer=true max=MAX_U32
                value=f.read(|c| match c.algorithm { Algorithm::ConsistentHash { virtual_nodes } => virtual_nodes as f64, _ => 0.0 })
                commit=f.write("algorithm.virtual_nodes", |c, v: f64| {
                    if let Algorithm::ConsistentHash { virtual_nodes } = &mut c.algorithm {
                        *virtual_nodes = v as u32;
                    }
                }) />
        </Show>
    }
}
