"""Crash-safety test for pcplan: SIGKILL the server and its commands at random moments, then prove nothing was lost.

It kills `pcplan serve` (and any `pcplan` command running beside it) with SIGKILL during
imports, survey responses and reminder runs, many times, and checks after each kill that
the database is sound, nothing acknowledged was lost, no import is half-applied and no
reminder was delivered twice.

Run it from the repository root (see docs/operations.md, "Crash safety"):

    python3 tests/crash/run.py                        # SQLite in a temporary directory
    python3 tests/crash/run.py --iterations 10 \\
        --database-url postgres://postgres@127.0.0.1:5432/pcplan_crash   # an empty database

One iteration: start `pcplan serve`, wait until it answers, start the workload threads
(public survey responses, a survey-tool import and a figures import through the staff
pages, `pcplan plan import` and `pcplan reminders send` as separate processes, owners
given to deadlines through the API), sleep a random 0.1 to 3 seconds, SIGKILL the server
and every pcplan process still running, then check, with everything stopped:

- integrity: for SQLite, `PRAGMA integrity_check` and `foreign_key_check` (Python's
  sqlite3) on a copy of the file and its write-ahead log as the kill left them (the
  original is left for pcplan's next start to recover by itself), and
  `pcplan audit verify` on the same copy; for PostgreSQL, `pcplan audit verify`. It
  must exit 0;
- every survey response the server acknowledged (the "Response sent" page) is stored,
  found by its fingerprint `web:{token}`;
- every import is all or nothing: each file's rows are all stored or none are, and one
  that was acknowledged (the "Import finished" page, the figures' confirmation redirect,
  `pcplan plan import` exiting 0) is all there;
- every owner the API acknowledged is still the owner, or was replaced by a later request;
- no reminder (Message-ID, which is derived from its key `item|user|stage`, and
  recipient) reached the SMTP sink twice, every delivered message has a claim in the
  `reminders` table that is not `failed` (a failed one is tried again), and every
  reminder recorded as sent reached the sink;
- the server starts again after every kill.

The mail goes to an SMTP sink this script runs on 127.0.0.1 (asyncio, no TLS, no
authentication), which records every message it accepts; a message counts as delivered
once its data is complete, before the sink answers 250, so a kill between the data and
the answer still counts. The sink refuses a share of messages with a temporary error
(`--smtp-refuse`), so reminders recorded `failed` and claimed again are crashed into too.

SIGKILL ends processes, not the machine: what the operating system had been handed
survives. Power loss is not simulated.

Only the Python standard library is used. PostgreSQL is queried through `psql`, which
must be on the PATH; the database must exist and be empty (the demo is loaded into it).
This script never changes pcplan's code or configuration files: settings are passed as
`PCPLAN_*` environment variables.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import csv
import hashlib
import http.client
import io
import json
import os
import random
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from email import message_from_bytes
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# The admin account the script signs in with, and the owners deadlines are given to.
# The password is long, not a common one and does not contain the username, so
# `pcplan user add --password-stdin` accepts it.
ADMIN = "crash"
PASSWORD = "Kestrel-orbit-51-lantern"
OWNERS = [f"owner{n}" for n in range(1, 5)]
MAIL_FROM = "pcplan <pcplan@crash.test>"

SURVEY_SLUG = "crash-test-survey"
READY_TIMEOUT = 120.0
HTTP_TIMEOUT = 30.0


def default_binary() -> Path:
    """The debug build in the shared target directory, else the workspace's own."""
    if os.environ.get("PCPLAN_BIN"):
        return Path(os.environ["PCPLAN_BIN"])
    target = os.environ.get("CARGO_TARGET_DIR")
    candidates = [Path(target) / "debug" / "pcplan"] if target else []
    candidates += [Path.home() / ".cache" / "pcplan-target" / "debug" / "pcplan", REPO / "target" / "debug" / "pcplan"]
    for candidate in candidates:
        if candidate.exists():
            return candidate
    return candidates[0]


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# ---------------------------------------------------------------------------------------
# The SMTP sink
# ---------------------------------------------------------------------------------------


@dataclass
class Delivered:
    message_id: str
    recipients: list[str]
    subject: str


