//! dfharden-core: reads a Dockerfile, finds what makes its image unsafe, and rewrites it.
//!
//! This crate is pure: no files, network, clock or terminal. It compiles unchanged to
//! WebAssembly, so the command line and the web page share every decision it makes.
//! Dependencies between modules point one way: `syntax` → `model` → `rules` → `fix` →
//! `harden` → `render`.

pub mod model;
pub mod syntax;
