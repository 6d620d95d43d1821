//! One component per file.

pub mod context_files;
pub mod diff_view;
pub mod editor;
pub mod examples;
pub mod findings;
pub mod not_done;
pub mod parse_view;
pub mod rule_panel;
pub mod runtime_tab;
pub mod settings;
pub mod toolbar;
pub mod workshop;
