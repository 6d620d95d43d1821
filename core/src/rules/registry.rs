//! Every rule, by code. A code is never reused: retired rules stay here with status Removed.

use super::{hygiene, privilege, runtime, secrets, supply_chain, Context, Finding, RuleMeta};

/// A rule: its metadata and its check.
pub struct Rule {
    pub meta: &'static RuleMeta,
    pub check: fn(&Context<'_>, &mut Vec<Finding>),
}

macro_rules! rules {
    ($($module:ident :: $file:ident :: $name:ident),* $(,)?) => {
        /// All rules, in code order.
        pub static ALL_RULES: &[Rule] = &[
            $(Rule { meta: &$module::$file::$name::META, check: $module::$file::check }),*
        ];
    };
}

rules! {
    privilege::final_stage_runs_as_root::FinalStageRunsAsRoot,
    privilege::root_switch_after_non_root::RootSwitchAfterNonRoot,
    privilege::setuid_setgid_not_stripped::SetuidSetgidNotStripped,
    privilege::sudo_in_image::SudoInImage,
    privilege::world_writable_permissions::WorldWritablePermissions,
    privilege::docker_socket::DockerSocket,
    privilege::ssh_exposed::SshExposed,
    hygiene::apk_add_without_no_cache::ApkAddWithoutNoCache,
    hygiene::add_instead_of_copy::AddInsteadOfCopy,
    runtime::shell_form_command::ShellFormCommand,
    runtime::missing_healthcheck::MissingHealthcheck,
    runtime::repeated_cmd_or_entrypoint::RepeatedCmdOrEntrypoint,
}

/// The rule with this code (case-insensitive).
pub fn rule_by_code(code: &str) -> Option<&'static Rule> {
    ALL_RULES.iter().find(|r| r.meta.code.eq_ignore_ascii_case(code.trim()))
}
