//! Exact versions for every package a build installs. Off by default: see the rule's
//! explanation for why dfharden does not ask for this unless you do.

pub mod package_version_unpinned;
