//! dfharden-bench: how fast dfharden parses, checks and fixes, and how much memory it takes.
//!
//! ```text
//! dfharden-bench core [--corpus DIR] [--runs N] [--growth 1,10,100]
//! dfharden-bench cli --bin PATH [--corpus DIR] [--files 1000,10000] [--runs N]
//! dfharden-bench tree --files N --out DIR [--corpus DIR]
//! dfharden-bench inproc --phase parse|check|fix --list FILE [--runs N]
//! dfharden-bench rules [--corpus DIR] [--runs N]
//! ```
//!
//! `rules` splits the cost of `check` over the corpus: the shared steps (parse, model, shell
//! scripts, structure analysis) and each rule alone, slowest first: where to look first when
//! `check` gets slower.
//!
//! `inproc` times one phase in process, single-threaded, over the files listed in FILE (one
//! path a line, texts read first) and prints JSON: the figure the peer comparison
//! (`bench/peers/peers.py`) sets beside the peers' own in-process loops.
//!
//! `core` measures the library in process: one file, and the whole corpus single-threaded and
//! on a 2-thread rayon pool. Each whole-corpus measurement runs in a child process (this
//! binary, `child ...`) so that its peak memory (VmHWM) is its own. `cli` times the `dfharden`
//! binary end to end on generated trees of corpus files and reads each run's peak RSS from
//! wait4(2). Every figure is the median of `--runs` runs. Output is Markdown.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use dfharden_core::syntax::{decode, parse};
use dfharden_core::{check, fix, Settings};
use rayon::prelude::*;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let opt = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let corpus = opt("--corpus").map(PathBuf::from).unwrap_or_else(default_corpus);
    let runs: usize = opt("--runs").map_or(5, |r| r.parse().expect("--runs N"));
    let list = |name: &str, default: &str| -> Vec<usize> {
        opt(name).unwrap_or_else(|| default.to_string()).split(',').map(|n| n.parse().expect("a number")).collect()
    };
    match args.first().map(String::as_str) {
        Some("core") => core_report(&corpus, runs, &list("--growth", "1,10,100")),
        Some("cli") => {
            let bin = PathBuf::from(opt("--bin").expect("--bin PATH of the dfharden binary"));
            cli_report(&bin, &corpus, runs, &list("--files", "1000,10000"));
        }
        Some("tree") => {
            let out = PathBuf::from(opt("--out").expect("--out DIR"));
            let n = list("--files", "10000")[0];
            make_tree(&corpus, &out, n);
            println!("{n} files under {}", out.display());
        }
        Some("child") => child(&corpus, &args[1..]),
        Some("rules") => rules_report(&corpus, runs),
        Some("inproc") => {
            let phase = Phase::from_name(&opt("--phase").expect("--phase"));
            let list = std::fs::read_to_string(opt("--list").expect("--list FILE")).expect("file list");
            let texts: Vec<String> = list
                .lines()
                .filter(|l| !l.is_empty())
                .map(|p| decode(&std::fs::read(p).expect("listed file")).expect("text").to_string())
                .collect();
            let settings = Settings::default();
            let secs: Vec<f64> = (0..runs)
                .map(|_| {
                    let start = Instant::now();
                    let n: usize = texts.iter().map(|t| phase.run(t, &settings)).sum();
                    std::hint::black_box(n);
                    start.elapsed().as_secs_f64()
                })
                .collect();
            println!("{}", serde_json::json!({"files": texts.len(), "secs": median(secs)}));
        }
        _ => {
            eprintln!("usage: dfharden-bench core|cli|tree [options] (see the source's header)");
            std::process::exit(2);
        }
    }
}

fn default_corpus() -> PathBuf {
    std::env::var_os("DFHARDEN_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus"))
}

/// One corpus file, as text.
struct Doc {
    kind: String,
    text: String,
}

