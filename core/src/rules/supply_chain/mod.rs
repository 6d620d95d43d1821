//! Where base images come from and whether they can be verified.

pub mod add_url_without_checksum;
pub mod base_image_end_of_life;
pub mod base_image_not_pinned_by_digest;
pub mod base_image_unpinned_tag;
pub mod remote_script_piped_to_shell;
pub mod untrusted_registry;
pub mod verification_disabled;
