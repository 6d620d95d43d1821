//! SARIF 2.1.0, as GitHub code scanning reads it: rules with their full explanation as help,
//! results with regions, and fixes as replacements.

use serde::Serialize;

use super::Location;
use crate::rules::{Category, Finding, Rule, Severity};
use crate::syntax::LineIndex;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// One analysed file: its path (relative to the repository root, `/`-separated), text and
/// findings.
pub struct SarifInput<'a> {
    pub path: &'a str,
    pub text: &'a str,
    pub findings: &'a [Finding],
}

#[derive(Serialize)]
pub struct SarifLog {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    results: Vec<SarifResult>,
    column_kind: &'static str,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<ReportingDescriptor>,
}

#[derive(Serialize)]
struct Message {
    text: String,
}

#[derive(Serialize)]
struct MultiformatMessage {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReportingDescriptor {
    id: &'static str,
    name: &'static str,
    short_description: Message,
    full_description: Message,
    help: MultiformatMessage,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: Vec<&'static str>,
    #[serde(rename = "security-severity")]
    security_severity: &'static str,
    precision: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Message,
    locations: Vec<SarifLocation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<SarifFix>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize, Clone)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

impl ArtifactLocation {
    /// A relative path is a URI reference against `%SRCROOT%` (the repository root, for code
    /// scanning); an absolute one cannot be, so it becomes a `file:` URI with no base.
    fn of(path: &str) -> Self {
        let path = path.replace('\\', "/");
        let bytes = path.as_bytes();
        let drive = bytes.len() > 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' && bytes[2] == b'/';
        if path.starts_with('/') {
            ArtifactLocation { uri: format!("file://{}", percent_encode(&path)), uri_base_id: None }
        } else if drive {
            ArtifactLocation { uri: format!("file:///{}", percent_encode(&path)), uri_base_id: None }
        } else {
            ArtifactLocation { uri: percent_encode(&path), uri_base_id: Some("%SRCROOT%") }
        }
    }
}

/// Percent-encodes what may not appear in a URI path (RFC 3986 `pchar` and `/` stay).
fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

impl Region {
    fn of(location: &Location) -> Region {
        Region {
            start_line: location.line,
            start_column: location.column,
            end_line: location.end_line,
            end_column: location.end_column,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifFix {
    description: Message,
    artifact_changes: Vec<ArtifactChange>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange {
    artifact_location: ArtifactLocation,
    replacements: Vec<Replacement>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement {
    deleted_region: Region,
    inserted_content: Message,
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// GitHub ranks security alerts by this score (critical ≥ 9, high ≥ 7, medium ≥ 4).
fn security_severity(severity: Severity, category: Category) -> &'static str {
    match (severity, category) {
        (Severity::Error, Category::Secrets | Category::Privilege) => "8.0",
        (Severity::Error, _) => "7.0",
        (Severity::Warning, _) => "5.0",
        (Severity::Info, _) => "2.0",
    }
}

/// A SARIF log for the given files; `rules` are the rules that ran (all are described, so
/// that code scanning can show help for any of them).
pub fn sarif_log(rules: &[&Rule], files: &[SarifInput<'_>]) -> SarifLog {
    let descriptors = rules
        .iter()
        .map(|rule| {
            let meta = rule.meta;
            let explanation = meta.explanation();
            ReportingDescriptor {
                id: meta.code,
                name: meta.name,
                short_description: Message { text: meta.summary.to_string() },
                full_description: Message {
                    text: meta.section("What it does").unwrap_or_else(|| meta.summary.to_string()),
                },
                help: MultiformatMessage { text: explanation.clone(), markdown: explanation },
                default_configuration: Configuration { level: level(meta.severity) },
                properties: RuleProperties {
                    tags: vec!["security", "dockerfile", meta.category.name()],
                    security_severity: security_severity(meta.severity, meta.category),
                    precision: "high",
                },
            }
        })
        .collect();
    let mut results = Vec::new();
    for file in files {
        let index = LineIndex::new(file.text);
        let artifact = ArtifactLocation::of(file.path);
        for finding in file.findings {
            let rule_index = rules.iter().position(|r| r.meta.code == finding.code).unwrap_or(0);
            let location = Location::of(file.text, &index, finding.range);
            let fixes = finding
                .fix
                .iter()
                .filter(|f| f.applicability != crate::fix::Applicability::DisplayOnly)
                .map(|fix| SarifFix {
                    description: Message { text: fix.title.clone() },
                    artifact_changes: vec![ArtifactChange {
                        artifact_location: artifact.clone(),
                        replacements: fix
                            .edits
                            .iter()
                            .map(|e| Replacement {
                                deleted_region: Region::of(&Location::of(file.text, &index, e.range)),
                                inserted_content: Message { text: e.content.clone() },
                            })
                            .collect(),
                    }],
                })
                .collect();
            results.push(SarifResult {
                rule_id: finding.code,
                rule_index,
                level: level(finding.severity),
                message: Message { text: finding.message.clone() },
                locations: vec![SarifLocation {
                    physical_location: PhysicalLocation { artifact_location: artifact.clone(), region: Region::of(&location) },
                }],
                fixes,
            });
        }
    }
    SarifLog {
        schema: SCHEMA,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "dfharden",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: "https://github.com/dfharden/dfharden",
                    rules: descriptors,
                },
            },
            results,
            column_kind: "unicodeCodePoints",
        }],
    }
}

#[cfg(test)]
mod tests {
    use super::ArtifactLocation;

    fn uri(path: &str) -> (String, Option<&'static str>) {
        let location = ArtifactLocation::of(path);
        (location.uri, location.uri_base_id)
    }

    #[test]
    fn relative_paths_are_against_the_source_root() {
        assert_eq!(uri("app/Dockerfile"), ("app/Dockerfile".into(), Some("%SRCROOT%")));
        assert_eq!(uri("my app/Dockerfile"), ("my%20app/Dockerfile".into(), Some("%SRCROOT%")));
    }

    #[test]
    fn absolute_paths_become_file_uris_without_a_base() {
        assert_eq!(uri("/tmp/x/Dockerfile"), ("file:///tmp/x/Dockerfile".into(), None));
        assert_eq!(uri("C:\\src\\Dockerfile"), ("file:///C:/src/Dockerfile".into(), None));
        assert_eq!(uri("/tmp/100%/Dockerfile"), ("file:///tmp/100%25/Dockerfile".into(), None));
    }
}
