//! When base images stop getting security fixes: distributions, language runtimes, web servers
//! and the distroless releases, each entry dated and tied to its publisher's source. A base
//! image past its end of life is a finding (DH207); a final image past it is never chosen.

use serde::Serialize;

use super::date::Date;
use crate::model::ImageRef;

/// A product whose releases end.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Product {
    Debian,
    Ubuntu,
    Alpine,
    Distroless,
    Node,
    Python,
    Go,
    Java,
    Dotnet,
    Ruby,
    Php,
    Nginx,
    Httpd,
}

impl Product {
    pub fn name(self) -> &'static str {
        match self {
            Product::Debian => "Debian",
            Product::Ubuntu => "Ubuntu",
            Product::Alpine => "Alpine",
            Product::Distroless => "distroless",
            Product::Node => "Node.js",
            Product::Python => "Python",
            Product::Go => "Go",
            Product::Java => "Java",
            Product::Dotnet => ".NET",
            Product::Ruby => "Ruby",
            Product::Php => "PHP",
            Product::Nginx => "nginx",
            Product::Httpd => "Apache httpd",
        }
    }

    /// The publisher's page or file the dates were read from.
    pub fn source(self) -> &'static str {
        match self {
            Product::Debian => "https://wiki.debian.org/LTS (as recorded in Debian's distro-info-data 0.58+deb12u7)",
            Product::Ubuntu => "https://ubuntu.com/about/release-cycle (as recorded in Debian's distro-info-data 0.58+deb12u7)",
            Product::Alpine => "https://alpinelinux.org/releases/ (end of support of the main repository)",
            Product::Distroless => "https://github.com/GoogleContainerTools/distroless/blob/main/SUPPORT_POLICY.md",
            Product::Node => "https://github.com/nodejs/Release/blob/main/schedule.json",
            Product::Python => "https://github.com/python/peps/blob/main/release_management/python-releases.toml",
            Product::Go => "https://go.dev/doc/devel/release (each release is supported until two newer major releases exist; 1.27 shipped 2026-08-19)",
            Product::Java => "https://adoptium.net/support/ (Eclipse Temurin)",
            Product::Dotnet => "https://github.com/dotnet/core/blob/main/release-notes/releases-index.json",
            Product::Ruby => "https://github.com/ruby/www.ruby-lang.org/blob/master/_data/branches.yml",
            Product::Php => "https://www.php.net/supported-versions.php (computed by php/web-php include/branches.inc)",
            Product::Nginx => "https://github.com/nginx/nginx/blob/master/docs/xml/nginx/changes.xml (the same file on each stable-1.xx branch dates its first release; SECURITY.md: fixes go to the supported stable and the mainline version)",
            Product::Httpd => "https://httpd.apache.org/ (\"Apache httpd 2.2 End-of-Life 2018-01-01\", content/index.md of github.com/apache/httpd-site)",
        }
    }
}

/// One release and the last day it is supported.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Release {
    pub product: Product,
    /// As a tag writes it: `3.19`, `20`, `1.22`, `12`.
    pub version: &'static str,
    /// The release's code name, where tags use it (`bookworm`, `jammy`).
    pub codename: Option<&'static str>,
    /// The last day of support (for Debian, of its long-term support).
    pub end_of_life: Date,
}

const fn release(
    product: Product,
    version: &'static str,
    codename: Option<&'static str>,
    end: Date,
) -> Release {
    Release {
        product,
        version,
        codename,
        end_of_life: end,
    }
}

use Product::*;

