//! What a person sees when the app panics: a banner instead of a frozen or blank page.
//!
//! The release build aborts on panic, so nothing after the hook runs; the banner is therefore
//! written straight into the DOM with `web-sys`, not through Leptos, whose reactive state may be
//! the very thing that broke.

use wasm_bindgen::{closure::Closure, JsCast};

/// The `id` of the banner element, so a second panic does not stack a second banner.
const BANNER_ID: &str = "crash-banner";

/// Logs every panic to the browser console (with its message and location) and then shows the
/// crash banner.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_banner();
    }));
}

/// Puts the "something broke" banner at the top of the page, once.
///
/// Every step is allowed to fail quietly: this runs inside a panic, where a second panic would
/// abort before the person sees anything.
pub fn show_banner() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if document.get_element_by_id(BANNER_ID).is_some() {
        return;
    }
    let Some(body) = document.body() else {
        return;
    };
    let (Ok(banner), Ok(message), Ok(reload)) = (
        document.create_element("div"),
        document.create_element("p"),
        document.create_element("button"),
    ) else {
        return;
    };
    banner.set_id(BANNER_ID);
    banner.set_class_name("crash-banner");
    let _ = banner.set_attribute("role", "alert");
    let _ = banner.set_attribute("data-testid", "crash-banner");
    message.set_text_content(Some(
        "Something broke; your work is saved; reload to carry on.",
    ));
    reload.set_text_content(Some("Reload"));
    let _ = reload.set_attribute("type", "button");
    if let Some(button) = reload.dyn_ref::<web_sys::HtmlElement>() {
        // The closure lives as long as the page: it is handed to the DOM and never dropped.
        let on_click = Closure::<dyn Fn()>::new(|| {
            if let Some(window) = web_sys::window() {
                let _ = window.location().reload();
            }
        });
        button.set_onclick(Some(on_click.as_ref().unchecked_ref()));
        on_click.forget();
    }
    let _ = banner.append_child(&message);
    let _ = banner.append_child(&reload);
    let _ = body.prepend_with_node_1(&banner);
}
