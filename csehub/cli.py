"""The `csehub` command: Django's management commands under the product's name.

`csehub demo`, `csehub serve`, `csehub audit verify` and the rest are management commands in the
apps; this entry point only chooses the settings (demo unless DJANGO_SETTINGS_MODULE says).
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csehub.config.settings.demo")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["csehub", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
