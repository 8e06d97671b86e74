"""A throwaway PostgreSQL cluster for the tests and the benchmarks (as pytest-postgresql does):
``initdb`` into a temporary directory and ``pg_ctl start`` on a free port of 127.0.0.1, as the
``postgres`` user when we are root (PostgreSQL refuses to run as root)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

BIN_DIRS = ["/usr/lib/postgresql/17/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/15/bin",
            "/usr/lib/postgresql/14/bin"]


def find_bin() -> Path | None:
    for directory in [os.environ.get("FOLLOWUP_PG_BIN", ""), *BIN_DIRS]:
        if directory and (Path(directory) / "initdb").exists() and (Path(directory) / "pg_ctl").exists():
            return Path(directory)
    found = shutil.which("initdb")
    return Path(found).parent if found and shutil.which("pg_ctl") else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """``Cluster.start()`` gives a running server (``url``); ``stop()`` removes it all."""

    def __init__(self, bin_dir: Path, root: Path, port: int, as_user: list[str]) -> None:
        self.bin_dir, self.root, self.port, self.as_user = bin_dir, root, port, as_user
        self.url = f"postgresql://postgres@127.0.0.1:{port}/postgres"

    @classmethod
    def start(cls, durable: bool = False) -> "Cluster":
        """Raises ``RuntimeError(reason)`` when no cluster can be started here."""
        bin_dir = find_bin()
        if bin_dir is None:
            raise RuntimeError("no PostgreSQL binaries (initdb, pg_ctl) on this machine")
        root = Path(tempfile.mkdtemp(prefix="followup-pg-"))
        as_user: list[str] = []
        if os.geteuid() == 0:
            if shutil.which("runuser") is None:
                raise RuntimeError("running as root without runuser: cannot start PostgreSQL as postgres")
            try:
                shutil.chown(root, "postgres", "postgres")
            except (LookupError, OSError) as exc:
                raise RuntimeError(f"no postgres user to run the server as: {exc}") from None
            as_user = ["runuser", "-u", "postgres", "--"]
        port = _free_port()
        cluster = cls(bin_dir, root, port, as_user)
        data = root / "data"
        run = dict(check=True, capture_output=True, text=True, timeout=120)
        try:
            subprocess.run([*as_user, str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
                            "-E", "UTF8", "--locale=C", *([] if durable else ["--no-sync"])], **run)
            options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c max_connections=50"
            if not durable:
                options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            subprocess.run([*as_user, str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l",
                            str(root / "log"), "-w", "-t", "60", "start"], **run)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
            detail = getattr(exc, "stderr", "") or str(exc)
            shutil.rmtree(root, ignore_errors=True)
            raise RuntimeError(f"cannot start PostgreSQL: {detail.strip()[:300]}") from None
        return cluster

    def stop(self) -> None:
        subprocess.run([*self.as_user, str(self.bin_dir / "pg_ctl"), "-D", str(self.root / "data"), "-m",
                        "immediate", "-w", "stop"], capture_output=True, timeout=60)
        shutil.rmtree(self.root, ignore_errors=True)
