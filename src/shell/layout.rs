//! Which panels are open, at which window width: the one place that decides how the page is
//! laid out around the canvas. The CSS reads the decisions from data attributes on `.app`
//! (`data-width`, `data-palette`, `data-inspector`, `data-dock`), so the breakpoints live
//! here, in one place, and not again in media queries.
//!
//! ```text
//! wide (≥ 1200 px)    palette rail | canvas | inspector column        dock under all three
//! medium (≥ 720 px)   palette rail | canvas | (inspector when asked)   dock under all three
//! narrow (phones)     canvas, dock; palette and inspector are bottom sheets, actions a menu
//! ```
//! The palette is a rail of icons unless opened: the canvas is the largest thing on screen,
//! and a full palette at 1440 px would leave the reference architecture's labels under 11 px.

use leptos::prelude::*;

/// The width classes the layout changes at, in CSS pixels.
const MEDIUM_FROM_PX: f64 = 720.0;
const WIDE_FROM_PX: f64 = 1200.0;

/// A window width class.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Width {
    /// A phone: one column, panels as sheets.
    Narrow,
    /// A small laptop or a tablet: the inspector opens when asked (or on a selection).
    Medium,
    /// Room for the inspector beside the canvas.
    Wide,
}

impl Width {
    /// The class of a window `px` CSS pixels wide.
    pub fn of(px: f64) -> Width {
        if px >= WIDE_FROM_PX {
            Width::Wide
        } else if px >= MEDIUM_FROM_PX {
            Width::Medium
        } else {
            Width::Narrow
        }
    }

    /// Its name, for `data-width`.
    pub fn name(self) -> &'static str {
        match self {
            Width::Narrow => "narrow",
            Width::Medium => "medium",
            Width::Wide => "wide",
        }
    }
}

/// How a side panel shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shown {
    /// A column beside the canvas.
    Column,
    /// The palette's narrow rail of icons.
    Rail,
    /// A sheet over the bottom of the screen (phones).
    Sheet,
    /// Not shown; its button opens it.
    Closed,
}

impl Shown {
    /// Its name, for the `data-palette` and `data-inspector` attributes.
    pub fn name(self) -> &'static str {
        match self {
            Shown::Column => "column",
            Shown::Rail => "rail",
            Shown::Sheet => "sheet",
            Shown::Closed => "closed",
        }
    }

    /// True if the panel's content is on screen (a rail counts: its entries can be used).
    pub fn is_open(self) -> bool {
        self != Shown::Closed
    }
}

/// How the palette shows at `width` when `open` (the person asked for the whole palette).
pub fn palette_shown(width: Width, open: bool) -> Shown {
    match (width, open) {
        (Width::Narrow, true) => Shown::Sheet,
        (Width::Narrow, false) => Shown::Closed,
        (_, true) => Shown::Column,
        (_, false) => Shown::Rail,
    }
}

/// How the inspector shows at `width`: `asked` is the person's own choice if they made one
/// since the selection last changed; otherwise it is open on a wide screen, and on a medium one
/// while something is `selected`. On a phone it opens only when asked: a sheet that rose on
/// every tap would cover the node being dragged.
pub fn inspector_shown(width: Width, asked: Option<bool>, selected: bool) -> Shown {
    let open = match width {
        Width::Wide => asked.unwrap_or(true),
        Width::Medium => asked.unwrap_or(selected),
        Width::Narrow => asked.unwrap_or(false),
    };
    match (width, open) {
        (_, false) => Shown::Closed,
        (Width::Narrow, true) => Shown::Sheet,
        (_, true) => Shown::Column,
    }
}

/// The parts of the dock, one tab each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DockTab {
    /// Every headline number as a card.
    Numbers,
    /// The time series.
    Charts,
    /// The sampled requests and the chosen one's waterfall.
    Requests,
    /// What the particles' colours and shapes mean.
    Legend,
    /// The summary as the command line prints it.
    Summary,
}

impl DockTab {
    /// Every tab, in order.
    pub const ALL: [DockTab; 5] = [
        DockTab::Numbers,
        DockTab::Charts,
        DockTab::Requests,
        DockTab::Legend,
        DockTab::Summary,
    ];

    /// Its stable name (`dock-tab-<name>`, `dock-panel-<name>`).
    pub fn name(self) -> &'static str {
        match self {
            DockTab::Numbers => "numbers",
            DockTab::Charts => "charts",
            DockTab::Requests => "requests",
            DockTab::Legend => "legend",
            DockTab::Summary => "summary",
        }
    }

    /// What the tab says.
    pub fn title(self) -> &'static str {
        match self {
            DockTab::Numbers => "Numbers",
            DockTab::Charts => "Charts",
            DockTab::Requests => "Requests",
            DockTab::Legend => "Legend",
            DockTab::Summary => "Summary",
        }
    }
}

/// The dock's body height, in CSS pixels: the person's own if they resized it, within
/// [`DOCK_MIN_PX`] and a share of the window that leaves the canvas the larger part.
pub const DOCK_MIN_PX: f64 = 64.0;
/// The most of the window's height the dock's body may take.
const DOCK_MAX_SHARE: f64 = 0.6;

/// A dragged or keyed height, kept within its bounds for a window `window_px` tall.
pub fn clamp_dock_height(px: f64, window_px: f64) -> f64 {
    let most = (window_px * DOCK_MAX_SHARE).max(DOCK_MIN_PX);
    px.clamp(DOCK_MIN_PX, most)
}

