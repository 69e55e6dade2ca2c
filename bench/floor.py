"""The floor: read, decode (UTF-8) and repair every file under a folder, nothing else.

    python bench/floor.py DIR   ->  one JSON line: files, bytes, seconds (inside the process)

Any ingest must do at least this much work, so its time is what ``rayngan ingest``
is measured against.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.gen import decode
from normalize import repair_text


def floor(root: str) -> dict:
    start = time.perf_counter()
    files = size = 0
    for dirpath, dirs, names in os.walk(root):
        dirs.sort()
        for name in sorted(names):
            with open(os.path.join(dirpath, name), "rb") as f:
                data = f.read()
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError:  # the few legacy exports: the floor still decodes them
                text = decode(data)
            text = text.replace("\r\n", "\n")
            repair_text(text)
            files += 1
            size += len(data)
    return {"files": files, "bytes": size, "seconds": time.perf_counter() - start}


if __name__ == "__main__":
    print(json.dumps(floor(sys.argv[1])))
