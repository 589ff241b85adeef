from django.urls import path

from . import queue_views, run_views, views
from .network import map_views
from .network import views as network_views

app_name = "linking"

urlpatterns = [
    path("alerts/", views.alerts, name="alerts"),
    path("alerts/<int:pk>/seen/", views.alert_seen, name="alert-seen"),
    path("entities/<int:pk>/", views.entity, name="entity"),
    path("entities/<int:pk>/merge/", views.entity_merge, name="entity-merge"),
    path("entities/<int:pk>/split/", views.mention_split, name="mention-split"),
    path("suggestions/<int:pk>/decide/", views.suggestion_decide, name="suggestion-decide"),
    path("decisions/<int:pk>/undo/", views.decision_undo, name="decision-undo"),
    # The queue of possible links; a group's address is an entity reference or
    # "mention/<mention id>" (which holds a slash), so "decide/" comes first.
    path("possible/", queue_views.possible, name="possible"),
    path("possible/decide/", queue_views.possible_decide, name="possible-decide"),
    path("possible/<path:ref>/", queue_views.possible_group, name="possible-group"),
    path("runs/", run_views.runs, name="runs"),
    path("runs/<int:pk>/", run_views.run, name="run"),
    path("network/measures/", network_views.measures, name="network-measures"),
    path("network/<str:ref>/", network_views.network, name="network"),
    path("network/<str:ref>/map/", map_views.network_map, name="network-map"),
    path("network/<str:ref>/nodes.csv", network_views.network_nodes_csv, name="network-nodes-csv"),
    path("network/<str:ref>/links.csv", network_views.network_edges_csv, name="network-edges-csv"),
    path("network/<str:ref>/picture.svg", network_views.network_svg, name="network-svg"),
    path("network/<str:ref>/picture.pdf", network_views.network_pdf_file, name="network-pdf"),
    path("network/<str:ref>/picture.png", network_views.network_png_file, name="network-png"),
]
