"""What each role may do, and over which records: the whole matrix in one place.

A permission names an action; a scope says which records it reaches. Selectors turn a scope into
a queryset filter, so a view never decides visibility on its own.
"""

from __future__ import annotations

import enum

from django.contrib.auth.models import AnonymousUser

from csehub.accounts.models import Role, User


class Permission(enum.StrEnum):
    VIEW_GUIDANCE = "view_guidance"
    VIEW_PATHWAYS = "view_pathways"
    MANAGE_AGENCIES = "manage_agencies"
    MANAGE_USERS = "manage_users"
    VIEW_AUDIT_LOG = "view_audit_log"
    EXPORT_AUDIT_LOG = "export_audit_log"
    # children and concerns
    VIEW_CHILD = "view_child"
    CREATE_CHILD = "create_child"
    EDIT_CHILD = "edit_child"
    RAISE_CONCERN = "raise_concern"
    VIEW_CONCERN = "view_concern"
    ASSESS_RISK = "assess_risk"  # use the risk tool and record a professional judgement
    # referrals and disclosures
    MAKE_REFERRAL = "make_referral"
    REQUEST_REFERRAL = "request_referral"  # ask the agency's safeguarding lead to refer
    VIEW_REFERRAL = "view_referral"
    RECEIVE_REFERRAL = "receive_referral"  # move a referral sent to the user's team
    RECORD_DISCLOSURE = "record_disclosure"
    VIEW_DISCLOSURE = "view_disclosure"
    # language guidance
    USE_LANGUAGE_CHECK = "use_language_check"
    # the API: your own tokens (partner systems' tokens need MANAGE_USERS)
    USE_API = "use_api"
    VIEW_LANGUAGE_REPORT = "view_language_report"
    # learning: the course, sign-off by a named reviewer
    TAKE_TRAINING = "take_training"
    REVIEW_TRAINING = "review_training"  # OWN: attempts where the user is the named reviewer
    # training records: who has completed, who is due (AGENCY for leads, ALL for the partnership)
    VIEW_TRAINING_COMPLIANCE = "view_training_compliance"
    MANAGE_TRAINING = "manage_training"  # revoke certificates
    # the Awareness Plus briefing: present it and record who attended (AGENCY for leads)
    PRESENT_BRIEFING = "present_briefing"
    VIEW_PLEDGE_REPORT = "view_pledge_report"  # how many pledged, invitations completed
    # intelligence: anyone may share it and see what they shared (OWN; a safeguarding lead
    # their agency's: AGENCY). Only police analysts, who include the CSE team, read and grade
    # everyone's (ALL). Need-to-know: the MACE coordinator is not given raw partner
    # intelligence; it reaches the panel once police have graded and developed it.
    SHARE_INTELLIGENCE = "share_intelligence"
    GRADE_INTELLIGENCE = "grade_intelligence"
    # linking: match results, entities and alerts are for police analysts only (ALL); partners
    # never see what their intelligence was linked to.
    VIEW_LINKS = "view_links"
    DECIDE_LINKS = "decide_links"
    # the MACE list of persons of concern: kept by the CSE team, who alone see entities, for
    # the panel; a new link to a listed person alerts them.
    MANAGE_MACE_LIST = "manage_mace_list"
    # missing episodes: recording a child going missing and coming back (the missing
    # coordinator and the front door for the partnership; a social worker for allocated
    # children), and the return home interviews, which the missing coordinator arranges
    RECORD_MISSING = "record_missing"
    VIEW_MISSING = "view_missing"
    MANAGE_RETURN_INTERVIEWS = "manage_return_interviews"
    # the MACE panel: the MACE coordinator runs it (members, meetings, agenda, records and
    # actions); who else sees a meeting is a relation, panel membership, not a role
    RUN_MACE_PANEL = "run_mace_panel"
    # what the panel needs of the linking engine: the MACE list, the alerts and the network
    # views and measures (no entity pages, queue or runs): the CSE team and the MACE
    # coordinator
    VIEW_NETWORK = "view_network"
    # the problem profile and the board report: counts only, small numbers suppressed (the
    # partnership's people ALL, a safeguarding lead their agency's)
    VIEW_PROBLEM_PROFILE = "view_problem_profile"


