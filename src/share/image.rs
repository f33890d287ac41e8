//! The diagram as an image: a standalone SVG (the canvas's `svg.diagram` with its computed
//! styles written onto each element, since the page's style sheets do not travel with it) and
//! a PNG drawn from that SVG at twice its size.

use leptos::prelude::*;
use pattern_engine::Scenario;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Blob, Element, HtmlCanvasElement, HtmlImageElement};

use super::files::{download_blob, download_text, file_stem};
use crate::diagram::geometry::fit;
use crate::state::Editor;

/// The properties the diagram's style sheets set; each element gets its computed value, so
/// theme variables and class rules are resolved into plain values.
const STYLED: [&str; 19] = [
    "display",
    "visibility",
    "opacity",
    "fill",
    "fill-opacity",
    "stroke",
    "stroke-width",
    "stroke-opacity",
    "stroke-dasharray",
    "stroke-linecap",
    "stroke-linejoin",
    "paint-order",
    "font-family",
    "font-size",
    "font-weight",
    "font-style",
    "letter-spacing",
    "text-anchor",
    "dominant-baseline",
];

/// Parts of the diagram that are only there for editing (hit areas, rubber bands).
const EDITING_ONLY: &str = ".edge-hit, .selection-box, .edge-pending";

/// PNG pixels per diagram unit.
const PNG_SCALE: f64 = 2.0;
/// The largest PNG side browsers draw reliably.
const PNG_MAX_SIDE: f64 = 8_192.0;

/// A standalone SVG of the diagram as drawn now, framed on all its nodes, with its width and
/// height; `None` if there is no diagram on the page.
pub fn standalone_svg(scenario: &Scenario) -> Option<(String, f64, f64)> {
    let original = document().query_selector("svg.diagram").ok()??;
    let copy: Element = original.clone_node_with_deep(true).ok()?.dyn_into().ok()?;
    inline_styles(&original, &copy);
    if let Ok(parts) = copy.query_selector_all(EDITING_ONLY) {
        for i in 0..parts.length() {
            if let Some(part) = parts.item(i).and_then(|p| p.dyn_into::<Element>().ok()) {
                part.remove();
            }
        }
    }
    let frame = fit(&scenario.nodes);
    let _ = copy.set_attribute("xmlns", "http://www.w3.org/2000/svg");
    let _ = copy.set_attribute("viewBox", &frame.attr());
    let _ = copy.set_attribute("width", &frame.w.to_string());
    let _ = copy.set_attribute("height", &frame.h.to_string());
    add_background(&original, &copy, frame.attr().split(' ').collect());
    let text = web_sys::XmlSerializer::new()
        .ok()?
        .serialize_to_string(&copy)
        .ok()?;
    Some((text, frame.w, frame.h))
}

/// Copies each element's computed style into its copy's `style` attribute.
fn inline_styles(original: &Element, copy: &Element) {
    let (Ok(originals), Ok(copies)) = (
        original.query_selector_all("*"),
        copy.query_selector_all("*"),
    ) else {
        return;
    };
    inline_style(original, copy);
    for i in 0..originals.length().min(copies.length()) {
        let pair = (originals.item(i), copies.item(i));
        if let (Some(o), Some(c)) = pair {
            if let (Ok(o), Ok(c)) = (o.dyn_into::<Element>(), c.dyn_into::<Element>()) {
                inline_style(&o, &c);
            }
        }
    }
}

fn inline_style(original: &Element, copy: &Element) {
    let Ok(Some(computed)) = window().get_computed_style(original) else {
        return;
    };
    let style: String = STYLED
        .iter()
        .filter_map(|name| {
            let value = computed.get_property_value(name).ok()?;
            (!value.is_empty()).then(|| format!("{name}:{value};"))
        })
        .collect();
    let _ = copy.set_attribute("style", &style);
}

/// Puts the canvas's background colour behind the drawing: light text on a transparent PNG
/// would be unreadable in most viewers.
fn add_background(original: &Element, copy: &Element, frame: Vec<&str>) {
    let colour = original
        .closest(".canvas")
        .ok()
        .flatten()
        .and_then(|canvas| window().get_computed_style(&canvas).ok().flatten())
        .and_then(|style| style.get_property_value("background-color").ok())
        .unwrap_or_else(|| "white".into());
    let Ok(rect) = document().create_element_ns(Some("http://www.w3.org/2000/svg"), "rect") else {
        return;
    };
    for (name, value) in ["x", "y", "width", "height"].iter().zip(frame) {
        let _ = rect.set_attribute(name, value);
    }
    let _ = rect.set_attribute("fill", &colour);
    let _ = copy.prepend_with_node_1(&rect);
}

