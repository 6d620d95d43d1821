//! The shape of the build: stages and the final image. The analysis lives in `harden`.

pub mod restructure_declined;
pub mod toolchain_in_final_image;
