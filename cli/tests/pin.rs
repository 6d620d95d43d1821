//! `dfharden pin` against real registries on this machine: Debian's `docker-registry` (the
//! Distribution registry) on 127.0.0.1 holding a two-platform OCI index, and a small stand-in
//! that demands a Bearer token (the Docker Hub flow) or Basic credentials.
//!
//! These tests need the `docker-registry` binary (`scripts/test` installs it); without it they
//! fail with that message rather than skip.
mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command as Process, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use common::project;
use common::read;
use sha2::{Digest, Sha256};

fn dfharden() -> Command {
    Command::cargo_bin("dfharden").expect("binary built")
}

fn sha256(bytes: &[u8]) -> String {
    format!("sha256:{}", Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect::<String>())
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A Distribution registry on 127.0.0.1, stopped when dropped.
struct Registry {
    child: Child,
    address: String,
    _storage: tempfile::TempDir,
}

impl Registry {
    fn start() -> Registry {
        let binary = ["/usr/bin/docker-registry", "/usr/sbin/docker-registry"]
            .into_iter()
            .find(|p| Path::new(p).exists())
            .unwrap_or_else(|| panic!("docker-registry is not installed: apt-get install docker-registry (scripts/test does)"));
        let storage = tempfile::tempdir().unwrap();
        let port = free_port();
        let address = format!("127.0.0.1:{port}");
        let config = storage.path().join("config.yml");
        std::fs::write(
            &config,
            format!(
                "version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: {}\nhttp:\n  addr: {address}\n",
                storage.path().join("data").display()
            ),
        )
        .unwrap();
        let child = Process::new(binary).arg("serve").arg(&config).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(&address).is_err() {
            assert!(Instant::now() < deadline, "the registry did not start on {address}");
            std::thread::sleep(Duration::from_millis(50));
        }
        Registry { child, address, _storage: storage }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    fn push_blob(&self, repository: &str, bytes: &[u8]) -> String {
        let digest = sha256(bytes);
        let agent = ureq::Agent::new_with_defaults();
        let response = agent.post(&self.url(&format!("/v2/{repository}/blobs/uploads/"))).send_empty().unwrap();
        let location = response.headers().get("location").unwrap().to_str().unwrap().to_string();
        let location = if location.starts_with("http") { location } else { self.url(&location) };
        let separator = if location.contains('?') { '&' } else { '?' };
        agent
            .put(&format!("{location}{separator}digest={digest}"))
            .header("Content-Type", "application/octet-stream")
            .send(bytes)
            .unwrap();
        digest
    }

    fn push_manifest(&self, repository: &str, reference: &str, media_type: &str, bytes: &[u8]) -> String {
        let agent = ureq::Agent::new_with_defaults();
        let response = agent
            .put(&self.url(&format!("/v2/{repository}/manifests/{reference}")))
            .header("Content-Type", media_type)
            .send(bytes)
            .unwrap();
        assert!(response.status().is_success(), "manifest push: {}", response.status());
        sha256(bytes)
    }

    /// Pushes a two-platform image under `tag` and returns (index digest, amd64 digest).
    fn push_multi_platform(&self, repository: &str, tag: &str) -> (String, String) {
        let layer = self.push_blob(repository, b"not really a tar layer, and the registry does not care");
        let mut manifests = Vec::new();
        for arch in ["amd64", "arm64"] {
            let config = format!(r#"{{"architecture":"{arch}","os":"linux","rootfs":{{"type":"layers","diff_ids":[]}}}}"#);
            let config_digest = self.push_blob(repository, config.as_bytes());
            let manifest = format!(
                r#"{{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{config_digest}","size":{}}},"layers":[{{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"{layer}","size":56}}]}}"#,
                config.len()
            );
            let digest = sha256(manifest.as_bytes());
            self.push_manifest(repository, &digest, "application/vnd.oci.image.manifest.v1+json", manifest.as_bytes());
            manifests.push((arch, digest, manifest.len()));
        }
        let entries: Vec<String> = manifests
            .iter()
            .map(|(arch, digest, size)| {
                format!(r#"{{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{digest}","size":{size},"platform":{{"architecture":"{arch}","os":"linux"}}}}"#)
            })
            .collect();
        let index = format!(r#"{{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{}]}}"#, entries.join(","));
        let index_digest = self.push_manifest(repository, tag, "application/vnd.oci.image.index.v1+json", index.as_bytes());
        (index_digest, manifests[0].1.clone())
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}



#[test]
fn pins_a_multi_platform_image_to_its_index_digest_and_fix_uses_the_lock_offline() {
    let registry = Registry::start();
    let (index_digest, amd64_digest) = registry.push_multi_platform("team/app", "1.0");
    assert_ne!(index_digest, amd64_digest);
    let reference = format!("{}/team/app:1.0", registry.address);
    let dockerfile = format!("FROM {reference} AS base\nRUN echo hi\nFROM base\n");
    let dir = project(&[("Dockerfile", &dockerfile)]);

    dfharden().current_dir(dir.path()).args(["pin", "--isolated", "Dockerfile"]).assert().success();

    let pinned = read(dir.path(), "Dockerfile");
    assert_eq!(pinned, format!("FROM {reference}@{index_digest} AS base\nRUN echo hi\nFROM base\n"));
    let lock = read(dir.path(), "dfharden.lock");
    assert!(lock.contains(&format!("reference = \"{reference}\"")), "{lock}");
    assert!(lock.contains(&format!("digest = \"{index_digest}\"")), "{lock}");
    assert!(lock.contains("application/vnd.oci.image.index.v1+json"), "{lock}");

    // With the registry gone, `fix` pins another file from the lock file alone.
    drop(registry);
    std::fs::write(dir.path().join("other.Dockerfile"), format!("FROM {reference}\n")).unwrap();
    let output = dfharden()
        .current_dir(dir.path())
        .args(["fix", "--select", "DH202", "other.Dockerfile"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&output.stdout), format!("FROM {reference}@{index_digest}\n"));
}

#[test]
fn update_moves_pins_to_the_new_digest() {
    let registry = Registry::start();
    let (first, _) = registry.push_multi_platform("team/app", "2.0");
    let reference = format!("{}/team/app:2.0", registry.address);
    let dir = project(&[("Dockerfile", &format!("FROM {reference}\n"))]);
    dfharden().current_dir(dir.path()).args(["pin", "--isolated", "Dockerfile"]).assert().success();
    assert!(read(dir.path(), "Dockerfile").contains(&first));

    // The tag moves: a different single-platform manifest is pushed under it.
    let layer = registry.push_blob("team/app", b"another layer");
    let config = br#"{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}"#;
    let config_digest = registry.push_blob("team/app", config);
    let manifest = format!(
        r#"{{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{config_digest}","size":{}}},"layers":[{{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"{layer}","size":13}}]}}"#,
        config.len()
    );
    let second = registry.push_manifest("team/app", "2.0", "application/vnd.oci.image.manifest.v1+json", manifest.as_bytes());

    // Without --update the lock is trusted; with it, the pin moves.
    dfharden().current_dir(dir.path()).args(["pin", "--isolated", "Dockerfile"]).assert().success();
    assert!(read(dir.path(), "Dockerfile").contains(&first));
    dfharden().current_dir(dir.path()).args(["pin", "--isolated", "--update", "Dockerfile"]).assert().success();
    assert_eq!(read(dir.path(), "Dockerfile"), format!("FROM {reference}@{second}\n"));
}

#[test]
fn unknown_tags_are_errors_and_nothing_is_made_up() {
    let registry = Registry::start();
    let reference = format!("{}/team/missing:1", registry.address);
    let dir = project(&[("Dockerfile", &format!("FROM {reference}\n"))]);
    let output = dfharden().current_dir(dir.path()).args(["pin", "--isolated", "Dockerfile"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no such image or tag"));
    assert_eq!(read(dir.path(), "Dockerfile"), format!("FROM {reference}\n"));
    assert!(!dir.path().join("dfharden.lock").exists());
}

/// A stand-in registry that demands authentication: `Bearer` (token from /token) or `Basic`.
fn auth_stand_in(scheme: &'static str, digest: String) -> (String, std::thread::JoinHandle<Vec<String>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap().to_string();
    let realm = format!("http://{address}/token");
    let handle = std::thread::spawn(move || {
        let mut seen = Vec::new();
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { break };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request_line = String::new();
            reader.read_line(&mut request_line).unwrap();
            let mut authorization = None;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap() == 0 || line.trim().is_empty() {
                    break;
                }
                if let Some((name, value)) = line.split_once(':') {
                    if name.eq_ignore_ascii_case("authorization") {
                        authorization = Some(value.trim().to_string());
                    }
                }
            }
            seen.push(format!("{} {}", request_line.trim(), authorization.clone().unwrap_or_default()));
            let granted = match scheme {
                "Bearer" => authorization.as_deref() == Some("Bearer t0ken"),
                _ => authorization.as_deref() == Some("Basic dXNlcjpzZWNyZXQ="),
            };
            let response = if request_line.starts_with("GET /token") {
                let body = r#"{"token":"t0ken"}"#;
                format!("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len())
            } else if granted {
                format!("HTTP/1.1 200 OK\r\nDocker-Content-Digest: {digest}\r\nContent-Type: application/vnd.oci.image.index.v1+json\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            } else {
                let challenge = match scheme {
                    "Bearer" => format!(r#"Bearer realm="{realm}",service="stand-in",scope="repository:team/app:pull""#),
                    _ => r#"Basic realm="stand-in""#.to_string(),
                };
                format!("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: {challenge}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            };
            stream.write_all(response.as_bytes()).unwrap();
            let done = granted && !request_line.starts_with("GET /token");
            drop(stream);
            if done || seen.len() > 10 {
                break;
            }
        }
        seen
    });
    (address, handle)
}

#[test]
fn answers_a_bearer_challenge_with_an_anonymous_token() {
    let digest = format!("sha256:{}", "d".repeat(64));
    let (address, server) = auth_stand_in("Bearer", digest.clone());
    let dir = project(&[("Dockerfile", &format!("FROM {address}/team/app:1\n"))]);
    dfharden().current_dir(dir.path()).args(["pin", "--isolated", "Dockerfile"]).assert().success();
    assert_eq!(read(dir.path(), "Dockerfile"), format!("FROM {address}/team/app:1@{digest}\n"));
    let seen = server.join().unwrap();
    assert!(seen[0].starts_with("HEAD /v2/team/app/manifests/1"), "{seen:?}");
    assert!(seen.iter().any(|s| s.starts_with("GET /token?scope=repository%3Ateam%2Fapp%3Apull&service=stand-in")), "{seen:?}");
    assert!(seen.iter().any(|s| s.starts_with("HEAD") && s.ends_with("Bearer t0ken")), "{seen:?}");
}

#[test]
fn answers_a_basic_challenge_with_docker_config_credentials() {
    let digest = format!("sha256:{}", "e".repeat(64));
    let (address, server) = auth_stand_in("Basic", digest.clone());
    let dir = project(&[("Dockerfile", &format!("FROM {address}/team/app:1\n"))]);
    let docker_config = tempfile::tempdir().unwrap();
    // base64("user:secret")
    std::fs::write(
        docker_config.path().join("config.json"),
        format!(r#"{{"auths":{{"{address}":{{"auth":"dXNlcjpzZWNyZXQ="}}}}}}"#),
    )
    .unwrap();
    dfharden()
        .current_dir(dir.path())
        .env("DOCKER_CONFIG", docker_config.path())
        .args(["pin", "--isolated", "Dockerfile"])
        .assert()
        .success();
    assert_eq!(read(dir.path(), "Dockerfile"), format!("FROM {address}/team/app:1@{digest}\n"));
    let seen = server.join().unwrap();
    assert!(seen.iter().any(|s| s.starts_with("HEAD") && s.ends_with("Basic dXNlcjpzZWNyZXQ=")), "{seen:?}");
}

