"""The ``semipark`` command: Django's management commands plus the platform's own (demo, serve, ...)."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "semipark.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["semipark", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
