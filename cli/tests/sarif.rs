//! `check --output-format sarif` is valid SARIF 2.1.0: validated against the official JSON
//! schema (shipped in Microsoft's `@microsoft/jest-sarif` package, installed by scripts/test),
//! with the rule metadata and help text GitHub code scanning shows.

use std::path::PathBuf;

use assert_cmd::Command;

fn schema() -> serde_json::Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!("the SARIF 2.1.0 schema is missing at {} ({e}): run scripts/test (npm ci installs it)", path.display())
    });
    serde_json::from_str(&text).expect("schema JSON")
}

#[test]
fn sarif_output_validates_against_the_sarif_2_1_0_schema() {
    let examples = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let output = Command::cargo_bin("dfharden")
        .unwrap()
        .current_dir(&examples)
        .args(["check", "--output-format", "sarif", "--select", "ALL", "."])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let log: serde_json::Value = serde_json::from_slice(&output.stdout).expect("SARIF is JSON");
    let validator = jsonschema::draft4::new(&schema()).expect("the schema compiles");
    let errors: Vec<String> = validator.iter_errors(&log).map(|e| format!("{} at {}", e, e.instance_path)).collect();
    assert!(errors.is_empty(), "SARIF schema violations:\n{}", errors.join("\n"));

    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.len() >= 30);
    let dh101 = rules.iter().find(|r| r["id"] == "DH101").unwrap();
    assert!(dh101["help"]["markdown"].as_str().unwrap().contains("## Why is this bad?"));
    assert!(dh101["properties"]["security-severity"].as_str().is_some());
    let results = run["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for result in results {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"], "ruleIndex points at the rule");
        let uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap();
        assert!(uri.ends_with("Dockerfile") && !uri.starts_with('/') && !uri.starts_with("./"), "{uri}");
        assert!(result["locations"][0]["physicalLocation"]["region"]["startLine"].as_u64().unwrap() >= 1);
    }
    assert!(results.iter().any(|r| r["fixes"].as_array().is_some_and(|f| !f.is_empty())), "fixes are included");
}

#[test]
fn a_broken_log_is_rejected_by_the_same_validation() {
    // Guard against a validator that accepts anything.
    let validator = jsonschema::draft4::new(&schema()).unwrap();
    let broken = serde_json::json!({ "version": "2.1.0", "runs": [{ "results": [] }] });
    assert!(validator.iter_errors(&broken).next().is_some());
}

fn artifact_locations(dir: &std::path::Path, path: &str) -> Vec<serde_json::Value> {
    let output = Command::cargo_bin("dfharden")
        .unwrap()
        .current_dir(dir)
        .args(["check", "--output-format", "sarif", path])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", String::from_utf8_lossy(&output.stderr));
    let log: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    results.iter().map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"].clone()).collect()
}

#[test]
fn uris_are_relative_to_the_repository_root_or_absolute_file_uris() {
    // Code scanning resolves `%SRCROOT%` to the repository root, whatever directory ran the check.
    let repo = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(repo.path().join(".git")).unwrap();
    std::fs::create_dir_all(repo.path().join("my svc")).unwrap();
    std::fs::write(repo.path().join("my svc/Dockerfile"), "FROM ubuntu:latest\nCMD [\"true\"]\n").unwrap();
    let locations = artifact_locations(&repo.path().join("my svc"), "Dockerfile");
    assert!(!locations.is_empty());
    for location in &locations {
        assert_eq!(location["uri"], "my%20svc/Dockerfile");
        assert_eq!(location["uriBaseId"], "%SRCROOT%");
    }

    // Outside any repository and the current directory, a relative URI would point nowhere.
    let elsewhere = tempfile::tempdir().unwrap();
    let other = tempfile::tempdir().unwrap();
    std::fs::write(elsewhere.path().join("Dockerfile"), "FROM ubuntu:latest\nCMD [\"true\"]\n").unwrap();
    let absolute = elsewhere.path().join("Dockerfile");
    let locations = artifact_locations(other.path(), absolute.to_str().unwrap());
    assert!(!locations.is_empty());
    for location in &locations {
        assert_eq!(location["uri"].as_str().unwrap(), format!("file://{}", absolute.display()));
        assert!(location.get("uriBaseId").is_none(), "{location}");
    }
}
