from django.urls import path

from . import views

app_name = "tasks"
urlpatterns = [
    path("work/", views.my_work, name="my_work"),
]
