//! The minimal final images dfharden moves applications onto, as data: what each one is,
//! whom it runs as, how it starts, what it already contains, when its support ends, and where
//! those facts come from. Harden, the structure rules, the README's table (generated and
//! checked by a test) and the web page all read this one table.

use serde::Serialize;

use super::date::Date;

/// What a build produces, which decides the final image.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum Runtime {
    /// A statically linked binary (Go with `CGO_ENABLED=0`, Rust for musl).
    StaticBinary,
    /// A binary linked against glibc and libgcc (Rust's default target, C and C++).
    DynamicBinary,
    /// A Java application jar.
    Java { version: u32 },
    /// A Node.js application.
    Node { version: u32 },
    /// A Python application (`minor`: the 13 of Python 3.13).
    Python { minor: u32 },
    /// A .NET application (framework-dependent).
    Dotnet { version: u32 },
}

impl Runtime {
    /// How the runtime reads in a sentence ("Node.js 22").
    pub fn describe(self) -> String {
        match self {
            Runtime::StaticBinary => "a static binary".into(),
            Runtime::DynamicBinary => "a glibc binary".into(),
            Runtime::Java { version } => format!("Java {version}"),
            Runtime::Node { version } => format!("Node.js {version}"),
            Runtime::Python { minor } => format!("Python 3.{minor}"),
            Runtime::Dotnet { version } => format!(".NET {version}"),
        }
    }
}

/// A final image and how it runs things.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FinalImage {
    pub runtime: Runtime,
    /// The reference to write in FROM (the `nonroot` variant where there is one).
    pub reference: &'static str,
    /// The numeric user:group the image runs as, written as `USER` so that Kubernetes'
    /// `runAsNonRoot` can verify it.
    pub user: &'static str,
    /// The image's own ENTRYPOINT, which the CMD we write is appended to (empty: none).
    pub entrypoint: &'static [&'static str],
    /// The Debian release the image is built from (`None`: not Debian).
    pub debian: Option<u32>,
    /// What the image already contains, as the package names a Dockerfile would install
    /// (Debian's and Alpine's): a final stage that only installs these can move onto it.
    pub contains: &'static [&'static str],
    /// The last day of support, when the publisher has announced one.
    pub end_of_life: Option<Date>,
    /// Why this image.
    pub why: &'static str,
    /// Where the facts above come from.
    pub source: &'static str,
}

const DISTROLESS: &str =
    "https://github.com/GoogleContainerTools/distroless (README.md, SUPPORT_POLICY.md)";
const NONROOT: &str = "65532:65532";

/// What every distroless image has: the static image's packages, CA certificates and
/// `/etc/passwd` (distroless `static/config.bzl`).
const STATIC_CONTENTS: &[&str] = &[
    "ca-certificates",
    "tzdata",
    "tzdata-legacy",
    "netbase",
    "base-files",
    "media-types",
];
/// The cc image adds glibc, OpenSSL's libraries (not the `openssl` program) with zlib and
/// zstd, and the GCC runtime libraries (`base/config.bzl`, `cc/config.bzl`); the language
/// images are built on it. Debian 12's names of the same libraries count too.
const CC_CONTENTS: &[&str] = &[
    "ca-certificates",
    "tzdata",
    "tzdata-legacy",
    "netbase",
    "base-files",
    "media-types",
    "libc6",
    "libssl3",
    "libssl3t64",
    "zlib1g",
    "libzstd1",
    "libgcc-s1",
    "libgcc1",
    "libstdc++6",
    "libgomp1",
    "gcc-14-base",
];