/// Every release dfharden knows the end of, oldest first within each product.
pub static RELEASES: &[Release] = &[
    release(Debian, "7", Some("wheezy"), Date::ymd(2018, 5, 31)),
    release(Debian, "8", Some("jessie"), Date::ymd(2020, 6, 30)),
    release(Debian, "9", Some("stretch"), Date::ymd(2022, 6, 30)),
    release(Debian, "10", Some("buster"), Date::ymd(2024, 6, 30)),
    release(Debian, "11", Some("bullseye"), Date::ymd(2026, 8, 31)),
    release(Debian, "12", Some("bookworm"), Date::ymd(2028, 6, 30)),
    release(Debian, "13", Some("trixie"), Date::ymd(2030, 6, 30)),
    release(Ubuntu, "14.04", Some("trusty"), Date::ymd(2019, 4, 30)),
    release(Ubuntu, "16.04", Some("xenial"), Date::ymd(2021, 4, 30)),
    release(Ubuntu, "18.04", Some("bionic"), Date::ymd(2023, 5, 31)),
    release(Ubuntu, "20.04", Some("focal"), Date::ymd(2025, 5, 29)),
    release(Ubuntu, "22.04", Some("jammy"), Date::ymd(2027, 6, 1)),
    release(Ubuntu, "23.10", Some("mantic"), Date::ymd(2024, 7, 11)),
    release(Ubuntu, "24.04", Some("noble"), Date::ymd(2029, 5, 31)),
    release(Ubuntu, "24.10", Some("oracular"), Date::ymd(2025, 7, 10)),
    release(Ubuntu, "25.04", Some("plucky"), Date::ymd(2026, 1, 15)),
    release(Ubuntu, "25.10", Some("questing"), Date::ymd(2026, 7, 9)),
    release(Ubuntu, "26.04", Some("resolute"), Date::ymd(2031, 5, 29)),
    release(Ubuntu, "26.10", Some("stonking"), Date::ymd(2027, 7, 15)),
    release(Alpine, "3.14", None, Date::ymd(2023, 5, 1)),
    release(Alpine, "3.15", None, Date::ymd(2023, 11, 1)),
    release(Alpine, "3.16", None, Date::ymd(2024, 5, 23)),
    release(Alpine, "3.17", None, Date::ymd(2024, 11, 22)),
    release(Alpine, "3.18", None, Date::ymd(2025, 5, 9)),
    release(Alpine, "3.19", None, Date::ymd(2025, 11, 1)),
    release(Alpine, "3.20", None, Date::ymd(2026, 4, 1)),
    release(Alpine, "3.21", None, Date::ymd(2026, 11, 1)),
    release(Alpine, "3.22", None, Date::ymd(2027, 5, 1)),
    release(Alpine, "3.23", None, Date::ymd(2027, 11, 1)),
    release(Alpine, "3.24", None, Date::ymd(2028, 6, 1)),
    // The distroless families of one Debian release end at different times.
    release(Distroless, "debian11", None, Date::ymd(2024, 6, 30)),
    release(Distroless, "java-debian12", None, Date::ymd(2026, 1, 31)),
    release(Distroless, "nodejs-debian12", None, Date::ymd(2026, 1, 31)),
    release(Distroless, "python3-debian12", None, Date::ymd(2026, 4, 30)),
    release(Distroless, "debian12", None, Date::ymd(2026, 9, 30)),
    release(Node, "12", Some("erbium"), Date::ymd(2022, 4, 30)),
    release(Node, "14", Some("fermium"), Date::ymd(2023, 4, 30)),
    release(Node, "15", None, Date::ymd(2021, 6, 1)),
    release(Node, "16", Some("gallium"), Date::ymd(2023, 9, 11)),
    release(Node, "17", None, Date::ymd(2022, 6, 1)),
    release(Node, "18", Some("hydrogen"), Date::ymd(2025, 4, 30)),
    release(Node, "19", None, Date::ymd(2023, 6, 1)),
    release(Node, "20", Some("iron"), Date::ymd(2026, 4, 30)),
    release(Node, "21", None, Date::ymd(2024, 6, 1)),
    release(Node, "22", Some("jod"), Date::ymd(2027, 4, 30)),
    release(Node, "23", None, Date::ymd(2025, 6, 1)),
    release(Node, "24", Some("krypton"), Date::ymd(2028, 4, 30)),
    release(Node, "25", None, Date::ymd(2026, 6, 1)),
    release(Node, "26", None, Date::ymd(2029, 4, 30)),
    release(Python, "2.7", None, Date::ymd(2020, 1, 1)),
    release(Python, "3.6", None, Date::ymd(2021, 12, 23)),
    release(Python, "3.7", None, Date::ymd(2023, 6, 27)),
    release(Python, "3.8", None, Date::ymd(2024, 10, 7)),
    release(Python, "3.9", None, Date::ymd(2025, 10, 31)),
    release(Python, "3.10", None, Date::ymd(2026, 10, 1)),
    release(Python, "3.11", None, Date::ymd(2027, 10, 1)),
    release(Python, "3.12", None, Date::ymd(2028, 10, 1)),
    release(Python, "3.13", None, Date::ymd(2029, 10, 1)),
    release(Python, "3.14", None, Date::ymd(2030, 10, 1)),
    release(Python, "3.15", None, Date::ymd(2031, 10, 1)),
    release(Go, "1.20", None, Date::ymd(2024, 2, 6)),
    release(Go, "1.21", None, Date::ymd(2024, 8, 13)),
    release(Go, "1.22", None, Date::ymd(2025, 2, 11)),
    release(Go, "1.23", None, Date::ymd(2025, 8, 12)),
    release(Go, "1.24", None, Date::ymd(2026, 2, 10)),
    release(Go, "1.25", None, Date::ymd(2026, 8, 19)),
    release(Java, "8", None, Date::ymd(2030, 12, 31)),
    release(Java, "9", None, Date::ymd(2018, 3, 31)),
    release(Java, "10", None, Date::ymd(2018, 9, 30)),
    release(Java, "11", None, Date::ymd(2027, 10, 31)),
    release(Java, "12", None, Date::ymd(2019, 9, 30)),
    release(Java, "13", None, Date::ymd(2020, 3, 31)),
    release(Java, "14", None, Date::ymd(2020, 9, 30)),
    release(Java, "15", None, Date::ymd(2021, 3, 31)),
    release(Java, "16", None, Date::ymd(2021, 9, 30)),
    release(Java, "17", None, Date::ymd(2027, 10, 31)),
    release(Java, "18", None, Date::ymd(2022, 9, 30)),
    release(Java, "19", None, Date::ymd(2023, 3, 31)),
    release(Java, "20", None, Date::ymd(2023, 9, 30)),
    release(Java, "21", None, Date::ymd(2029, 12, 31)),
    release(Java, "22", None, Date::ymd(2024, 9, 30)),
    release(Java, "23", None, Date::ymd(2025, 3, 31)),
    release(Java, "24", None, Date::ymd(2025, 9, 30)),
    release(Java, "25", None, Date::ymd(2031, 9, 30)),
    release(Java, "26", None, Date::ymd(2026, 9, 30)),
    release(Java, "27", None, Date::ymd(2027, 3, 31)),
    release(Dotnet, "3", None, Date::ymd(2022, 12, 13)),
    release(Dotnet, "5", None, Date::ymd(2022, 5, 10)),
    release(Dotnet, "6", None, Date::ymd(2024, 11, 12)),
    release(Dotnet, "7", None, Date::ymd(2024, 5, 14)),
    release(Dotnet, "8", None, Date::ymd(2026, 11, 10)),
    release(Dotnet, "9", None, Date::ymd(2026, 11, 10)),
    release(Dotnet, "10", None, Date::ymd(2028, 11, 14)),
    release(Dotnet, "11", None, Date::ymd(2028, 11, 9)),
    release(Ruby, "2.7", None, Date::ymd(2023, 3, 31)),
    release(Ruby, "3.0", None, Date::ymd(2024, 4, 23)),
    release(Ruby, "3.1", None, Date::ymd(2025, 3, 26)),
    release(Ruby, "3.2", None, Date::ymd(2026, 4, 1)),
    // The expected end, as branches.yml gives it (`expected_eol_date`): 3.3 has no `eol_date` yet.
    release(Ruby, "3.3", None, Date::ymd(2027, 3, 31)),
    // 3.4 and 4.0 are in normal maintenance and branches.yml gives them no end, expected or
    // not (the branches page shows "TBD"): they are not listed until it does.
    release(Php, "7.4", None, Date::ymd(2022, 11, 28)),
    release(Php, "8.0", None, Date::ymd(2023, 11, 26)),
    release(Php, "8.1", None, Date::ymd(2025, 12, 31)),
    release(Php, "8.2", None, Date::ymd(2026, 12, 31)),
    release(Php, "8.3", None, Date::ymd(2027, 12, 31)),
    release(Php, "8.4", None, Date::ymd(2028, 12, 31)),
    release(Php, "8.5", None, Date::ymd(2029, 12, 31)),
    // nginx fixes only its current stable (even) and mainline (odd) branches. A stable branch
    // ends the day the next one ships (each April), and so does the mainline branch whose code
    // that next stable branch is: CVE-2021-23017 was fixed in 1.20.1 and 1.21.0 a month after
    // 1.20.0, with no 1.18 or 1.19 release. Each date is the `1.N.0` entry of changes.xml on
    // the branch that ended it. The current branches (1.30 stable, 1.31 mainline) end when
    // 1.32 ships, on a day not yet known, so they are not listed.
    release(Nginx, "1.10", None, Date::ymd(2017, 4, 12)),
    release(Nginx, "1.11", None, Date::ymd(2017, 4, 12)),
    release(Nginx, "1.12", None, Date::ymd(2018, 4, 17)),
    release(Nginx, "1.13", None, Date::ymd(2018, 4, 17)),
    release(Nginx, "1.14", None, Date::ymd(2019, 4, 23)),
    release(Nginx, "1.15", None, Date::ymd(2019, 4, 23)),
    release(Nginx, "1.16", None, Date::ymd(2020, 4, 21)),
    release(Nginx, "1.17", None, Date::ymd(2020, 4, 21)),
    release(Nginx, "1.18", None, Date::ymd(2021, 4, 20)),
    release(Nginx, "1.19", None, Date::ymd(2021, 4, 20)),
    release(Nginx, "1.20", None, Date::ymd(2022, 5, 24)),
    release(Nginx, "1.21", None, Date::ymd(2022, 5, 24)),
    release(Nginx, "1.22", None, Date::ymd(2023, 4, 11)),
    release(Nginx, "1.23", None, Date::ymd(2023, 4, 11)),
    release(Nginx, "1.24", None, Date::ymd(2024, 4, 23)),
    release(Nginx, "1.25", None, Date::ymd(2024, 4, 23)),
    release(Nginx, "1.26", None, Date::ymd(2025, 4, 23)),
    release(Nginx, "1.27", None, Date::ymd(2025, 4, 23)),
    release(Nginx, "1.28", None, Date::ymd(2026, 4, 14)),
    release(Nginx, "1.29", None, Date::ymd(2026, 4, 14)),
    // The end date httpd.apache.org gives 2.2, after which no bug or security report is
    // considered (2.2.34, of July 2017, was the last release). 2.4 is the supported branch
    // and has no announced end.
    release(Httpd, "2.2", None, Date::ymd(2018, 1, 1)),
];

