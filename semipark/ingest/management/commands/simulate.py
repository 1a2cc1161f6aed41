from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from semipark.ingest.simulator import Simulator, make_sink


class Command(BaseCommand):
    help = (
        "Publish realistic readings for every active sensor (noise, drift, leaks, a silent sensor) over MQTT or "
        "HTTP. Over HTTP it issues new device tokens: for demo and test installations."
    )

    def add_arguments(self, parser):
        target = parser.add_mutually_exclusive_group()
        target.add_argument("--mqtt", metavar="URL", help="broker, e.g. mqtt://127.0.0.1:1883")
        target.add_argument("--http", metavar="BASE_URL", help="platform, e.g. http://127.0.0.1:8000")
        parser.add_argument("--rate", type=float, default=1.0, help="speed-up of the sensors' reporting periods")
        parser.add_argument("--duration", type=float, default=None, help="seconds to run (default: until stopped)")

    def handle(self, *args, mqtt, http, rate, duration, **options):
        mqtt = mqtt if mqtt is not None or http else settings.MQTT_URL
        if not mqtt and not http:
            raise CommandError("Give --mqtt URL or --http BASE_URL (or set SEMIPARK_MQTT_URL).")
        if rate <= 0:
            raise CommandError("--rate must be positive.")
        sink = make_sink(mqtt_url=mqtt or "", http_base_url=http or "")
        simulator = Simulator(sink, rate=rate)
        self.stdout.write(f"Simulating {'MQTT ' + mqtt if mqtt else 'HTTP ' + http}; stop with Ctrl+C.")
        try:
            simulator.run(duration)
        except KeyboardInterrupt:
            pass
        finally:
            sink.close()
        self.stdout.write(f"{simulator.sent} values sent.")