/// Every corpus file that is UTF-8 text within the limits (all are, today).
fn load(corpus: &Path) -> Vec<Doc> {
    let manifest = std::fs::read_to_string(corpus.join("MANIFEST.tsv"))
        .unwrap_or_else(|e| panic!("{}/MANIFEST.tsv: {e} (set --corpus or DFHARDEN_CORPUS)", corpus.display()));
    let mut lines = manifest.lines();
    let header: Vec<&str> = lines.next().expect("header").split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).expect(name);
    let (kind, path) = (col("kind"), col("corpus_path"));
    lines
        .filter(|l| !l.trim().is_empty())
        .filter_map(|l| {
            let cells: Vec<&str> = l.split('\t').collect();
            let bytes = std::fs::read(corpus.join(cells[path])).expect("corpus file");
            let text = decode(&bytes).ok()?.to_string();
            Some(Doc { kind: cells[kind].to_string(), text })
        })
        .collect()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Parse,
    Check,
    Fix,
}

impl Phase {
    fn name(self) -> &'static str {
        match self {
            Phase::Parse => "parse",
            Phase::Check => "check",
            Phase::Fix => "fix",
        }
    }

    fn from_name(name: &str) -> Phase {
        match name {
            "parse" => Phase::Parse,
            "check" => Phase::Check,
            "fix" => Phase::Fix,
            _ => panic!("unknown phase {name}"),
        }
    }

    /// Runs the phase on one text; returns a number that depends on the result, so that the
    /// work cannot be optimised away.
    fn run(self, text: &str, settings: &Settings) -> usize {
        match self {
            Phase::Parse => parse(text).items.len(),
            Phase::Check => check(text, settings).findings.len(),
            Phase::Fix => fix(text, settings).output.len(),
        }
    }
}

const PHASES: [Phase; 3] = [Phase::Parse, Phase::Check, Phase::Fix];

/// Times the shared steps of `check` and then each rule alone over the whole corpus.
fn rules_report(corpus: &Path, runs: usize) {
    use dfharden_core::model::Dockerfile;
    use dfharden_core::rules::{Context, ALL_RULES};
    let docs = load(corpus);
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let settings = Settings::default();
    let time = |f: &dyn Fn() -> usize| {
        median(
            (0..runs)
                .map(|_| {
                    let start = Instant::now();
                    std::hint::black_box(f());
                    start.elapsed().as_secs_f64()
                })
                .collect(),
        )
    };
    let parses: Vec<_> = docs.iter().map(|d| parse(&d.text)).collect();
    let models: Vec<_> = parses.iter().map(Dockerfile::new).collect();
    let mut rows: Vec<(String, f64)> = vec![
        ("parse".into(), time(&|| docs.iter().map(|d| parse(&d.text).errors.len()).sum())),
        ("model".into(), time(&|| parses.iter().map(|p| Dockerfile::new(p).stages.len()).sum())),
        (
            "context (shell scripts)".into(),
            time(&|| {
                parses.iter().zip(&models).map(|(p, m)| Context::new(p, m, &settings).scripts.len()).sum()
            }),
        ),
    ];
    let contexts: Vec<Context<'_>> =
        parses.iter().zip(&models).map(|(p, m)| Context::new(p, m, &settings)).collect();
    rows.push((
        "structure analysis".into(),
        time(&|| {
            parses
                .iter()
                .zip(&models)
                .map(|(p, m)| usize::from(matches!(Context::new(p, m, &settings).structure(), dfharden_core::harden::Decision::Restructure(_))))
                .sum()
        }) - rows[2].1,
    ));
    for context in &contexts {
        context.structure();
    }
    for rule in ALL_RULES {
        let secs = time(&|| {
            let mut findings = Vec::new();
            for context in &contexts {
                (rule.check)(context, &mut findings);
            }
            findings.len()
        });
        rows.push((format!("{} {}", rule.meta.code, rule.meta.name), secs));
    }
    let total: f64 = rows.iter().map(|r| r.1).sum();
    rows.sort_by(|a, b| b.1.total_cmp(&a.1));
    println!("## Where `check` spends its time\n");
    println!("{} files, {:.2} MB, one thread, medians of {runs} runs; structure analysis is computed once per file and shared.\n", docs.len(), bytes as f64 / 1e6);
    println!("| step | ms | share |");
    println!("|---|---:|---:|");
    for (name, secs) in rows {
        println!("| {name} | {:.2} | {:.1}% |", secs * 1e3, secs / total * 100.0);
    }
    println!("| total | {:.2} | |", total * 1e3);

    // Each fix round checks the file again, so rounds multiply the cost of `fix`.
    let mut rounds = std::collections::BTreeMap::new();
    for doc in &docs {
        *rounds.entry(fix(&doc.text, &settings).rounds).or_insert(0) += 1;
    }
    let checks: usize = rounds.iter().map(|(r, n)| (r + 1) * n).sum();
    println!(
        "\nFix rounds per file (a file with r rounds is checked r + 1 times): {}; {:.2} checks per file.",
        rounds.iter().map(|(r, n)| format!("{r}: {n}")).collect::<Vec<_>>().join(", "),
        checks as f64 / docs.len() as f64
    );
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let n = xs.len();
    if n % 2 == 1 { xs[n / 2] } else { (xs[n / 2 - 1] + xs[n / 2]) / 2.0 }
}

