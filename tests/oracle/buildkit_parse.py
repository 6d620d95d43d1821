"""Parse Dockerfiles with the official BuildKit parser and print one JSON object per file.

The PyPI package `dockerfile` (3.4.0) wraps BuildKit's Go parser (v0.12.5). The Rust tests use
this script as the oracle for dfharden's parser. File paths are read from standard input, one
per line; each output line is {"path", "ok", "error", "commands"}.
"""

import json
import sys

import dockerfile


def command_to_dict(command):
    return {
        "cmd": command.cmd,
        "sub_cmd": command.sub_cmd,
        "json": command.json,
        "flags": list(command.flags),
        "value": list(command.value),
        "start_line": command.start_line,
        "end_line": command.end_line,
        "heredocs": [
            {"name": h.name, "fd": h.file_descriptor, "content": h.content}
            for h in command.heredocs
        ],
    }


def main():
    for raw in sys.stdin:
        path = raw.rstrip("\n")
        if not path:
            continue
        record = {"path": path, "ok": True, "error": None, "commands": []}
        try:
            record["commands"] = [command_to_dict(c) for c in dockerfile.parse_file(path)]
        except dockerfile.GoParseError as error:
            record["ok"] = False
            record["error"] = str(error)
        except (OSError, UnicodeDecodeError) as error:
            record["ok"] = False
            record["error"] = "%s: %s" % (type(error).__name__, error)
        print(json.dumps(record))


if __name__ == "__main__":
    main()
