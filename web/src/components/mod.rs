//! One component per file.

pub mod editor;
pub mod parse_view;