class SmtpSink:
    """A minimal SMTP server on 127.0.0.1 that keeps every message it is given.

    It speaks just enough of RFC 5321 for lettre without TLS: EHLO/HELO, MAIL, RCPT,
    DATA, RSET, NOOP, QUIT. A message is recorded when its data ends, before the 250
    answer, so the sender being killed before it reads the answer still counts as a
    delivery: that is the case a duplicate would come from.
    """

    def __init__(self, refuse_rate: float, stall_rate: float, stall_seconds: float, seed: int) -> None:
        self.lock = threading.Lock()
        self.messages: list[Delivered] = []
        # A share of messages is refused with a temporary error after their data, as a
        # busy mail server does: pcplan records them `failed` and a later run claims
        # them again, so the retry path is crashed into as well.
        self.refuse_rate = refuse_rate
        self.refused = 0
        # Off by default: a share of messages kept, then answered only after pcplan's
        # SMTP timeout, as a slow relay does. The message was delivered, yet the sender
        # sees a failure: this probes the retry of `failed` reminders, not crashes.
        self.stall_rate = stall_rate
        self.stall_seconds = stall_seconds
        self.stalled = 0
        self.rng = random.Random(seed)
        self.port = 0
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread = threading.Thread(target=self._run, name="smtp-sink", daemon=True)

    def start(self) -> None:
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the SMTP sink did not start")

    def _run(self) -> None:
        self._loop = asyncio.new_event_loop()
        server = self._loop.run_until_complete(asyncio.start_server(self._session, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        async def say(text: str) -> None:
            writer.write(text.encode() + b"\r\n")
            await writer.drain()

        rcpts: list[str] = []
        try:
            await say("220 crash-sink ESMTP")
            while True:
                line = await reader.readline()
                if not line:
                    break
                verb = line[:4].upper()
                if verb == b"EHLO":
                    await say("250-crash-sink\r\n250-8BITMIME\r\n250 SMTPUTF8")
                elif verb == b"HELO":
                    await say("250 crash-sink")
                elif verb == b"MAIL":
                    rcpts = []
                    await say("250 OK")
                elif verb == b"RCPT":
                    address = line.decode(errors="replace").split(":", 1)[-1].strip()
                    rcpts.append(address.split()[0].strip("<>").lower())
                    await say("250 OK")
                elif verb == b"DATA":
                    await say("354 end with <CRLF>.<CRLF>")
                    chunks = []
                    while True:
                        data_line = await reader.readline()
                        if not data_line:
                            return  # the sender died mid-message: nothing was delivered
                        if data_line in (b".\r\n", b".\n"):
                            break
                        chunks.append(data_line[1:] if data_line.startswith(b"..") else data_line)
                    parsed = message_from_bytes(b"".join(chunks))
                    with self.lock:
                        refuse = self.rng.random() < self.refuse_rate
                        if refuse:
                            self.refused += 1
                    if refuse:
                        rcpts = []
                        await say("451 4.3.0 crash sink: try again later")
                        continue
                    with self.lock:
                        self.messages.append(
                            Delivered(
                                message_id=(parsed.get("Message-ID") or "").strip(),
                                recipients=list(rcpts),
                                subject=str(parsed.get("Subject") or ""),
                            )
                        )
                        stall = self.rng.random() < self.stall_rate
                        if stall:
                            self.stalled += 1
                    rcpts = []
                    if stall:
                        await asyncio.sleep(self.stall_seconds)
                    await say("250 OK queued")
                elif verb in (b"RSET", b"NOOP"):
                    await say("250 OK")
                elif verb == b"QUIT":
                    await say("221 bye")
                    break
                else:
                    await say("502 not implemented")
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    def snapshot(self) -> list[Delivered]:
        with self.lock:
            return list(self.messages)


# ---------------------------------------------------------------------------------------
# The database, read with the server stopped
# ---------------------------------------------------------------------------------------


class Database:
    """SQL on the test database: sqlite3 on the file, or psql for PostgreSQL."""

    def __init__(self, url: str | None, sqlite_path: Path | None) -> None:
        self.url = url
        self.sqlite_path = sqlite_path

    @property
    def is_sqlite(self) -> bool:
        return self.sqlite_path is not None

    @staticmethod
    def _literal(value: object) -> str:
        if value is None:
            return "NULL"
        if isinstance(value, (int, float)):
            return str(value)
        return "'" + str(value).replace("'", "''") + "'"

    def rows(self, sql: str, params: tuple = ()) -> list[tuple]:
        if self.is_sqlite:
            with contextlib.closing(sqlite3.connect(self.sqlite_path, timeout=60)) as conn:
                return conn.execute(sql, params).fetchall()
        # psql has no bound parameters on the command line: the script's own values
        # (ids, markers it made) are written as quoted literals.
        parts = sql.split("?")
        if len(parts) - 1 != len(params):
            raise ValueError(f"{len(params)} parameters for {len(parts) - 1} placeholders in {sql}")
        text = parts[0] + "".join(self._literal(p) + rest for p, rest in zip(params, parts[1:]))
        out = subprocess.run(
            ["psql", "-X", "-q", "-A", "-t", "-F", "\x1f", "-v", "ON_ERROR_STOP=1", "-d", self.url, "-c", text],
            capture_output=True,
            text=True,
            timeout=120,
        )
        if out.returncode != 0:
            raise RuntimeError(f"psql failed ({out.returncode}): {out.stderr.strip()} for {text}")
        return [tuple(line.split("\x1f")) for line in out.stdout.splitlines() if line != ""]

    def scalar(self, sql: str, params: tuple = ()) -> int:
        found = self.rows(sql, params)
        return int(found[0][0]) if found else 0

    def sqlite_checks(self) -> list[str]:
        """SQLite's own checks of the file; an empty list when it is sound.

        Opening the file after a SIGKILL replays its write-ahead log, as the next server
        start would.
        """
        problems = []
        with contextlib.closing(sqlite3.connect(self.sqlite_path, timeout=60)) as conn:
            result = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
            if result != ["ok"]:
                problems.append("PRAGMA integrity_check: " + "; ".join(result[:10]))
            fk = conn.execute("PRAGMA foreign_key_check").fetchall()
            if fk:
                problems.append(f"PRAGMA foreign_key_check: {len(fk)} row(s), first {fk[:3]}")
        return problems


# ---------------------------------------------------------------------------------------
# pcplan processes
# ---------------------------------------------------------------------------------------


class Processes:
    """Every pcplan process of an iteration, so that the kill reaches all of them.

    Starting a process and the kill take the same lock, and after the kill no new one
    starts until the next iteration: a workload thread cannot slip a command in between
    the kill and the checks.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.live: set[subprocess.Popen] = set()
        self.closed = True

    def open(self) -> None:
        with self.lock:
            self.closed = False

    def spawn(self, args: list[str], **kwargs) -> subprocess.Popen | None:
        with self.lock:
            if self.closed:
                return None
            proc = subprocess.Popen(args, **kwargs)
            self.live.add(proc)
            return proc

    def done(self, proc: subprocess.Popen) -> None:
        with self.lock:
            self.live.discard(proc)

    def kill_all(self) -> list[str]:
        """SIGKILLs every live process; returns what was killed (`serve`, `reminders`)."""
        killed = []
        with self.lock:
            self.closed = True
            for proc in list(self.live):
                if proc.poll() is None:
                    try:
                        os.kill(proc.pid, signal.SIGKILL)
                        killed.append(proc.args[1] if len(proc.args) > 1 else str(proc.args))
                    except ProcessLookupError:
                        pass
            live = list(self.live)
        for proc in live:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                pass
        with self.lock:
            self.live.clear()
        return killed


class Pcplan:
    """How to run pcplan against the test database, with the sink and the limits set."""

    def __init__(
        self, binary: Path, data_dir: Path, database_url: str | None, port: int, smtp_port: int, smtp_timeout: int
    ) -> None:
        self.binary = binary
        self.data_dir = data_dir
        self.database_url = database_url
        self.port = port
        self.env = dict(os.environ)
        for key in [k for k in self.env if k.startswith("PCPLAN_")]:
            del self.env[key]
        self.env.update(
            {
                "PCPLAN_LOG": "warn,pcplan=info",
                # The survey limits are per client and this script is one client sending
                # hundreds of responses a minute.
                "PCPLAN_SURVEY_PER_CLIENT": "1000000",
                "PCPLAN_SURVEY_WINDOW_MINUTES": "1",
                "PCPLAN_SURVEY_PER_MINUTE": "1000000",
                "PCPLAN_MAIL__TRANSPORT": "smtp",
                "PCPLAN_MAIL__SMTP_HOST": "127.0.0.1",
                "PCPLAN_MAIL__SMTP_PORT": str(smtp_port),
                "PCPLAN_MAIL__SMTP_SECURITY": "none",
                "PCPLAN_MAIL__SMTP_TIMEOUT_SECONDS": str(smtp_timeout),
                "PCPLAN_MAIL__FROM": MAIL_FROM,
                # The server's own reminder run: at start, then every minute.
                "PCPLAN_REMINDERS__INTERVAL_MINUTES": "1",
            }
        )

    def store_args(self) -> list[str]:
        if self.database_url:
            return ["--database-url", self.database_url]
        return ["--data-dir", str(self.data_dir)]

    def command(self, *args: str) -> list[str]:
        return [str(self.binary), *args, *self.store_args()]

    def run(self, *args: str, stdin: str | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
        """A command outside the kill loop (setup and checks)."""
        return subprocess.run(
            self.command(*args), input=stdin, capture_output=True, text=True, env=self.env, timeout=timeout
        )


# ---------------------------------------------------------------------------------------
# HTTP
# ---------------------------------------------------------------------------------------


class Stopped(Exception):
    """The server went away (it was killed): the workload stops."""


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    @property
    def location(self) -> str:
        return self.headers.get("location", "")


class Http:
    """One client of the server with the admin's session cookie (shared by the threads)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookie = ""

    def request(
        self, method: str, path: str, body: bytes | None = None, content_type: str = "", cookie: bool = True
    ) -> Answer:
        headers = {}
        if body is not None:
            headers["Content-Type"] = content_type
        if cookie and self.cookie:
            headers["Cookie"] = self.cookie
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=HTTP_TIMEOUT)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            found = {k.lower(): v for k, v in response.getheaders()}
            # Only the sign-in sets the session kept: a public page's cookie (if one ever
            # set any) must not replace the admin's.
            if path == "/sign-in" and method == "POST":
                for k, v in response.getheaders():
                    if k.lower() == "set-cookie" and v.startswith("pcplan_session="):
                        self.cookie = v.split(";", 1)[0]
            return Answer(response.status, found, data)
        except (OSError, http.client.HTTPException) as e:
            raise Stopped(f"{method} {path}: {e}") from e
        finally:
            conn.close()

    def form(self, path: str, pairs: list[tuple[str, str]] | dict, cookie: bool = True) -> Answer:
        body = urllib.parse.urlencode(pairs).encode()
        return self.request("POST", path, body, "application/x-www-form-urlencoded", cookie)

    def multipart(self, path: str, fields: list[tuple[str, str]], file_name: str, data: bytes, mime: str) -> Answer:
        boundary = "crash" + uuid.uuid4().hex
        out = io.BytesIO()
        for name, value in fields:
            out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{file_name}"\r\n'
            f"Content-Type: {mime}\r\n\r\n".encode()
        )
        out.write(data)
        out.write(f"\r\n--{boundary}--\r\n".encode())
        return self.request("POST", path, out.getvalue(), f"multipart/form-data; boundary={boundary}")

    def json(self, method: str, path: str, value: object | None = None) -> Answer:
        body = None if value is None else json.dumps(value).encode()
        return self.request(method, path, body, "application/json")

    def sign_in(self) -> None:
        answer = self.form("/sign-in", {"username": ADMIN, "password": PASSWORD, "next": ""}, cookie=False)
        if answer.status != 303 or not self.cookie:
            raise RuntimeError(f"sign-in refused: {answer.status} {answer.text[:300]}")

    def ready(self, proc: subprocess.Popen, timeout: float = READY_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"the server exited with status {proc.returncode} while starting")
            try:
                if self.request("GET", "/sign-in", cookie=False).status == 200:
                    return
            except Stopped:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"the server did not answer within {timeout:.0f} s")


