//! Consistency and legacy syntax: nothing about the image changes, so these rules are off by
//! default (`extend-select = ["style"]` turns them on). Each fix is mechanical and safe.

pub mod consecutive_run;
pub mod consistent_instruction_casing;
pub mod curl_and_wget;
pub mod expose_protocol_casing;
pub mod from_as_casing;
pub mod legacy_key_value_format;
pub mod pipe_without_pipefail;
pub mod redundant_target_platform;
pub mod stage_name_casing;
pub mod wget_without_progress;
