"""The `--partnership SLUG` option of the bulk commands (`csehub intel`, `csehub link`).

A command runs with no signed-in user, so it names the partnership it acts on; with only one
real partnership in the database the option may be left out.
"""

from __future__ import annotations

from django.core.management.base import CommandError

from .models import Partnership

PARTNERSHIP_OPTION_HELP = "The partnership's slug (if more than one)"


def partnership_from_option(slug: str | None) -> Partnership:
    """The partnership named by `--partnership`, or the only real one when it is not given."""
    if slug:
        found = Partnership.objects.filter(slug=slug).first()
        if found is None:
            raise CommandError(f"No partnership has the slug {slug!r}")
        return found
    live = list(Partnership.objects.filter(is_example=False)[:2])
    if len(live) != 1:
        raise CommandError("Name the partnership with --partnership SLUG")
    return live[0]
