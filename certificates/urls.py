from django.urls import path

from . import views

app_name = "certificates"

urlpatterns = [
    path("verify/", views.verify_lookup, name="verify_lookup"),
    path("verify/<str:code>/", views.verify, name="verify"),
    path("<int:pk>/pdf/", views.download, name="download"),
    path("branch/<str:code>/", views.branch, name="branch"),
    path("archives/<int:pk>/zip/", views.archive_download, name="archive_download"),
]
