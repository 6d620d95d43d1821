//! The minimal final images dfharden chooses from, kept as data in one place so the CLI and
//! the web page offer the same choices. Update [`TABLE_CHECKED`] when the table is reviewed.

use serde::Serialize;

/// When the table below was last checked against the images' publishers.
pub const TABLE_CHECKED: &str = "2026-11-23";

/// What a build produces, which decides the final image.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Runtime {
    /// A statically linked binary (Go with `CGO_ENABLED=0`, Rust for musl).
    StaticBinary,
    /// A binary linked against glibc and libgcc (Rust's default target, C and C++).
    DynamicBinary,
    /// A Java application jar.
    Java { version: u32 },
    /// A Node.js application.
    Node { version: u32 },
    /// A Python application.
    Python { minor: u32 },
    /// A .NET application (framework-dependent).
    Dotnet { version: u32 },
}

/// A final image and how it runs things.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FinalImage {
    /// The reference to write in FROM (the `nonroot` variant where there is one).
    pub reference: String,
    /// The numeric user:group the image runs as, written as `USER` for clarity and so that
    /// Kubernetes' `runAsNonRoot` can verify it.
    pub user: &'static str,
    /// The image's own ENTRYPOINT, which the CMD we write is appended to (empty: none).
    pub entrypoint: &'static [&'static str],
    /// Why this image.
    pub why: &'static str,
}

/// The final image for a runtime, or `None` when no minimal image fits (the caller then
/// hardens in place and says why).
pub fn final_image(runtime: Runtime) -> Option<FinalImage> {
    let image = |reference: String, user, entrypoint, why| FinalImage { reference, user, entrypoint, why };
    match runtime {
        Runtime::StaticBinary => Some(image(
            "gcr.io/distroless/static-debian12:nonroot".into(),
            "65532:65532",
            &[],
            "a static binary needs no libc: distroless/static has only CA certificates, tzdata and /etc/passwd",
        )),
        Runtime::DynamicBinary => Some(image(
            "gcr.io/distroless/cc-debian12:nonroot".into(),
            "65532:65532",
            &[],
            "a glibc binary needs libc, libgcc and libstdc++: distroless/cc has them and nothing else",
        )),
        Runtime::Java { version } if matches!(version, 17 | 21) => Some(image(
            format!("gcr.io/distroless/java{version}-debian12:nonroot"),
            "65532:65532",
            &["java", "-jar"],
            "distroless/java has a Java runtime and no shell; its entrypoint is `java -jar`",
        )),
        Runtime::Node { version } if matches!(version, 20 | 22) => Some(image(
            format!("gcr.io/distroless/nodejs{version}-debian12:nonroot"),
            "65532:65532",
            &["/nodejs/bin/node"],
            "distroless/nodejs has Node.js and no shell or npm; its entrypoint is `node`",
        )),
        Runtime::Python { minor: 11 } => Some(image(
            "gcr.io/distroless/python3-debian12:nonroot".into(),
            "65532:65532",
            &["/usr/bin/python3"],
            "distroless/python3 has Debian 12's Python 3.11 and no shell or pip",
        )),
        Runtime::Dotnet { version } if version >= 8 => Some(image(
            format!("mcr.microsoft.com/dotnet/aspnet:{version}.0-noble-chiseled"),
            "1654:1654",
            &[],
            "Microsoft's chiseled images have the .NET runtime, no shell or package manager, and run as the non-root `app` user",
        )),
        _ => None,
    }
}

/// Every entry of the table, for documentation and the web page.
pub fn table() -> Vec<(Runtime, FinalImage)> {
    [
        Runtime::StaticBinary,
        Runtime::DynamicBinary,
        Runtime::Java { version: 17 },
        Runtime::Java { version: 21 },
        Runtime::Node { version: 20 },
        Runtime::Node { version: 22 },
        Runtime::Python { minor: 11 },
        Runtime::Dotnet { version: 8 },
        Runtime::Dotnet { version: 9 },
    ]
    .into_iter()
    .filter_map(|r| final_image(r).map(|i| (r, i)))
    .collect()
}
