#!/usr/bin/env python3
"""Checks the source layout rules of the README ("Layout"):

- every file in tools/ is at most 150 lines (option parsing and printing only);
- every source file in src/ is at most 600 lines;
- every function in src/ and tools/ is at most 100 lines (from Universal Ctags);
- no public header (include/wembed/) mentions a test hook.

Usage: scripts/check_layout.py [ROOT]. Prints one line per breach and exits 1
if there is any; exits 0 silently otherwise. Needs universal-ctags.
"""
import json
import os
import subprocess
import sys

TOOLS_MAX = 150
SRC_MAX = 600
FUNCTION_MAX = 100
TEST_HOOKS = ("stop_after_checkpoints", "TrainerTesting")
SOURCE_EXT = (".cc", ".h")


def sources(root, folder):
    for dirpath, _, files in os.walk(os.path.join(root, folder)):
        for f in sorted(files):
            if f.endswith(SOURCE_EXT):
                yield os.path.join(dirpath, f)


def line_count(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return sum(1 for _ in f)


def long_functions(paths):
    out = subprocess.run(["ctags", "--output-format=json", "--fields=+ne", "--kinds-C++=f", "-o", "-"] + paths,
                         check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        tag = json.loads(line)
        if tag.get("kind") != "function" or "end" not in tag:
            continue
        length = tag["end"] - tag["line"] + 1
        if length > FUNCTION_MAX:
            yield tag["path"], tag["line"], tag.get("scope", "") + "::" + tag["name"], length


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
    breaches = []
    tools = list(sources(root, "tools"))
    src = list(sources(root, "src"))
    for p in tools:
        n = line_count(p)
        if n > TOOLS_MAX:
            breaches.append(f"{os.path.relpath(p, root)}: {n} lines (tools/ files: at most {TOOLS_MAX})")
    for p in src:
        n = line_count(p)
        if n > SRC_MAX:
            breaches.append(f"{os.path.relpath(p, root)}: {n} lines (src/ files: at most {SRC_MAX})")
    for path, line, name, length in long_functions(tools + src):
        breaches.append(f"{os.path.relpath(path, root)}:{line}: {name.lstrip(':')} is {length} lines "
                        f"(functions: at most {FUNCTION_MAX})")
    for p in sources(root, "include/wembed"):
        with open(p, encoding="utf-8", errors="replace") as f:
            for i, text in enumerate(f, 1):
                for hook in TEST_HOOKS:
                    if hook in text:
                        breaches.append(f"{os.path.relpath(p, root)}:{i}: public header names the test hook {hook}")
    for b in breaches:
        print(b)
    return 1 if breaches else 0


if __name__ == "__main__":
    sys.exit(main())