/// What a base image reference says about the releases it is built on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Ended {
    pub product: Product,
    /// The release as a person names it ("Node.js 16", "Debian 11 (bullseye)").
    pub release: String,
    /// `None`: a rolling tag (`alpine:edge`), which is never a supported release.
    pub end_of_life: Option<Date>,
    /// The release is older than every one listed: it ended before `end_of_life`, the end of
    /// the oldest listed release, on a day the data does not hold.
    pub ended_before: bool,
    /// What to move to, in words.
    pub successor: String,
    /// The edit to the written reference when the move is mechanical (the same language
    /// version on a supported release of the same distribution, or the same distroless image
    /// on the next Debian release).
    pub replacement: Option<Substitution>,
}

/// Replace `from` with `to` in the reference as written (`/static-debian12` → `/static-debian13`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Substitution {
    pub from: String,
    pub to: String,
}

/// The releases `image` is built on that are past their end of life on `today`, or rolling.
pub fn ended(image: &ImageRef, today: Date) -> Vec<Ended> {
    let mut out: Vec<Ended> = releases_of(image)
        .into_iter()
        .filter(|(release, _)| release.end_of_life < today)
        .map(|(release, matched)| describe(image, release, matched, today))
        .collect();
    if is_rolling(image) {
        out.push(Ended {
            product: Alpine,
            release: "Alpine edge".into(),
            end_of_life: None,
            ended_before: false,
            successor: format!(
                "a numbered Alpine release ({})",
                one_of(&supported(Alpine, today))
            ),
            replacement: None,
        });
    }
    if name(image) == "openjdk" && is_official(image) && !is_early_access(image) {
        out.push(Ended {
            product: Java,
            release: "the `openjdk` image".into(),
            end_of_life: Some(OPENJDK_IMAGE_DEPRECATED),
            ended_before: false,
            successor: "`eclipse-temurin` (or `amazoncorretto`, `sapmachine`, `ibm-semeru-runtimes`) of the same Java version".into(),
            replacement: None,
        });
    }
    out
}

