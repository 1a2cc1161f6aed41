import uvicorn
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve the platform with the uvicorn ASGI server."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=1)
        parser.add_argument("--access-log", action="store_true", help="log every request")

    def handle(self, *args, host, port, workers, access_log, **options):
        uvicorn.run(
            "semipark.asgi:application",
            host=host,
            port=port,
            workers=workers,
            proxy_headers=True,
            forwarded_allow_ips="127.0.0.1",
            log_level=settings.LOGGING["root"]["level"].lower(),
            access_log=access_log,
        )
