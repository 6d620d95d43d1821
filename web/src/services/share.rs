//! The session (text and settings) as a compact string: for the share link's URL fragment
//! (deflated, then base64url) and for localStorage (plain).
//!
//! The plain form is line-based and versioned; free text (the digest table, the Dockerfile)
//! is length-prefixed, so nothing in it can be mistaken for a field:
//!
//! ```text
//! dfharden-session 1
//! profile strict
//! unsafe auto
//! user nonroot
//! uid 65532
//! force 0
//! ignore DH305 DH502
//! digests 0
//!
//! source 17
//! FROM alpine:3.22
//!
//! file 31 docker-entrypoint.sh
//! #!/bin/sh
//! exec gosu app "$@"
//! ```
//!
//! The build-context files (`file <length> <path>`, each after a line break) came later; a
//! session without them is still version 1, so older links and saved sessions still open.

use std::collections::{BTreeMap, BTreeSet};

use dfharden_core::Profile;

use crate::state::{Form, Session};

const HEADER: &str = "dfharden-session 1";
/// The prefix of a share link's fragment.
pub const FRAGMENT_PREFIX: &str = "#s=";
/// The most a share link may inflate to: a Dockerfile is small, a hostile link must not
/// allocate gigabytes.
const MAX_INFLATED: usize = 4 << 20;

pub fn encode(session: &Session) -> String {
    let form = &session.form;
    let profile = match form.profile {
        Profile::Basic => "basic",
        Profile::Strict => "strict",
    };
    let unsafe_fixes = match form.unsafe_fixes {
        None => "auto",
        Some(true) => "on",
        Some(false) => "off",
    };
    let ignore: Vec<&str> = form.disabled.iter().map(String::as_str).collect();
    let select: Vec<&str> = form.enabled.iter().map(String::as_str).collect();
    let one_line = |s: &str| s.replace(['\n', '\r'], " ");
    let files: String =
        form.context.iter().map(|(path, text)| format!("\nfile {} {}\n{text}", text.len(), one_line(path))).collect();
    format!(
        "{HEADER}\nprofile {profile}\nunsafe {unsafe_fixes}\nuser {}\nuid {}\nforce {}\nignore {}\nselect {}\ndigests {}\n{}\nsource {}\n{}{files}",
        one_line(&form.user_name),
        one_line(&form.uid),
        u8::from(form.force),
        ignore.join(" "),
        select.join(" "),
        form.digests.len(),
        form.digests,
        session.source.len(),
        session.source,
    )
}

struct Cursor<'a> {
    rest: &'a str,
}

impl<'a> Cursor<'a> {
    fn line(&mut self) -> Option<&'a str> {
        let (line, rest) = self.rest.split_once('\n')?;
        self.rest = rest;
        Some(line)
    }

    fn field(&mut self, name: &str) -> Result<&'a str, String> {
        let line = self.line().ok_or_else(|| format!("`{name}` is missing"))?;
        match line.split_once(' ') {
            Some((key, value)) if key == name => Ok(value),
            None if line == name => Ok(""),
            _ => Err(format!("expected `{name}`, found `{line}`")),
        }
    }

    fn take(&mut self, len: usize) -> Result<&'a str, String> {
        if len > self.rest.len() || !self.rest.is_char_boundary(len) {
            return Err("the text is cut short".to_string());
        }
        let (taken, rest) = self.rest.split_at(len);
        self.rest = rest;
        Ok(taken)
    }
}

pub fn decode(text: &str) -> Result<Session, String> {
    let mut c = Cursor { rest: text };
    if c.line() != Some(HEADER) {
        return Err("not a dfharden session (or a newer version of one)".to_string());
    }
    let profile = match c.field("profile")? {
        "basic" => Profile::Basic,
        "strict" => Profile::Strict,
        other => return Err(format!("unknown profile `{other}`")),
    };
    let unsafe_fixes = match c.field("unsafe")? {
        "auto" => None,
        "on" => Some(true),
        "off" => Some(false),
        other => return Err(format!("unknown unsafe-fixes choice `{other}`")),
    };
    let user_name = c.field("user")?.to_string();
    let uid = c.field("uid")?.to_string();
    let force = c.field("force")? == "1";
    let disabled: BTreeSet<String> = c.field("ignore")?.split_whitespace().map(str::to_string).collect();
    // Links made before rules could be off by default have no `select` line.
    let enabled: BTreeSet<String> = match c.rest.starts_with("select") {
        true => c.field("select")?.split_whitespace().map(str::to_string).collect(),
        false => BTreeSet::new(),
    };
    let len = c.field("digests")?.parse::<usize>().map_err(|_| "bad digest table length".to_string())?;
    let digests = c.take(len)?.to_string();
    if c.line() != Some("") {
        return Err("the digest table is not followed by a line break".to_string());
    }
    let len = c.field("source")?.parse::<usize>().map_err(|_| "bad text length".to_string())?;
    let source = c.take(len)?.to_string();
    let mut context = BTreeMap::new();
    while !c.rest.is_empty() {
        if c.line() != Some("") {
            return Err("a build-context file is not preceded by a line break".to_string());
        }
        let header = c.field("file")?;
        let (len, path) = header.split_once(' ').ok_or_else(|| format!("bad file header `{header}`"))?;
        let len = len.parse::<usize>().map_err(|_| format!("bad length for file `{path}`"))?;
        context.insert(path.to_string(), c.take(len)?.to_string());
    }
    Ok(Session { source, form: Form { profile, unsafe_fixes, disabled, enabled, user_name, uid, digests, force, context } })
}

