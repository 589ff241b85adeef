from django.urls import path

from . import panel_views, views

app_name = "mace"

urlpatterns = [
    path("list/", views.listings, name="list"),
    path("list/add/<int:entity_pk>/", views.listing_add, name="listing-add"),
    path("list/<int:pk>/remove/", views.listing_remove, name="listing-remove"),
    # The panel
    path("panel/", panel_views.meetings, name="meetings"),
    path("panel/new/", panel_views.panel_create, name="panel-create"),
    path("panel/<int:pk>/members/", panel_views.members, name="members"),
    path("panel/members/<int:pk>/end/", panel_views.member_end, name="member-end"),
    path("panel/<int:pk>/meetings/new/", panel_views.meeting_create, name="meeting-create"),
    path("panel/meetings/<int:pk>/", panel_views.meeting, name="meeting"),
    path("panel/meetings/<int:pk>/mace-list/", panel_views.meeting_listing, name="meeting-listing"),
    path("panel/items/<int:pk>/record/", panel_views.item_record, name="item-record"),
    path("panel/items/<int:pk>/action/", panel_views.action_agree, name="action-agree"),
    path("panel/actions/<int:pk>/close/", panel_views.action_close, name="action-close"),
]
