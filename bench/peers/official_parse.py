"""Parses every file listed in argv[1] with the official BuildKit parser (PyPI `dockerfile`,
Go code behind a C extension) in one process; prints {"files", "secs", "failed"} (secs: the
parse loop alone, texts already in memory)."""
import json
import sys
import time

t0 = time.perf_counter()
import dockerfile  # noqa: E402

paths = [p for p in open(sys.argv[1]).read().split("\n") if p]
texts = [open(p, encoding="utf-8").read() for p in paths]
start = time.perf_counter()
failed = 0
commands = 0
for text in texts:
    try:
        commands += len(dockerfile.parse_string(text))
    except dockerfile.GoParseError:
        failed += 1
end = time.perf_counter()
print(json.dumps({"files": len(texts), "secs": end - start, "load_secs": start - t0, "failed": failed, "commands": commands}))
