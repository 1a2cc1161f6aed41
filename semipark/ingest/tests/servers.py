"""Private servers for fault tests: a Mosquitto and a PostgreSQL of the test's own, on free ports, in tmp_path.

They never touch the machine's shared broker or database, so a test may stop and start them at will.
"""

import getpass
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PG_BIN = Path("/usr/lib/postgresql/15/bin")
REPO = Path(__file__).resolve().parents[3]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, up: bool = True, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                if up:
                    return
        except OSError:
            if not up:
                return
        time.sleep(0.05)
    raise TimeoutError(f"port {port} not {'open' if up else 'closed'} after {timeout} s")


class Mosquitto:
    """``mosquitto -c <conf>`` with persistence in its own folder; stop() saves the sessions like a clean restart."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.port = free_port()
        folder.mkdir(parents=True, exist_ok=True)
        self.conf = folder / "mosquitto.conf"
        self.conf.write_text(
            # Run as whoever runs the tests (as root, mosquitto would otherwise switch to its own user).
            f"user {getpass.getuser()}\nlistener {self.port} 127.0.0.1\nallow_anonymous true\npersistence true\n"
            f"persistence_location {folder}/\nmax_queued_messages 0\nlog_dest file {folder}/mosquitto.log\n"
        )
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"mqtt://127.0.0.1:{self.port}"

    def start(self) -> "Mosquitto":
        self.process = subprocess.Popen(["mosquitto", "-c", str(self.conf)], stdout=subprocess.DEVNULL)
        wait_port(self.port)
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(10)
        wait_port(self.port, up=False)


class Postgres:
    """A throwaway cluster (initdb, pg_ctl) owned by the current user, or by ``postgres`` when run as root.

    Its folder is a fresh temporary directory (pytest's tmp_path may be unreadable to another user); remove()
    deletes it.
    """

    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="semipark-pg-"))
        self.data = self.folder / "pgdata"
        self.port = free_port()
        self.user = "postgres" if os.geteuid() == 0 else None

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args) -> None:
        command = [str(PG_BIN / args[0]), *args[1:]]
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def init(self) -> "Postgres":
        if self.user:
            shutil.chown(self.folder, self.user)
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        return self

    def start(self, durable: bool = False) -> None:
        """Start; tests run without fsync, benchmarks with PostgreSQL's durable defaults (durable=True)."""
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        if not durable:
            options += " -c fsync=off"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.folder / "pg.log"), "-w", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


def semipark(args: list[str], env: dict, log: Path | None = None, wait: bool = True):
    """Run ``semipark <args>`` in a child process with the given SEMIPARK_* environment."""
    # Only the settings given here: a database URL inherited from the test run must never reach a child.
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("SEMIPARK_")}
    full_env.update({"SEMIPARK_DEBUG": "1", **env})
    full_env.pop("PYTEST_VERSION", None)
    full_env.pop("DJANGO_SETTINGS_MODULE", None)
    command = [sys.executable, "-m", "semipark.cli", *args]
    out = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 - the child owns it
    if wait:
        subprocess.run(command, env=full_env, cwd=REPO, check=True, stdout=out, stderr=subprocess.STDOUT)
        return None
    return subprocess.Popen(command, env=full_env, cwd=REPO, stdout=out, stderr=subprocess.STDOUT)
