//! Browser entry point: everything else lives in the library so tests can mount it.

fn main() {
    pattern_playground::crash::install_panic_hook();
    leptos::mount::mount_to_body(pattern_playground::App);
}
