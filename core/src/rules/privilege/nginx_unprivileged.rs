//! DH101's fix for the official nginx image: move to `nginxinc/nginx-unprivileged`.
//!
//! A `USER` line cannot fix nginx: its master process writes its pid file to `/run` and its
//! temporary files to `/var/cache/nginx`, and its configuration says `user nginx;` and
//! `listen 80`. NGINX publishes an image with exactly those four things changed (no `user`
//! directive, pid and temporary files in `/tmp`, port 8080, `USER 101`), with the same tags
//! and the same entrypoint (github.com/nginx/docker-nginx-unprivileged, checked
//! [`crate::knowledge::DATA_CHECKED`]). Moving there is a rewrite of the `FROM` line and of
//! `EXPOSE 80`, provided nothing else in the stage needs root or port 80. DH103's setuid
//! strip is the one `RUN` it keeps, between `USER root` and `USER 101` (as uid 101 it would
//! change nothing); the move goes alone in its round, so that DH103 sees the new base before
//! it adds a strip that could not work there. Every condition that cannot be seen is a
//! reason not to move, and the reason is given.

use crate::fix::{Edit, Fix};
use crate::harden::start::argv_of;
use crate::model::{join_path, Base, DOCKER_HUB};
use crate::rules::helpers::{copy_sources, insert_line_after, insert_line_before, keyword_like};
use crate::rules::privilege::setuid_setgid_not_stripped::STRIP;
use crate::rules::Context;
use crate::syntax::{Arguments, Instruction, Keyword};

/// The repository, on Docker Hub, of the unprivileged image.
pub const REPOSITORY: &str = "nginxinc/nginx-unprivileged";
/// The port its default server listens on, and the uid:gid it runs as.
pub const PORT: u16 = 8080;
pub const IDS: &str = "101:101";
/// The oldest release line the unprivileged image is published for on Docker Hub under the
/// same tags (older tags live only in NGINX's former GitHub registry).
const OLDEST: (u32, u32) = (1, 26);

/// The move to the unprivileged image, or why it cannot be made safely.
pub fn move_fix(ctx: &Context<'_>, stage_index: usize) -> Result<Fix, String> {
    let stage = &ctx.model.stages[stage_index];
    let Base::Image { image } = &stage.base.base else {
        return Err("the final stage is built on another stage, not on the nginx image itself".into());
    };
    if image.registry != DOCKER_HUB || image.repository != "library/nginx" || stage.base.written.contains('$') {
        return Err("the image reference is not a plain `nginx:<tag>`".into());
    }
    let tag = image.tag.clone().unwrap_or_else(|| "latest".into());
    if !tag_is_published(&tag) {
        return Err(format!(
            "`nginx:{tag}` is older than the releases the unprivileged image is published for (1.26 and later): upgrade nginx first"
        ));
    }
    let mut edits = vec![Edit::replace(stage.base.range, format!("{REPOSITORY}:{tag}"))];
    let mut moved_port = false;
    let mut kept_strip = false;
    for &index in &stage.body {
        let instruction = ctx.model.instructions[index];
        match instruction.keyword {
            // DH103's step that strips setuid bits needs root: as uid 101 it would do nothing,
            // so it keeps root for itself.
            Keyword::Run if is_strip(instruction) => {
                let user = |line: &str| format!("{} {line}", keyword_like(ctx, instruction, "USER"));
                edits.push(insert_line_before(ctx, instruction, &user("root")));
                edits.push(insert_line_after(ctx, instruction, &user("101")));
                kept_strip = true;
            }
            Keyword::Run => {
                return Err("its `RUN` lines would run as uid 101 there (the unprivileged image sets `USER 101`); move them to a build stage or wrap them in `USER root` ... `USER 101`".into())
            }
            Keyword::User | Keyword::Entrypoint | Keyword::Onbuild => {
                return Err(format!("it has its own `{}`", instruction.keyword.as_str()))
            }
            Keyword::Healthcheck => return Err("its `HEALTHCHECK` may probe port 80".into()),
            Keyword::Cmd => {
                let argv = argv_of(instruction);
                if argv.first().map(String::as_str) != Some("nginx") {
                    return Err("its `CMD` does not start nginx itself".into());
                }
            }
            Keyword::Expose => {
                let Arguments::List(words) = &instruction.arguments else { continue };
                for word in words {
                    let (port, protocol) = word.text.split_once('/').unwrap_or((&word.text, ""));
                    match port.parse::<u16>() {
                        Ok(80) if protocol.is_empty() || protocol.eq_ignore_ascii_case("tcp") => {
                            edits.push(Edit::replace(word.range, format!("{PORT}{}", &word.text[port.len()..])));
                            moved_port = true;
                        }
                        Ok(p) if p >= 1024 => {}
                        _ => return Err(format!("it exposes port {}: only port 80 has a known replacement (8080)", word.text)),
                    }
                }
            }
            Keyword::Copy | Keyword::Add => check_configuration(ctx, instruction)?,
            _ => {}
        }
    }
    let port_note = if moved_port { ", `EXPOSE 80` becomes 8080" } else { "" };
    let strip_note = if kept_strip { ", the setuid strip runs as root (`USER root` ... `USER 101`)" } else { "" };
    // The new base changes what other rules decide (DH103 cannot strip setuid bits as uid
    // 101): they must see it first, so the move goes alone in its round.
    Ok(Fix::unsafe_edit(
        format!(
            "Move to `{REPOSITORY}:{tag}`: the same nginx, run as uid 101 ({IDS}) and listening on {PORT} instead of 80{port_note}{strip_note}; publish port {PORT} (`-p 80:{PORT}`)"
        ),
        edits,
    )
    .isolated(crate::fix::STRUCTURE))
}

