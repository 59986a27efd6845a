from django.urls import path

from . import views

app_name = "importing"
urlpatterns = [
    path("plans/import/", views.plan_import, name="upload"),
]
