"""The start page and the error pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from csehub.access.permissions import Permission, has_permission


def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    cards = [
        (
            Permission.VIEW_GUIDANCE,
            "taxonomy:guidance-index",
            "Guidance",
            "The shared vocabulary: warning signs, SAFEGUARD areas, vulnerability factors, "
            "the grooming line and more.",
        ),
        (
            Permission.MANAGE_AGENCIES,
            "accounts:agency-list",
            "Agencies",
            "The agencies in the partnership: add one, change its details or make it inactive.",
        ),
        (
            Permission.MANAGE_USERS,
            "accounts:user-list",
            "Users",
            "Add people and invite them, change their role or agency, reset an authenticator.",
        ),
        (
            Permission.VIEW_AUDIT_LOG,
            "audit:search",
            "Audit log",
            "Who viewed or changed which record, when, and from where.",
        ),
    ]
    visible = [c for c in cards if has_permission(user, c[0])]
    return render(request, "accounts/home.html", {"cards": visible})


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    return render(request, "errors/500.html", status=500)