# ---------------------------------------------------------------------------------------
# What was sent and what was acknowledged
# ---------------------------------------------------------------------------------------


@dataclass
class Import:
    """One import: what it is, the rows it would add, and whether it was acknowledged."""

    kind: str  # "responses", "figures" or "plan"
    name: str  # what finds it: a file name, a note or a plan id
    rows: int
    iteration: int
    marker: str = ""  # the start of each answer a survey-tool import adds
    phase: str = "preparing"  # where it was when last seen: the kill's moment, if it was not acknowledged
    acked: bool = False
    outcome: str = ""  # "complete", "absent" or "partial", set by the checks


@dataclass
class Ledger:
    lock: threading.Lock = field(default_factory=threading.Lock)
    survey_sent: set[str] = field(default_factory=set)
    survey_acked: set[str] = field(default_factory=set)
    # Tokens whose post got no answer before the kill, sent again after the restart with
    # the same token, as a person does who presses the button again.
    survey_retry: list[str] = field(default_factory=list)
    survey_retried: int = 0
    survey_retry_duplicates: int = 0  # retries answered "already been sent"
    imports: list[Import] = field(default_factory=list)
    # (item key) -> list of (user id, acknowledged) in the order they were sent.
    owner_requests: dict[str, list[tuple[str, bool]]] = field(default_factory=lambda: collections.defaultdict(list))
    # Reminders that finished `pcplan reminders send` runs reported as sent.
    reminders_reported_sent: int = 0
    reminder_runs: int = 0
    reminder_runs_completed: int = 0


@dataclass
class Figures:
    """The measures and areas a figures import can fill, from the staff CSV template."""

    body: str
    rows: list[tuple[str, str]]  # (measure title, area name or "")


@dataclass
class World:
    """Everything the setup made that the workloads use."""

    exercise_id: str
    question_field: str
    owner_ids: list[str]
    plan_template: dict
    figures: Figures | None
    agenda: list[dict]


# ---------------------------------------------------------------------------------------
# The workloads
# ---------------------------------------------------------------------------------------


