"""Every write the accounts app makes: signing in, agencies, users."""

from .agencies import agency_create, agency_update
from .sign_in import (
    PENDING_MAX_SECONDS,
    PENDING_SINCE,
    PENDING_USER,
    PasswordResult,
    SignInLocked,
    TOTPDevice,
    confirmed_device,
    mfa_setup_confirm,
    mfa_setup_start,
    pending_user,
    sign_in_code_check,
    sign_in_demo_waive_mfa,
    sign_in_password_check,
    sign_out,
)
from .users import (
    InvitationNotSent,
    set_password_path,
    user_create,
    user_invitation_send,
    user_mfa_reset,
    user_password_set,
    user_update,
)

__all__ = [
    "PENDING_MAX_SECONDS",
    "PENDING_SINCE",
    "PENDING_USER",
    "InvitationNotSent",
    "PasswordResult",
    "SignInLocked",
    "TOTPDevice",
    "agency_create",
    "agency_update",
    "confirmed_device",
    "mfa_setup_confirm",
    "mfa_setup_start",
    "pending_user",
    "set_password_path",
    "sign_in_code_check",
    "sign_in_demo_waive_mfa",
    "sign_in_password_check",
    "sign_out",
    "user_create",
    "user_invitation_send",
    "user_mfa_reset",
    "user_password_set",
    "user_update",
]
