"""The start page and the error pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ..navigation import nav_entries_for


def home(request: HttpRequest) -> HttpResponse:
    entries = [entry for entry in nav_entries_for(request) if entry.description]
    return render(request, "accounts/home.html", {"entries": entries})


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    return render(request, "errors/500.html", status=500)
