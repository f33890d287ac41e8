//! What every kind's form is built on: the selected node ([`NodeCtx`]), its configuration read
//! and written through the validator ([`Form`]), and the bounds shared by count fields. The
//! forms themselves are in each kind's file under `src/kinds/`.

use leptos::prelude::*;
use pattern_engine::components::Component;
use pattern_engine::scenario::{Node, Target};

use super::{commit, Commit};
use crate::state::Editor;

/// The most a `u32` count holds.
pub const MAX_U32: f64 = u32::MAX as f64;
/// The most a `u64` count holds exactly as a number field reads it.
pub const MAX_COUNT: f64 = 9_007_199_254_740_991.0;

/// What every part of the form needs: the editor, the node's id, and the node's memo.
#[derive(Clone, Copy)]
pub struct NodeCtx {
    /// The editor whose document holds the node.
    pub editor: Editor,
    /// The node's id.
    pub id: StoredValue<String>,
    /// The node as the document has it now; `None` once it is deleted.
    pub node: Memo<Option<Node>>,
}

impl NodeCtx {
    /// The node `id` of `editor`'s document, read through one memo.
    pub fn new(editor: Editor, id: StoredValue<String>) -> Self {
        let node = Memo::new(move |_| editor.doc.with(|d| id.with_value(|id| d.node(id).cloned())));
        NodeCtx { editor, id, node }
    }

    /// Changes the node's configuration as one undo step, unless the validator refuses
    /// `config.<field>`. Not generic, so that each of the forms' fields (a few dozen) compiles
    /// only its own `set` and not this too: that cost the first load 3 KB gzipped.
    #[inline(never)]
    pub fn change_config(
        self,
        field: &str,
        set: &mut dyn FnMut(&mut Component),
    ) -> Result<(), String> {
        self.change(&format!("config.{field}"), |node| set(&mut node.component))
    }

    /// Changes the node as one undo step, unless the validator refuses `field`.
    pub fn change(self, field: &str, f: impl FnOnce(&mut Node)) -> Result<(), String> {
        let id = self.id.get_value();
        commit(self.editor, &Target::Node(id.clone()), field, move |doc| {
            if let Some(node) = doc.nodes.iter_mut().find(|n| n.id == id) {
                f(node);
            }
        })
    }
}

/// A kind's configuration type, found inside a [`Component`]; each kind's file implements it
/// with [`impl_config!`].
pub trait Config: Clone + Default + PartialEq + Send + Sync + 'static {
    /// The configuration `c` holds, if it is of this kind.
    fn of(c: &Component) -> Option<&Self>;
    /// The same, to change it.
    fn of_mut(c: &mut Component) -> Option<&mut Self>;
}

/// `impl_config!(CacheConfig => Cache)`: the configuration `CacheConfig` is what a
/// `Component::Cache` holds.
macro_rules! impl_config {
    ($t:ty => $v:ident) => {
        impl $crate::inspector::form::Config for $t {
            fn of(c: &pattern_engine::components::Component) -> Option<&Self> {
                match c {
                    pattern_engine::components::Component::$v(x) => Some(x),
                    _ => None,
                }
            }
            fn of_mut(c: &mut pattern_engine::components::Component) -> Option<&mut Self> {
                match c {
                    pattern_engine::components::Component::$v(x) => Some(x),
                    _ => None,
                }
            }
        }
    };
}
pub(crate) use impl_config;

/// Reads and writes one kind's configuration of the selected node.
pub struct Form<C: Config> {
    /// The node whose configuration it is.
    pub ctx: NodeCtx,
    /// The configuration; `None` once the node is gone.
    pub config: Memo<Option<C>>,
}

impl<C: Config> Clone for Form<C> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<C: Config> Copy for Form<C> {}

impl<C: Config> Form<C> {
    /// The form for the configuration of `ctx`'s node.
    pub fn new(ctx: NodeCtx) -> Self {
        let node = ctx.node;
        let config = Memo::new(move |_| {
            node.with(|n| n.as_ref().and_then(|n| C::of(&n.component).cloned()))
        });
        Form { ctx, config }
    }

    /// The id of the control for `field`.
    pub fn id(self, field: &str) -> String {
        format!("inspector-{}", field.replace('.', "-"))
    }

    /// One value of the configuration, as a signal.
    pub fn read<T: Clone + Send + Sync + 'static>(
        self,
        get: impl Fn(&C) -> T + Send + Sync + 'static,
    ) -> Signal<T> {
        let config = self.config;
        Signal::derive(move || {
            config.with(|c| match c {
                Some(c) => get(c),
                None => get(&C::default()),
            })
        })
    }

    /// Sets one value of the configuration; `field` names it as the validator does.
    pub fn write<T: 'static>(
        self,
        field: &'static str,
        set: impl Fn(&mut C, T) + Copy + Send + Sync + 'static,
    ) -> Commit<T> {
        Callback::new(move |v: T| {
            let mut value = Some(v);
            self.ctx.change_config(field, &mut |component| {
                if let (Some(c), Some(v)) = (C::of_mut(component), value.take()) {
                    set(c, v);
                }
            })
        })
    }
}
