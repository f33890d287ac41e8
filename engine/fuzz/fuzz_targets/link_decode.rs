//! Feeds arbitrary bytes to the link decoder through `link::fuzz_one`, which picks the layer
//! (link text, compressed bytes, compact data) from the first byte and panics when an
//! invariant breaks: a refusal without a message, or a link that opens but does not
//! re-encode to the same scenario.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = pattern_engine::link::fuzz_one(data);
});
