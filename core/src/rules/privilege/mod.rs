//! Who the container runs as and what it may do.

pub mod docker_socket;
pub mod final_stage_runs_as_root;
pub mod nginx_unprivileged;
pub mod root_switch_after_non_root;
pub mod setuid_setgid_not_stripped;
pub mod ssh_exposed;
pub mod sudo_in_image;
pub mod user_not_numeric;
pub mod world_writable_permissions;
