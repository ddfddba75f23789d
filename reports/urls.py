from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.report_index, name="index"),
    path("<str:code>/civic/", views.civic, name="civic"),
    path("<str:code>/civic/export/", views.civic_export, name="civic_export"),
    path("<str:code>/<int:event_id>/", views.readiness, name="readiness"),
    path("<str:code>/<int:event_id>/export/", views.readiness_export, name="export"),
    path("exports/", views.export_list, name="exports"),
    path("exports/<int:pk>/file/", views.export_download, name="export_download"),
]