/// The Docker Official Image `openjdk` is deprecated: after July 2022 only its early-access
/// tags get updates (https://github.com/docker-library/docs/blob/master/openjdk/README.md).
pub const OPENJDK_IMAGE_DEPRECATED: Date = Date::ymd(2022, 7, 31);

fn is_early_access(image: &ImageRef) -> bool {
    let tag = image.tag.as_deref().unwrap_or_default();
    tag.contains("-ea") || tag.contains("-rc")
}

/// The numbered tag suffix `edge` stands for nothing: it moves every day and is not supported.
fn is_rolling(image: &ImageRef) -> bool {
    let tag = image.tag.as_deref().unwrap_or_default();
    name(image) == "alpine"
        && is_official(image)
        && (tag == "edge" || tag.starts_with("edge-") || tag.starts_with("edge_"))
}

/// How a release was recognised in the reference: as the image itself (`debian:11`) or as
/// the distribution under a language image (`python:3.12-bullseye`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Matched {
    Image,
    /// The image's version, older than every release listed (the oldest is returned).
    OlderThanListed,
    /// The code name or `alpineX.Y` in the tag, at this byte range of the tag.
    TagPart(usize, usize),
}

fn name(image: &ImageRef) -> &str {
    image
        .repository
        .rsplit('/')
        .next()
        .unwrap_or(&image.repository)
}

