"""Malformed input at scale (issue 9): at least 10,000 bad inputs of more than 30 kinds, mixed
with 50 good articles, in one ingest with the default settings and coding on.

Prints: the kinds and counts of bad inputs, crashes (tracebacks), whether the run hung, error
lines per bad file, bad files never named, good articles stored (of 50), and the peak memory
of the ingest process. Good articles are the first 50 long ones of
../shared/data/wikinews_cc (else the bundled samples). Run:
    .venv/bin/python bench/fuzz.py [--keep DIR] [--timeout 3600]
"""

from __future__ import annotations

import argparse
import bz2
import csv
import gzip
import io
import json
import lzma
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[1]
WIKINEWS = REPO.parent / "shared" / "data" / "wikinews_cc"
MB = 1 << 20


def good_articles(n: int = 50) -> list[str]:
    texts: list[str] = []
    if WIKINEWS.exists():
        csv.field_size_limit(1 << 30)
        for path in sorted(WIKINEWS.glob("*.csv")):
            with open(path, newline="", encoding="utf-8") as fh:
                for row in csv.DictReader(fh):
                    text = row.get("text") or ""
                    if len(text) > 800:
                        texts.append(text)
                    if len(texts) >= n:
                        return texts
    for path in sorted((REPO / "samples").rglob("*.txt")):
        texts.append(path.read_text(encoding="utf-8"))
    return texts[:n]


