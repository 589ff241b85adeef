"""The accounts pages, split by sub-domain. Error handlers are named in config.urls."""

from .pages import error_403, error_404, error_500, home

__all__ = ["error_403", "error_404", "error_500", "home"]