/// The releases a reference names, with how each was found.
fn releases_of(image: &ImageRef) -> Vec<(&'static Release, Matched)> {
    let tag = image
        .tag
        .as_deref()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let repo = image.repository.as_str();
    let mut out = Vec::new();
    if let Some(family) = repo
        .strip_prefix("distroless/")
        .or_else(|| repo.split_once("/distroless/").map(|(_, r)| r))
    {
        if let Some(release) = distroless_release(family) {
            out.push((release, Matched::Image));
        }
        return out;
    }
    let official = is_official(image);
    let product = match (image.registry.as_str(), name(image)) {
        (_, "debian") if official => Some(Debian),
        (_, "ubuntu") if official => Some(Ubuntu),
        (_, "alpine") if official => Some(Alpine),
        (_, "node") if official => Some(Node),
        (_, "python") if official => Some(Python),
        (_, "golang") if official => Some(Go),
        (_, "ruby") if official => Some(Ruby),
        (_, "php") if official => Some(Php),
        (_, "nginx") if official => Some(Nginx),
        (_, "httpd") if official => Some(Httpd),
        // NGINX's unprivileged build of the official image, published under the same tags.
        (crate::model::DOCKER_HUB, "nginx-unprivileged")
            if repo == "nginxinc/nginx-unprivileged" =>
        {
            Some(Nginx)
        }
        (
            _,
            "eclipse-temurin" | "openjdk" | "amazoncorretto" | "ibm-semeru-runtimes" | "sapmachine",
        ) if official => Some(Java),
        ("mcr.microsoft.com", "sdk" | "aspnet" | "runtime" | "runtime-deps")
            if repo.starts_with("dotnet/") =>
        {
            Some(Dotnet)
        }
        _ => None,
    };
    if let Some(product) = product {
        if let Some((release, older)) = version_release(product, &tag) {
            out.push((release, if older { Matched::OlderThanListed } else { Matched::Image }));
        }
    }
    // The distribution under a language image, named in its tag.
    if !matches!(product, Some(Debian | Ubuntu | Alpine)) {
        for (start, part) in tag_parts(&tag) {
            let end = start + part.len();
            if let Some(version) = part.strip_prefix("alpine") {
                if let Some(release) = find(Alpine, version) {
                    out.push((release, Matched::TagPart(start, end)));
                }
            } else if let Some(release) = RELEASES
                .iter()
                .find(|r| r.codename == Some(part) && matches!(r.product, Debian | Ubuntu))
            {
                out.push((release, Matched::TagPart(start, end)));
            }
        }
    }
    out
}

/// A Docker Official Image, on Docker Hub or one of its mirrors: only their names say which
/// product they are (`example.com/team/node` may be anything).
fn is_official(image: &ImageRef) -> bool {
    let repo = image.repository.as_str();
    match image.registry.as_str() {
        crate::model::DOCKER_HUB => repo.starts_with("library/"),
        "public.ecr.aws" => repo.starts_with("docker/library/"),
        "mirror.gcr.io" => repo.starts_with("library/"),
        _ => false,
    }
}

/// The parts of a tag between dashes, with their offsets.
fn tag_parts(tag: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut offset = 0;
    tag.split('-').map(move |part| {
        let at = offset;
        offset += part.len() + 1;
        (at, part)
    })
}

fn find(product: Product, version: &str) -> Option<&'static Release> {
    RELEASES
        .iter()
        .find(|r| r.product == product && r.version == version)
}

fn distroless_release(family: &str) -> Option<&'static Release> {
    let (image, debian) = family.rsplit_once('-')?;
    match debian {
        "debian11" => find(Distroless, "debian11"),
        "debian12" if image.starts_with("java") => find(Distroless, "java-debian12"),
        "debian12" if image.starts_with("nodejs") => find(Distroless, "nodejs-debian12"),
        "debian12" if image.starts_with("python") => find(Distroless, "python3-debian12"),
        "debian12" => find(Distroless, "debian12"),
        _ => None,
    }
}

