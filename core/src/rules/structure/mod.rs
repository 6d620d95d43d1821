//! The shape of the build: stages and the final image. The analysis lives in `harden`.

pub mod final_stage_on_full_distribution;
pub mod restructure_declined;
pub mod toolchain_in_final_image;