/// Whether `instruction` is exactly the `RUN` DH103 adds to strip setuid and setgid bits.
fn is_strip(instruction: &Instruction) -> bool {
    matches!(&instruction.arguments, Arguments::Text(word) if word.text.trim() == STRIP) && instruction.flags.is_empty()
}

/// Whether `nginx:<tag>` has a counterpart of the same name in the unprivileged repository.
fn tag_is_published(tag: &str) -> bool {
    let first = tag.split('-').next().unwrap_or(tag);
    if ["latest", "mainline", "stable", "alpine", "perl", "otel", "bookworm", "trixie"].contains(&first) {
        return true;
    }
    // `1`, `1-alpine`, `1-perl`: the major version alone floats with the newest mainline
    // release, as `mainline` does.
    if first.parse::<u32>().is_ok_and(|major| major >= 1) {
        return true;
    }
    let mut numbers = first.split('.').map(|n| n.parse::<u32>());
    match (numbers.next(), numbers.next()) {
        (Some(Ok(major)), Some(Ok(minor))) => (major, minor) >= OLDEST,
        _ => false,
    }
}

/// A `COPY`/`ADD` into `/etc/nginx`: its destination (absolute, no trailing `/`) and the
/// context paths it copies (`./` dropped). `None` for any other instruction.
fn configuration_copy(instruction: &Instruction) -> Option<(String, Vec<String>)> {
    if !matches!(instruction.keyword, Keyword::Copy | Keyword::Add) {
        return None;
    }
    let (Arguments::List(all) | Arguments::Exec(all)) = &instruction.arguments else { return None };
    let dest = join_path(None, all.last()?.text.trim_matches('"'));
    let dest = dest.trim_end_matches('/');
    if !(dest == "/etc/nginx" || dest.starts_with("/etc/nginx/")) {
        return None;
    }
    let sources = copy_sources(instruction)
        .iter()
        .map(|s| s.text.trim_matches('"').trim_start_matches("./").to_string())
        .collect();
    Some((dest.to_string(), sources))
}

