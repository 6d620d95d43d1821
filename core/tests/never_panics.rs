//! The parser never panics and stays lossless on mangled input: corpus-like snippets are cut,
//! spliced and salted with the characters that matter to a Dockerfile parser. (Coverage-guided
//! fuzzing does the same more thoroughly; this runs in every `cargo test`.)

use dfharden_core::model::Dockerfile;
use dfharden_core::syntax::parse;

const SEEDS: &[&str] = &[
    "# syntax=docker/dockerfile:1\n# escape=`\nFROM golang:1.22 AS build\n",
    "RUN apt-get update && \\\n  # comment\n\n  apt-get install -y curl \\\n",
    "RUN <<EOF cat > /x && 3<<-'END' sh\nline\nEOF\n\tEND\n",
    "COPY --from=build --chown=\"a b\" [\"a\", \"b\"] /c\nCMD [\"x\", 1]\n",
    "ENV a=\"b c\" d='e' f=g\\ h\nLABEL k v\nARG X=${Y:-z}\n",
    "ONBUILD RUN <<EOF\nx\nEOF\nHEALTHCHECK --interval=5s CMD [\"curl\"]\n",
    "\u{feff}FROM a\r\nRUN x `\r\n y\r\n\u{a0}\u{2028}☃\n",
];

const SALT: &[&str] = &[
    "\\", "`", "\n", "\r\n", "<<", "<<-", "\"", "'", "[", "]", "#", "$", "${", "}", "--", "=", " ",
    "\t", "\u{a0}", "é", "EOF\n",
];

/// A small deterministic generator (xorshift), so that failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn mangle(rng: &mut Rng) -> String {
    let mut text = String::new();
    for _ in 0..1 + rng.below(6) {
        let seed = SEEDS[rng.below(SEEDS.len())];
        let chars: Vec<char> = seed.chars().collect();
        let a = rng.below(chars.len());
        let b = a + rng.below(chars.len() - a + 1);
        text.extend(&chars[a..b]);
        for _ in 0..rng.below(4) {
            text.push_str(SALT[rng.below(SALT.len())]);
        }
    }
    text
}

#[test]
fn mangled_input_never_panics_and_round_trips() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for round in 0..20_000 {
        let text = mangle(&mut rng);
        let parsed = parse(&text);
        assert_eq!(parsed.print(), text, "round {round}: {text:?}");
        for error in &parsed.errors {
            assert!(error.range.end <= text.len(), "round {round}: error range outside text");
            let _ = parsed.line_col(error.range.start);
        }
        let _ = Dockerfile::new(&parsed);
    }
}