class Workloads:
    """The threads that keep pcplan busy while the kill is waited for.

    Each records what it sent before sending it and what was acknowledged once the
    answer came, in the ledger the checks read; a thread stops when the server goes
    away or, for the commands, when no new process may start.
    """

    def __init__(
        self,
        args: argparse.Namespace,
        pcplan: Pcplan,
        procs: Processes,
        http_client: Http,
        ledger: Ledger,
        world: World,
        rng: random.Random,
        work_dir: Path,
    ) -> None:
        self.args = args
        self.pcplan = pcplan
        self.procs = procs
        self.http = http_client
        self.ledger = ledger
        self.world = world
        self.rng = rng
        self.work_dir = work_dir
        self.stop = threading.Event()
        self.errors: list[str] = []
        self.counter = 0
        self.months = 0
        self.counter_lock = threading.Lock()
        self.iteration = 0

    def next_number(self) -> int:
        with self.counter_lock:
            self.counter += 1
            return self.counter

    def start(self, iteration: int) -> list[threading.Thread]:
        self.iteration = iteration
        self.stop.clear()
        jobs = [
            ("survey-1", self.survey),
            ("survey-2", self.survey),
            ("responses-import", self.responses_import),
            ("figures-import", self.figures_import),
            ("plan-import", self.plan_import),
            ("reminders", self.reminders),
            ("owners", self.owners),
        ]
        threads = []
        for name, target in jobs:
            # Each thread gets its own random stream, seeded from the run's, so a seed
            # repeats the same choices (the timing, and so the kills, still vary).
            seed = self.rng.getrandbits(64)
            thread = threading.Thread(
                target=self._guard, args=(name, target, random.Random(seed)), name=name, daemon=True
            )
            thread.start()
            threads.append(thread)
        return threads

    def _guard(self, name, target, rng) -> None:
        try:
            target(rng)
        except Stopped:
            pass
        except Exception as e:  # a bug in the script or an unexpected answer: reported
            if not self.stop.is_set():
                self.errors.append(f"{name}: {type(e).__name__}: {e}")

    # -- public survey responses ------------------------------------------------------

    def survey(self, rng: random.Random) -> None:
        path = f"/consultations/{SURVEY_SLUG}/respond"
        while not self.stop.is_set():
            with self.ledger.lock:
                retry = self.ledger.survey_retry.pop() if self.ledger.survey_retry else None
                token = retry or "%032x" % rng.getrandbits(128)
                self.ledger.survey_sent.add(token)
            answer = self.http.form(
                path,
                [
                    ("token", token),
                    (self.world.question_field, f"crash survey answer {token} " + "words " * rng.randint(1, 40)),
                    ("consent", "yes"),
                    ("publish_consent", "no"),
                ],
                cookie=False,
            )
            if answer.status == 200 and "Response sent" in answer.text:
                with self.ledger.lock:
                    self.ledger.survey_acked.add(token)
                    if retry:
                        self.ledger.survey_retried += 1
                        self.ledger.survey_retry_duplicates += "already been sent" in answer.text
            elif answer.status not in (503,):
                raise RuntimeError(f"survey post answered {answer.status}: {answer.text[:200]}")

    # -- a survey tool's export imported through the staff pages -----------------------

    def responses_import(self, rng: random.Random) -> None:
        exercise = self.world.exercise_id
        while not self.stop.is_set():
            number = self.next_number()
            name = f"crash-{self.iteration}-{number}.csv"
            rows = rng.randint(self.args.import_rows // 10, self.args.import_rows)
            marker = f"cimp{self.iteration}x{number}"
            out = io.StringIO()
            writer = csv.writer(out)
            writer.writerow(["Respondent ID", "What matters most to you?"])
            for i in range(rows):
                words = " ".join(rng.choice(WORDS) for _ in range(12))
                writer.writerow([f"{marker}-{i}", f"{marker} row {i}: {words}"])
            entry = Import("responses", name, rows, self.iteration, marker=marker)
            with self.ledger.lock:
                self.ledger.imports.append(entry)
            entry.phase = "upload"
            answer = self.http.multipart(
                f"/staff/consultations/{exercise}/import", [], name, out.getvalue().encode(), "text/csv"
            )
            if answer.status != 303:
                raise RuntimeError(f"upload answered {answer.status}: {answer.text[:300]}")
            upload = urllib.parse.urlparse(answer.location).path
            entry.phase = "confirm"
            answer = self.http.form(
                upload,
                [("mapped", "yes"), (f"map-{self.world.question_field}", "1"), ("map-respondent_id", "0")],
            )
            if answer.status != 303 or "/import/jobs/" not in answer.location:
                raise RuntimeError(f"confirm answered {answer.status} {answer.location}: {answer.text[:300]}")
            job = urllib.parse.urlparse(answer.location).path
            while True:
                page = self.http.request("GET", job)
                if page.status != 200:
                    raise RuntimeError(f"job page answered {page.status}")
                if "Import finished" in page.text:
                    entry.acked = True
                    entry.phase = "acknowledged"
                    break
                # "Checking rows" while rows are converted, "Storing" during the one
                # transaction: a kill seen last in "Storing" landed in or just after it.
                entry.phase = "storing" if "Storing" in page.text else "checking"
                if "Nothing was imported" in page.text:
                    raise RuntimeError(f"import {name} failed: {page.text[:400]}")
                time.sleep(0.1)

    # -- figures of measures imported through the staff pages --------------------------

    def figures_import(self, rng: random.Random) -> None:
        figures = self.world.figures
        if figures is None:
            return
        while not self.stop.is_set():
            number = self.next_number()
            # Each import fills its own month, so no import changes another's figures
            # and its rows are found by their note alone.
            with self.counter_lock:
                self.months += 1
                months = self.months
            period = f"{1990 + months // 12:04d}-{months % 12 + 1:02d}"
            note = f"crash figures {self.iteration}x{number}"
            out = io.StringIO()
            writer = csv.writer(out)
            writer.writerow(["Measure", "Period", "Area", "Value", "Count", "Out of", "Note"])
            for title, area in figures.rows:
                writer.writerow([title, period, area, str(rng.randint(1, 90)), "", "", note])
            entry = Import("figures", note, len(figures.rows), self.iteration)
            with self.ledger.lock:
                self.ledger.imports.append(entry)
            entry.phase = "check"
            answer = self.http.multipart(
                "/staff/performance/import",
                [("body", figures.body)],
                f"figures-{number}.csv",
                out.getvalue().encode(),
                "text/csv",
            )
            found = re.search(r'name="token" value="([^"]+)"', answer.text)
            if answer.status != 200 or not found:
                raise RuntimeError(f"figures check answered {answer.status}: {strip_html(answer.text)[:600]}")
            entry.phase = "confirm"
            answer = self.http.form(
                "/staff/performance/import/confirm", [("token", found.group(1)), ("body", figures.body)]
            )
            if answer.status == 303 and "done=" in answer.location:
                entry.acked = True
                entry.phase = "acknowledged"
            else:
                raise RuntimeError(
                    f"figures confirm answered {answer.status} {answer.location}: {strip_html(answer.text)[:600]}"
                )
            time.sleep(rng.uniform(0, 0.3))

    # -- `pcplan plan import` ------------------------------------------------------------

    def plan_import(self, rng: random.Random) -> None:
        while not self.stop.is_set():
            number = self.next_number()
            plan_file, plan_id, items = make_plan_file(self.world.plan_template, number)
            path = self.work_dir / f"plan-{number}.json"
            path.write_text(json.dumps(plan_file))
            entry = Import("plan", plan_id, items, self.iteration)
            with self.ledger.lock:
                self.ledger.imports.append(entry)
            entry.phase = "running"
            code, out = self._cli(["plan", "import", str(path)])
            if code is None:
                entry.phase = "not started"
                return
            if code == 0:
                entry.acked = True
                entry.phase = "acknowledged"
            elif code != -signal.SIGKILL:
                # A refusal (the database busy past its timeout, say) is allowed: the
                # import must then be absent, which the checks prove.
                entry.outcome = f"refused ({code}): {out.strip()[-300:]}"
            time.sleep(rng.uniform(0, 0.2))

    # -- `pcplan reminders send` ----------------------------------------------------------

    def reminders(self, rng: random.Random) -> None:
        dated = [item for item in self.world.agenda if item.get("due") and item.get("owner")]
        while not self.stop.is_set():
            # A day near some deadline's lead times, so that runs find reminders due.
            due = date.fromisoformat(rng.choice(dated)["due"]) if dated else date.today()
            today = due - timedelta(days=rng.choice([14, 10, 7, 3, 1, 0, -1, -4, -30]))
            with self.ledger.lock:
                self.ledger.reminder_runs += 1
            code, out = self._cli(["reminders", "send", "--today", today.isoformat()])
            if code is None:
                return
            if code == 0:
                with self.ledger.lock:
                    self.ledger.reminder_runs_completed += 1
            # A line says `sent` only after the store marked the reminder sent, which
            # the checks hold against the sink: every reminder recorded as sent
            # reached it.
            if code == 0:
                with self.ledger.lock:
                    self.ledger.reminders_reported_sent += len(re.findall(r"^sent\s", out, flags=re.M))

    # -- owners given to deadlines through the API ---------------------------------------

    def owners(self, rng: random.Random) -> None:
        # The agenda grows as reminder runs add the obligations of the days they are run
        # for, so it is read afresh: new deadlines get owners, and so new reminders.
        answer = self.http.request("GET", "/api/v1/agenda")
        if answer.status == 200:
            self.world.agenda = json.loads(answer.text)
        items = [i for i in self.world.agenda if not i.get("done")]
        while not self.stop.is_set() and items:
            item = rng.choice(items)
            user = rng.choice(self.world.owner_ids)
            key = item["key"]
            with self.ledger.lock:
                requests = self.ledger.owner_requests[key]
                requests.append((user, False))
                position = len(requests) - 1
            answer = self.http.json("PUT", "/api/v1/owners/" + urllib.parse.quote(key, safe=""), {"user": user})
            if answer.status == 200:
                with self.ledger.lock:
                    self.ledger.owner_requests[key][position] = (user, True)
            else:
                raise RuntimeError(f"owner of {key} answered {answer.status}: {answer.text[:300]}")
            time.sleep(rng.uniform(0, 0.2))

    def _cli(self, args: list[str]) -> tuple[int | None, str]:
        proc = self.procs.spawn(
            self.pcplan.command(*args), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=self.pcplan.env
        )
        if proc is None:
            return None, ""
        try:
            out, _ = proc.communicate(timeout=300)
        finally:
            self.procs.done(proc)
        return proc.returncode, out or ""


WORDS = (
    "police community safety burglary knife crime response neighbourhood victims youth drugs "
    "patrols speeding antisocial behaviour domestic abuse violence women girls rural fraud online "
    "visible officers trust confidence prevention partnership"
).split()


def strip_html(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text))


UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def make_plan_file(template: dict, number: int) -> tuple[dict, str, int]:
    """A plan file of the demo's working draft under a new body and plan.

    The versions are left out (each carries a hash of its content, which a new plan id
    would change) and every id in the file is replaced consistently, so the plan and its
    records are all new: each import adds one body, one plan and its records, and
    nothing else in the database refers to them.
    """
    text = json.dumps({k: v for k, v in template.items() if k != "versions"} | {"versions": []})
    mapping: dict[str, str] = {}
    text = UUID_RE.sub(lambda m: mapping.setdefault(m.group(0), str(uuid.uuid4())), text)
    plan_file = json.loads(text)
    plan_file["body"]["name"] = f"{plan_file['body']['name']} (crash import {number})"
    return plan_file, plan_file["plan"]["id"], len(plan_file["plan"]["items"])


# ---------------------------------------------------------------------------------------
# The checks
# ---------------------------------------------------------------------------------------


@dataclass
class Totals:
    iterations: int = 0
    kills: int = 0
    killed_by_kind: collections.Counter = field(default_factory=collections.Counter)
    integrity_failures: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    survey_found: int = 0
    survey_lost: int = 0
    survey_unacked_stored: int = 0
    delivered: int = 0
    duplicates: int = 0
    claimed_unconfirmed: int = 0
    claimed_delivered: int = 0
    hot_wal: int = 0  # SQLite checks that began by replaying a write-ahead log the kill left


def message_id_of(key: str) -> str:
    domain = MAIL_FROM.split("@", 1)[1].rstrip(">")
    return f"<reminder.{hashlib.sha256(key.encode()).hexdigest()[:32]}@{domain}>"


def snapshot(db: Database, work_dir: Path) -> tuple[Database, list[str]]:
    """The database to check, and the storage flags of `pcplan audit verify` for it.

    For SQLite, a copy of the file and its write-ahead log as the kill left them:
    opening the original would replay and checkpoint its log before pcplan's own next
    start, so pcplan's recovery from a crash would never be what the test exercises.
    PostgreSQL is checked in place.
    """
    if not db.is_sqlite:
        return db, ["--database-url", db.url]
    copy_dir = work_dir / "check"
    shutil.rmtree(copy_dir, ignore_errors=True)
    copy_dir.mkdir()
    # The shared-memory index (-shm) is left behind: nothing holds it, and SQLite
    # rebuilds it from the log when the copy is opened.
    for suffix in ("", "-wal"):
        source = db.sqlite_path.with_name(db.sqlite_path.name + suffix)
        if source.exists():
            shutil.copy2(source, copy_dir / source.name)
    return Database(None, copy_dir / db.sqlite_path.name), ["--data-dir", str(copy_dir)]