/// Downloads the diagram as `<name>.svg`.
#[component]
pub fn ExportSvg() -> impl IntoView {
    let editor = expect_context::<Editor>();
    let export = move |_| {
        let result = editor.doc.with_untracked(|s| {
            let (svg, _, _) = standalone_svg(s).ok_or("there is no diagram on the page")?;
            download_text(
                &svg,
                "image/svg+xml",
                &format!("{}.svg", file_stem(&s.name)),
            )
        });
        if let Err(reason) = result {
            editor
                .notice
                .set(Some(format!("The image could not be saved: {reason}.")));
        }
    };
    view! {
        <button type="button" data-testid="export-svg" title="Download the diagram as SVG"
            on:click=export>"SVG"</button>
    }
}

/// Downloads the diagram as `<name>.png`, at twice its size.
#[component]
pub fn ExportPng() -> impl IntoView {
    let editor = expect_context::<Editor>();
    let export = move |_| {
        let result = editor.doc.with_untracked(|s| {
            let (svg, w, h) = standalone_svg(s).ok_or("there is no diagram on the page")?;
            draw_png(&svg, w, h, format!("{}.png", file_stem(&s.name)), editor)
        });
        if let Err(reason) = result {
            editor
                .notice
                .set(Some(format!("The image could not be saved: {reason}.")));
        }
    };
    view! {
        <button type="button" data-testid="export-png" title="Download the diagram as PNG"
            on:click=export>"PNG"</button>
    }
}

/// Loads `svg` as an image, draws it on a canvas at [`PNG_SCALE`] and downloads the result.
/// Loading is asynchronous, so a failure after this returns goes to the notice line.
fn draw_png(svg: &str, w: f64, h: f64, file_name: String, editor: Editor) -> Result<(), String> {
    let image = HtmlImageElement::new().map_err(|_| "the browser refused")?;
    let scale = PNG_SCALE.min(PNG_MAX_SIDE / w.max(h).max(1.0));
    let loaded = image.clone();
    let on_load = wasm_bindgen::closure::Closure::once_into_js(move || {
        let result = to_canvas(&loaded, (w * scale).round(), (h * scale).round())
            .and_then(|canvas| save_canvas(&canvas, file_name, editor));
        if let Err(reason) = result {
            editor
                .notice
                .set(Some(format!("The image could not be saved: {reason}.")));
        }
    });
    image.set_onload(Some(on_load.unchecked_ref()));
    let source = format!(
        "data:image/svg+xml;charset=utf-8,{}",
        js_sys::encode_uri_component(svg)
    );
    image.set_src(&source);
    Ok(())
}

fn to_canvas(image: &HtmlImageElement, w: f64, h: f64) -> Result<HtmlCanvasElement, String> {
    let canvas: HtmlCanvasElement = document()
        .create_element("canvas")
        .map_err(|_| "the browser refused")?
        .unchecked_into();
    canvas.set_width(w as u32);
    canvas.set_height(h as u32);
    let context: web_sys::CanvasRenderingContext2d = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .ok_or("the browser gave no drawing surface")?
        .unchecked_into();
    context
        .draw_image_with_html_image_element_and_dw_and_dh(image, 0.0, 0.0, w, h)
        .map_err(|_| "the diagram could not be drawn")?;
    Ok(canvas)
}

fn save_canvas(
    canvas: &HtmlCanvasElement,
    file_name: String,
    editor: Editor,
) -> Result<(), String> {
    let on_blob = wasm_bindgen::closure::Closure::once_into_js(move |blob: JsValue| {
        let saved = blob
            .dyn_into::<Blob>()
            .map_err(|_| "the browser could not encode the image".to_string())
            .and_then(|blob| download_blob(&blob, &file_name));
        if let Err(reason) = saved {
            editor
                .notice
                .set(Some(format!("The image could not be saved: {reason}.")));
        }
    });
    canvas
        .to_blob(on_blob.unchecked_ref())
        .map_err(|_| "the browser could not encode the image".to_string())
}
