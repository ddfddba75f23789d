from django.urls import path

from . import views

app_name = "commissions"

urlpatterns = [
    path("", views.branch_index, name="branch_index"),
    path("members/<int:pk>/", views.member_detail, name="member_detail"),
    path("<str:code>/", views.commission_detail, name="commission_detail"),
]
