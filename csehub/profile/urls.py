from django.urls import path

from . import views

app_name = "profile"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("board.csv", views.board_csv, name="board-csv"),
    path("board.pdf", views.board_pdf, name="board-pdf"),
]