/// The layout's state, shared through the context.
#[derive(Clone, Copy)]
pub struct Layout {
    /// The window's width class.
    pub width: RwSignal<Width>,
    /// The window's height, CSS pixels.
    pub window_height: RwSignal<f64>,
    /// True while the whole palette is asked for (a column, or a sheet on a phone).
    pub palette_open: RwSignal<bool>,
    /// The person's own choice for the inspector, if any since the selection changed.
    pub inspector_asked: RwSignal<Option<bool>>,
    /// True while the dock shows its tabs (false: only its one line).
    pub dock_open: RwSignal<bool>,
    /// The dock's tab in view.
    pub dock_tab: RwSignal<DockTab>,
    /// The dock body's height if the person resized it; otherwise the stylesheet's default.
    pub dock_height: RwSignal<Option<f64>>,
    /// True while the header's menu is open (phones).
    pub menu_open: RwSignal<bool>,
    /// True while the minimap is shown (it can be folded to its button).
    pub minimap_open: RwSignal<bool>,
}

impl Layout {
    /// The layout for the window as it is, following its size from now on.
    pub fn install() -> Layout {
        let (w, h) = window_size();
        let layout = Layout {
            width: RwSignal::new(Width::of(w)),
            window_height: RwSignal::new(h),
            palette_open: RwSignal::new(false),
            inspector_asked: RwSignal::new(None),
            dock_open: RwSignal::new(dock_opens_at(Width::of(w))),
            dock_tab: RwSignal::new(DockTab::Numbers),
            dock_height: RwSignal::new(None),
            menu_open: RwSignal::new(false),
            minimap_open: RwSignal::new(minimap_opens_at(Width::of(w))),
        };
        let resize = window_event_listener(leptos::ev::resize, move |_| layout.follow_window());
        // The app lives as long as the page: the listener is never removed.
        std::mem::forget(resize);
        layout
    }

    /// Follows a change of the window's size: a new width class starts from its defaults.
    fn follow_window(&self) {
        let (w, h) = window_size();
        let width = Width::of(w);
        if width != self.width.get_untracked() {
            self.width.set(width);
            self.palette_open.set(false);
            self.inspector_asked.set(None);
            self.menu_open.set(false);
            self.dock_open.set(dock_opens_at(width));
            self.minimap_open.set(minimap_opens_at(width));
        }
        if h != self.window_height.get_untracked() {
            self.window_height.set(h);
        }
    }

    /// How the palette shows now.
    pub fn palette(&self) -> Shown {
        palette_shown(self.width.get(), self.palette_open.get())
    }

    /// How the inspector shows now, given whether something is `selected`.
    pub fn inspector(&self, selected: bool) -> Shown {
        inspector_shown(self.width.get(), self.inspector_asked.get(), selected)
    }

    /// Opens the dock at `tab`.
    pub fn show_tab(&self, tab: DockTab) {
        self.dock_open.set(true);
        self.dock_tab.set(tab);
    }
}

/// Whether the dock starts open at `width`: folded on a phone, where its line alone is a
/// quarter of the screen.
fn dock_opens_at(width: Width) -> bool {
    width != Width::Narrow
}

/// Whether the minimap starts open at `width`: below a wide screen the corner it takes costs
/// the diagram more than the map gives (it unfolds from its button).
fn minimap_opens_at(width: Width) -> bool {
    width == Width::Wide
}

/// The window's inner size, CSS pixels.
fn window_size() -> (f64, f64) {
    let window = window();
    let read = |v: Result<wasm_bindgen::JsValue, _>| v.ok().and_then(|v| v.as_f64());
    (
        read(window.inner_width()).unwrap_or(WIDE_FROM_PX),
        read(window.inner_height()).unwrap_or(800.0),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn widths_fall_into_three_classes() {
        assert_eq!(Width::of(390.0), Width::Narrow);
        assert_eq!(Width::of(719.0), Width::Narrow);
        assert_eq!(Width::of(720.0), Width::Medium);
        assert_eq!(Width::of(1024.0), Width::Medium);
        assert_eq!(Width::of(1200.0), Width::Wide);
        assert_eq!(Width::of(1440.0), Width::Wide);
    }

    #[wasm_bindgen_test]
    fn the_palette_is_a_rail_on_a_desk_and_a_sheet_on_a_phone() {
        assert_eq!(palette_shown(Width::Wide, false), Shown::Rail);
        assert_eq!(palette_shown(Width::Wide, true), Shown::Column);
        assert_eq!(palette_shown(Width::Medium, false), Shown::Rail);
        assert_eq!(palette_shown(Width::Narrow, false), Shown::Closed);
        assert_eq!(palette_shown(Width::Narrow, true), Shown::Sheet);
    }

    #[wasm_bindgen_test]
    fn the_inspector_follows_the_width_the_selection_and_the_person() {
        assert_eq!(inspector_shown(Width::Wide, None, false), Shown::Column);
        assert_eq!(
            inspector_shown(Width::Wide, Some(false), true),
            Shown::Closed
        );
        assert_eq!(inspector_shown(Width::Medium, None, false), Shown::Closed);
        assert_eq!(inspector_shown(Width::Medium, None, true), Shown::Column);
        assert_eq!(
            inspector_shown(Width::Medium, Some(true), false),
            Shown::Column
        );
        assert_eq!(
            inspector_shown(Width::Narrow, None, true),
            Shown::Closed,
            "no sheet per tap"
        );
        assert_eq!(
            inspector_shown(Width::Narrow, Some(true), false),
            Shown::Sheet
        );
    }

    #[wasm_bindgen_test]
    fn the_dock_keeps_between_a_line_and_most_of_the_window() {
        assert_eq!(clamp_dock_height(10.0, 800.0), DOCK_MIN_PX);
        assert_eq!(clamp_dock_height(300.0, 800.0), 300.0);
        assert_eq!(clamp_dock_height(700.0, 800.0), 480.0);
        assert_eq!(clamp_dock_height(100.0, 50.0), DOCK_MIN_PX, "a tiny window");
    }
}
