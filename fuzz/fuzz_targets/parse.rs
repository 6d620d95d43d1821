//! Parsing never panics and is lossless.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "../invariants.rs"]
mod invariants;

fuzz_target!(|bytes: &[u8]| {
    if let Some(text) = invariants::text_of(bytes) {
        invariants::parse_invariants(text);
    }
});
