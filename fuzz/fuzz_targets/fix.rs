//! Fixing (every rule, unsafe fixes on) never panics, adds no parse error, settles, and is a
//! fixed point.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "../invariants.rs"]
mod invariants;

fuzz_target!(|bytes: &[u8]| {
    if let Some(text) = invariants::text_of(bytes) {
        invariants::fix_invariants(text, &invariants::all_rules());
    }
});
