use crate::rules::helpers::commands;
use crate::rules::{rule, Context, Finding};
use crate::syntax::{Arguments, Instruction, Keyword, TextRange};

rule! {
    /// ## What it does
    /// Flags a Dockerfile that expects the Docker daemon's socket: a `VOLUME` for
    /// `/var/run/docker.sock`, an `ENV` or `ARG` such as `DOCKER_HOST=unix:///var/run/docker.sock`,
    /// or a `RUN`, `COPY` or `ADD` that names `docker.sock`.
    ///
    /// ## Why is this bad?
    /// The Docker socket is the daemon's full API, and the daemon runs as root on the host.
    /// Anyone who can write to the socket can start a new container with the host's root
    /// filesystem mounted and `--privileged`, which is root on the host in one command. A
    /// container given the socket (`-v /var/run/docker.sock:/var/run/docker.sock`) is
    /// therefore not isolated at all: a bug in its application is a compromise of the whole
    /// machine and of every container on it. An image that is built around the socket asks
    /// everyone who runs it to do exactly that.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM docker:27-cli
    /// ENV DOCKER_HOST=unix:///var/run/docker.sock
    /// VOLUME /var/run/docker.sock
    /// COPY deploy.sh /usr/local/bin/
    /// ENTRYPOINT ["deploy.sh"]
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM docker:27-cli
    /// # Talk to a remote or rootless daemon over TLS, or use a socket proxy that allows
    /// # only the API calls the tool needs; never the host's own socket.
    /// ENV DOCKER_HOST=tcp://docker-proxy:2375
    /// COPY deploy.sh /usr/local/bin/
    /// ENTRYPOINT ["deploy.sh"]
    /// ```
    ///
    /// Every stage is checked: a mention of `docker.sock` anywhere means the build or the
    /// container is meant to reach the daemon.
    ///
    /// ## References
    /// - CIS Docker Benchmark 5.31 "Ensure that the Docker socket is not mounted inside any
    ///   containers" (a run-time control: this rule catches images that ask for it)
    /// - Docker documentation, "Protect the Docker daemon socket"
    pub struct DockerSocket {
        code: "DH106",
        name: "docker-socket",
        category: Privilege,
        severity: Error,
        fix: None,
        summary: "The image expects the Docker daemon's socket, which is root on the host",
        aliases: [],
    }
}

const SOCKET: &str = "docker.sock";

/// DH106
pub fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    for (index, instruction) in ctx.model.instructions.iter().enumerate() {
        let instruction = instruction.effective();
        let Some((range, message)) = socket_use(ctx, index, instruction) else { continue };
        findings.push(ctx.finding(&DockerSocket::META, range, message));
    }
}

/// The first mention of the socket in an instruction, and what it means.
fn socket_use(ctx: &Context<'_>, index: usize, instruction: &Instruction) -> Option<(TextRange, String)> {
    let keyword = instruction.keyword.as_str();
    match (&instruction.arguments, instruction.keyword) {
        (Arguments::List(words) | Arguments::Exec(words), Keyword::Volume) => {
            let word = words.iter().find(|w| w.text.contains(SOCKET))?;
            Some((word.range, format!("`VOLUME {}` invites mounting the Docker daemon's socket", word.text)))
        }
        (Arguments::Pairs(pairs), Keyword::Env) => {
            let pair = pairs.iter().find(|kv| kv.value.text.contains(SOCKET))?;
            Some((pair.value.range, format!("`{}` points at the Docker daemon's socket", pair.key.text)))
        }
        (Arguments::Declarations(words), Keyword::Arg) => {
            let word = words.iter().find(|w| w.text.contains(SOCKET))?;
            let name = word.text.split('=').next().unwrap_or_default();
            Some((word.range, format!("`{name}` points at the Docker daemon's socket")))
        }
        (Arguments::List(words) | Arguments::Exec(words), Keyword::Copy | Keyword::Add) => {
            let word = words.iter().find(|w| w.text.contains(SOCKET))?;
            Some((word.range, format!("`{keyword}` names the Docker daemon's socket `{}`", word.text)))
        }
        (_, Keyword::Run) => {
            if let Some(flag) = instruction.flags.iter().find(|f| f.text.contains(SOCKET)) {
                return Some((flag.range, "`RUN` mounts the Docker daemon's socket".to_string()));
            }
            let word = commands(ctx, index).flat_map(|(_, c)| &c.words).find(|w| w.text.contains(SOCKET))?;
            Some((word.range, format!("`RUN` uses the Docker daemon's socket `{}`", word.text)))
        }
        _ => None,
    }
}
