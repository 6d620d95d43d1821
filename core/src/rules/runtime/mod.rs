//! How the container starts and is watched.

pub mod missing_healthcheck;
pub mod repeated_cmd_or_entrypoint;
pub mod shell_form_command;