/// Peak resident set size of this process so far, in KiB (`VmHWM`).
fn vm_hwm_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// `child PHASE THREADS SCALE RUNS`: loads the corpus, runs PHASE over it SCALE times per run
/// on a pool of THREADS, and prints `{"secs": [...], "hwm_loaded_kib": .., "hwm_kib": ..}`.
fn child(corpus: &Path, args: &[String]) {
    let phase = Phase::from_name(&args[0]);
    let threads: usize = args[1].parse().unwrap();
    let scale: usize = args[2].parse().unwrap();
    let runs: usize = args[3].parse().unwrap();
    let docs = load(corpus);
    let texts: Vec<&str> = docs.iter().map(|d| d.text.as_str()).collect();
    let settings = Settings::default();
    let hwm_loaded = vm_hwm_kib();
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
    let mut secs = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        let total: usize = if threads == 1 {
            (0..scale).flat_map(|_| texts.iter()).map(|t| phase.run(t, &settings)).sum()
        } else {
            pool.install(|| {
                // The corpus replicated `scale` times (the same texts, so memory stays that of
                // one copy of the input plus the work in flight).
                (0..scale * texts.len()).into_par_iter().map(|i| phase.run(texts[i % texts.len()], &settings)).sum()
            })
        };
        std::hint::black_box(total);
        secs.push(start.elapsed().as_secs_f64());
    }
    println!(
        "{}",
        serde_json::json!({"secs": secs, "hwm_loaded_kib": hwm_loaded, "hwm_kib": vm_hwm_kib()})
    );
}

struct ChildResult {
    secs: f64,
    hwm_loaded_kib: u64,
    hwm_kib: u64,
}

fn run_child(corpus: &Path, phase: Phase, threads: usize, scale: usize, runs: usize) -> ChildResult {
    let out = Command::new(std::env::current_exe().unwrap())
        .args(["child", phase.name(), &threads.to_string(), &scale.to_string(), &runs.to_string()])
        .arg("--corpus")
        .arg(corpus)
        .stderr(Stdio::inherit())
        .output()
        .expect("run the measuring child");
    assert!(out.status.success(), "child failed: {:?}", out.status);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("child JSON");
    let secs = v["secs"].as_array().unwrap().iter().map(|s| s.as_f64().unwrap()).collect();
    ChildResult {
        secs: median(secs),
        hwm_loaded_kib: v["hwm_loaded_kib"].as_u64().unwrap(),
        hwm_kib: v["hwm_kib"].as_u64().unwrap(),
    }
}