/// A `COPY`/`ADD` into `/etc/nginx`: moving is safe only when every server block it brings
/// listens on a port above 1023, which needs the file's text (read from the build context).
fn check_configuration(ctx: &Context<'_>, instruction: &Instruction) -> Result<(), String> {
    let Some((dest, sources)) = configuration_copy(instruction) else { return Ok(()) };
    if dest == "/etc/nginx" || dest == "/etc/nginx/nginx.conf" {
        return Err("it replaces nginx.conf, which then still writes its pid file to /run (and may say `user nginx;`): as uid 101 it needs `pid /tmp/nginx.pid;` and temporary paths in /tmp, as the unprivileged image's own nginx.conf has".into());
    }
    if instruction.flag("from").is_some() {
        return Err(format!("its configuration for `{dest}` comes from another stage or image, so its `listen` ports cannot be checked"));
    }
    for path in &sources {
        let Some(text) = ctx.settings.context.files.get(path) else {
            let why = if ctx.settings.context.read { "is not in the build context" } else { "was not read (no build context was given)" };
            return Err(format!(
                "`{path}` (copied to `{dest}`) {why}, so its `listen` ports are not known: check that every server block listens on a port above 1023 (the unprivileged image's default is {PORT})"
            ));
        };
        if let Some(port) = low_listen(text) {
            return Err(format!(
                "`{path}` listens on {port}: as uid 101 nginx cannot bind it outside Docker; change it to `listen {PORT};` and publish {PORT}"
            ));
        }
    }
    Ok(())
}

/// The first `listen` of an nginx configuration that is not a literal port above 1023
/// (`listen 80;`, `listen [::]:443 ssl;`, `listen ${PORT};`), as written.
pub fn low_listen(config: &str) -> Option<String> {
    for line in config.lines() {
        let line = line.split('#').next().unwrap_or_default().trim();
        let Some(rest) = line.strip_prefix("listen") else { continue };
        if !rest.starts_with(char::is_whitespace) {
            continue;
        }
        let address = rest.trim().trim_end_matches(';').split_whitespace().next().unwrap_or_default();
        if address.starts_with("unix:") {
            continue;
        }
        let port = address.rsplit_once(':').map_or(address, |(_, port)| port);
        // `listen 127.0.0.1;` alone means port 80.
        let low = match port.parse::<u16>() {
            Ok(p) => p < 1024,
            Err(_) => true,
        };
        if low {
            return Some(address.to_string());
        }
    }
    None
}

/// The files a move would need to read: configuration copied from the build context into
/// `/etc/nginx` (the checks in [`check_configuration`] read the same list).
pub fn configuration_wanted(ctx: &Context<'_>, stage_index: usize) -> Vec<String> {
    let stage = &ctx.model.stages[stage_index];
    let mut wanted = Vec::new();
    for &index in &stage.body {
        let instruction = ctx.model.instructions[index];
        if instruction.flag("from").is_some() {
            continue;
        }
        if let Some((_, sources)) = configuration_copy(instruction) {
            wanted.extend(sources.into_iter().filter(|p| !p.is_empty() && !p.contains(['$', '*', '?'])));
        }
    }
    wanted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_listen_directives() {
        assert_eq!(low_listen("server {\n  listen 80;\n}"), Some("80".into()));
        assert_eq!(low_listen("server {\n  listen [::]:8080;\n  listen 8080 default_server;\n}"), None);
        assert_eq!(low_listen("listen 127.0.0.1:443 ssl;"), Some("127.0.0.1:443".into()));
        assert_eq!(low_listen("listen ${NGINX_PORT};"), Some("${NGINX_PORT}".into()));
        assert_eq!(low_listen("# listen 80;\nlisten 9000;\nlisten_backlog 5;"), None);
        assert_eq!(low_listen("listen unix:/tmp/nginx.sock;"), None);
    }

    #[test]
    fn knows_which_tags_exist() {
        for tag in ["1.29", "1.29.3-alpine", "1.26-perl", "stable-alpine", "mainline", "latest", "alpine-slim", "1", "1-alpine", "1-alpine-slim", "1-perl"] {
            assert!(tag_is_published(tag), "{tag}");
        }
        for tag in ["1.13-alpine", "1.25", "0", "custom"] {
            assert!(!tag_is_published(tag), "{tag}");
        }
    }
}
