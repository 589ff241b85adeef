"""The `csehub` command: Django's management commands under the product's name.

`csehub demo`, `csehub serve`, `csehub audit verify` and the rest are management commands in the
apps; this entry point only chooses the settings (the demo's unless DJANGO_SETTINGS_MODULE
says otherwise) and says which, on standard error so that exports on standard output stay clean.
"""

import os
import sys

DEMO_SETTINGS = "csehub.config.settings.demo"


def main(argv: list[str] | None = None) -> None:
    chosen = os.environ.get("DJANGO_SETTINGS_MODULE")
    if chosen:
        sys.stderr.write(f"Using the settings {chosen}\n")
    else:
        os.environ["DJANGO_SETTINGS_MODULE"] = DEMO_SETTINGS
        sys.stderr.write(
            f"Using the demo settings ({DEMO_SETTINGS}): fictional data on this machine only. "
            "For a live service set DJANGO_SETTINGS_MODULE=csehub.config.settings.production.\n"
        )
    from django.core.management import execute_from_command_line

    execute_from_command_line(["csehub", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
