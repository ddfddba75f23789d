from django.urls import path

from . import views

app_name = "courses"

urlpatterns = [
    path("", views.my_training, name="my_training"),
    path("courses/<int:course_id>/join/", views.join, name="join"),
    path(
        "courses/<int:course_id>/lessons/<int:lesson_id>/complete/",
        views.mark_lesson_complete,
        name="lesson_complete",
    ),
]
