use crate::fix::{Edit, Fix};
use crate::model::shell::{split, SimpleCommand};
use crate::rules::helpers::{
    commands, delete_instruction, final_chain_instructions, has_comment_within, installed_packages, package_name, start_commands,
};
use crate::rules::{rule, Context, Finding};
use crate::syntax::{Arguments, Instruction, Keyword, TextRange, Word};

rule! {
    /// ## What it does
    /// Flags an image that offers SSH: it exposes port 22, installs an SSH server
    /// (`openssh-server`, `dropbear`), or starts `sshd` or `dropbear` as its command.
    ///
    /// ## Why is this bad?
    /// An SSH server turns a container into a small virtual machine that people log in to.
    /// It adds a network service that accepts passwords or keys, keys that end up baked into
    /// the image or shared between containers, and usually a process manager to run it next
    /// to the application, with root to start it. Every one of these is attack surface that
    /// a container does not need: `docker exec` (or `kubectl exec`) gives a shell in a
    /// running container, with the platform's own access control, and files move with
    /// `docker cp` or volumes.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM ubuntu:24.04
    /// RUN apt-get update && apt-get install -y --no-install-recommends openssh-server
    /// EXPOSE 22 8080
    /// CMD ["/usr/sbin/sshd", "-D"]
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM ubuntu:24.04
    /// COPY app /usr/local/bin/app
    /// EXPOSE 8080
    /// CMD ["/usr/local/bin/app"]
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: the fix only removes port 22 from `EXPOSE` (the whole instruction when it is the
    /// only port). `EXPOSE` does not open anything by itself, but `docker run -P` and tools
    /// that read the image's ports will no longer publish SSH. The SSH server itself has to be
    /// removed by hand, so installs and commands are reported without a fix.
    ///
    /// ## References
    /// - Trivy DS004, Checkov CKV_DOCKER_1
    /// - CIS Docker Benchmark, section 5 (run time): "Ensure sshd is not run within containers"
    pub struct SshExposed {
        code: "DH107",
        name: "ssh-exposed",
        category: Privilege,
        severity: Warning,
        fix: Sometimes,
        summary: "The image runs or exposes an SSH server",
        aliases: [(Trivy, "DS004"), (Checkov, "CKV_DOCKER_1")],
    }
}

/// DH107
pub fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    let final_image = final_chain_instructions(ctx.model);
    for &index in &final_image {
        let instruction = ctx.model.instructions[index];
        match instruction.keyword {
            Keyword::Expose => check_expose(ctx, instruction, findings),
            // `ONBUILD RUN` runs in the images built from this one, not in this one.
            Keyword::Onbuild => continue,
            _ => {}
        }
        for (_, command) in commands(ctx, index) {
            for package in installed_packages(command).into_iter().filter(|p| is_ssh_server(command, &p.text)) {
                findings.push(ctx.finding(
                    &SshExposed::META,
                    package.range,
                    format!("`{}` installs the SSH server `{}`", command.program().unwrap_or_default(), package.text),
                ));
            }
        }
    }
    let Some(stage) = ctx.model.final_stage() else { return };
    let start = start_commands(ctx.model, stage.index);
    for instruction in [start.entrypoint, start.cmd].into_iter().flatten().map(|i| ctx.model.instructions[i]) {
        if let Some(program) = starts_ssh_server(instruction) {
            findings.push(ctx.finding(
                &SshExposed::META,
                instruction.code_range(),
                format!("the container starts the SSH server `{program}`"),
            ));
        }
    }
}

/// Port 22 in an `EXPOSE`, with a fix that removes it.
fn check_expose(ctx: &Context<'_>, instruction: &Instruction, findings: &mut Vec<Finding>) {
    let Arguments::List(ports) = &instruction.arguments else { return };
    let ssh: Vec<usize> = (0..ports.len()).filter(|&i| is_ssh_port(&ports[i].text)).collect();
    let Some(&first) = ssh.first() else { return };
    let mut finding = ctx.finding(&SshExposed::META, ports[first].range, "port 22 (SSH) is exposed");
    finding.fix = if ssh.len() == ports.len() {
        Some(Fix::unsafe_edit(
            "Remove the `EXPOSE` instruction, whose only port is 22",
            vec![delete_instruction(ctx, instruction)],
        ))
    } else {
        remove_ports(instruction, ports, &ssh).map(|edits| Fix::unsafe_edit("Remove port 22 from `EXPOSE`", edits))
    };
    findings.push(finding);
}

/// Deletes each port with the text between it and the word before it, so that no blank
/// continuation line is left behind; `None` when that would delete a comment line.
fn remove_ports(instruction: &Instruction, ports: &[Word], remove: &[usize]) -> Option<Vec<Edit>> {
    let mut edits = Vec::new();
    for &i in remove {
        let previous_end = if i == 0 { instruction.keyword_range.end } else { ports[i - 1].range.end };
        let range = TextRange::new(previous_end, ports[i].range.end);
        if has_comment_within(instruction, range) {
            return None;
        }
        edits.push(Edit::delete(range));
    }
    Some(edits)
}

fn is_ssh_port(port: &str) -> bool {
    port == "22" || port.eq_ignore_ascii_case("22/tcp")
}

/// SSH server packages: `openssh-server` and `dropbear` everywhere, Alpine's `openssh` and
/// Debian's `ssh`, which pull the server in.
fn is_ssh_server(command: &SimpleCommand, written: &str) -> bool {
    match package_name(written) {
        "openssh-server" | "dropbear" | "dropbear-bin" => true,
        "openssh" => command.program() == Some("apk"),
        "ssh" => matches!(command.program(), Some("apt-get" | "apt")),
        _ => false,
    }
}

/// The SSH server a `CMD`/`ENTRYPOINT` starts (`sshd`, `dropbear`, `service ssh start`).
fn starts_ssh_server(instruction: &Instruction) -> Option<&'static str> {
    let script = match &instruction.arguments {
        Arguments::Exec(words) => match words.as_slice() {
            // `["sh", "-c", "..."]` runs a script; anything else runs its first word.
            [shell, c, script, ..] if c.text == "-c" && matches!(base_name(&shell.text), "sh" | "bash") => &script.text,
            [program, rest @ ..] => return ssh_server(base_name(&program.text), rest.first().map(|w| w.text.as_str())),
            [] => return None,
        },
        Arguments::Text(word) => &word.text,
        _ => return None,
    };
    split(script, 0, &|a, b| TextRange::new(a, b))
        .iter()
        .find_map(|command| ssh_server(command.program()?, command.args().first().map(|w| w.text.as_str())))
}

/// Whether `program first_argument ...` starts an SSH server, and which.
fn ssh_server(program: &str, first_argument: Option<&str>) -> Option<&'static str> {
    match (program, first_argument) {
        ("sshd", _) => Some("sshd"),
        ("dropbear", _) => Some("dropbear"),
        ("service" | "rc-service", Some("ssh" | "sshd")) => Some("sshd"),
        ("service" | "rc-service", Some("dropbear")) => Some("dropbear"),
        _ => None,
    }
}

fn base_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}