def check_all(
    original: Database,
    pcplan: Pcplan,
    ledger: Ledger,
    sink: SmtpSink,
    world: World,
    totals: Totals,
    label: str,
    work_dir: Path,
) -> list[str]:
    """Every check, with every pcplan process stopped; the problems found."""
    problems: list[str] = []
    db, store_args = snapshot(original, work_dir)
    wal = db.sqlite_path.with_name(db.sqlite_path.name + "-wal") if db.is_sqlite else None
    if wal is not None and wal.exists() and wal.stat().st_size > 0:
        totals.hot_wal += 1

    if db.is_sqlite:
        for p in db.sqlite_checks():
            problems.append(f"{label}: {p}")
            totals.integrity_failures.append(f"{label}: {p}")
    verify = subprocess.run(
        [str(pcplan.binary), "audit", "verify", *store_args],
        capture_output=True,
        text=True,
        env=pcplan.env,
        timeout=600,
    )
    if verify.returncode != 0:
        said = (verify.stdout + verify.stderr).strip()[-500:]
        message = f"{label}: pcplan audit verify exited {verify.returncode}: {said}"
        problems.append(message)
        totals.integrity_failures.append(message)

    # Survey responses: every acknowledged token is stored.
    stored = {
        r[0]
        for r in db.rows(
            "SELECT fingerprint FROM responses WHERE exercise_id = ? AND fingerprint LIKE 'web:%'", (world.exercise_id,)
        )
    }
    with ledger.lock:
        acked = set(ledger.survey_acked)
        sent = set(ledger.survey_sent)
    lost = sorted(t for t in acked if f"web:{t}" not in stored)
    totals.survey_found = len(acked) - len(lost)
    totals.survey_lost = len(lost)
    totals.survey_unacked_stored = len({f"web:{t}" for t in sent - acked} & stored)
    if lost:
        problems.append(f"{label}: {len(lost)} acknowledged survey response(s) not stored, first tokens {lost[:5]}")
    twice = db.rows(
        "SELECT fingerprint, count(*) FROM responses WHERE exercise_id = ? AND fingerprint LIKE 'web:%' "
        "GROUP BY fingerprint HAVING count(*) > 1",
        (world.exercise_id,),
    )
    if twice:
        problems.append(f"{label}: {len(twice)} survey token(s) stored more than once: {twice[:3]}")
    strangers = {s for s in stored if s[4:] not in sent}
    if strangers:
        problems.append(
            f"{label}: {len(strangers)} survey response(s) stored that were never sent: {sorted(strangers)[:3]}"
        )

    # Imports: all or nothing. A few grouped queries for all of them, so the checks
    # take the same time however many imports there have been.
    with ledger.lock:
        imports = list(ledger.imports)
    batches = collections.defaultdict(list)
    for file_name, import_id in db.rows(
        "SELECT file_name, id FROM response_imports WHERE exercise_id = ?", (world.exercise_id,)
    ):
        batches[file_name].append(import_id)
    by_batch = {k: int(n) for k, n in db.rows(
        "SELECT import_id, count(*) FROM responses WHERE exercise_id = ? AND import_id IS NOT NULL GROUP BY import_id",
        (world.exercise_id,),
    )}
    prefix = "substr(a.text, 1, instr(a.text, ' row ') - 1)" if db.is_sqlite else "split_part(a.text, ' row ', 1)"
    by_text = {k: int(n) for k, n in db.rows(
        f"SELECT {prefix}, count(*) FROM answers a JOIN responses r ON r.id = a.response_id "
        "WHERE r.exercise_id = ? AND a.text LIKE 'cimp%' GROUP BY 1",
        (world.exercise_id,),
    )}
    by_note = {
        k: int(n)
        for k, n in db.rows("SELECT note, count(*) FROM observations WHERE note LIKE 'crash figures %' GROUP BY note")
    }
    plan_ids = {r[0] for r in db.rows("SELECT id FROM plans")}
    plan_items = {k: int(n) for k, n in db.rows("SELECT plan_id, count(*) FROM plan_items GROUP BY plan_id")}
    for entry in imports:
        if entry.kind == "responses":
            ids = batches.get(entry.name, [])
            rows = sum(by_batch.get(i, 0) for i in ids)
            texts = by_text.get(entry.marker, 0)
            if len(ids) == 1 and rows == entry.rows and texts == entry.rows:
                outcome = "complete"
            elif not ids and texts == 0:
                outcome = "absent"
            else:
                outcome = (
                    f"partial ({len(ids)} import record(s), {rows} rows by import, {texts} answers by text, "
                    f"of {entry.rows})"
                )
        elif entry.kind == "figures":
            count = by_note.get(entry.name, 0)
            if count == entry.rows:
                outcome = "complete"
            elif count == 0:
                outcome = "absent"
            else:
                outcome = f"partial ({count} of {entry.rows} rows)"
        else:
            has_plan = entry.name in plan_ids
            items = plan_items.get(entry.name, 0)
            if has_plan and items == entry.rows:
                outcome = "complete"
            elif not has_plan and items == 0:
                outcome = "absent"
            else:
                outcome = f"partial (plan row {'present' if has_plan else 'absent'}, {items} of {entry.rows} records)"
        refused = entry.outcome.startswith("refused")
        if refused and outcome != "absent":
            problems.append(f"{label}: {entry.kind} import {entry.name} was refused but is {outcome}")
        if not refused:
            entry.outcome = outcome
        if outcome.startswith("partial"):
            problems.append(f"{label}: {entry.kind} import {entry.name} is {outcome}")
        elif entry.acked and outcome != "complete":
            problems.append(f"{label}: {entry.kind} import {entry.name} was acknowledged but is {outcome}")

    # Owners: the last acknowledged owner, or one sent after it, is the owner now.
    owners = dict(db.rows("SELECT item_key, user_id FROM owners"))
    with ledger.lock:
        requests = {k: list(v) for k, v in ledger.owner_requests.items()}
    for key, sent_owners in requests.items():
        last_ack = max((i for i, (_, ok) in enumerate(sent_owners) if ok), default=None)
        if last_ack is None:
            continue
        allowed = {u for u, _ in sent_owners[last_ack:]}
        if owners.get(key) not in allowed:
            problems.append(f"{label}: owner of {key} is {owners.get(key)}, expected one of {sorted(allowed)}")

    # Reminders: none delivered twice; each delivered one claimed and not failed.
    delivered = sink.snapshot()
    per_copy = collections.Counter((m.message_id, r) for m in delivered for r in m.recipients)
    duplicates = {k: n for k, n in per_copy.items() if n > 1}
    totals.delivered = len(delivered)
    totals.duplicates = sum(n - 1 for n in duplicates.values())
    if duplicates:
        problems.append(
            f"{label}: {len(duplicates)} reminder(s) delivered more than once: {list(duplicates.items())[:5]}"
        )
    # Only the key and the state: a mail server's reason can span lines, which psql's
    # unaligned output would split.
    rows = db.rows("SELECT reminder_key, state FROM reminders")
    by_id = {message_id_of(key): (key, state) for key, state in rows}
    for m in delivered:
        found = by_id.get(m.message_id)
        if found is None:
            problems.append(f"{label}: delivered {m.message_id} ({m.subject}) has no claim in the reminders table")
        elif found[1] == "failed":
            problems.append(
                f"{label}: delivered {m.message_id} is recorded as failed, so it would be sent again: {found}"
            )
    delivered_ids = {m.message_id for m in delivered}
    for key, state in rows:
        if state == "sent" and message_id_of(key) not in delivered_ids:
            problems.append(f"{label}: reminder {key} is recorded as sent but never reached the sink")
    totals.claimed_unconfirmed = sum(1 for _, state in rows if state == "claimed")
    # Claims left by a kill after the sink had the message and before the store heard
    # back: the window a retry would turn into a duplicate.
    totals.claimed_delivered = sum(
        1 for key, state in rows if state == "claimed" and message_id_of(key) in delivered_ids
    )
    return problems


# ---------------------------------------------------------------------------------------
# Setup
# ---------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(pcplan: Pcplan, procs: Processes, log_file, command: str = "serve") -> subprocess.Popen:
    args = [str(pcplan.binary), command, "--listen", f"127.0.0.1:{pcplan.port}", *pcplan.store_args()]
    proc = procs.spawn(args, stdout=log_file, stderr=subprocess.STDOUT, env=pcplan.env)
    assert proc is not None
    return proc


def stop_gracefully(proc: subprocess.Popen, procs: Processes) -> None:
    """An orderly stop: pcplan shuts down on SIGINT (Ctrl-C); SIGTERM would end it at once."""
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    procs.done(proc)


