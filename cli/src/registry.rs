//! Resolving image tags to digests through the OCI distribution API.
//!
//! `HEAD /v2/<name>/manifests/<tag>` with the index and manifest media types in `Accept`
//! returns the digest of what the tag points at; for a multi-platform image that is the
//! index, so a pin made from it works on every platform. A registry that asks for credentials
//! answers 401 with a `WWW-Authenticate` challenge: `Bearer` challenges get an anonymous (or,
//! with credentials from `~/.docker/config.json`, an authenticated) token from the realm;
//! `Basic` challenges get the stored credentials directly. Plain HTTP is used only for
//! loopback registries unless explicitly allowed.

use std::collections::HashMap;
use std::net::IpAddr;
use std::time::Duration;

use anyhow::{anyhow, bail, Context, Result};
use base64::Engine;
use dfharden_core::model::{is_digest, ImageRef, DOCKER_HUB};
use sha2::{Digest, Sha256};

/// Media types we accept, most specific first: OCI index, Docker manifest list, OCI manifest,
/// Docker manifest v2.
pub const ACCEPT: &str = "application/vnd.oci.image.index.v1+json, \
application/vnd.docker.distribution.manifest.list.v2+json, \
application/vnd.oci.image.manifest.v1+json, \
application/vnd.docker.distribution.manifest.v2+json";

/// What a registry said a tag points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub digest: String,
    pub media_type: Option<String>,
}

pub struct RegistryClient {
    agent: ureq::Agent,
    allow_insecure_http: bool,
    credentials: HashMap<String, (String, String)>,
    retries: u32,
}

