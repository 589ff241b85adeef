"""Certificates: download the PDF, see and revoke one, and the public check of a code."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from csehub.access.lookups import object_for_user_or_404
from csehub.access.permissions import Permission, has_permission
from csehub.access.request import request_user
from csehub.audit.middleware import client_ip

from ..certificate_pdf import certificate_facts, certificate_pdf
from ..record_forms import CertificateRevokeForm, CertificateVerifyForm
from ..selectors.certificates import (
    certificate_lookups_exhausted,
    certificate_verification_unchecked,
    certificates_visible_to,
)
from ..services.certificates import (
    LOOKUP_THROTTLED,
    certificate_download_record,
    certificate_filename,
    certificate_lookup_record,
    certificate_revoke,
)


@require_GET
def certificate_download(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    # A revoked certificate is no longer evidence of anything: it is not handed out again.
    certificate = object_for_user_or_404(
        user=user,
        visible=certificates_visible_to(user=user).filter(revoked_at__isnull=True),
        pk=pk,
        target_type="certificate",
        audit_view=False,
    )
    certificate_download_record(actor=user, certificate=certificate)
    response = HttpResponse(certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{certificate_filename(certificate)}"'
    return response


@require_GET
def certificate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    certificate = object_for_user_or_404(
        user=user, visible=certificates_visible_to(user=user), pk=pk, target_type="certificate"
    )
    return render(
        request,
        "learning/certificate_detail.html",
        {
            "certificate": certificate,
            "facts": certificate_facts(certificate),
            "can_revoke": has_permission(user, Permission.MANAGE_TRAINING)
            and not certificate.is_revoked,
            "can_see_reason": has_permission(user, Permission.MANAGE_TRAINING),
        },
    )


@require_http_methods(["GET", "POST"])
def certificate_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    certificate = object_for_user_or_404(
        user=user,
        visible=certificates_visible_to(user=user).filter(revoked_at__isnull=True),
        pk=pk,
        target_type="certificate",
    )
    form = CertificateRevokeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            certificate_revoke(
                actor=user, certificate=certificate, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error("reason", error)
        else:
            messages.success(request, f"Certificate {certificate.code} has been revoked.")
            return redirect("learning:certificate-detail", pk=certificate.pk)
    return render(
        request,
        "learning/certificate_revoke.html",
        {"certificate": certificate, "facts": certificate_facts(certificate), "form": form},
    )


@require_http_methods(["GET", "POST"])
def certificate_verify(request: HttpRequest) -> HttpResponse:
    """The public check (no sign-in). Answers with the name, course and date, and no more."""
    actor = request_user(request) if request.user.is_authenticated else None
    form = CertificateVerifyForm(request.POST if request.method == "POST" else None)
    context: dict[str, object] = {"form": form}
    status = 200
    if request.method == "POST":
        if certificate_lookups_exhausted(ip_address=client_ip(request)):
            certificate_lookup_record(actor=actor, certificate=None, result=LOOKUP_THROTTLED)
            context["throttled"] = True
            status = 429
        elif form.is_valid():
            verification = certificate_verification_unchecked(code=form.cleaned_data["code"])
            certificate_lookup_record(
                actor=actor, certificate=verification.certificate, result=verification.result
            )
            context["verification"] = verification
    return render(request, "learning/certificate_verify.html", context, status=status)