def setup(
    pcplan: Pcplan, procs: Processes, db: Database, log_file, work_dir: Path
) -> tuple[World, list[tuple[str, str]]]:
    """Loads the demo and makes what the workloads need; returns it with the owners given."""
    log("loading the demo (pcplan demo) ...")
    procs.open()
    demo = start_server(pcplan, procs, log_file, command="demo")
    client = Http(pcplan.port)
    client.ready(demo, timeout=900)
    stop_gracefully(demo, procs)

    for name, role in [(ADMIN, "admin")] + [(o, "editor") for o in OWNERS]:
        done = pcplan.run(
            "user", "add", name, "--role", role, "--email", f"{name}@crash.test", "--password-stdin",
            stdin=PASSWORD + "\n",
        )
        if done.returncode != 0:
            raise RuntimeError(f"pcplan user add {name}: {done.stderr.strip()}")
    marks = ",".join("?" * len(OWNERS))
    found = db.rows(f"SELECT id FROM users WHERE username IN ({marks}) ORDER BY username", tuple(OWNERS))
    owner_ids = [r[0] for r in found]

    plans = db.rows("SELECT p.id, p.body_id FROM plans p ORDER BY p.created_at")
    template_path = work_dir / "template.json"
    exported = pcplan.run("plan", "export", "--format", "json", "--plan", plans[0][0], "-o", str(template_path))
    if exported.returncode != 0:
        raise RuntimeError(f"pcplan plan export: {exported.stderr.strip()}")
    plan_template = json.loads(template_path.read_text())

    server = start_server(pcplan, procs, log_file)
    client.ready(server)
    client.sign_in()

    bodies = json.loads(client.request("GET", "/api/v1/bodies").text)
    site_body = bodies[0]["id"] if isinstance(bodies, list) else plans[0][1]
    today = date.today()
    opens, closes = today - timedelta(days=30), today + timedelta(days=365)
    answer = client.form(
        "/staff/consultations",
        [
            ("body", site_body),
            ("title", "Crash test survey"),
            ("kind", "public_survey"),
            ("slug", SURVEY_SLUG),
            ("summary", "Responses sent by tests/crash/run.py while the server is killed."),
            ("opens-day", str(opens.day)), ("opens-month", str(opens.month)), ("opens-year", str(opens.year)),
            ("closes-day", str(closes.day)), ("closes-month", str(closes.month)), ("closes-year", str(closes.year)),
            ("channels", "online_survey"),
            ("channels", "imported"),
            ("privacy_notice", "Test data only; deleted with the test's temporary database."),
            ("plan", ""),
            ("note", ""),
        ],
    )
    if answer.status != 303:
        raise RuntimeError(f"creating the exercise answered {answer.status}: {strip_html(answer.text)[:800]}")
    exercise_id = urllib.parse.urlparse(answer.location).path.rstrip("/").rsplit("/", 1)[-1]
    answer = client.form(
        f"/staff/consultations/{exercise_id}/questions",
        [
            ("number", "1"),
            ("text", "What matters most to you?"),
            ("hint", ""),
            ("kind", "open"),
            ("options", ""),
            ("max_chars", "5000"),
        ],
    )
    if answer.status != 303:
        raise RuntimeError(f"adding the question answered {answer.status}: {strip_html(answer.text)[:800]}")
    answer = client.form(f"/staff/consultations/{exercise_id}/public", [("public", "yes")])
    if answer.status != 303:
        raise RuntimeError(f"making the exercise public answered {answer.status}: {strip_html(answer.text)[:800]}")

    # The measures a figures import can fill: the template of the body monitored against
    # a plan (the first body that has one).
    figures = None
    for body in bodies:
        path = "/staff/performance/import/template.csv?body=" + urllib.parse.quote(body["id"])
        template = client.request("GET", path)
        if template.status != 200:
            continue
        rows = list(csv.reader(io.StringIO(template.text)))[1:]
        if rows:
            figures = Figures(body["id"], [(r[0], r[2]) for r in rows])
            break

    # Every open deadline gets an owner with an address, so that every run, the
    # server's and the command's, has reminders to send from the first iteration.
    agenda = json.loads(client.request("GET", "/api/v1/agenda").text)
    assigned = []
    for n, item in enumerate(i for i in agenda if not i.get("done")):
        user = owner_ids[n % len(owner_ids)]
        answer = client.json("PUT", "/api/v1/owners/" + urllib.parse.quote(item["key"], safe=""), {"user": user})
        if answer.status != 200:
            raise RuntimeError(f"giving {item['key']} an owner answered {answer.status}: {answer.text[:300]}")
        assigned.append((item["key"], user))
    stop_gracefully(server, procs)
    procs.closed = True
    return World(exercise_id, "q-1", owner_ids, plan_template, figures, agenda), assigned


