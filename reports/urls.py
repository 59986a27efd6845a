from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("plans/<int:pk>/dashboard/", views.plan_dashboard, name="plan_dashboard"),
]
