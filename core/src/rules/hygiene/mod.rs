//! Build steps that leave caches, tools or surprises in the image.

pub mod add_instead_of_copy;
pub mod apk_add_without_no_cache;
