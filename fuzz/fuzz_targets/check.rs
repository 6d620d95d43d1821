//! Checking (every rule) never panics and places every finding inside the text.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "../invariants.rs"]
mod invariants;

fuzz_target!(|bytes: &[u8]| {
    if let Some(text) = invariants::text_of(bytes) {
        invariants::check_invariants(text, &invariants::all_rules());
    }
});
