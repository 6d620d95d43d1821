//! Mistakes that make a build do other than what it says, or fail where a reader would not
//! expect it: BuildKit's build checks and hadolint's rules of this kind. On by default.

pub mod apt_instead_of_apt_get;
pub mod copy_from_own_stage;
pub mod copy_from_unknown_stage;
pub mod copy_relative_without_workdir;
pub mod copy_sources_to_file;
pub mod copy_whole_filesystem;
pub mod duplicate_stage_name;
pub mod empty_continuation_line;
pub mod env_self_reference;
pub mod expose_invalid_format;
pub mod from_arg_empty_default;
pub mod from_arg_undeclared;
pub mod from_platform_constant;
pub mod reserved_stage_name;
pub mod sh_replaced_by_link;
