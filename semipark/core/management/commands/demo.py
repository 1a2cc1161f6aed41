import os
import threading

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from semipark.core.demo import load_all
from semipark.park.demo import DEMO_ACCOUNTS, DEMO_PASSWORD


class Command(BaseCommand):
    help = "Migrate, load the demo park, start the simulated sensors and serve the platform."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=int(os.environ.get("SEMIPARK_PORT", "8000")))
        parser.add_argument("--load-only", action="store_true", help="load the data and exit")
        parser.add_argument("--no-simulator", action="store_true", help="do not feed the demo sensors")

    def handle(self, *args, host, port, load_only, no_simulator, **options):
        if not settings.DEMO:
            raise CommandError("Set SEMIPARK_DEMO=1: demo accounts have well-known passwords.")
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        loaded = load_all(with_accounts=True)
        self.stdout.write(f"Demo data: {', '.join(loaded)}")
        if load_only:
            return
        if not no_simulator:
            self._start_simulator(host, port)
        url = f"http://{host}:{port}/"
        self.stdout.write(self.style.SUCCESS(f"\nsemipark is running at {url}"))
        self.stdout.write("Demo accounts (password: %s):" % DEMO_PASSWORD)
        for account in DEMO_ACCOUNTS:
            self.stdout.write(f"  {account['username']:<10} {account['description']}")
        self.stdout.write("Stop with Ctrl+C.\n")
        call_command("serve", host=host, port=port)

    def _start_simulator(self, host, port):
        try:
            from semipark.ingest.simulator import run_in_background
        except ImportError:
            return
        threading.Thread(target=run_in_background, kwargs={"base_url": f"http://{host}:{port}"}, daemon=True).start()
