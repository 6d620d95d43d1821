//! Who the container runs as and what it may do.

pub mod final_stage_runs_as_root;
