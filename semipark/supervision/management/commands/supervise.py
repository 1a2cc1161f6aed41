"""``semipark supervise``: run the periodic alarm work (escalation, communication faults, shelving expiry)."""

import logging
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from semipark.supervision.jobs import run_periodic

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Escalate unacknowledged alarms, raise and clear communication faults, end expired shelvings."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=5.0, help="Seconds between runs (default 5).")
        parser.add_argument("--once", action="store_true", help="Run once and exit.")

    def handle(self, *args, interval, once, **options):
        while True:
            started = time.monotonic()
            try:
                counts = run_periodic()
            except Exception:  # a database hiccup must not end supervision; the next run retries
                log.exception("periodic alarm work failed")
                close_old_connections()
            else:
                if once or any(counts.values()):
                    self.stdout.write(" ".join(f"{name}={count}" for name, count in counts.items()))
            if once:
                return
            time.sleep(max(0.0, interval - (time.monotonic() - started)))
