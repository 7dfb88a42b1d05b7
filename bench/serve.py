"""Load on `blocwatch serve` (loopback only, bounded): N concurrent clients for D seconds
against a store, optionally while `blocwatch watch` ingests a folder into the same store.

    .venv/bin/python bench/serve.py --db STORE [--clients 100] [--seconds 60] [--watch DIR]

Prints requests/s, p50 and p99 latency, the errors (any answer but 200 or 304, or a failed
connection), and, with --watch, the documents in the store before and after.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PATHS = ["/api/health", "/api/events?limit=20", "/api/events?type=AID&limit=20",
         "/api/documents?limit=20", "/api/dyads", "/api/blocs", "/api/stories?limit=10",
         # what the dashboard asks
         "/", "/api/views/network", "/api/actors?limit=500",
         "/api/events?order=newest&limit=50", "/api/views/timeline?source=USA&target=IRN"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(port: int, path: str) -> dict:
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    c.request("GET", path)
    r = c.getresponse()
    body = r.read()
    c.close()
    return {"status": r.status, "body": body}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--clients", type=int, default=100)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--watch", help="a folder for `blocwatch watch` to ingest meanwhile")
    args = ap.parse_args()
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "blocwatch", "serve", "--db", args.db,
                               "--port", str(port)], cwd=REPO)
    for _ in range(100):
        try:
            _get(port, "/api/health")
            break
        except OSError:
            time.sleep(0.2)
    before = json.loads(_get(port, "/api/health")["body"])["documents"]
    watcher = subprocess.Popen([sys.executable, "-m", "blocwatch", "watch", args.watch,
                                "--db", args.db, "--passes", "1", "-q"], cwd=REPO) \
        if args.watch else None
    times: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop = time.monotonic() + args.seconds

    def client(k: int) -> None:
        rnd = random.Random(k)
        while time.monotonic() < stop:
            path = rnd.choice(PATHS)
            t0 = time.monotonic()
            try:
                status = _get(port, path)["status"]
            except OSError as exc:
                status, why = 0, str(exc)
            else:
                why = f"{status} {path}"
            with lock:
                times.append(time.monotonic() - t0)
                if status not in (200, 304):
                    errors.append(why)

    threads = [threading.Thread(target=client, args=(k,)) for k in range(args.clients)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - t0
    if watcher is not None:
        watcher.wait()
    after = json.loads(_get(port, "/api/health")["body"])["documents"]
    server.terminate()
    server.wait()
    times.sort()
    p99 = times[min(len(times) - 1, int(0.99 * len(times)))] if times else 0.0
    print(f"{args.clients} clients, {elapsed:.0f} s: {len(times):,} requests, "
          f"{len(times) / elapsed:.1f} requests/s, p50 {statistics.median(times) * 1000:.0f} ms, "
          f"p99 {p99 * 1000:.0f} ms, errors {len(errors)}"
          + (f" (e.g. {errors[0]})" if errors else ""))
    if watcher is not None:
        print(f"documents in the store: {before:,} before, {after:,} after (watch ingesting)")


if __name__ == "__main__":
    main()