fn mib(kib: u64) -> String {
    format!("{:.1}", kib as f64 / 1024.0)
}

fn core_report(corpus: &Path, runs: usize, growth: &[usize]) {
    let docs = load(corpus);
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let settings = Settings::default();
    println!("## Library (dfharden-core, in process)\n");
    println!(
        "Corpus: {} files, {:.2} MB ({} real, {} others). Settings: the defaults (strict profile). Medians of {runs} runs; machine: {} cores.\n",
        docs.len(),
        bytes as f64 / 1e6,
        docs.iter().filter(|d| d.kind == "real").count(),
        docs.iter().filter(|d| d.kind != "real").count(),
        std::thread::available_parallelism().map_or(0, |n| n.get()),
    );

    // One file: the median-sized real file and the largest file.
    let mut real: Vec<&Doc> = docs.iter().filter(|d| d.kind == "real").collect();
    real.sort_by_key(|d| d.text.len());
    let typical = real[real.len() / 2];
    let largest = docs.iter().max_by_key(|d| d.text.len()).unwrap();
    println!("### One file\n");
    println!("| file | phase | time per file | files/s | MB/s |");
    println!("|---|---|---:|---:|---:|");
    for (label, doc) in [("median real file", typical), ("largest file", largest)] {
        let label = format!("{label} ({} bytes, {} lines)", doc.text.len(), doc.text.lines().count());
        for phase in PHASES {
            // Enough iterations per run for at least 100 ms.
            let start = Instant::now();
            let mut iters = 0;
            while start.elapsed() < Duration::from_millis(20) {
                std::hint::black_box(phase.run(&doc.text, &settings));
                iters += 1;
            }
            let iters = (iters * 5).max(1);
            let per = median(
                (0..runs)
                    .map(|_| {
                        let start = Instant::now();
                        for _ in 0..iters {
                            std::hint::black_box(phase.run(&doc.text, &settings));
                        }
                        start.elapsed().as_secs_f64() / iters as f64
                    })
                    .collect(),
            );
            println!(
                "| {label} | {} | {:.1} µs | {:.0} | {:.1} |",
                phase.name(),
                per * 1e6,
                1.0 / per,
                doc.text.len() as f64 / per / 1e6
            );
        }
    }

    println!("\n### Whole corpus\n");
    println!("Each row runs in its own process; peak RSS is that process's VmHWM (corpus loaded: the input texts alone).\n");
    println!("| phase | threads | time | files/s | MB/s | speed-up | peak RSS (MiB) | of which corpus loaded (MiB) |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for phase in PHASES {
        let mut single = 0.0;
        for threads in [1, 2] {
            let r = run_child(corpus, phase, threads, 1, runs);
            if threads == 1 {
                single = r.secs;
            }
            println!(
                "| {} | {threads} | {:.3} s | {:.0} | {:.1} | {:.2}x | {} | {} |",
                phase.name(),
                r.secs,
                docs.len() as f64 / r.secs,
                bytes as f64 / r.secs / 1e6,
                single / r.secs,
                mib(r.hwm_kib),
                mib(r.hwm_loaded_kib)
            );
        }
    }

    println!("\n### Cost growth (corpus replicated in memory, 2 threads)\n");
    println!("Linear growth keeps the time per corpus copy flat.\n");
    println!("| phase | copies | files | MB | time | time per copy | vs 1x | peak RSS (MiB) |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for phase in PHASES {
        let mut base = 0.0;
        for &scale in growth {
            // The biggest sizes run once (they take a while); the others `runs` times.
            let r = run_child(corpus, phase, 2, scale, if scale >= 100 { 1 } else { runs.min(3) });
            let per = r.secs / scale as f64;
            if base == 0.0 {
                base = per;
            }
            println!(
                "| {} | {scale}x | {} | {:.1} | {:.2} s | {:.3} s | {:.2} | {} |",
                phase.name(),
                scale * docs.len(),
                (scale * bytes) as f64 / 1e6,
                r.secs,
                per,
                per / base,
                mib(r.hwm_kib)
            );
        }
    }
    println!();
}

