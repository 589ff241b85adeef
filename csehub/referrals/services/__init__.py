"""Every write the referrals app makes: referrals, their steps, and notifications."""

from .notifications import notification_mark_read, notification_url, notifications_send
from .referrals import (
    Addressee,
    ReferralContent,
    RiskDetailInput,
    referral_create,
    referral_outcome_record,
    referral_receive,
    referral_request_from_lead,
    referral_screen,
    referrals_create,
)

__all__ = [
    "Addressee",
    "ReferralContent",
    "RiskDetailInput",
    "notification_mark_read",
    "notification_url",
    "notifications_send",
    "referral_create",
    "referral_outcome_record",
    "referral_receive",
    "referral_request_from_lead",
    "referral_screen",
    "referrals_create",
]