/// The URL fragment that carries a session: `#s=` and the deflated session in base64url.
pub fn to_fragment(session: &Session) -> String {
    let compressed = miniz_oxide::deflate::compress_to_vec(encode(session).as_bytes(), 9);
    format!("{FRAGMENT_PREFIX}{}", base64url_encode(&compressed))
}

/// The session in a URL fragment made by [`to_fragment`] (with or without the `#`).
pub fn from_fragment(fragment: &str) -> Result<Session, String> {
    let data = fragment
        .strip_prefix(FRAGMENT_PREFIX)
        .or_else(|| fragment.strip_prefix(&FRAGMENT_PREFIX[1..]))
        .ok_or_else(|| "no shared session in this link".to_string())?;
    let compressed = base64url_decode(data).ok_or_else(|| "the link is damaged (not base64url)".to_string())?;
    let bytes = miniz_oxide::inflate::decompress_to_vec_with_limit(&compressed, MAX_INFLATED)
        .map_err(|_| "the link is damaged (cannot inflate it)".to_string())?;
    let text = String::from_utf8(bytes).map_err(|_| "the link is damaged (not UTF-8)".to_string())?;
    decode(&text)
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Base64url without padding (RFC 4648 section 5).
pub fn base64url_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..=chunk.len() {
            out.push(ALPHABET[(n >> (18 - 6 * i)) as usize & 63] as char);
        }
    }
    out
}

pub fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut bits = 0u32;
    let mut count = 0;
    for c in text.bytes() {
        let v = ALPHABET.iter().position(|&a| a == c)? as u32;
        bits = (bits << 6) | v;
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    // A lone trailing character carries no whole byte: not valid base64.
    (text.len() % 4 != 1).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session() -> Session {
        let form = Form {
            profile: Profile::Basic,
            unsafe_fixes: Some(true),
            disabled: ["DH305".to_string(), "DH502".to_string()].into(),
            enabled: ["DH801".to_string()].into(),
            user_name: "app".into(),
            uid: "1000".into(),
            digests: format!("alpine:3.22 sha256:{}\nsource 5\n", "a".repeat(64)),
            force: true,
            context: [("docker-entrypoint.sh".to_string(), "#!/bin/sh\nexec gosu app \"$@\"\n".to_string()), ("b/run".to_string(), "x".to_string())].into(),
        };
        Session { source: "FROM alpine:3.22\nRUN echo \"☃ 𝄞\"\nsource 3\n\n".into(), form }
    }

    #[test]
    fn round_trips_through_text_and_fragment() {
        let s = session();
        assert_eq!(decode(&encode(&s)).unwrap(), s);
        let fragment = to_fragment(&s);
        assert!(fragment.starts_with("#s=") && fragment[3..].bytes().all(|b| ALPHABET.contains(&b)));
        assert_eq!(from_fragment(&fragment).unwrap(), s);
        let plain = Session { source: String::new(), form: Form::default() };
        assert_eq!(from_fragment(&to_fragment(&plain)).unwrap(), plain);
    }

    /// A link made before the `select` line existed still opens, with no extra rule on.
    #[test]
    fn reads_links_without_a_select_line() {
        let s = Session { form: Form { enabled: Default::default(), ..session().form }, ..session() };
        let old = encode(&s).replacen("\nselect \n", "\n", 1);
        assert!(!old.contains("\nselect"));
        assert_eq!(decode(&old).unwrap(), s);
    }

    #[test]
    fn base64url_matches_the_rfc_vectors() {
        for (raw, encoded) in [("", ""), ("f", "Zg"), ("fo", "Zm8"), ("foo", "Zm9v"), ("foob", "Zm9vYg"), ("fooba", "Zm9vYmE"), ("foobar", "Zm9vYmFy")] {
            assert_eq!(base64url_encode(raw.as_bytes()), encoded);
            assert_eq!(base64url_decode(encoded).unwrap(), raw.as_bytes());
        }
        assert_eq!(base64url_encode(&[0xfb, 0xff]), "-_8");
        assert!(base64url_decode("a").is_none());
        assert!(base64url_decode("a+b").is_none());
    }

    #[test]
    fn refuses_damaged_links() {
        assert!(from_fragment("#s=!!!").is_err());
        assert!(from_fragment("#s=AAAA").is_err());
        assert!(from_fragment("#other").is_err());
        let mut text = encode(&session());
        text.truncate(text.len() - 3);
        assert!(decode(&text).is_err());
    }
}