impl RegistryClient {
    pub fn new(timeout: Duration, allow_insecure_http: bool) -> Self {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .http_status_as_error(false)
            .user_agent(concat!("dfharden/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        RegistryClient { agent, allow_insecure_http, credentials: docker_credentials(), retries: 3 }
    }


    /// The digest the tag of `image` points at.
    pub fn resolve(&self, image: &ImageRef) -> Result<Resolved> {
        let host = api_host(&image.registry);
        let scheme = self.scheme(&image.registry)?;
        let url = format!("{scheme}://{host}/v2/{}/manifests/{}", image.repository, image.effective_tag());
        let mut authorization: Option<String> = None;
        for _attempt in 0..2 {
            let response = self.send("HEAD", &url, authorization.as_deref())?;
            let status = response.status().as_u16();
            if status == 401 {
                let challenge = header(&response, "www-authenticate")
                    .ok_or_else(|| anyhow!("{url}: 401 without a WWW-Authenticate challenge"))?;
                if authorization.is_some() {
                    bail!("{}: access denied (check the credentials in ~/.docker/config.json)", image.familiar_name());
                }
                authorization = Some(self.authorize(&challenge, &image.registry, &image.repository)?);
                continue;
            }
            if status == 404 {
                bail!("{}: no such image or tag on {}", display(image), image.registry);
            }
            if !(200..300).contains(&status) {
                bail!("{url}: registry answered HTTP {status}");
            }
            let media_type = header(&response, "content-type");
            if let Some(digest) = header(&response, "docker-content-digest").filter(|d| is_digest(d)) {
                return Ok(Resolved { digest, media_type });
            }
            // No digest header: fetch the manifest and hash it ourselves.
            return self.digest_from_body(&url, authorization.as_deref());
        }
        bail!("{url}: could not authenticate")
    }

    fn digest_from_body(&self, url: &str, authorization: Option<&str>) -> Result<Resolved> {
        let mut response = self.send("GET", url, authorization)?;
        let status = response.status().as_u16();
        if !(200..300).contains(&status) {
            bail!("{url}: registry answered HTTP {status}");
        }
        let media_type = header(&response, "content-type");
        let claimed = header(&response, "docker-content-digest");
        let body = response.body_mut().read_to_vec().context("reading the manifest")?;
        let digest = format!("sha256:{}", hex(&Sha256::digest(&body)));
        if let Some(claimed) = claimed.filter(|c| c.starts_with("sha256:")) {
            if claimed != digest {
                bail!("{url}: the registry's digest {claimed} does not match the manifest ({digest})");
            }
        }
        Ok(Resolved { digest, media_type })
    }

    fn scheme(&self, registry: &str) -> Result<&'static str> {
        if is_loopback(registry) {
            return Ok("http");
        }
        if self.allow_insecure_http {
            return Ok("http");
        }
        Ok("https")
    }

    /// Sends a request, retrying transport failures and 5xx answers with a short backoff.
    fn send(&self, method: &str, url: &str, authorization: Option<&str>) -> Result<ureq::http::Response<ureq::Body>> {
        let mut last_error = None;
        for attempt in 0..self.retries {
            if attempt > 0 {
                std::thread::sleep(Duration::from_millis(200 * 2u64.pow(attempt)));
            }
            let result = match method {
                "HEAD" => {
                    let mut request = self.agent.head(url).header("Accept", ACCEPT);
                    if let Some(a) = authorization {
                        request = request.header("Authorization", a);
                    }
                    request.call()
                }
                _ => {
                    let mut request = self.agent.get(url).header("Accept", ACCEPT);
                    if let Some(a) = authorization {
                        request = request.header("Authorization", a);
                    }
                    request.call()
                }
            };
            match result {
                Ok(response) if response.status().is_server_error() => {
                    last_error = Some(anyhow!("{url}: registry answered HTTP {}", response.status()));
                }
                Ok(response) => return Ok(response),
                Err(e) => last_error = Some(anyhow!(e).context(format!("{method} {url}"))),
            }
        }
        Err(last_error.unwrap_or_else(|| anyhow!("{url}: no answer")))
    }

    /// Answers a `WWW-Authenticate` challenge with an `Authorization` header value.
    fn authorize(&self, challenge: &str, registry: &str, repository: &str) -> Result<String> {
        let (scheme, params) = parse_challenge(challenge);
        let credentials = self.credentials.get(registry).or_else(|| {
            (registry == DOCKER_HUB).then(|| self.credentials.get("https://index.docker.io/v1/")).flatten()
        });
        match scheme.to_ascii_lowercase().as_str() {
            "basic" => {
                let (user, password) = credentials.ok_or_else(|| anyhow!("{registry} needs credentials (docker login {registry})"))?;
                Ok(format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))))
            }
            "bearer" => {
                let realm = params.get("realm").ok_or_else(|| anyhow!("{registry}: Bearer challenge without a realm"))?;
                let scope = params.get("scope").cloned().unwrap_or_else(|| format!("repository:{repository}:pull"));
                let mut url = format!("{realm}?scope={}", encode(&scope));
                if let Some(service) = params.get("service") {
                    url.push_str(&format!("&service={}", encode(service)));
                }
                let mut request = self.agent.get(&url);
                if let Some((user, password)) = credentials {
                    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
                    request = request.header("Authorization", &format!("Basic {basic}"));
                }
                let mut response = request.call().with_context(|| format!("token request to {realm}"))?;
                if !response.status().is_success() {
                    bail!("{realm}: token request answered HTTP {}", response.status());
                }
                let body: serde_json::Value =
                    serde_json::from_slice(&response.body_mut().read_to_vec()?).context("token response is not JSON")?;
                let token = body["token"].as_str().or(body["access_token"].as_str()).ok_or_else(|| anyhow!("{realm}: no token in the answer"))?;
                Ok(format!("Bearer {token}"))
            }
            other => bail!("{registry}: unsupported authentication scheme `{other}`"),
        }
    }
}

fn display(image: &ImageRef) -> String {
    format!("{}:{}", image.familiar_name(), image.effective_tag())
}

/// Docker Hub's API lives on its own host.
fn api_host(registry: &str) -> &str {
    if registry == DOCKER_HUB { "registry-1.docker.io" } else { registry }
}

