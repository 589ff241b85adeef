"""Signing in and out: password, authenticator code or enrolment, and setting a password."""

from __future__ import annotations

import segno
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from csehub.access.session import is_fully_signed_in

from .. import selectors, services
from ..forms import CodeForm, SetPasswordForm, SignInForm
from ..services.sign_in import AuthenticatorAlreadySetUp

NEXT = "csehub_next"


def _safe_next(request: HttpRequest, candidate: str | None) -> str | None:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return None


def _after_sign_in(request: HttpRequest) -> HttpResponse:
    return redirect(_safe_next(request, request.session.pop(NEXT, None)) or "accounts:home")


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    if is_fully_signed_in(request):
        return redirect("accounts:home")
    form = SignInForm(request.POST or None)
    locked = False
    if request.method == "POST" and form.is_valid():
        try:
            user = services.sign_in_password_check(
                request=request,
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
            )
        except services.SignInLocked:
            locked = True
            user = None
        if user is not None:
            next_url = _safe_next(request, request.GET.get("next"))
            if next_url:
                request.session[NEXT] = next_url
            if services.confirmed_device(user=user):
                return redirect("accounts:sign-in-code")
            if settings.CSEHUB_DEMO_MODE and user.is_demo:
                services.sign_in_demo_waive_mfa(request=request, user=user)
                return _after_sign_in(request)
            return redirect("accounts:mfa-setup")
        if not locked:
            # One message for a wrong password and an unknown address, so neither is revealed.
            form.add_error(None, "Enter a correct email address and password")
    return render(
        request,
        "accounts/sign_in.html",
        {"form": form, "locked": locked, "lockout_minutes": settings.CSEHUB_SIGNIN_LOCKOUT_MINUTES},
        status=429 if locked else 200,
    )


@require_http_methods(["GET", "POST"])
def sign_in_code(request: HttpRequest) -> HttpResponse:
    user = services.pending_user(request=request)
    if user is None or services.confirmed_device(user=user) is None:
        return redirect("accounts:sign-in")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.sign_in_code_check(request=request, user=user, code=form.cleaned_data["code"]):
            return _after_sign_in(request)
        form.add_error(
            "code", "The code is not right or has expired. Enter the code now shown in your app"
        )
    return render(request, "accounts/sign_in_code.html", {"form": form})


@require_http_methods(["GET", "POST"])
def mfa_setup(request: HttpRequest) -> HttpResponse:
    """Set-up for a user with no confirmed authenticator; anyone else goes to the code page."""
    user = services.pending_user(request=request)
    if user is None:
        return redirect("accounts:sign-in")
    form = CodeForm(request.POST or None)
    try:
        if request.method == "POST":
            if form.is_valid():
                if services.mfa_setup_confirm(
                    request=request, user=user, code=form.cleaned_data["code"]
                ):
                    return _after_sign_in(request)
                form.add_error(
                    "code",
                    "The code is not right. Check the app shows CSE Hub and try the code it "
                    "shows now",
                )
            device = services.mfa_setup_start(user=user, keep_unconfirmed=True)
        else:
            device = services.mfa_setup_start(user=user)
    except AuthenticatorAlreadySetUp:
        # A password alone never replaces an authenticator (the refusal is audited); losing
        # the app is for the partnership administrator to reset.
        return redirect("accounts:sign-in-code")
    uri = device.config_url
    qr_svg = segno.make(uri, error="m").svg_inline(
        scale=4, title="QR code to scan with your authenticator app"
    )
    secret = _base32_secret(device.bin_key)
    return render(
        request,
        "accounts/mfa_setup.html",
        {
            "form": form,
            "qr_svg": qr_svg,
            "secret": secret,
            "production": not settings.CSEHUB_DEMO_MODE,
        },
    )


def _base32_secret(key: bytes) -> str:
    import base64

    raw = base64.b32encode(key).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    services.sign_out(request=request)
    return render(request, "accounts/signed_out.html")


@require_http_methods(["GET", "POST"])
def set_password(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The link from an invitation: choose a password, then sign in and set up the app."""
    user = selectors.user_for_set_password_link(uidb64=uidb64, token=token)
    if user is None:
        return render(request, "accounts/set_password_link_invalid.html", status=410)
    form = SetPasswordForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_password_set(user=user, password=form.cleaned_data["new_password"])
        except ValidationError as error:
            form.add_error("new_password", error)
        else:
            # Whoever was signed in on this browser is not the person who just set a password.
            services.sign_out(request=request)
            messages.success(
                request,
                "Your password has been set. Sign in with it; you will then set up your "
                "authenticator app",
            )
            return redirect("accounts:sign-in")
    return render(request, "accounts/set_password.html", {"form": form, "person": user})