def write_bad(root: Path, rng: random.Random) -> Counter:
    """Bad inputs by kind; returns how many of each (a record inside a file counts as one)."""
    kinds: Counter = Counter()
    line = "Ministers met in a capital city to discuss trade, officials said."

    def put(kind: str, name: str, data: bytes | str, count: int = 1) -> None:
        path = root / f"{kind}-{name}"
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8", errors="surrogatepass")
        else:
            path.write_bytes(data)
        kinds[kind] += count

    # records inside files: the bulk of the 10,000
    bad_lines = {
        "json-malformed": lambda i: "{not json " + str(i),
        "json-not-object": lambda i: json.dumps([i, i]),
        "json-no-text": lambda i: json.dumps({"title": f"t{i}"}),
        "json-text-number": lambda i: json.dumps({"text": i}),
        "json-text-null": lambda i: json.dumps({"text": None}),
        "json-text-object": lambda i: json.dumps({"text": {"a": i}}),
        "json-empty-text": lambda i: json.dumps({"text": "   "}),
        "json-deep": lambda i: '{"a":' * 1200 + "1" + "}" * 1200,
        "json-punctuation": lambda i: json.dumps({"text": "!?., ;:" * (i % 7 + 1)}),
        "json-digits": lambda i: json.dumps({"text": f"{i} {i * 7} -- {i % 13}"}),
    }
    for kind, make in bad_lines.items():
        n = 900
        put(kind, "records.jsonl", "".join(make(i) + "\n" for i in range(n)), n)
    # records stored on purpose (a warning, or a value repaired): still bad input
    put("json-date-object", "r.jsonl", "".join(json.dumps(
        {"text": f"{line} ({i})", "date": {"y": 2024}}) + "\n" for i in range(3)), 3)
    put("json-surrogates", "r.jsonl", "".join(
        '{"text": "' + line + f' ({i}) \\ud800", "title": "t\\udc00"}}\n' for i in range(3)), 3)
    put("csv-ragged", "rows.csv", "text,title\n" + "".join(
        f'"{line} {i}",a,b,c\n' for i in range(300)), 300)
    put("json-array-numbers", "nums.json", json.dumps(list(range(200_000))), 200_000)
    # whole files
    put("empty", "e.txt", b"")
    put("whitespace", "w.txt", "   \n\t\n")
    put("empty-jsonl", "e.jsonl", b"")
    put("empty-array", "a.json", "[]")
    put("header-only", "h.csv", "text,title\n")
    put("json-top-string", "s.json", json.dumps("just a string"))
    for i in range(20):
        put("random-bytes", f"{i}.txt", bytes(rng.randrange(256) for _ in range(rng.randint(1, 3))))
    put("binary", "b.txt", bytes(rng.randrange(256) for _ in range(50_000)))
    put("png", "p.html", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 100)
    put("gzip-corrupt", "c.txt.gz", b"\x1f\x8b\x08\x00garbage" * 50)
    good_gz = gzip.compress((line * 20).encode())
    put("gzip-truncated", "t.jsonl.gz", good_gz[: len(good_gz) // 2])
    bombs = (("gzip-bomb", gzip.open, "gz"), ("bz2-bomb", bz2.open, "bz2"),
             ("xz-bomb", lzma.open, "xz"))
    for kind, opener, packed in bombs:
        for fill, ext in ((b"\0", "jsonl"), (b" ", "json"), (b"a", "csv")):
            path = root / f"{kind}-{fill.hex()}.{ext}.{packed}"
            with opener(path, "wb") as fh:
                block = fill * MB
                for _ in range(512):  # 512 MiB inflated
                    fh.write(block)
            kinds[kind] += 1
    import zipfile

    for fill, ext in ((b"\0", "jsonl"), (b" ", "txt")):
        path = root / f"zip-bomb-{fill.hex()}.zip"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z, \
                z.open(f"member.{ext}", "w") as member:
            block = fill * MB
            for _ in range(512):
                member.write(block)
        kinds["zip-bomb"] += 1
    import tarfile

    class Spaces(io.RawIOBase):
        def __init__(self, n: int):
            self.n = n

        def readable(self) -> bool:
            return True

        def readinto(self, buffer) -> int:
            k = min(len(buffer), self.n)
            buffer[:k] = b" " * k
            self.n -= k
            return k

    with tarfile.open(root / "tar-bomb-20.tar.gz", "w:gz") as tf:
        info = tarfile.TarInfo("member.jsonl")
        info.size = 512 * MB
        tf.addfile(info, io.BufferedReader(Spaces(info.size)))
    kinds["tar-bomb"] += 1
    put("nul-bytes", "n.txt", (line + "\0") * 100)
    put("control-chars", "c.txt", line + "\x1b]0;pwned\x07\x1b[2J" + line)
    put("utf16-no-bom", "u.txt", (line * 5).encode("utf-16-le"))
    put("html-many-attributes", "a.html",
        "<html><body><p " + " ".join(f'a{i}="{i}"' for i in range(100_000)) + ">" + line
        + "</p></body></html>")
    put("html-deep", "d.html", "<html><body>" + "<div>" * 100_000 + line + "</div>" * 100_000
        + "</body></html>")
    put("html-unclosed", "u.html", "<html><body><p>" + "<b>" * 5000 + line)
    put("long-line", "l.jsonl", json.dumps({"text": "x " * (9 * MB)}) + "\n")
    put("too-large-text", "big.txt", (line + "\n") * (400_000))
    put("over-spacy-limit", "spacy.jsonl", json.dumps({"text": "".join(
        f"{line} ({i})\n\n" for i in range(15_000))}) + "\n")
    put("long-title", "t.jsonl", json.dumps({"text": line, "title": "T" * 100_000}) + "\n")
    put("unsupported", "x.pdf", b"%PDF-1.4")
    os.mkfifo(root / "fifo.txt")
    kinds["fifo"] += 1
    (root / "link-out.txt").symlink_to("/etc/hostname")
    kinds["link-out-of-folder"] += 1
    (root / "dangling.txt").symlink_to(root / "nowhere")
    kinds["dangling-link"] += 1
    (root / "esc\x1b[31m.txt").write_text(line + " (escape in name)")
    kinds["escape-in-name"] += 1
    (root / os.fsdecode(b"name-\xff.txt")).write_text(line + " (non-UTF-8 name)")
    kinds["non-utf8-name"] += 1
    return kinds


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--keep", help="write the inputs and the store here and keep them")
    ap.add_argument("--timeout", type=float, default=3600)
    args = ap.parse_args()
    rng = random.Random(9)
    tmp = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="blocwatch-fuzz-"))
    root = tmp / "inputs"
    root.mkdir(parents=True, exist_ok=True)
    good = good_articles()
    for i, text in enumerate(good):
        (root / f"good-{i:02d}.txt").write_text(text, encoding="utf-8")
    kinds = write_bad(root, rng)
    files = sorted(p.name for p in root.iterdir() if not p.name.startswith("good-"))
    print(f"inputs: {sum(kinds.values()):,} bad inputs of {len(kinds)} kinds in {len(files)} "
          f"files, and {len(good)} good articles")
    for kind, n in sorted(kinds.items()):
        print(f"  {kind:28} {n:>8,}")
    db = tmp / "fuzz.duckdb"
    env = {**os.environ, "BLOCWATCH_ERROR_LOG": str(tmp / "errors.log")}
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "blocwatch", "ingest", str(root), "--db",
                             str(db), "--format", "json", "-v"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env)
    hung = False
    try:
        out, err = proc.communicate(timeout=args.timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        hung = True
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    stderr = err.decode("utf-8", "replace")
    lines = [x for x in stderr.splitlines() if x.strip()]
    per_file: Counter = Counter()
    for x in lines:
        for name in files:
            shown = name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            if name in x or shown in x or "\\x1b[31m" in x and "esc" in name \
                    or "name-\\xff" in x and "name-" in name:
                per_file[name] += 1
                break
    con = duckdb.connect(str(db), read_only=True)
    stored = {Path(r[0]).name.replace("\\xff", "\udcff") for r in con.execute(
        "SELECT DISTINCT source_path FROM documents").fetchall()}
    con.close()
    good_stored = sum(1 for i in range(len(good)) if f"good-{i:02d}.txt" in stored)
    unnamed = [n for n in files if not per_file.get(n) and n not in stored]
    print(f"exit status {proc.returncode}; {seconds:.0f} s; hung: {'yes' if hung else 'no'}")
    print(f"tracebacks: {stderr.count('Traceback')}; internal errors: "
          f"{sum('internal error' in x for x in lines)}")
    print(f"stderr: {len(lines)} lines for {len(files)} bad files "
          f"(at most {max(per_file.values(), default=0)} for one file)")
    print(f"bad files stored on purpose (repaired or with a warning): "
          f"{sorted(n for n in files if n in stored)}")
    print(f"bad files never named and not stored: {unnamed or 'none'}")
    print(f"good articles stored: {good_stored}/{len(good)}")
    print(f"peak memory of the ingest: {peak:,.0f} MiB")
    print(f"summary: {' '.join(out.decode().split())}")
    bombs = bomb_run(root, tmp)
    return 0 if not hung and good_stored == len(good) and "Traceback" not in stderr \
        and bombs else 1


def bomb_run(root: Path, tmp: Path) -> bool:
    """The decompression bombs alone, in a process of their own: each refused in one line,
    and the peak memory of that process."""
    bombs = sorted(p for p in root.iterdir() if "-bomb-" in p.name)
    code = ("import resource, subprocess, sys; p = subprocess.run(sys.argv[1:], "
            "capture_output=True, text=True); print(p.stderr); "
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)")
    proc = subprocess.run([sys.executable, "-c", code, sys.executable, "-m", "blocwatch",
                           "ingest", *map(str, bombs), "--db", str(tmp / "bombs.duckdb"),
                           "--no-code"], capture_output=True, text=True)
    *lines, peak = [x for x in proc.stdout.splitlines() if x.strip()]
    refused = [b.name for b in bombs if sum(b.name in x for x in lines) == 1]
    print(f"bombs: {len(refused)}/{len(bombs)} refused in one line each; peak memory of that "
          f"ingest {int(peak):,} MiB")
    return len(refused) == len(bombs)


if __name__ == "__main__":
    sys.exit(main())
