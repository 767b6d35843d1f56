import signal
import threading
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections, connection

from uslugi.core import scheduler
from uslugi.core.models import JobStatus


class Command(BaseCommand):
    help = (
        "Run the periodic jobs the apps register: every --interval seconds, enqueue the jobs that "
        "are due for the task worker (manage.py db_worker). Several schedulers may run at once. "
        "Stops after the current pass on SIGTERM or Ctrl-C."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval",
            type=float,
            default=30.0,
            help="Seconds between passes (default 30).",
        )
        parser.add_argument("--once", action="store_true", help="Run one pass and exit.")

    def handle(self, *args: Any, **options: Any) -> None:
        scheduler.discover()
        names = ", ".join(sorted(scheduler.registered_jobs())) or "none"
        self.stdout.write(f"Scheduler: jobs {names}")
        if options["once"]:
            self._pass()
            return
        stop = threading.Event()

        def request_stop(signum: int, frame: FrameType | None) -> None:
            self.stdout.write(f"Scheduler: {signal.strsignal(signum)}, stopping.")
            stop.set()

        previous = {
            signum: signal.signal(signum, request_stop)
            for signum in (signal.SIGINT, signal.SIGTERM)
        }
        try:
            while not stop.is_set():
                self._pass()
                stop.wait(options["interval"])
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
        self.stdout.write("Scheduler: stopped.")

    def _pass(self) -> None:
        if not connection.in_atomic_block:  # inside a test's transaction the connection stays
            close_old_connections()  # a long-lived process: drop connections the database closed
        for run in scheduler.run_due_jobs():
            line = f"Scheduler: {run.name} {run.status}"
            if run.status == JobStatus.FAILED:
                self.stderr.write(f"{line}: {run.error}")
            else:
                self.stdout.write(line)