class Scope(enum.StrEnum):
    """How far a permission reaches. Ordered from narrowest to widest."""

    OWN = "own"  # records the user made
    REFERRED = "referred"  # records in referrals sent to the user's team (referrals app)
    AGENCY = "agency"  # records of the user's agency
    ALLOCATED = "allocated"  # children allocated to the user, and records about them
    ALL = "all"  # everything in the partnership


_EVERY_ROLE: dict[Permission, Scope] = {
    Permission.VIEW_GUIDANCE: Scope.ALL,
    Permission.VIEW_PATHWAYS: Scope.ALL,
    Permission.USE_LANGUAGE_CHECK: Scope.ALL,
    Permission.USE_API: Scope.OWN,
    Permission.TAKE_TRAINING: Scope.OWN,
    # Any colleague may be named as a peer reviewer, so everyone may review what names them.
    Permission.REVIEW_TRAINING: Scope.OWN,
    Permission.SHARE_INTELLIGENCE: Scope.OWN,
}

ROLE_PERMISSIONS: dict[Role, dict[Permission, Scope]] = {
    Role.PRACTITIONER: {
        **_EVERY_ROLE,
        Permission.REQUEST_REFERRAL: Scope.OWN,
        Permission.VIEW_REFERRAL: Scope.OWN,
        Permission.RECORD_DISCLOSURE: Scope.OWN,
        Permission.VIEW_DISCLOSURE: Scope.OWN,
        Permission.VIEW_CHILD: Scope.OWN,
        Permission.CREATE_CHILD: Scope.OWN,
        Permission.RAISE_CONCERN: Scope.OWN,
        Permission.VIEW_CONCERN: Scope.OWN,
        Permission.ASSESS_RISK: Scope.OWN,
    },
    Role.SAFEGUARDING_LEAD: {
        **_EVERY_ROLE,
        Permission.SHARE_INTELLIGENCE: Scope.AGENCY,
        Permission.VIEW_TRAINING_COMPLIANCE: Scope.AGENCY,
        Permission.PRESENT_BRIEFING: Scope.AGENCY,
        Permission.VIEW_PROBLEM_PROFILE: Scope.AGENCY,
        Permission.MAKE_REFERRAL: Scope.AGENCY,
        Permission.VIEW_REFERRAL: Scope.AGENCY,
        Permission.RECORD_DISCLOSURE: Scope.AGENCY,
        Permission.VIEW_DISCLOSURE: Scope.AGENCY,
        Permission.VIEW_CHILD: Scope.AGENCY,
        Permission.CREATE_CHILD: Scope.AGENCY,
        Permission.EDIT_CHILD: Scope.AGENCY,
        Permission.RAISE_CONCERN: Scope.AGENCY,
        Permission.VIEW_CONCERN: Scope.AGENCY,
        Permission.ASSESS_RISK: Scope.AGENCY,
    },
    Role.FRONT_DOOR: {
        **_EVERY_ROLE,
        Permission.VIEW_REFERRAL: Scope.REFERRED,
        Permission.RECEIVE_REFERRAL: Scope.REFERRED,
        Permission.RECORD_DISCLOSURE: Scope.ALL,
        Permission.VIEW_DISCLOSURE: Scope.ALL,
        Permission.VIEW_CHILD: Scope.ALL,
        Permission.CREATE_CHILD: Scope.ALL,
        Permission.EDIT_CHILD: Scope.ALL,
        Permission.RAISE_CONCERN: Scope.ALL,
        Permission.VIEW_CONCERN: Scope.ALL,
        Permission.ASSESS_RISK: Scope.ALL,
        Permission.RECORD_MISSING: Scope.ALL,
        Permission.VIEW_MISSING: Scope.ALL,
    },
    Role.SOCIAL_WORKER: {
        **_EVERY_ROLE,
        Permission.VIEW_REFERRAL: Scope.ALLOCATED,
        Permission.RECEIVE_REFERRAL: Scope.REFERRED,
        Permission.RECORD_DISCLOSURE: Scope.ALLOCATED,
        Permission.VIEW_DISCLOSURE: Scope.ALLOCATED,
        Permission.VIEW_CHILD: Scope.ALLOCATED,
        Permission.CREATE_CHILD: Scope.OWN,
        Permission.EDIT_CHILD: Scope.ALLOCATED,
        Permission.RAISE_CONCERN: Scope.ALLOCATED,
        Permission.VIEW_CONCERN: Scope.ALLOCATED,
        Permission.ASSESS_RISK: Scope.ALLOCATED,
        Permission.RECORD_MISSING: Scope.ALLOCATED,
        Permission.VIEW_MISSING: Scope.ALLOCATED,
    },
    # Only children and concerns in referrals sent to the desk (a scope the referrals app fills).
    Role.POLICE_REFERRAL_DESK: {
        **_EVERY_ROLE,
        Permission.VIEW_REFERRAL: Scope.REFERRED,
        Permission.RECEIVE_REFERRAL: Scope.REFERRED,
        Permission.VIEW_CHILD: Scope.REFERRED,
        Permission.VIEW_CONCERN: Scope.REFERRED,
    },
    Role.POLICE_ANALYST: {
        **_EVERY_ROLE,
        Permission.GRADE_INTELLIGENCE: Scope.ALL,
        Permission.VIEW_LINKS: Scope.ALL,
        Permission.VIEW_NETWORK: Scope.ALL,
        Permission.DECIDE_LINKS: Scope.ALL,
        Permission.MANAGE_MACE_LIST: Scope.ALL,
    },
    # The MACE panel reviews children at risk across the partnership.
    Role.MACE_COORDINATOR: {
        **_EVERY_ROLE,
        Permission.VIEW_TRAINING_COMPLIANCE: Scope.ALL,
        Permission.PRESENT_BRIEFING: Scope.ALL,
        Permission.VIEW_PLEDGE_REPORT: Scope.ALL,
        Permission.VIEW_REFERRAL: Scope.ALL,
        Permission.VIEW_CHILD: Scope.ALL,
        Permission.VIEW_CONCERN: Scope.ALL,
        Permission.VIEW_LANGUAGE_REPORT: Scope.ALL,
        Permission.VIEW_MISSING: Scope.ALL,
        Permission.RUN_MACE_PANEL: Scope.ALL,
        Permission.VIEW_NETWORK: Scope.ALL,
        Permission.VIEW_PROBLEM_PROFILE: Scope.ALL,
    },
    # Every child reported missing in the area comes to the missing coordinator, who must find
    # the child's record before adding an episode (or duplicates multiply): children ALL, but
    # concerns, referrals and disclosures only their own.
    Role.MISSING_COORDINATOR: {
        **_EVERY_ROLE,
        Permission.REQUEST_REFERRAL: Scope.OWN,
        Permission.VIEW_REFERRAL: Scope.OWN,
        Permission.RECORD_DISCLOSURE: Scope.OWN,
        Permission.VIEW_DISCLOSURE: Scope.OWN,
        Permission.VIEW_CHILD: Scope.ALL,
        Permission.CREATE_CHILD: Scope.OWN,
        Permission.RAISE_CONCERN: Scope.OWN,
        Permission.VIEW_CONCERN: Scope.OWN,
        Permission.ASSESS_RISK: Scope.OWN,
        Permission.RECORD_MISSING: Scope.ALL,
        Permission.VIEW_MISSING: Scope.ALL,
        Permission.MANAGE_RETURN_INTERVIEWS: Scope.ALL,
    },
    Role.PARTNERSHIP_ADMIN: {
        **_EVERY_ROLE,
        Permission.VIEW_TRAINING_COMPLIANCE: Scope.ALL,
        Permission.PRESENT_BRIEFING: Scope.ALL,
        Permission.VIEW_PLEDGE_REPORT: Scope.ALL,
        Permission.MANAGE_TRAINING: Scope.ALL,
        Permission.MANAGE_AGENCIES: Scope.ALL,
        Permission.MANAGE_USERS: Scope.ALL,
        Permission.VIEW_LANGUAGE_REPORT: Scope.ALL,
        Permission.VIEW_PROBLEM_PROFILE: Scope.ALL,
    },
    Role.INFORMATION_GOVERNANCE: {
        **_EVERY_ROLE,
        Permission.VIEW_AUDIT_LOG: Scope.ALL,
        Permission.EXPORT_AUDIT_LOG: Scope.ALL,
        Permission.VIEW_LANGUAGE_REPORT: Scope.ALL,
    },
}


def scope_for(user: User | AnonymousUser, permission: Permission) -> Scope | None:
    """The scope the user holds the permission with, or None when they do not hold it."""
    if not isinstance(user, User) or not user.is_active:
        return None
    return ROLE_PERMISSIONS.get(Role(user.role), {}).get(permission)


def has_permission(user: User | AnonymousUser, permission: Permission) -> bool:
    return scope_for(user, permission) is not None
