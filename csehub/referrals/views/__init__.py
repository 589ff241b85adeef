"""Referral pages: make one from a concern, the work lists, one referral and its steps,
notifications. Thin: fetch through selectors, call one service, render."""

from .handling import referral_detail, referral_outcome, referral_receive, referral_screen
from .lists import made_list, notification_list, notification_open, team_list
from .making import referral_create, referral_request

__all__ = [
    "made_list",
    "notification_list",
    "notification_open",
    "referral_create",
    "referral_detail",
    "referral_outcome",
    "referral_receive",
    "referral_request",
    "referral_screen",
    "team_list",
]
