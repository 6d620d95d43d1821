//! Build steps that leave caches, tools or surprises in the image.

pub mod add_instead_of_copy;
pub mod apk_add_without_no_cache;
pub mod apt_install_without_no_install_recommends;
pub mod apt_install_without_yes;
pub mod apt_lists_not_removed;
pub mod cd_in_run;
pub mod distribution_upgrade;
pub mod maintainer_deprecated;
pub mod package_index_update_alone;
pub mod pip_install_without_no_cache_dir;
pub mod relative_workdir;
pub mod rpm_cache_not_cleaned;
pub mod rpm_install_without_yes;
pub mod useradd_without_no_log_init;
pub mod yarn_cache_not_cleaned;
