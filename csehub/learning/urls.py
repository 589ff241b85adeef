from django.urls import path

from .views import briefing as briefing_views
from .views import certificates as certificate_views
from .views import pledge as pledge_views
from .views import records as record_views
from .views import reviews as review_views
from .views import workbook as workbook_views

app_name = "learning"

urlpatterns: list = [
    # the learner: courses, the workbook and submitting it
    path("", workbook_views.index, name="index"),
    path("courses/<slug:course_code>/", workbook_views.course, name="course"),
    path("attempts/<int:attempt_id>/", workbook_views.attempt_overview, name="attempt"),
    path(
        "attempts/<int:attempt_id>/sections/<slug:section_code>/",
        workbook_views.section,
        name="section",
    ),
    path(
        "attempts/<int:attempt_id>/questions/<slug:question_code>/",
        workbook_views.question,
        name="question",
    ),
    path("attempts/<int:attempt_id>/submit/", workbook_views.submit, name="submit"),
    # the reviewer: sign-off
    path("reviews/", review_views.review_queue, name="review-queue"),
    path("reviews/<int:attempt_id>/", review_views.review, name="review"),
    # certificates and training records
    path("my-training/", record_views.my_training, name="my-training"),
    path("compliance/", record_views.compliance, name="compliance"),
    path("compliance/export/", record_views.compliance_export, name="compliance-export"),
    path("certificates/<int:pk>/", certificate_views.certificate_detail, name="certificate-detail"),
    path(
        "certificates/<int:pk>/pdf/",
        certificate_views.certificate_download,
        name="certificate-pdf",
    ),
    path(
        "certificates/<int:pk>/revoke/",
        certificate_views.certificate_revoke_view,
        name="certificate-revoke",
    ),
    # the Awareness Plus briefing: presenter and audience views, sessions and attendance
    path("briefings/", briefing_views.briefing_list, name="briefing-list"),
    path(
        "briefings/<slug:code>/slides/<int:number>/",
        briefing_views.briefing_present,
        name="briefing-present",
    ),
    path(
        "briefings/<slug:code>/slides/<int:number>/audience/",
        briefing_views.briefing_audience,
        name="briefing-audience",
    ),
    path(
        "briefings/<slug:code>/sessions/new/",
        briefing_views.briefing_session_create,
        name="briefing-session-create",
    ),
    path(
        "briefings/sessions/<int:pk>/",
        briefing_views.briefing_session_detail,
        name="briefing-session-detail",
    ),
    # the pledge
    path("pledge/", pledge_views.pledge, name="pledge"),
    path("pledge/invite/", pledge_views.pledge_invite, name="pledge-invite"),
    path(
        "pledge/invitations/<str:token>/",
        pledge_views.pledge_invitation,
        name="pledge-invitation",
    ),
    path("pledge/report/", pledge_views.pledge_report, name="pledge-report"),
    # public: the page an invitation email links to, for people without an account
    path("pledge/take/<str:token>/", pledge_views.pledge_public, name="pledge-public"),
    path(
        "pledge/take/<str:token>/course/",
        pledge_views.pledge_public_course,
        name="pledge-public-course",
    ),
    path(
        "pledge/take/<str:token>/course/<slug:section_code>/",
        pledge_views.pledge_public_course,
        name="pledge-public-section",
    ),
]