/// Whether a registry host is this machine (127.0.0.0/8, ::1, localhost), with or without port.
pub fn is_loopback(registry: &str) -> bool {
    let host = if let Some(rest) = registry.strip_prefix('[') {
        rest.split(']').next().unwrap_or(rest)
    } else {
        registry.rsplit_once(':').map_or(registry, |(h, port)| if port.chars().all(|c| c.is_ascii_digit()) { h } else { registry })
    };
    host == "localhost" || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

fn header(response: &ureq::http::Response<ureq::Body>, name: &str) -> Option<String> {
    response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string)
}

/// `Bearer realm="https://auth",service="registry",scope="repository:x:pull"` → scheme and
/// parameters.
pub fn parse_challenge(challenge: &str) -> (String, HashMap<String, String>) {
    let (scheme, rest) = challenge.trim().split_once(' ').unwrap_or((challenge.trim(), ""));
    let mut params = HashMap::new();
    let mut rest = rest.trim();
    while !rest.is_empty() {
        let Some((key, after)) = rest.split_once('=') else { break };
        let key = key.trim().trim_start_matches(',').trim().to_ascii_lowercase();
        let after = after.trim_start();
        let (value, remaining) = if let Some(quoted) = after.strip_prefix('"') {
            let end = quoted.find('"').unwrap_or(quoted.len());
            (&quoted[..end], quoted.get(end + 1..).unwrap_or(""))
        } else {
            let end = after.find(',').unwrap_or(after.len());
            (&after[..end], &after[end..])
        };
        params.insert(key, value.to_string());
        rest = remaining.trim_start_matches([',', ' ']);
    }
    (scheme.to_string(), params)
}

fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `auths` of `~/.docker/config.json` (or `$DOCKER_CONFIG/config.json`): registry → (user,
/// password). Credential helpers are not run.
fn docker_credentials() -> HashMap<String, (String, String)> {
    let dir = std::env::var_os("DOCKER_CONFIG")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| std::path::Path::new(&h).join(".docker")));
    let Some(path) = dir.map(|d| d.join("config.json")) else { return HashMap::new() };
    let Ok(text) = std::fs::read_to_string(path) else { return HashMap::new() };
    let Ok(config) = serde_json::from_str::<serde_json::Value>(&text) else { return HashMap::new() };
    let mut out = HashMap::new();
    if let Some(auths) = config["auths"].as_object() {
        for (registry, entry) in auths {
            let decoded = entry["auth"]
                .as_str()
                .and_then(|a| base64::engine::general_purpose::STANDARD.decode(a).ok())
                .and_then(|b| String::from_utf8(b).ok());
            if let Some((user, password)) = decoded.as_deref().and_then(|d| d.split_once(':')) {
                let host = registry.trim_start_matches("https://").trim_start_matches("http://");
                let host = if host.starts_with("index.docker.io") { DOCKER_HUB } else { host.split('/').next().unwrap_or(host) };
                out.insert(host.to_string(), (user.to_string(), password.to_string()));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_challenges() {
        let (scheme, params) = parse_challenge(
            r#"Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/python:pull""#,
        );
        assert_eq!(scheme, "Bearer");
        assert_eq!(params["realm"], "https://auth.docker.io/token");
        assert_eq!(params["scope"], "repository:library/python:pull");
        let (scheme, params) = parse_challenge("Basic realm=\"Registry\"");
        assert_eq!((scheme.as_str(), params["realm"].as_str()), ("Basic", "Registry"));
    }

    #[test]
    fn loopback_hosts() {
        for host in ["127.0.0.1:5000", "localhost:5000", "[::1]:5000", "127.1.2.3", "localhost"] {
            assert!(is_loopback(host), "{host}");
        }
        for host in ["docker.io", "10.0.0.1:5000", "registry.example.com:443"] {
            assert!(!is_loopback(host), "{host}");
        }
    }
}
