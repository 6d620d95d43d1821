"""Side-by-side comparison of dfharden with the Dockerfile tools people use today, on the
same files in the same run. Run by scripts/bench, which installs the peers first; prints
Markdown to stdout.

Peers: Checkov's Dockerfile checks (PyPI `checkov`), dockerfilelint and dockerfile-utils (npm),
and the official BuildKit parser (PyPI `dockerfile`) for parsing alone. A peer that is not
installed is reported as such, loudly, in the tables (never skipped silently).

    python peers.py --dfharden BIN --bench BIN --corpus DIR --work DIR --venv DIR --npm DIR [--runs N]
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dfharden", required=True)
    ap.add_argument("--bench", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--venv", required=True)
    ap.add_argument("--npm", required=True)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--failed-installs", default="", help="peers whose install failed (comma-separated)")
    a = ap.parse_args()
    work = Path(a.work)
    failed_installs = {p for p in a.failed_installs.split(",") if p}

    # The same files for every tool: each real corpus file as <tree>/<n>/Dockerfile (every
    # tool finds a file called Dockerfile by itself).
    tree = work / "tree"
    files = make_tree(Path(a.corpus), tree)
    listing = work / "files.txt"
    listing.write_text("".join(f"{p}\n" for p in files))
    size = sum(p.stat().st_size for p in files)

    versions = peer_versions(a, failed_installs)
    print("## Peers\n")
    print(f"The same {len(files)} files (the corpus's real Dockerfiles, {size / 1e6:.2f} MB), copied to a temporary tree. "
          f"Medians of {a.runs} runs unless noted.\n")
    print("| tool | version | status |")
    print("|---|---|---|")
    for name, (version, status) in versions.items():
        print(f"| {name} | {version} | {status} |")
    print()

    speed(a, files, tree, listing, versions)
    coverage(a, tree, versions)


def run(cmd, env=None, check=False):
    full_env = dict(os.environ)
    full_env.update(env or {})
    start = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True, env=full_env)
    secs = time.perf_counter() - start
    if check and p.returncode != 0:
        raise RuntimeError(f"{cmd[0]} failed ({p.returncode}): {p.stderr[-2000:]}")
    return p, secs


def make_tree(corpus, tree):
    shutil.rmtree(tree, ignore_errors=True)
    lines = (corpus / "MANIFEST.tsv").read_text().splitlines()
    header = lines[0].split("\t")
    kind, path = header.index("kind"), header.index("corpus_path")
    out = []
    for n, line in enumerate(l for l in lines[1:] if l.strip()):
        cells = line.split("\t")
        if cells[kind] != "real":
            continue
        dest = tree / f"{n:04d}" / "Dockerfile"
        dest.parent.mkdir(parents=True)
        shutil.copyfile(corpus / cells[path], dest)
        out.append(dest)
    return out


def peer_versions(a, failed_installs):
    venv_py = Path(a.venv) / "bin" / "python"
    out = {}
    p, _ = run([a.dfharden, "--version"])
    out["dfharden"] = (p.stdout.strip().split()[-1] if p.returncode == 0 else "?", "built from this tree")

    def pip_version(dist):
        if not venv_py.exists():
            return None
        p, _ = run([str(venv_py), "-c", f"import importlib.metadata as m; print(m.version('{dist}'))"])
        return p.stdout.strip() if p.returncode == 0 else None

    def npm_version(pkg):
        f = Path(a.npm) / "node_modules" / pkg / "package.json"
        return json.loads(f.read_text())["version"] if f.exists() else None

    for name, version in [
        ("checkov", pip_version("checkov")),
        ("dockerfile (official BuildKit parser)", pip_version("dockerfile")),
        ("dockerfilelint", npm_version("dockerfilelint")),
        ("dockerfile-utils", npm_version("dockerfile-utils")),
    ]:
        key = name.split(" ")[0]
        if version is None or key in failed_installs:
            out[name] = ("-", "**NOT INSTALLED: the install failed; its figures below are missing**")
        else:
            out[name] = (version, "installed")
    return out


def ok(versions, name):
    return any(k.split(" ")[0] == name and v[0] != "-" for k, v in versions.items())


def median_run(cmd, runs, env=None):
    times, last = [], None
    for _ in range(runs):
        last, secs = run(cmd, env=env)
        times.append(secs)
    return statistics.median(times), last


def inproc(a, phase, listing):
    p, _ = run([a.bench, "inproc", "--phase", phase, "--list", str(listing), "--runs", str(max(a.runs, 3))], check=True)
    return json.loads(p.stdout)["secs"]


def speed(a, files, tree, listing, versions):
    n = len(files)
    venv_py = str(Path(a.venv) / "bin" / "python")
    node_path = {"NODE_PATH": str(Path(a.npm) / "node_modules")}
    rows = []  # (tool, what, secs, dfharden figure label, dfharden secs)

    ours_check_1, _ = median_run([a.dfharden, "check", "--quiet", "--select", "ALL", str(tree)], a.runs, {"RAYON_NUM_THREADS": "1"})
    ours_check_2, _ = median_run([a.dfharden, "check", "--quiet", "--select", "ALL", str(tree)], a.runs)
    ours_inproc_check = inproc(a, "check", listing)
    ours_inproc_parse = inproc(a, "parse", listing)

    print("### Speed\n")
    print("In process: the tool's own loop over texts already in memory, one thread (no start-up, no file IO). "
          "End to end: the whole command on the tree, as a user runs it.\n")
    print("| tool | measured | time | files/s | dfharden, same measure | dfharden time | dfharden is |")
    print("|---|---|---:|---:|---|---:|---:|")

    def row(tool, what, secs, ours_label, ours):
        if secs is None:
            print(f"| {tool} | {what} | **not run: not installed** | | {ours_label} | {ours:.3f} s | |")
            return
        print(f"| {tool} | {what} | {secs:.3f} s | {n / secs:.0f} | {ours_label} | {ours:.3f} s | {secs / ours:.1f}x faster |")

    # Official parser: parse only, in process.
    if ok(versions, "dockerfile"):
        p, _ = run([venv_py, str(HERE / "official_parse.py"), str(listing)])
        secs = json.loads(p.stdout)["secs"] if p.returncode == 0 else None
        if secs is None:
            print(f"<!-- official parser failed: {p.stderr[-500:]} -->")
        row("official parser (`dockerfile`, Go via CPython)", "parse, in process", secs, "`parse`, in process", ours_inproc_parse)
    else:
        row("official parser", "parse", None, "`parse`, in process", ours_inproc_parse)

    for name, script in [("dockerfilelint", "dockerfilelint.cjs"), ("dockerfile-utils", "dockerfile_utils.cjs")]:
        if not ok(versions, name):
            row(name, "lint", None, "`check`, in process", ours_inproc_check)
            continue
        inner, whole = [], []
        result = {}
        for _ in range(a.runs):
            p, secs = run(["node", str(HERE / script), str(listing)], env=node_path)
            if p.returncode != 0:
                print(f"\n**{name} failed to run: {p.stderr[-500:]}**\n")
                break
            result = json.loads(p.stdout)
            inner.append(result["secs"])
            whole.append(secs)
        if inner:
            row(name, "lint, in process", statistics.median(inner), "`check`, in process", ours_inproc_check)
            row(name, "lint, end to end (node start-up, one process)", statistics.median(whole), "`dfharden check`, 1 thread", ours_check_1)
            if result.get("failed"):
                print(f"| {name} | threw on {result['failed']} file(s) | | | | | |")

    if ok(versions, "checkov"):
        checkov = str(Path(a.venv) / "bin" / "checkov")
        cmd = [checkov, "-d", str(tree), "--framework", "dockerfile", "-o", "json", "--quiet", "--compact", "--skip-download"]
        secs, p = median_run(cmd, a.runs, {"LOG_LEVEL": "ERROR"})
        if p.returncode not in (0, 1):
            print(f"\n**checkov failed ({p.returncode}): {p.stderr[-500:]}**\n")
        else:
            row("Checkov (Dockerfile checks)", "scan, end to end", secs, "`dfharden check`, 1 thread", ours_check_1)
            row("Checkov (Dockerfile checks)", "scan, end to end", secs, "`dfharden check`, 2 threads", ours_check_2)
            one = files[len(files) // 2]
            secs1, _ = median_run([checkov, "-f", str(one), "--framework", "dockerfile", "-o", "json", "--quiet", "--compact", "--skip-download"], a.runs, {"LOG_LEVEL": "ERROR"})
            ours1, _ = median_run([a.dfharden, "check", "--quiet", "--select", "ALL", str(one)], max(a.runs, 5))
            row("Checkov (Dockerfile checks)", "one file, end to end (`-f`)", secs1, "`dfharden check FILE`", ours1)
    else:
        row("Checkov", "scan", None, "`dfharden check`, 1 thread", ours_check_1)
    print()


def checkov_failures(a, tree):
    """check id -> set of files Checkov fails, or None when Checkov is missing."""
    checkov = Path(a.venv) / "bin" / "checkov"
    p, _ = run([str(checkov), "-d", str(tree), "--framework", "dockerfile", "-o", "json", "--quiet", "--compact", "--skip-download"], env={"LOG_LEVEL": "ERROR"})
    if p.returncode not in (0, 1):
        raise RuntimeError(f"checkov failed: {p.stderr[-1000:]}")
    doc = json.loads(p.stdout) if p.stdout.strip() else {}
    reports = doc if isinstance(doc, list) else [doc]
    out = defaultdict(set)
    for report in reports:
        for f in report.get("results", {}).get("failed_checks", []):
            out[f["check_id"]].add(Path(f["file_abs_path"]).parent.name)
    return out


def dfharden_findings(a, tree, settings_args):
    p, _ = run([a.dfharden, "check", "--quiet", "--output-format", "json", *settings_args, str(tree)])
    if p.returncode not in (0, 1):
        raise RuntimeError(f"dfharden check failed: {p.stderr[-1000:]}")
    doc = json.loads(p.stdout)
    out = defaultdict(set)
    for f in doc["files"]:
        folder = Path(f["path"]).parent.name
        for finding in f.get("findings", []):
            out[finding["code"]].add(folder)
    return out


def coverage(a, tree, versions):
    p, _ = run([a.dfharden, "rules", "--format", "json"], check=True)
    rules = json.loads(p.stdout)["rules"]
    by_checkov = defaultdict(list)
    for r in rules:
        for alias in r.get("aliases", []):
            if alias["tool"] == "checkov":
                by_checkov[alias["id"]].append(r["code"])

    print("### Findings coverage (Checkov)\n")
    if not ok(versions, "checkov"):
        print("**Checkov is NOT INSTALLED (its install failed): no coverage figures.**\n")
        return
    theirs = checkov_failures(a, tree)
    ours = dfharden_findings(a, tree, ["--select", "ALL"])
    files = len(list(tree.iterdir()))
    print(f"Files (of {files}) each tool flags, for every Checkov check that failed on some file or has a dfharden rule "
          "(the mapping is the `aliases` of `dfharden rules --format json`; dfharden with `--select ALL`).\n")
    print("| Checkov check | dfharden rule(s) | Checkov flags | dfharden flags | both | Checkov only | dfharden only |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for check_id in sorted(set(theirs) | set(by_checkov), key=sort_key):
        codes = by_checkov.get(check_id, [])
        c = theirs.get(check_id, set())
        if not codes:
            print(f"| {check_id} | (none) | {len(c)} | | | | |")
            continue
        d = set().union(*(ours.get(code, set()) for code in codes))
        print(f"| {check_id} | {', '.join(codes)} | {len(c)} | {len(d)} | {len(c & d)} | {len(c - d)} | {len(d - c)} |")
    print()

    # Checkov before and after `dfharden fix` (default settings: the strict profile).
    fixed = tree.parent / "tree-fixed"
    shutil.rmtree(fixed, ignore_errors=True)
    shutil.copytree(tree, fixed)
    p, secs = run([a.dfharden, "fix", "--write", "--quiet", str(fixed)])
    if p.returncode not in (0, 1):
        print(f"**dfharden fix --write failed ({p.returncode}): {p.stderr[-1000:]}**\n")
        return
    changed = sum(1 for d in tree.iterdir() if (d / "Dockerfile").read_bytes() != (fixed / d.name / "Dockerfile").read_bytes())
    after = checkov_failures(a, fixed)
    print("### Checkov failures before and after `dfharden fix`\n")
    print(f"`dfharden fix --write` (default settings) rewrote {changed} of {files} files in {secs:.2f} s; Checkov then ran on the rewritten tree.\n")
    print("| Checkov check | dfharden rule(s) | files failing before | after fix | fixed |")
    print("|---|---|---:|---:|---:|")
    total_before = total_after = 0
    for check_id in sorted(set(theirs) | set(after), key=sort_key):
        b, af = len(theirs.get(check_id, ())), len(after.get(check_id, ()))
        total_before += b
        total_after += af
        codes = ", ".join(by_checkov.get(check_id, [])) or "(none)"
        print(f"| {check_id} | {codes} | {b} | {af} | {b - af} |")
    print(f"| **all** | | **{total_before}** | **{total_after}** | **{total_before - total_after}** |")
    print()


def sort_key(check_id):
    prefix, _, num = check_id.rpartition("_")
    return (prefix, int(num) if num.isdigit() else 0)


if __name__ == "__main__":
    try:
        main()
    except Exception as e:  # the report must say what broke
        print(f"\n**The peer comparison failed: {e}**\n")
        raise
