//! The workshop's steps: from the original to the hardened file one rule at a time.
//!
//! Step `k` is what `fix` makes of the original with only the first `k` rules that changed
//! it (in the order the full run applied them) switched on; every other setting is the
//! user's. So each step is a real rewrite by the core, the difference between two steps is
//! what one rule adds, and the last step is the full output byte for byte (it is the full
//! run). A rule whose fixes another rule's already cover adds nothing and gets no step.

use dfharden_core::fix::AppliedFix;
use dfharden_core::{fix, FixOutcome, Settings};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// The rule this step switches on.
    pub code: &'static str,
    /// Its fixes, as applied in this step's rewrite.
    pub fixes: Vec<AppliedFix>,
    pub before: String,
    pub after: String,
}

/// The steps from `original` to `full.output` (the outcome of `fix(original, settings)`).
pub fn steps(original: &str, settings: &Settings, full: &FixOutcome) -> Vec<Step> {
    let mut codes: Vec<&'static str> = Vec::new();
    for applied in &full.applied {
        if !codes.contains(&applied.code) {
            codes.push(applied.code);
        }
    }
    let mut steps = Vec::new();
    let mut before = original.to_string();
    for k in 1..=codes.len() {
        let partial;
        let outcome = if k == codes.len() {
            full
        } else {
            let mut subset = settings.clone();
            subset.ignore.extend(codes[k..].iter().map(|c| c.to_string()));
            partial = fix(original, &subset);
            &partial
        };
        if outcome.output == before {
            continue;
        }
        let fixes = outcome.applied.iter().filter(|a| a.code == codes[k - 1]).cloned().collect();
        steps.push(Step { code: codes[k - 1], fixes, before: before.clone(), after: outcome.output.clone() });
        before = outcome.output.clone();
    }
    steps
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::examples::EXAMPLES;

    fn check_steps(text: &str, settings: &Settings) -> Vec<Step> {
        let full = fix(text, settings);
        let steps = steps(text, settings, &full);
        assert_eq!(steps.is_empty(), text == full.output);
        if let Some(last) = steps.last() {
            assert_eq!(last.after, full.output);
            assert_eq!(steps[0].before, text);
        }
        for pair in steps.windows(2) {
            assert_eq!(pair[0].after, pair[1].before);
        }
        for step in &steps {
            assert_ne!(step.before, step.after);
        }
        steps
    }

    #[test]
    fn one_rule_per_step_ending_at_the_full_output() {
        let steps = check_steps("FROM alpine:3.22\nRUN apk add curl\nCMD x", &Settings::default());
        let codes: Vec<_> = steps.iter().map(|s| s.code).collect();
        assert!(codes.contains(&"DH305") && codes.len() >= 2, "{codes:?}");
        let apk = steps.iter().find(|s| s.code == "DH305").unwrap();
        assert!(apk.after.contains("apk add --no-cache curl") && !apk.before.contains("--no-cache"));
        assert!(apk.fixes.iter().all(|f| f.code == "DH305") && !apk.fixes.is_empty());
    }

    #[test]
    fn every_example_steps_to_its_output() {
        for example in EXAMPLES {
            check_steps(example.text, &Settings::default());
        }
        let basic = Settings { profile: dfharden_core::Profile::Basic, ..Settings::default() };
        check_steps(EXAMPLES[0].text, &basic);
    }
}
