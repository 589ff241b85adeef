"""Reads about the installation itself."""

from __future__ import annotations

from .models import Installation, InstallationMode


def installation_mode() -> InstallationMode | None:
    """How this database was made, or None if it was never migrated far enough to say."""
    mode = Installation.objects.filter(pk=1).values_list("mode", flat=True).first()
    return InstallationMode(mode) if mode else None
