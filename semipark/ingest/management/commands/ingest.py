import logging
import socket

from django.conf import settings
from django.core.management.base import BaseCommand

from semipark.ingest.mqtt import Worker


class Command(BaseCommand):
    help = "Consume telemetry from the MQTT broker (QoS 1, persistent session) into the database."

    def add_arguments(self, parser):
        parser.add_argument("--url", default=settings.MQTT_URL or "mqtt://127.0.0.1:1883", help="mqtt://host:port")
        parser.add_argument(
            "--client-id",
            default=f"semipark-ingest-{socket.gethostname()}",
            help="stable across restarts: the broker keeps this worker's session under it",
        )
        parser.add_argument(
            "--shared-group",
            default=settings.MQTT_SHARED_GROUP,
            help="join the MQTT v5 shared subscription $share/<group>/... to split the load between workers",
        )
        parser.add_argument(
            "--topic-filter",
            action="append",
            dest="filters",
            help="subscribe to these filters instead of every device (repeatable), e.g. to shard by enterprise: "
            "semipark/kazuo/tongmei/+/telemetry",
        )
        parser.add_argument("--batch-messages", type=int, default=2000)
        parser.add_argument(
            "--batch-ms", type=float, default=10.0, help="wait this long for more messages after the first of a batch"
        )

    def handle(self, *args, url, client_id, shared_group, filters, batch_messages, batch_ms, **options):
        logging.getLogger("semipark").setLevel(logging.INFO)
        worker = Worker(
            url, client_id, shared_group, batch_messages=batch_messages, batch_seconds=batch_ms / 1000, filters=filters
        )
        worker.install_signal_handlers()
        self.stdout.write(f"Ingesting {', '.join(worker.filters)} from {url} as {client_id}; stop with Ctrl+C.")
        worker.run()
        self.stdout.write(f"Stopped after {worker.stats.messages} messages.")
