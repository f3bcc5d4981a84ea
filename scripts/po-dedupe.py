#!/usr/bin/env python3
"""Drop repeated entries from a .po catalogue (kept: the first), as two branches' appended
blocks can repeat a message after a union merge. Prints each dropped message; exits 1 when a
repeat had a different translation, so a person chooses."""

from __future__ import annotations

import re
import sys
from pathlib import Path


def key_of(block: str) -> tuple[str, ...]:
    """The lines that name a message: msgctxt, msgid and msgid_plural with their continuations."""
    parts, current = [], None
    for line in block.splitlines():
        if line.startswith("#"):
            continue
        if re.match(r"(msgctxt|msgid|msgid_plural|msgstr)", line):
            current = line.split(" ", 1)[0]
        if current in ("msgctxt", "msgid", "msgid_plural"):
            parts.append(line)
    return tuple(parts)


def main(path: str) -> int:
    text = Path(path).read_text(encoding="utf-8")
    blocks = text.split("\n\n")
    seen: dict[tuple[str, ...], str] = {}
    kept, conflict = [], False
    for block in blocks:
        key = key_of(block)
        translation = "\n".join(line for line in block.splitlines() if not line.startswith("#"))
        if key and key != ('msgid ""',) and key in seen:
            if seen[key] != translation:
                print(f"different translations for {key}", file=sys.stderr)
                conflict = True
            else:
                print("dropped repeat:", " ".join(key)[:100])
            continue
        if key:
            seen[key] = translation
        kept.append(block)
    Path(path).write_text("\n\n".join(kept), encoding="utf-8")
    return 1 if conflict else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "locale/sv/LC_MESSAGES/django.po"))
