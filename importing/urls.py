from django.urls import path

from . import views

app_name = "importing"
urlpatterns = [
    path("plans/import/", views.plan_import, name="upload"),
    path("plans/<int:pk>/import/", views.agency_plan_import, name="agency_upload"),
]