/// Every final image dfharden may choose, in the order the README lists them.
pub static FINAL_IMAGES: &[FinalImage] = &[
    FinalImage {
        runtime: Runtime::StaticBinary,
        reference: "gcr.io/distroless/static-debian13:nonroot",
        user: NONROOT,
        entrypoint: &[],
        debian: Some(13),
        contains: STATIC_CONTENTS,
        end_of_life: None,
        why: "a static binary needs no C library: distroless/static has only CA certificates, tzdata and /etc/passwd",
        source: DISTROLESS,
    },
    FinalImage {
        runtime: Runtime::DynamicBinary,
        reference: "gcr.io/distroless/cc-debian13:nonroot",
        user: NONROOT,
        entrypoint: &[],
        debian: Some(13),
        contains: CC_CONTENTS,
        end_of_life: None,
        why: "a glibc binary needs glibc, libgcc and libstdc++: distroless/cc has them (and OpenSSL's libraries) and nothing else",
        source: DISTROLESS,
    },
    java(17),
    java(21),
    java(25),
    node(22),
    node(24),
    node(26),
    FinalImage {
        runtime: Runtime::Python { minor: 13 },
        reference: "gcr.io/distroless/python3-debian13:nonroot",
        user: NONROOT,
        entrypoint: &["/usr/bin/python3.13"],
        debian: Some(13),
        contains: CC_CONTENTS,
        end_of_life: None,
        why: "distroless/python3 has Debian 13's Python 3.13 and no shell or pip",
        source: DISTROLESS,
    },
    dotnet(8, "mcr.microsoft.com/dotnet/aspnet:8.0-noble-chiseled", Date::ymd(2026, 11, 10)),
    dotnet(9, "mcr.microsoft.com/dotnet/aspnet:9.0-noble-chiseled", Date::ymd(2026, 11, 10)),
    dotnet(10, "mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled", Date::ymd(2028, 11, 14)),
];

/// Microsoft's chiseled ASP.NET Core image of one .NET version (it runs console apps too).
const fn dotnet(version: u32, reference: &'static str, end_of_life: Date) -> FinalImage {
    FinalImage {
        runtime: Runtime::Dotnet { version },
        reference,
        user: "1654:1654",
        entrypoint: &[],
        debian: None,
        contains: &[],
        end_of_life: Some(end_of_life),
        why: "Microsoft's chiseled images have the .NET runtime, no shell or package manager, and run as the non-root `app` user (uid 1654)",
        source: "https://github.com/dotnet/dotnet-docker (documentation/ubuntu-chiseled.md); https://github.com/dotnet/core (release-notes/releases-index.json)",
    }
}

const fn java(version: u32) -> FinalImage {
    FinalImage {
        runtime: Runtime::Java { version },
        reference: match version {
            17 => "gcr.io/distroless/java17-debian13:nonroot",
            21 => "gcr.io/distroless/java21-debian13:nonroot",
            _ => "gcr.io/distroless/java25-debian13:nonroot",
        },
        user: NONROOT,
        entrypoint: &["/usr/bin/java", "-jar"],
        debian: Some(13),
        contains: CC_CONTENTS,
        end_of_life: None,
        why: "distroless/java has a Java runtime and no shell; its entrypoint is `java -jar`",
        source: DISTROLESS,
    }
}

const fn node(version: u32) -> FinalImage {
    FinalImage {
        runtime: Runtime::Node { version },
        reference: match version {
            22 => "gcr.io/distroless/nodejs22-debian13:nonroot",
            24 => "gcr.io/distroless/nodejs24-debian13:nonroot",
            _ => "gcr.io/distroless/nodejs26-debian13:nonroot",
        },
        user: NONROOT,
        entrypoint: &["/nodejs/bin/node"],
        debian: Some(13),
        contains: CC_CONTENTS,
        end_of_life: None,
        why: "distroless/nodejs has Node.js and no shell or npm; its entrypoint is `node`",
        source: DISTROLESS,
    }
}

/// Why no final image is chosen for a runtime.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NoImage {
    /// No minimal image exists for this version; `available` lists the versions that have one.
    Unavailable { available: String },
    /// The image exists but is past its end of life on `today`.
    EndOfLife {
        reference: &'static str,
        end_of_life: Date,
    },
}

impl NoImage {
    /// A sentence for a decline reason.
    pub fn describe(&self, runtime: Runtime) -> String {
        match self {
            NoImage::Unavailable { available } => {
                format!(
                    "no minimal image exists for {} ({available} have one)",
                    runtime.describe()
                )
            }
            NoImage::EndOfLife {
                reference,
                end_of_life,
            } => {
                format!("the minimal image for {} (`{reference}`) reached its end of life on {end_of_life}", runtime.describe())
            }
        }
    }
}

