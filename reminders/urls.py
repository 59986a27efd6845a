from django.urls import path

from . import views

app_name = "reminders"

urlpatterns = [
    path("sent/", views.sent, name="sent"),
]
