//! The structural rewrite: move an application that is built and run in one big image onto a
//! minimal final image, or explain why not.
//!
//! [`analyse`] reads the final stage: the ecosystem (Go, Rust, Node.js, Python, Java, .NET)
//! from its base image and build commands, the artifact and where the build writes it, and the
//! start command. It answers [`Decision::Restructure`] with a plan, or [`Decision::Decline`]
//! with a reason (a shell-script entrypoint, a language version no minimal image has, a
//! Windows image...). [`rewrite::edits`] turns a plan into splice edits. The structure rules
//! (DH601, DH602) report both outcomes; the in-place hardening of a kept image is the work of
//! the ordinary rules (non-root user, setuid bits, caches).
//!
//! The final image comes from the table in [`crate::knowledge::final_images`], the same for the
//! CLI and the web page, and is never one past its end of life.

pub mod analysis;
pub mod rewrite;
pub mod runtime;
pub mod start;
pub mod system_packages;
pub mod user_switch;

pub use crate::knowledge::{final_image, FinalImage, Runtime};
pub use analysis::{analyse, AppPlan, Decision, DeclineKind, Ecosystem};
pub use runtime::{advise, RuntimeAdvice};
