#!/usr/bin/env python3
"""Every relative link of the Markdown files under ROOT leads to a file or folder.

    check_links.py ROOT [--outside DIR ...]

Links into a --outside folder (relative to ROOT: the repository's source folders that an
install does not carry, such as tools) are not followed. Exit 1 naming each broken link.
"""
import os
import re
import sys

LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def main(argv):
    root = os.path.abspath(argv[1])
    outside = [os.path.join(root, d) for d in argv[argv.index("--outside") + 1:]] \
        if "--outside" in argv else []
    broken = 0
    files = 0
    for folder, _, names in os.walk(root):
        for name in names:
            if not name.endswith(".md"):
                continue
            files += 1
            path = os.path.join(folder, name)
            with open(path, encoding="utf-8") as f:
                text = f.read()
            for target in LINK.findall(text):
                if "://" in target or target.startswith(("#", "mailto:")):
                    continue
                target = target.split("#")[0]
                if not target:
                    continue
                resolved = os.path.normpath(os.path.join(folder, target))
                if any(resolved == o or resolved.startswith(o + os.sep) for o in outside):
                    continue
                if not os.path.exists(resolved):
                    broken += 1
                    print(f"{os.path.relpath(path, root)}: broken link {target}")
    print(f"{files} Markdown files checked, {broken} broken links")
    return 1 if broken or files == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
