//! Credentials that end up in the image or its history.

pub mod secret_file_copied;
pub mod secret_in_env_or_arg;