/// The release a version tag names (`3.8-slim` → Python 3.8), or, for a version older than
/// every release listed, the oldest one (it ended earlier still) and `true`.
fn version_release(product: Product, tag: &str) -> Option<(&'static Release, bool)> {
    if let Some(release) = RELEASES.iter().find(|r| {
        r.product == product
            && r.codename
                .is_some_and(|c| tag == c || tag.starts_with(&format!("{c}-")))
    }) {
        return Some((release, false));
    }
    let version = leading_version(tag, product)?;
    if let Some(release) = find(product, &version) {
        return Some((release, false));
    }
    // Older than anything listed: it ended before the oldest entry did.
    let oldest = RELEASES.iter().find(|r| r.product == product)?;
    (compare_versions(&version, oldest.version) == std::cmp::Ordering::Less).then_some((oldest, true))
}

/// The version a tag starts with, to the precision the product's releases use: one number
/// for Node.js, Java, .NET and Debian, two for the others (`3.8.10-slim` → `3.8`).
fn leading_version(tag: &str, product: Product) -> Option<String> {
    let tag = tag.strip_prefix('v').unwrap_or(tag);
    let numeric: String = tag
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let mut parts = numeric.split('.').filter(|p| !p.is_empty());
    let major = parts.next()?;
    let major = if product == Java {
        major.split('u').next().unwrap_or(major)
    } else {
        major
    };
    match product {
        Node | Java | Dotnet | Debian => Some(major.to_string()),
        _ => {
            let minor = parts.next()?;
            let minor = if product == Ubuntu {
                minor.to_string()
            } else {
                minor.trim_start_matches('0').to_string()
            };
            let minor = if minor.is_empty() {
                "0".to_string()
            } else {
                minor
            };
            Some(format!("{major}.{minor}"))
        }
    }
}

fn compare_versions(a: &str, b: &str) -> std::cmp::Ordering {
    let numbers = |v: &str| {
        v.split('.')
            .map(|p| p.parse::<u32>().unwrap_or(0))
            .collect::<Vec<_>>()
    };
    numbers(a).cmp(&numbers(b))
}

/// The versions of a product still supported on `today`, newest last.
fn supported(product: Product, today: Date) -> Vec<&'static str> {
    let mut versions: Vec<&Release> = RELEASES
        .iter()
        .filter(|r| r.product == product && r.end_of_life >= today)
        .collect();
    versions.sort_by(|a, b| compare_versions(a.version, b.version));
    versions.iter().map(|r| r.version).collect()
}

