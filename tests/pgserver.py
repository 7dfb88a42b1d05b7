"""A real PostgreSQL server for the tests: the one ``BLOCWATCH_TEST_PG`` names (``.ci/run``
starts one), else a private one started from Debian's ``postgresql`` binaries in a temporary
folder, listening on a Unix socket only. Without either, PostgreSQL tests skip with the reason.

Run as a script (``python tests/pgserver.py start DIR``) it starts a server and prints its URL;
``stop DIR`` stops it (``.ci/run`` uses both).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

ENV = "BLOCWATCH_TEST_PG"
PORT = 5439
USER = "blocwatch"


def binaries() -> Path | None:
    """The folder holding initdb and pg_ctl, newest PostgreSQL first."""
    found = shutil.which("pg_ctl")
    if found and shutil.which("initdb"):
        return Path(os.path.realpath(found)).parent
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(folder, "initdb").exists():
            return Path(folder)
    return None


def _as_owner(argv: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: root runs it as the ``postgres`` user."""
    if os.getuid() != 0:
        return argv
    return ["runuser", "-u", "postgres", "--", *argv]


def start(folder: Path) -> str:
    """Start a server whose data and socket live in ``folder``; return its URL (database
    ``postgres``). Raises RuntimeError with the reason when it cannot."""
    bindir = binaries()
    if bindir is None:
        raise RuntimeError("no PostgreSQL binaries (apt-get install postgresql)")
    if os.getuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            raise RuntimeError("running as root and no 'postgres' user to run the server") \
                from None
        os.chown(folder, owner.pw_uid, owner.pw_gid)
    folder.chmod(0o755)
    data = folder / "data"
    run = dict(capture_output=True, text=True, timeout=120)
    done = subprocess.run(_as_owner([str(bindir / "initdb"), "-D", str(data), "-U", USER,
                                     "--auth=trust", "-E", "UTF8", "--no-sync"]), **run)
    if done.returncode:
        raise RuntimeError(f"initdb failed: {done.stderr.strip()[-300:]}")
    options = (f"-k {folder} -p {PORT} -c listen_addresses='' -c fsync=off "
               f"-c max_connections=200")
    done = subprocess.run(_as_owner([str(bindir / "pg_ctl"), "-D", str(data), "-o", options,
                                     "-l", str(folder / "server.log"), "-w", "start"]), **run)
    if done.returncode:
        log = (folder / "server.log").read_text(errors="replace")[-300:] \
            if (folder / "server.log").exists() else done.stderr
        raise RuntimeError(f"pg_ctl start failed: {log.strip()}")
    return f"postgresql://{USER}@/postgres?host={folder}&port={PORT}"


def stop(folder: Path) -> None:
    bindir = binaries()
    if bindir is not None and (folder / "data").exists():
        subprocess.run(_as_owner([str(bindir / "pg_ctl"), "-D", str(folder / "data"),
                                  "-m", "immediate", "stop"]), capture_output=True, timeout=60)


class Server:
    """A server for one test session, and a fresh database per test."""

    def __init__(self) -> None:
        self.url: str | None = None
        self.folder: Path | None = None
        self.reason = ""
        try:
            import psycopg  # noqa: F401
        except ImportError:
            self.reason = "psycopg not installed (pip install -r requirements-scale.txt)"
            return
        self.url = os.environ.get(ENV)
        if self.url:
            return
        self.folder = Path(tempfile.mkdtemp(prefix="bwpg-"))
        try:
            self.url = start(self.folder)
        except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
            self.reason = f"no PostgreSQL server: {exc}"
            self.url = None

    def database(self) -> str:
        """A new, empty database; its URL."""
        import psycopg

        name = "t_" + uuid.uuid4().hex[:16]
        with psycopg.connect(self.url, autocommit=True) as con:
            con.execute(f"CREATE DATABASE {name}")
        return _with_database(self.url, name)

    def drop(self, url: str) -> None:
        import psycopg

        name = url.split("/")[3].split("?")[0]
        with psycopg.connect(self.url, autocommit=True) as con:
            con.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def close(self) -> None:
        if self.folder is not None:
            stop(self.folder)
            shutil.rmtree(self.folder, ignore_errors=True)


def _with_database(url: str, name: str) -> str:
    head, _, tail = url.partition("?")
    base = head.rsplit("/", 1)[0]
    return f"{base}/{name}" + (f"?{tail}" if tail else "")


if __name__ == "__main__":
    command, where = sys.argv[1], Path(sys.argv[2])
    if command == "start":
        where.mkdir(parents=True, exist_ok=True)
        print(start(where))
    else:
        stop(where)