/// Writes `n` Dockerfiles under `out` (100 to a folder), cycling through the real corpus files
/// that parse without errors, and returns their total size.
fn make_tree(corpus: &Path, out: &Path, n: usize) -> usize {
    let docs: Vec<Doc> =
        load(corpus).into_iter().filter(|d| d.kind == "real" && !parse(&d.text).has_errors()).collect();
    let _ = std::fs::remove_dir_all(out);
    let mut total = 0;
    for i in 0..n {
        let dir = out.join(format!("d{:03}", i / 100)).join(format!("f{i:05}"));
        std::fs::create_dir_all(&dir).unwrap();
        let text = &docs[i % docs.len()].text;
        std::fs::write(dir.join("Dockerfile"), text).unwrap();
        total += text.len();
    }
    total
}

/// Runs a command to completion with output discarded; returns wall time, exit code and peak
/// RSS in KiB (ru_maxrss from wait4).
fn timed(bin: &Path, args: &[&str], dir: &Path, threads: Option<usize>) -> (f64, i32, u64) {
    let mut command = Command::new(bin);
    command.args(args).arg(dir).stdout(Stdio::null()).stderr(Stdio::null());
    if let Some(t) = threads {
        command.env("RAYON_NUM_THREADS", t.to_string());
    }
    let start = Instant::now();
    let child = command.spawn().expect("run dfharden");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero rusage is valid; wait4 fills it for our own child, which std has
    // not waited for (we never call wait on `child`).
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let got = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let secs = start.elapsed().as_secs_f64();
    assert_eq!(got, pid, "wait4 failed");
    let code = if libc::WIFEXITED(status) { libc::WEXITSTATUS(status) } else { -1 };
    (secs, code, usage.ru_maxrss as u64)
}

fn cli_report(bin: &Path, corpus: &Path, runs: usize, sizes: &[usize]) {
    let tmp = std::env::temp_dir().join(format!("dfharden-bench-{}", std::process::id()));
    println!("## Command line end to end (`{}`)\n", bin.display());
    println!(
        "Trees of generated files (real corpus files that parse, cycled), in a temporary folder; output to /dev/null; wall clock and peak RSS (ru_maxrss) of the process, medians of {runs} runs. The page cache is warm (a first run is discarded).\n"
    );
    println!("| command | files | MB | threads | wall time | files/s | peak RSS (MiB) | exit |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for &n in sizes {
        let dir = tmp.join(format!("tree-{n}"));
        let bytes = make_tree(corpus, &dir, n);
        for (label, args) in [
            ("dfharden check", &["check", "--quiet"][..]),
            ("dfharden check --output-format json", &["check", "--quiet", "--output-format", "json"][..]),
            ("dfharden fix --check", &["fix", "--check", "--quiet"][..]),
        ] {
            for threads in [None, Some(1)] {
                timed(bin, args, &dir, threads); // warm-up
                let results: Vec<(f64, i32, u64)> = (0..runs).map(|_| timed(bin, args, &dir, threads)).collect();
                let wall = median(results.iter().map(|r| r.0).collect());
                let rss = median(results.iter().map(|r| r.2 as f64).collect()) as u64;
                let code = results[0].1;
                println!(
                    "| `{label}` | {n} | {:.1} | {} | {:.2} s | {:.0} | {} | {code} |",
                    bytes as f64 / 1e6,
                    threads.map_or("2 (all)".to_string(), |t| t.to_string()),
                    wall,
                    n as f64 / wall,
                    mib(rss),
                );
            }
        }
        std::fs::remove_dir_all(&dir).ok();
    }
    std::fs::remove_dir_all(&tmp).ok();
    println!();
}
