from django.conf import settings
from django.core.management.base import BaseCommand

from semipark.ingest.partitions import prune


class Command(BaseCommand):
    help = "Delete raw readings older than SEMIPARK_READING_RETENTION_DAYS (rollups are kept)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=settings.READING_RETENTION_DAYS, help="retention in days")

    def handle(self, *args, days, **options):
        result = prune(retention_days=days)
        self.stdout.write(
            f"Readings before {result['cutoff']:%Y-%m-%d %H:%M} UTC removed: "
            f"{len(result['dropped_partitions'])} monthly partitions dropped, {result['deleted_rows']} rows deleted."
        )