/// The final image for a runtime on `today`: never one past its end of life.
pub fn final_image(runtime: Runtime, today: Date) -> Result<&'static FinalImage, NoImage> {
    match FINAL_IMAGES.iter().find(|image| image.runtime == runtime) {
        Some(image) => match image.end_of_life {
            Some(end) if end < today => Err(NoImage::EndOfLife {
                reference: image.reference,
                end_of_life: end,
            }),
            _ => Ok(image),
        },
        None => Err(NoImage::Unavailable {
            available: versions_like(runtime),
        }),
    }
}

/// The versions of the same language that have an image ("22, 24 and 26").
fn versions_like(runtime: Runtime) -> String {
    let versions: Vec<String> = FINAL_IMAGES
        .iter()
        .filter_map(|image| match (runtime, image.runtime) {
            (Runtime::Java { .. }, Runtime::Java { version })
            | (Runtime::Node { .. }, Runtime::Node { version })
            | (Runtime::Dotnet { .. }, Runtime::Dotnet { version }) => Some(version.to_string()),
            (Runtime::Python { .. }, Runtime::Python { minor }) => Some(format!("3.{minor}")),
            _ => None,
        })
        .collect();
    match versions.as_slice() {
        [] => "no version".into(),
        [one] => format!("only {one}"),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// The README's table of final images, in Markdown (a test keeps the README equal to it).
pub fn markdown_table(checked: Date) -> String {
    let mut out = format!("| what the build produces | final image | runs as | entrypoint | support ends |\n|---|---|---|---|---|\n");
    for image in FINAL_IMAGES {
        let entrypoint = if image.entrypoint.is_empty() {
            "(none)".to_string()
        } else {
            format!("`{}`", image.entrypoint.join(" "))
        };
        let end = match image.end_of_life {
            None => "not announced".to_string(),
            Some(d) if d < checked => format!("ended {d}: never chosen"),
            Some(d) => d.to_string(),
        };
        out.push_str(&format!(
            "| {} | `{}` | {} | {} | {} |\n",
            image.runtime.describe(),
            image.reference,
            image.user,
            entrypoint,
            end
        ));
    }
    out.push_str(&format!(
        "\nChecked against the publishers' sources on {checked}.\n"
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: Date = Date::ymd(2026, 12, 1);

    #[test]
    fn no_target_is_past_its_end_of_life() {
        for image in FINAL_IMAGES {
            assert!(!image.reference.contains("debian12"), "{}", image.reference);
            match final_image(image.runtime, TODAY) {
                Ok(chosen) => assert!(
                    chosen.end_of_life.is_none_or(|end| end >= TODAY),
                    "{}",
                    chosen.reference
                ),
                Err(NoImage::EndOfLife { end_of_life, .. }) => assert!(end_of_life < TODAY),
                Err(other) => panic!("{other:?}"),
            }
        }
        let dotnet8 = final_image(Runtime::Dotnet { version: 8 }, TODAY).unwrap_err();
        assert_eq!(
            dotnet8.describe(Runtime::Dotnet { version: 8 }),
            "the minimal image for .NET 8 (`mcr.microsoft.com/dotnet/aspnet:8.0-noble-chiseled`) reached its end of life on 2026-11-10"
        );
    }

    #[test]
    fn chooses_current_versions_only() {
        assert!(final_image(Runtime::Node { version: 24 }, TODAY).is_ok());
        let node20 = final_image(Runtime::Node { version: 20 }, TODAY).unwrap_err();
        assert_eq!(
            node20.describe(Runtime::Node { version: 20 }),
            "no minimal image exists for Node.js 20 (22, 24 and 26 have one)"
        );
        assert!(final_image(Runtime::Python { minor: 11 }, TODAY).is_err());
        assert_eq!(
            final_image(Runtime::Python { minor: 13 }, TODAY)
                .unwrap()
                .entrypoint,
            ["/usr/bin/python3.13"]
        );
        let later = Date::ymd(2029, 1, 1);
        assert!(matches!(
            final_image(Runtime::Dotnet { version: 10 }, later),
            Err(NoImage::EndOfLife { .. })
        ));
    }
}