/// "22, 24 or 26".
fn one_of(versions: &[&str]) -> String {
    match versions {
        [] => String::new(),
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

fn release_name(release: &Release) -> String {
    match (release.product, release.codename) {
        (Distroless, _) => format!(
            "distroless {}",
            release
                .version
                .replace("debian", "Debian ")
                .replace("-", " images on ")
        ),
        (Debian | Ubuntu, Some(codename)) => format!(
            "{} {} ({codename})",
            release.product.name(),
            release.version
        ),
        (product, _) => format!("{} {}", product.name(), release.version),
    }
}

fn describe(image: &ImageRef, release: &'static Release, matched: Matched, today: Date) -> Ended {
    let versions = supported(release.product, today);
    let successor = match release.product {
        Distroless => "the same image built on Debian 13 (`-debian13`)".to_string(),
        Debian => "Debian 13 (trixie)".to_string(),
        // The supported branches are not listed (their end is not known yet): name them by tag.
        Nginx => "the current stable or mainline nginx branch (the `stable` or `mainline` tag)"
            .to_string(),
        Httpd => "Apache httpd 2.4".to_string(),
        product if versions.is_empty() => format!("a supported {} release", product.name()),
        product => format!("{} {}", product.name(), one_of(&versions)),
    };
    // An older version than the data lists is named as written, not as the oldest listed.
    let written = (matched == Matched::OlderThanListed)
        .then(|| leading_version(&image.tag.as_deref().unwrap_or_default().to_ascii_lowercase(), release.product))
        .flatten();
    Ended {
        product: release.product,
        release: match &written {
            Some(version) => format!("{} {version}", release.product.name()),
            None => release_name(release),
        },
        end_of_life: Some(release.end_of_life),
        ended_before: written.is_some(),
        successor,
        replacement: replacement(image, release, matched, today),
    }
}

/// The images of the Debian 13 distroless release, by name.
const DISTROLESS_DEBIAN13: &[&str] = &[
    "static",
    "base",
    "base-nossl",
    "cc",
    "java-base",
    "java17",
    "java21",
    "java25",
    "nodejs22",
    "nodejs24",
    "nodejs26",
];

/// A reference to move to when the move keeps everything the image's users rely on: the
/// same distroless image on Debian 13 (never a change of language version), or a language
/// image's supported version on a supported Debian release.
fn replacement(
    image: &ImageRef,
    release: &Release,
    matched: Matched,
    today: Date,
) -> Option<Substitution> {
    if image.digest.is_some() {
        return None;
    }
    match (release.product, matched) {
        (Distroless, Matched::Image) => {
            let family = image.repository.rsplit('/').next()?;
            let (name, _) = family.rsplit_once('-')?;
            DISTROLESS_DEBIAN13.contains(&name).then(|| Substitution {
                from: format!("/{family}"),
                to: format!("/{name}-debian13"),
            })
        }
        (Debian, Matched::TagPart(start, end)) => {
            // The language version itself must still be supported, or the move is a real upgrade.
            let language_ok = releases_of(image)
                .iter()
                .all(|(r, m)| *m != Matched::Image || r.end_of_life >= today);
            let tag = image.tag.as_deref()?;
            (language_ok && tag.is_char_boundary(start) && tag.is_char_boundary(end)).then(|| {
                Substitution {
                    from: format!(":{tag}"),
                    to: format!(":{}trixie{}", &tag[..start], &tag[end..]),
                }
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: Date = Date::ymd(2026, 12, 1);

    fn ended_of(reference: &str) -> Vec<Ended> {
        ended(&ImageRef::parse(reference).unwrap(), TODAY)
    }

    fn names(reference: &str) -> Vec<String> {
        ended_of(reference).into_iter().map(|e| e.release).collect()
    }

    #[test]
    fn finds_ended_releases() {
        assert_eq!(names("node:16"), ["Node.js 16"]);
        assert_eq!(names("node:16-alpine3.18"), ["Node.js 16", "Alpine 3.18"]);
        assert_eq!(
            names("python:3.8-slim-buster"),
            ["Python 3.8", "Debian 10 (buster)"]
        );
        assert_eq!(
            names("python:2"),
            Vec::<String>::new(),
            "one number says no Python minor"
        );
        assert_eq!(names("python:2.7.18"), ["Python 2.7"]);
        assert_eq!(names("alpine:3.19"), ["Alpine 3.19"]);
        assert_eq!(names("alpine:3.19.1"), ["Alpine 3.19"]);
        assert_eq!(names("debian:jessie"), ["Debian 8 (jessie)"]);
        assert_eq!(names("debian:11-slim"), ["Debian 11 (bullseye)"]);
        assert_eq!(names("ubuntu:20.04"), ["Ubuntu 20.04 (focal)"]);
        assert_eq!(names("mcr.microsoft.com/dotnet/runtime:7.0"), [".NET 7"]);
        assert_eq!(
            names("mcr.microsoft.com/dotnet/aspnet:8.0-bookworm-slim"),
            [".NET 8"]
        );
        assert_eq!(names("alpine:edge"), ["Alpine edge"]);
        assert_eq!(
            names("golang:1.19"),
            ["Go 1.19"],
            "older than the oldest listed release: named as written"
        );
        let older = ended_of("golang:1.18-alpine");
        assert!(older[0].ended_before);
        assert_eq!(older[0].end_of_life, Some(Date::ymd(2024, 2, 6)), "the end of Go 1.20, the oldest listed");
        assert!(!ended_of("golang:1.20")[0].ended_before);
        assert_eq!(names("golang:1.25-bookworm"), ["Go 1.25"]);
        assert_eq!(names("python:3.10"), ["Python 3.10"]);
        assert_eq!(names("openjdk:17-jdk-slim"), ["the `openjdk` image"]);
        assert_eq!(names("openjdk:28-ea-jdk"), Vec::<String>::new());
        assert_eq!(names("alpine:3.21"), ["Alpine 3.21"]);
        assert_eq!(names("eclipse-temurin:8u402-b06-jre"), Vec::<String>::new());
        assert_eq!(
            names("gcr.io/distroless/static-debian12:nonroot"),
            ["distroless Debian 12"]
        );
        assert_eq!(
            names("gcr.io/distroless/nodejs20-debian12"),
            ["distroless nodejs images on Debian 12"]
        );
    }

    #[test]
    fn current_releases_pass() {
        for current in [
            "node:22",
            "node:24-bookworm-slim",
            "python:3.13-slim-trixie",
            "alpine:3.22",
            "debian:bookworm",
            "ubuntu:24.04",
            "golang:1.26",
            "golang:1.27-trixie",
            "alpine:3.24",
            "php:8.2-apache",
            "ruby:3.4",
            "gcr.io/distroless/static-debian13:nonroot",
            "mcr.microsoft.com/dotnet/aspnet:10.0",
            "eclipse-temurin:21-jre",
            "nginx:1.30",
            "node:lts",
            "example.com/debian-tools:11",
        ] {
            assert!(
                ended_of(current).is_empty(),
                "{current}: {:?}",
                ended_of(current)
            );
        }
    }

    #[test]
    fn web_servers_and_ruby() {
        let today = Date::ymd(2026, 12, 2);
        let names = |reference: &str| -> Vec<String> {
            ended(&ImageRef::parse(reference).unwrap(), today)
                .into_iter()
                .map(|e| e.release)
                .collect()
        };
        assert_eq!(names("nginx:1.21"), ["nginx 1.21"]);
        assert_eq!(names("nginx:1.24-alpine"), ["nginx 1.24"]);
        assert_eq!(names("nginx:1.27.3-alpine-slim"), ["nginx 1.27"]);
        assert_eq!(
            names("nginx:1.28"),
            ["nginx 1.28"],
            "1.30 shipped 2026-04-14"
        );
        assert_eq!(names("nginx:1.29.3"), ["nginx 1.29"]);
        assert_eq!(
            names("nginx:1.9"),
            ["nginx 1.9"],
            "older than the oldest listed branch: named as written, ended before 1.10 did"
        );
        assert_eq!(
            names("nginxinc/nginx-unprivileged:1.26-alpine"),
            ["nginx 1.26"]
        );
        assert_eq!(names("httpd:2.2"), ["Apache httpd 2.2"]);
        assert_eq!(names("httpd:2.2.34-alpine"), ["Apache httpd 2.2"]);
        assert_eq!(names("ruby:3.2-slim"), ["Ruby 3.2"]);
        let end = &ended(&ImageRef::parse("nginx:1.24").unwrap(), today)[0];
        assert_eq!(end.end_of_life, Some(Date::ymd(2024, 4, 23)));
        assert!(end.successor.contains("`stable`"), "{}", end.successor);
        let end = &ended(&ImageRef::parse("httpd:2.2").unwrap(), today)[0];
        assert_eq!(end.end_of_life, Some(Date::ymd(2018, 1, 1)));
        assert_eq!(end.successor, "Apache httpd 2.4");
        for current in [
            "nginx:mainline",
            "nginx:stable",
            "nginx:latest",
            "nginx:mainline-alpine",
            "nginx:stable-alpine-slim",
            "nginx:alpine",
            "nginx:1",
            "nginx:1.30",
            "nginx:1.30.4-alpine",
            "nginx:1.31.4-trixie-perl",
            "nginxinc/nginx-unprivileged:stable",
            "example.com/nginx:1.20",
            "httpd:2.4",
            "httpd:2.4.62-alpine",
            "httpd:2",
            "httpd:latest",
            "ruby:3.3-slim",
            "ruby:3.4",
            "ruby:3.4-slim",
            "ruby:4.0-alpine",
        ] {
            assert!(names(current).is_empty(), "{current}: {:?}", names(current));
        }
    }

    #[test]
    fn mechanical_moves_only() {
        let replacement = |r: &str| {
            ended_of(r)
                .into_iter()
                .find_map(|e| e.replacement)
                .map(|s| r.replacen(&s.from, &s.to, 1))
        };
        assert_eq!(
            replacement("gcr.io/distroless/static-debian12:nonroot").as_deref(),
            Some("gcr.io/distroless/static-debian13:nonroot")
        );
        assert_eq!(
            replacement("gcr.io/distroless/nodejs22-debian12").as_deref(),
            Some("gcr.io/distroless/nodejs22-debian13")
        );
        assert_eq!(
            replacement("gcr.io/distroless/nodejs20-debian12"),
            None,
            "Node.js 20 has no Debian 13 image"
        );
        assert_eq!(
            replacement("gcr.io/distroless/python3-debian12"),
            None,
            "Python 3.11 to 3.13 is an upgrade"
        );
        assert_eq!(
            replacement("python:3.12-slim-bullseye").as_deref(),
            Some("python:3.12-slim-trixie")
        );
        assert_eq!(
            replacement("ruby:3.4-bullseye").as_deref(),
            Some("ruby:3.4-trixie")
        );
        assert_eq!(
            replacement("python:3.8-slim-bullseye"),
            None,
            "Python 3.8 itself ended"
        );
        assert_eq!(replacement("debian:bullseye"), None);
        assert_eq!(replacement("python:3.12-slim-bullseye@sha256:0000000000000000000000000000000000000000000000000000000000000000"), None);
    }

    #[test]
    fn every_product_has_a_source_and_dates_are_ordered_per_product() {
        for release in RELEASES {
            assert!(release.product.source().starts_with("https://"));
        }
    }
}
