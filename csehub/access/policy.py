"""The access policy of every URL: which permission a view needs before it runs.

AccessPolicyMiddleware enforces this table for every request, and a test fails when a URL
pattern has no entry, so a new view cannot be reached without a decision recorded here.
Object-level scope (whose records) is then applied by the app's selectors.
"""

from __future__ import annotations

import enum

from .permissions import Permission


class Open(enum.StrEnum):
    PUBLIC = "public"  # no sign-in: sign-in steps, health check, certificate verification
    SIGNED_IN = "signed_in"  # any user who has completed sign-in (both factors)
    # The JSON API: a bearer token instead of a session, and each operation names its
    # Permission in csehub/api (checked by csehub.api.operations.requires and its test).
    API = "api"


Rule = Permission | Open

URL_POLICY: dict[str, Rule] = {
    # learning: the workbook (a learner's own attempts) and its sign-off (attempts naming the
    # user as reviewer); scope applied by learning.selectors.workbook
    "learning:index": Permission.TAKE_TRAINING,
    "learning:course": Permission.TAKE_TRAINING,
    "learning:attempt": Permission.TAKE_TRAINING,
    "learning:section": Permission.TAKE_TRAINING,
    "learning:question": Permission.TAKE_TRAINING,
    "learning:submit": Permission.TAKE_TRAINING,
    "learning:review-queue": Permission.REVIEW_TRAINING,
    "learning:review": Permission.REVIEW_TRAINING,
    # learning: certificates (the scope of each is applied by learning.selectors), records,
    # compliance, and the public check of a certificate's code
    "learning:my-training": Permission.TAKE_TRAINING,
    "learning:certificate-detail": Permission.TAKE_TRAINING,
    "learning:certificate-pdf": Permission.TAKE_TRAINING,
    "learning:certificate-revoke": Permission.MANAGE_TRAINING,
    "learning:compliance": Permission.VIEW_TRAINING_COMPLIANCE,
    "learning:compliance-export": Permission.VIEW_TRAINING_COMPLIANCE,
    "certificates:verify": Open.PUBLIC,
    # learning: the Awareness Plus briefing (presenters: leads and the partnership) and the pledge
    "learning:briefing-list": Permission.PRESENT_BRIEFING,
    "learning:briefing-present": Permission.PRESENT_BRIEFING,
    "learning:briefing-audience": Permission.PRESENT_BRIEFING,
    "learning:briefing-session-create": Permission.PRESENT_BRIEFING,
    "learning:briefing-session-detail": Permission.PRESENT_BRIEFING,
    "learning:pledge": Permission.TAKE_TRAINING,
    "learning:pledge-invite": Permission.TAKE_TRAINING,
    "learning:pledge-invitation": Permission.TAKE_TRAINING,
    "learning:pledge-report": Permission.VIEW_PLEDGE_REPORT,
    "learning:pledge-public": Open.PUBLIC,  # an invitation link: no account needed
    "learning:pledge-public-course": Open.PUBLIC,
    "learning:pledge-public-section": Open.PUBLIC,
    # api: tokens and partner systems (pages), and the API itself
    "api:tokens": Permission.USE_API,
    "api:token-create": Permission.USE_API,
    "api:token-revoke": Permission.USE_API,
    "api:partner-system-create": Permission.MANAGE_USERS,
    "api:partner-system-token-create": Permission.MANAGE_USERS,
    "api-v1:openapi-json": Open.PUBLIC,
    "api-v1:api-root": Open.PUBLIC,
    "api-v1:me": Open.API,
    "api-v1:vocabulary-list": Open.API,
    "api-v1:vocabulary-detail": Open.API,
    "api-v1:child-list": Open.API,
    "api-v1:child-create": Open.API,
    "api-v1:child-detail": Open.API,
    "api-v1:child-update": Open.API,
    "api-v1:child-chronology": Open.API,
    "api-v1:concern-list": Open.API,
    "api-v1:concern-create": Open.API,
    "api-v1:concern-detail": Open.API,
    "api-v1:concern-update": Open.API,
    "api-v1:concern-submit": Open.API,
    "api-v1:concern-assessment-list": Open.API,
    "api-v1:assessment-create": Open.API,
    "api-v1:assessment-detail": Open.API,
    "api-v1:assessment-judgement": Open.API,
    "api-v1:pathway-detail": Open.API,
    "api-v1:pathway-walk": Open.API,
    "api-v1:contacts-now": Open.API,
    "api-v1:referral-list": Open.API,
    "api-v1:referral-create": Open.API,
    "api-v1:referral-detail": Open.API,
    "api-v1:referral-receive": Open.API,
    "api-v1:referral-screen": Open.API,
    "api-v1:referral-outcome": Open.API,
    "api-v1:disclosure-list": Open.API,
    "api-v1:disclosure-create": Open.API,
    "api-v1:disclosure-detail": Open.API,
    "api-v1:disclosure-update": Open.API,
    "api-v1:disclosure-sign": Open.API,
    "api-v1:addendum-create": Open.API,
    # accounts: signing in and out, the start page, your own account
    "accounts:sign-in": Open.PUBLIC,
    "accounts:sign-in-code": Open.PUBLIC,
    "accounts:mfa-setup": Open.PUBLIC,
    "accounts:sign-out": Open.PUBLIC,
    "accounts:set-password": Open.PUBLIC,
    "accounts:home": Open.SIGNED_IN,
    "health": Open.PUBLIC,
    # accounts: partnership administration
    "accounts:agency-list": Permission.MANAGE_AGENCIES,
    "accounts:agency-create": Permission.MANAGE_AGENCIES,
    "accounts:agency-edit": Permission.MANAGE_AGENCIES,
    "accounts:user-list": Permission.MANAGE_USERS,
    "accounts:user-create": Permission.MANAGE_USERS,
    "accounts:user-edit": Permission.MANAGE_USERS,
    "accounts:user-reset-mfa": Permission.MANAGE_USERS,
    "accounts:user-send-password-link": Permission.MANAGE_USERS,
    # taxonomy: guidance
    "taxonomy:guidance-index": Permission.VIEW_GUIDANCE,
    "taxonomy:guidance-vocabulary": Permission.VIEW_GUIDANCE,
    "taxonomy:guidance-item": Permission.VIEW_GUIDANCE,
    # pathways: the referral pathway and who to call
    "pathways:pathway": Permission.VIEW_PATHWAYS,
    "pathways:contacts": Permission.VIEW_PATHWAYS,
    # children: records and the chronology (scope applied by children.selectors)
    "children:list": Permission.VIEW_CHILD,
    "children:create": Permission.CREATE_CHILD,
    "children:detail": Permission.VIEW_CHILD,
    "children:edit": Permission.EDIT_CHILD,
    "children:chronology-print": Permission.VIEW_CHILD,
    # concerns: raising a concern and the risk identification tool
    "concerns:list": Permission.VIEW_CONCERN,
    "concerns:create": Permission.RAISE_CONCERN,
    "concerns:edit": Permission.RAISE_CONCERN,
    "concerns:detail": Permission.VIEW_CONCERN,
    "concerns:assess": Permission.ASSESS_RISK,
    "concerns:assess-result": Permission.ASSESS_RISK,
    "concerns:assessment": Permission.VIEW_CONCERN,
    "concerns:judgement": Permission.ASSESS_RISK,
    # language: the wording checker and the partnership's report of its use
    "language:check": Permission.USE_LANGUAGE_CHECK,
    "language:try": Permission.USE_LANGUAGE_CHECK,
    "language:report": Permission.VIEW_LANGUAGE_REPORT,
    # referrals: made from a concern, received and decided by the team it was sent to
    "referrals:team": Permission.RECEIVE_REFERRAL,
    "referrals:made": Permission.VIEW_REFERRAL,
    "referrals:create": Permission.MAKE_REFERRAL,
    "referrals:request": Permission.REQUEST_REFERRAL,
    "referrals:detail": Permission.VIEW_REFERRAL,
    "referrals:receive": Permission.RECEIVE_REFERRAL,
    "referrals:screen": Permission.RECEIVE_REFERRAL,
    "referrals:outcome": Permission.RECEIVE_REFERRAL,
    "referrals:notifications": Open.SIGNED_IN,
    "referrals:notification-open": Open.SIGNED_IN,
    # disclosures: a child's own words, signed and then append-only
    "disclosures:create": Permission.RECORD_DISCLOSURE,
    "disclosures:detail": Permission.VIEW_DISCLOSURE,
    "disclosures:edit": Permission.RECORD_DISCLOSURE,
    "disclosures:addendum": Permission.RECORD_DISCLOSURE,
    # missing episodes (scope applied by missing.selectors) and the return interviews, which
    # the missing coordinator arranges
    "missing:work-list": Permission.VIEW_MISSING,
    "missing:create": Permission.RECORD_MISSING,
    "missing:detail": Permission.VIEW_MISSING,
    "missing:return": Permission.RECORD_MISSING,
    "missing:interview": Permission.MANAGE_RETURN_INTERVIEWS,
    "missing:interview-share": Permission.MANAGE_RETURN_INTERVIEWS,
    # the problem profile and its board report (counts only; scope in profile.selectors)
    "profile:dashboard": Permission.VIEW_PROBLEM_PROFILE,
    "profile:board-csv": Permission.VIEW_PROBLEM_PROFILE,
    "profile:board-pdf": Permission.VIEW_PROBLEM_PROFILE,
    # intelligence: sharing it and seeing what you shared (scope applied by
    # intelligence.selectors), and the police triage inbox
    "intelligence:mine": Permission.SHARE_INTELLIGENCE,
    "intelligence:share": Permission.SHARE_INTELLIGENCE,
    "intelligence:share-full": Permission.SHARE_INTELLIGENCE,
    "intelligence:find-details": Permission.SHARE_INTELLIGENCE,
    "intelligence:shared": Permission.SHARE_INTELLIGENCE,
    "intelligence:detail": Permission.SHARE_INTELLIGENCE,
    "intelligence:inbox": Permission.GRADE_INTELLIGENCE,
    "intelligence:grade": Permission.GRADE_INTELLIGENCE,
    # linking: entities, suggested links and runs for police analysts only; the alerts and the
    # network views, which the MACE panel needs too, for them and the MACE coordinator
    "linking:alerts": Permission.VIEW_NETWORK,
    "linking:alert-seen": Permission.VIEW_NETWORK,
    "linking:entity": Permission.VIEW_LINKS,
    "linking:entity-merge": Permission.DECIDE_LINKS,
    "linking:mention-split": Permission.DECIDE_LINKS,
    "linking:suggestion-decide": Permission.DECIDE_LINKS,
    "linking:decision-undo": Permission.DECIDE_LINKS,
    "linking:possible": Permission.VIEW_LINKS,
    "linking:possible-group": Permission.VIEW_LINKS,
    "linking:possible-decide": Permission.DECIDE_LINKS,
    "linking:runs": Permission.VIEW_LINKS,
    "linking:run": Permission.VIEW_LINKS,
    "linking:network": Permission.VIEW_NETWORK,
    "linking:network-map": Permission.VIEW_NETWORK,
    "linking:network-measures": Permission.VIEW_NETWORK,
    "linking:network-nodes-csv": Permission.VIEW_NETWORK,
    "linking:network-edges-csv": Permission.VIEW_NETWORK,
    "linking:network-svg": Permission.VIEW_NETWORK,
    "linking:network-pdf": Permission.VIEW_NETWORK,
    "linking:network-png": Permission.VIEW_NETWORK,
    # the MACE list of persons of concern (seen by the CSE team and the MACE coordinator; a
    # meeting of the panel puts a person on it or takes them off, recorded by the CSE team
    # here or by the coordinator on the meeting's page)
    "mace:list": Permission.VIEW_NETWORK,
    "mace:listing-add": Permission.MANAGE_MACE_LIST,
    "mace:listing-remove": Permission.MANAGE_MACE_LIST,
    # the MACE panel: meetings and their agenda for the panel's members (a relation, checked
    # by mace.selectors, so any signed-in user may ask and non-members find nothing); running
    # it for the MACE coordinator
    "mace:meetings": Open.SIGNED_IN,
    "mace:meeting": Open.SIGNED_IN,
    "mace:panel-create": Permission.RUN_MACE_PANEL,
    "mace:members": Permission.RUN_MACE_PANEL,
    "mace:member-end": Permission.RUN_MACE_PANEL,
    "mace:meeting-create": Permission.RUN_MACE_PANEL,
    "mace:item-record": Permission.RUN_MACE_PANEL,
    "mace:action-agree": Permission.RUN_MACE_PANEL,
    "mace:action-close": Permission.RUN_MACE_PANEL,
    "mace:meeting-listing": Permission.RUN_MACE_PANEL,
    # audit: information governance
    "audit:search": Permission.VIEW_AUDIT_LOG,
    "audit:export": Permission.EXPORT_AUDIT_LOG,
}


def rule_for(view_name: str) -> Rule | None:
    return URL_POLICY.get(view_name)