# ---------------------------------------------------------------------------------------
# The loop
# ---------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add = parser.add_argument
    add("--iterations", type=int, default=25, help="start, load, SIGKILL and check this many times (default 25)")
    add("--seed", type=int, default=None, help="seed of the random choices (default: random, printed)")
    add("--database-url", help="an empty PostgreSQL database to use instead of SQLite in a temporary directory")
    add("--keep", action="store_true", help="keep the temporary directory (database, logs, files)")
    add("--binary", type=Path, default=default_binary(), help="the pcplan binary (default: the debug build)")
    add("--min-sleep", type=float, default=0.1, help="shortest time before a kill, in seconds (default 0.1)")
    add("--max-sleep", type=float, default=3.0, help="longest time before a kill, in seconds (default 3)")
    add("--import-rows", type=int, default=5000, help="most rows in one survey-tool import (default 5000)")
    add("--smtp-refuse", type=float, default=0.1, help="share of messages the sink refuses for a while (default 0.1)")
    add(
        "--smtp-stall",
        type=float,
        default=0.0,
        help="share of messages the sink keeps and answers only after pcplan's SMTP timeout (default 0, off)",
    )
    add("--smtp-timeout", type=int, default=10, help="pcplan's mail.smtp_timeout_seconds (default 10)")
    args = parser.parse_args()

    if not args.binary.exists():
        print(
            f"error: no pcplan binary at {args.binary}; build it with `cargo build -p pcplan` or pass --binary",
            file=sys.stderr,
        )
        return 2
    if args.database_url and not shutil.which("psql"):
        print("error: --database-url needs psql on the PATH to check the database", file=sys.stderr)
        return 2
    seed = args.seed if args.seed is not None else random.randrange(2**32)
    rng = random.Random(seed)
    work_dir = Path(tempfile.mkdtemp(prefix="pcplan-crash-"))
    data_dir = work_dir / "data"
    data_dir.mkdir()
    backend = "PostgreSQL" if args.database_url else "SQLite"
    log(f"seed {seed}, {args.iterations} iterations on {backend}, binary {args.binary}, files in {work_dir}")

    sink = SmtpSink(args.smtp_refuse, args.smtp_stall, args.smtp_timeout + 2, rng.getrandbits(64))
    sink.start()
    port = free_port()
    pcplan = Pcplan(args.binary, data_dir, args.database_url, port, sink.port, args.smtp_timeout)
    db = Database(args.database_url, None if args.database_url else data_dir / "pcplan.db")
    procs = Processes()
    ledger = Ledger()
    totals = Totals()
    log_file = open(work_dir / "server.log", "ab")
    status = 1
    try:
        world, assigned = setup(pcplan, procs, db, log_file, work_dir)
        for key, user in assigned:
            ledger.owner_requests[key].append((user, True))
        log(
            f"set up: exercise {world.exercise_id}, {len(world.agenda)} agenda items ({len(assigned)} given owners), "
            f"{len(world.figures.rows) if world.figures else 0} figures per import, "
            f"{len(world.plan_template['plan']['items'])} records per plan import"
        )
        problems = check_all(db, pcplan, ledger, sink, world, totals, "after setup", work_dir)
        totals.failures.extend(problems)
        client = Http(port)
        work = Workloads(args, pcplan, procs, client, ledger, world, rng, work_dir)
        for iteration in range(1, args.iterations + 1):
            procs.open()
            log_file.write(f"\n==== iteration {iteration} ====\n".encode())
            log_file.flush()
            server = start_server(pcplan, procs, log_file)
            try:
                client.ready(server)
                if not client.cookie or client.request("GET", "/api/v1/agenda").status == 401:
                    client.sign_in()
            except (RuntimeError, Stopped) as e:
                totals.failures.append(f"iteration {iteration}: the server did not start after the previous kill: {e}")
                procs.kill_all()
                break
            threads = work.start(iteration)
            pause = rng.uniform(args.min_sleep, args.max_sleep)
            time.sleep(pause)
            killed = procs.kill_all()
            work.stop.set()
            for thread in threads:
                thread.join(timeout=120)
            totals.iterations = iteration
            totals.kills += len(killed)
            totals.killed_by_kind.update(killed)
            problems = check_all(db, pcplan, ledger, sink, world, totals, f"iteration {iteration}", work_dir)
            problems += [f"iteration {iteration}: workload error: {e}" for e in work.errors]
            work.errors.clear()
            totals.failures.extend(problems)
            with ledger.lock:
                ledger.survey_retry = sorted(ledger.survey_sent - ledger.survey_acked)
                counts = collections.Counter(
                    i.outcome.split(" ")[0] for i in ledger.imports if i.iteration == iteration
                )
            log(
                f"iteration {iteration}: killed after {pause:.2f} s: {', '.join(killed) or 'nothing running'}; "
                f"survey {len(ledger.survey_acked)} acked, imports {dict(counts)}, "
                f"reminders delivered {totals.delivered}; " + ("OK" if not problems else f"{len(problems)} PROBLEM(S)")
            )
            for p in problems:
                log("  " + p)

        # One last start, to prove the server comes up after the last kill, then an
        # orderly stop and the checks once more.
        procs.open()
        server = start_server(pcplan, procs, log_file)
        try:
            client.ready(server)
        except (RuntimeError, Stopped) as e:
            totals.failures.append(f"final start: the server did not start after the last kill: {e}")
        stop_gracefully(server, procs)
        procs.closed = True
        totals.failures.extend(check_all(db, pcplan, ledger, sink, world, totals, "final", work_dir))
        status = 0 if not totals.failures else 1
    finally:
        procs.kill_all()
        log_file.close()
        print_summary(seed, backend, totals, ledger, sink)
        if args.keep:
            log(f"kept {work_dir}")
        else:
            shutil.rmtree(work_dir, ignore_errors=True)
    return status


def print_summary(seed: int, backend: str, totals: Totals, ledger: Ledger, sink: SmtpSink) -> None:
    with ledger.lock:
        imports = list(ledger.imports)
        acked = len(ledger.survey_acked)
        sent = len(ledger.survey_sent)
        retried, retry_duplicates = ledger.survey_retried, ledger.survey_retry_duplicates
        runs, runs_done = ledger.reminder_runs, ledger.reminder_runs_completed
        reported = ledger.reminders_reported_sent
        owner_changes = sum(ok for reqs in ledger.owner_requests.values() for _, ok in reqs)
    by_kind: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for entry in imports:
        if entry.phase == "not started":
            continue  # made, then never run: the kill came first
        by_kind[entry.kind][entry.outcome.split(" ")[0] or "unchecked"] += 1
        by_kind[entry.kind]["started"] += 1
        if entry.acked:
            by_kind[entry.kind]["acknowledged"] += 1
    print()
    print(f"crash test summary ({backend}, seed {seed})")
    print(f"  iterations:               {totals.iterations}")
    kinds = ", ".join(f"{k} {n}" for k, n in sorted(totals.killed_by_kind.items()))
    print(f"  processes SIGKILLed:      {totals.kills} ({kinds})")
    print(
        f"  survey responses:         {sent} sent, {acked} acknowledged, {totals.survey_found} of them found, "
        f"{totals.survey_lost} lost; {totals.survey_unacked_stored} unacknowledged but stored; "
        f"{retried} unanswered posts sent again after a restart and acknowledged, "
        f"{retry_duplicates} of them as already stored"
    )
    for kind in ("responses", "figures", "plan"):
        c = by_kind.get(kind, collections.Counter())
        label = {"responses": "survey-tool imports", "figures": "figures imports", "plan": "plan imports (CLI)"}[kind]
        phases = collections.Counter(
            e.phase for e in imports if e.kind == kind and not e.acked and e.phase != "not started"
        )
        print(
            f"  {label + ':':<26}{c['started']} started, {c['acknowledged']} acknowledged: "
            f"{c['complete']} complete, {c['absent']} absent, {c['partial']} partial, {c['refused']} refused; "
            f"unacknowledged, last seen: {', '.join(f'{k} {n}' for k, n in sorted(phases.items())) or 'none'}"
        )
    print(f"  owner changes acked:      {owner_changes}")
    print(
        f"  reminder runs (CLI):      {runs} started, {runs_done} finished, "
        f"{reported} reminders reported sent by finished runs"
    )
    print(
        f"  reminders delivered:      {totals.delivered} (server and CLI), duplicates {totals.duplicates}; "
        f"claimed and not confirmed {totals.claimed_unconfirmed} ({totals.claimed_delivered} of them delivered); "
        f"{sink.refused} refused by the sink (recorded failed, retried)"
        + (f"; {sink.stalled} answered after the timeout" if sink.stall_rate else "")
    )
    if backend == "SQLite":
        print(f"  write-ahead logs replayed: {totals.hot_wal} of the checks opened a log the kill left behind")
    print(f"  integrity failures:       {len(totals.integrity_failures)}")
    print(f"  failures:                 {len(totals.failures)}")
    for failure in totals.failures[:50]:
        print(f"    - {failure}")
    print("RESULT: " + ("PASS" if not totals.failures else "FAIL"))


if __name__ == "__main__":
    sys.exit(main())
