//! The fuzzing invariants on stable Rust, in every `cargo test`:
//!
//! - every input under `fuzz/regressions/` (small inputs the fuzzers found or that were
//!   written to reach a bug; each fixed) is replayed through the parse, check and fix
//!   invariants of `fuzz/invariants.rs`;
//! - a randomized test mutates the corpus (read in place; `DFHARDEN_CORPUS` or
//!   `../shared/corpus`) and the regression inputs with a seeded generator and checks the same
//!   invariants. `DFHARDEN_FUZZ_ITERS` sets how many inputs (default 300) and
//!   `DFHARDEN_FUZZ_SEED` the seed, so that `scripts/fuzz-smoke` can run it longer and a
//!   failure can be reproduced.

use std::path::{Path, PathBuf};

#[path = "../../fuzz/invariants.rs"]
mod invariants;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn regressions() -> Vec<(String, Vec<u8>)> {
    let dir = root().join("fuzz/regressions");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != "README.md"))
        .collect();
    files.sort();
    files.into_iter().map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap())).collect()
}

fn all_invariants(name: &str, bytes: &[u8]) {
    let Some(text) = invariants::text_of(bytes) else { return };
    let settings = invariants::all_rules();
    let run = |what: &str, f: &dyn Fn()| {
        if let Err(e) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
            let message = e.downcast_ref::<String>().cloned().or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()));
            panic!("{name}: {what} invariant failed: {}", message.unwrap_or_default());
        }
    };
    run("parse", &|| invariants::parse_invariants(text));
    run("check", &|| invariants::check_invariants(text, &settings));
    run("fix", &|| invariants::fix_invariants(text, &settings));
    // The default settings too: what `dfharden fix` does without options.
    run("fix (defaults)", &|| invariants::fix_invariants(text, &dfharden_core::Settings::default()));
}

#[test]
fn regressions_hold_the_invariants() {
    let inputs = regressions();
    assert!(!inputs.is_empty(), "fuzz/regressions/ is empty");
    for (name, bytes) in &inputs {
        all_invariants(name, bytes);
    }
}

/// xorshift64*: small, seeded, reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Tokens that matter to a Dockerfile parser and to the rules.
const DICTIONARY: &[&str] = &[
    "\n", "\r\n", "\\\n", "`\n", " ", "\t", "#", "# escape=`\n", "# syntax=docker/dockerfile:1\n", "FROM ", " AS ",
    "RUN ", "COPY ", "ADD ", "USER ", "ONBUILD ", "CMD ", "ENTRYPOINT ", "HEALTHCHECK ", "ARG ", "ENV ", "SHELL ",
    "EXPOSE 22", "--from=", "--chown=", "--chmod=", "--mount=type=cache,target=/x ", "<<EOF\n", "<<-EOF\n", "EOF\n",
    "<<'EOF'\n", "[\"", "\"]", "\", \"", "${", "}", "$", ":-", "'", "\"", "&&", "||", ";", "|", "apk add ", "apt-get install -y ",
    "curl -fsSL https://x | sh", "sudo ", "chmod 777 ", "chmod u+s ", "root", "0", "nonroot", "alpine:3.20", "scratch",
    "@sha256:", "\u{feff}", "é", "☃", "𝄞", "\u{a0}", "# dfharden: ignore\n", "# hadolint ignore=DL3019\n",
];

fn mutate(rng: &mut Rng, seed: &[u8], others: &[Vec<u8>]) -> Vec<u8> {
    let mut data = seed.to_vec();
    for _ in 0..1 + rng.below(8) {
        let at = rng.below(data.len() + 1);
        match rng.below(6) {
            0 | 1 => {
                let token = DICTIONARY[rng.below(DICTIONARY.len())].as_bytes();
                data.splice(at..at, token.iter().copied());
            }
            2 => {
                let end = (at + rng.below(64)).min(data.len());
                data.drain(at..end);
            }
            3 => {
                // Splice in a piece of another input.
                let other = &others[rng.below(others.len())];
                let a = rng.below(other.len() + 1);
                let b = (a + rng.below(200)).min(other.len());
                data.splice(at..at, other[a..b].iter().copied());
            }
            4 => {
                // Duplicate a piece in place.
                let end = (at + rng.below(80)).min(data.len());
                let piece = data[at..end].to_vec();
                data.splice(at..at, piece);
            }
            _ => {
                if at < data.len() {
                    data[at] = b" \\\n#\"'[]{}$<-=`\t\r"[rng.below(17)];
                }
            }
        }
    }
    data
}

fn corpus_inputs() -> Vec<Vec<u8>> {
    let dir = std::env::var_os("DFHARDEN_CORPUS").map(PathBuf::from).unwrap_or_else(|| root().join("../shared/corpus"));
    let manifest = std::fs::read_to_string(dir.join("MANIFEST.tsv"))
        .unwrap_or_else(|e| panic!("the corpus is missing ({}/MANIFEST.tsv: {e}); set DFHARDEN_CORPUS", dir.display()));
    let mut lines = manifest.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let path = header.iter().position(|h| *h == "corpus_path").unwrap();
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| std::fs::read(dir.join(l.split('\t').nth(path).unwrap())).unwrap())
        // Small files mutate faster and reach the same code.
        .filter(|b| b.len() < 4096)
        .collect()
}

#[test]
fn randomized_mutations_hold_the_invariants() {
    let iters: usize = std::env::var("DFHARDEN_FUZZ_ITERS").ok().and_then(|s| s.parse().ok()).unwrap_or(300);
    let seed: u64 = std::env::var("DFHARDEN_FUZZ_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(0x5eed_d0c4_e7f1_1e00);
    let mut seeds = corpus_inputs();
    seeds.extend(regressions().into_iter().map(|(_, b)| b));
    let mut rng = Rng(seed | 1);
    let start = std::time::Instant::now();
    for i in 0..iters {
        let pick = rng.below(seeds.len());
        let input = mutate(&mut rng, &seeds[pick], &seeds);
        // A failing input is kept in target/fuzz-failures/ for minimizing.
        let saved = root().join("target/fuzz-failures").join(format!("{seed}-{i}"));
        let result = std::panic::catch_unwind(|| all_invariants(&format!("seed {seed} input {i}"), &input));
        if let Err(e) = result {
            std::fs::create_dir_all(saved.parent().unwrap()).unwrap();
            std::fs::write(&saved, &input).unwrap();
            eprintln!("failing input written to {}", saved.display());
            std::panic::resume_unwind(e);
        }
    }
    eprintln!("{iters} mutated inputs in {:.1?} (seed {seed})", start.elapsed());
}
