//! Which distribution packages a build installs that the app may still need when it runs.
//!
//! A restructure keeps the build stage as it is and copies only the app onto the minimal
//! image. A package the stage installs only to build (a compiler, `git`, `make`) is rightly
//! left behind; one the app uses at run time (`libpq5` that a compiled Python package links,
//! `ffmpeg` a Node.js app runs, the library a `-dev` package brings for cgo) would be missing,
//! and the app would fail at import or at its first call. dfharden cannot tell the two apart
//! by reading the app, so only packages known to serve the build, or that the minimal image
//! already has, let the move go ahead.

use crate::knowledge::FinalImage;
use crate::model::shell::SimpleCommand;
use crate::rules::helpers::{package_command, package_name, Manager, Verb};

/// Packages that only build: compilers, build systems, fetchers and archivers, and the header
/// packages of what every minimal image has (glibc, OpenSSL, zlib) or of the interpreter
/// itself.
const BUILD_ONLY: &[&str] = &[
    "build-essential", "gcc", "g++", "cpp", "clang", "llvm", "lld", "make", "cmake", "ninja-build",
    "meson", "autoconf", "automake", "libtool", "pkg-config", "pkgconf", "binutils", "patch",
    "git", "curl", "wget", "gnupg", "gnupg2", "dirmngr", "unzip", "xz-utils", "bzip2", "zip",
    "file", "upx", "upx-ucl", "protobuf-compiler", "libc6-dev", "libc-dev", "linux-libc-dev",
    "libssl-dev", "zlib1g-dev", "python3-dev", "python3.13-dev", "apt-transport-https",
    "software-properties-common", "lsb-release", "build-base", "alpine-sdk", "musl-dev",
    "linux-headers",
];

/// The first package installed with a system package manager (apt, apk, dnf, yum, microdnf,
/// zypper) by `commands` that is neither a build tool nor in `image`, with the command's name.
pub fn runtime_package<'c>(
    commands: impl IntoIterator<Item = &'c SimpleCommand>,
    image: &FinalImage,
) -> Option<(String, String)> {
    for command in commands {
        let Some(package) = package_command(command) else { continue };
        if package.manager == Manager::Pip || package.verb() != Verb::Install {
            continue;
        }
        for operand in package.operands() {
            let name = package_name(&operand.text);
            if name.is_empty() || name.starts_with(['$', '/', '.']) || name.contains('*') {
                continue;
            }
            if !BUILD_ONLY.contains(&name) && !image.contains.contains(&name) {
                return Some((name.to_string(), package.name.clone()));
            }
        }
    }
    None
}

/// The reason a restructure declines for `package`.
pub fn reason(package: &str, manager: &str, image: &FinalImage) -> String {
    let dev = if package.ends_with("-dev") || package.ends_with("-devel") {
        " (a header package: what is built against it links its library at run time)"
    } else {
        ""
    };
    format!(
        "the build installs `{package}` with {manager}{dev}, which `{}` does not have: if the app uses it at run time it would be missing; only build tools (compilers, git, make) are left behind",
        image.reference
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::{final_image, Date, Runtime};
    use crate::model::shell::split;
    use crate::syntax::TextRange;

    fn first(script: &str, runtime: Runtime) -> Option<String> {
        let image = final_image(runtime, Date::ymd(2026, 12, 3)).unwrap();
        let commands = split(script, 0, &|a, b| TextRange::new(a, b));
        runtime_package(&commands, &image).map(|(name, _)| name)
    }

    #[test]
    fn build_tools_and_contained_packages_pass() {
        let python = Runtime::Python { minor: 13 };
        assert_eq!(first("apt-get update && apt-get install -y --no-install-recommends gcc git ca-certificates", python), None);
        assert_eq!(first("apk add --no-cache build-base=1 && pip install -r r.txt", Runtime::StaticBinary), None);
        assert_eq!(first("apk add --no-cache imagemagick", Runtime::StaticBinary), Some("imagemagick".into()));
        assert_eq!(first("pip install psycopg2", python), None, "pip installs are the app's own packages");
    }

    #[test]
    fn runtime_libraries_and_tools_are_named() {
        let python = Runtime::Python { minor: 13 };
        assert_eq!(first("apt-get install -y libpq5 gcc", python), Some("libpq5".into()));
        assert_eq!(first("apt-get install -y gcc libpq-dev", python), Some("libpq-dev".into()));
        assert_eq!(first("apt-get update\napt-get install -y ffmpeg", Runtime::Node { version: 24 }), Some("ffmpeg".into()));
        assert_eq!(first("dnf -y install sqlite-libs", Runtime::DynamicBinary), Some("sqlite-libs".into()));
    }
}
