//! Every rule, by code. A code is never reused: retired rules stay here with status Removed.

use super::{correctness, hygiene, pinning, privilege, runtime, secrets, structure, style, supply_chain, Context, Finding, RuleMeta};

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
    privilege::user_not_numeric::UserNotNumeric,
    supply_chain::base_image_unpinned_tag::BaseImageUnpinnedTag,
    supply_chain::base_image_not_pinned_by_digest::BaseImageNotPinnedByDigest,
    supply_chain::untrusted_registry::UntrustedRegistry,
    supply_chain::add_url_without_checksum::AddUrlWithoutChecksum,
    supply_chain::remote_script_piped_to_shell::RemoteScriptPipedToShell,
    supply_chain::verification_disabled::VerificationDisabled,
    supply_chain::base_image_end_of_life::BaseImageEndOfLife,
    hygiene::apt_install_without_no_install_recommends::AptInstallWithoutNoInstallRecommends,
    hygiene::apt_lists_not_removed::AptListsNotRemoved,
    hygiene::distribution_upgrade::DistributionUpgrade,
    hygiene::package_index_update_alone::PackageIndexUpdateAlone,
    hygiene::apk_add_without_no_cache::ApkAddWithoutNoCache,
    hygiene::pip_install_without_no_cache_dir::PipInstallWithoutNoCacheDir,
    hygiene::rpm_cache_not_cleaned::RpmCacheNotCleaned,
    hygiene::add_instead_of_copy::AddInsteadOfCopy,
    hygiene::cd_in_run::CdInRun,
    hygiene::relative_workdir::RelativeWorkdir,
    hygiene::maintainer_deprecated::MaintainerDeprecated,
    hygiene::apt_install_without_yes::AptInstallWithoutYes,
    hygiene::useradd_without_no_log_init::UseraddWithoutNoLogInit,
    hygiene::rpm_install_without_yes::RpmInstallWithoutYes,
    hygiene::yarn_cache_not_cleaned::YarnCacheNotCleaned,
    secrets::secret_in_env_or_arg::SecretInEnvOrArg,
    secrets::secret_file_copied::SecretFileCopied,
    runtime::shell_form_command::ShellFormCommand,
    runtime::missing_healthcheck::MissingHealthcheck,
    runtime::repeated_cmd_or_entrypoint::RepeatedCmdOrEntrypoint,
    structure::toolchain_in_final_image::ToolchainInFinalImage,
    structure::restructure_declined::RestructureDeclined,
    structure::final_stage_on_full_distribution::FinalStageOnFullDistribution,
    correctness::duplicate_stage_name::DuplicateStageName,
    correctness::reserved_stage_name::ReservedStageName,
    correctness::from_arg_undeclared::FromArgUndeclared,
    correctness::from_arg_empty_default::FromArgEmptyDefault,
    correctness::expose_invalid_format::ExposeInvalidFormat,
    correctness::copy_from_unknown_stage::CopyFromUnknownStage,
    correctness::copy_from_own_stage::CopyFromOwnStage,
    correctness::copy_sources_to_file::CopySourcesToFile,
    correctness::from_platform_constant::FromPlatformConstant,
    correctness::empty_continuation_line::EmptyContinuationLine,
    correctness::apt_instead_of_apt_get::AptInsteadOfAptGet,
    correctness::env_self_reference::EnvSelfReference,
    correctness::copy_relative_without_workdir::CopyRelativeWithoutWorkdir,
    correctness::copy_whole_filesystem::CopyWholeFilesystem,
    correctness::sh_replaced_by_link::ShReplacedByLink,
    style::stage_name_casing::StageNameCasing,
    style::from_as_casing::FromAsCasing,
    style::consistent_instruction_casing::ConsistentInstructionCasing,
    style::legacy_key_value_format::LegacyKeyValueFormat,
    style::expose_protocol_casing::ExposeProtocolCasing,
    style::redundant_target_platform::RedundantTargetPlatform,
    style::wget_without_progress::WgetWithoutProgress,
    style::consecutive_run::ConsecutiveRun,
    style::curl_and_wget::CurlAndWget,
    style::pipe_without_pipefail::PipeWithoutPipefail,
    pinning::package_version_unpinned::PackageVersionUnpinned,
}

/// The rule with this code (case-insensitive).
pub fn rule_by_code(code: &str) -> Option<&'static Rule> {
    ALL_RULES.iter().find(|r| r.meta.code.eq_ignore_ascii_case(code.trim()))
}

/// The rule a person or a tool means: its code (`DH101`), its name (`final-stage-runs-as-root`)
/// or the id of another tool's check it claims (`DL3002`, `CKV_DOCKER_3`), case-insensitive.
/// Where several rules claim one id, the first in code order that still runs answers. The
/// CLI's `dfharden rule`, the language server and the npm package's `explain` all ask here.
pub fn find_rule(query: &str) -> Option<&'static Rule> {
    let query = query.trim();
    rule_by_code(query)
        .or_else(|| ALL_RULES.iter().find(|r| r.meta.name.eq_ignore_ascii_case(query)))
        .or_else(|| {
            // The first claiming rule, preferring one that is not removed (`min_by_key` keeps
            // the first of equals).
            ALL_RULES
                .iter()
                .filter(|r| r.meta.aliases.iter().any(|a| a.id.eq_ignore_ascii_case(query)))
                .min_by_key(|r| r.meta.status == super::Status::Removed)
        })
}
