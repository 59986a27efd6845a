from django.urls import path

from . import summary_views as views

app_name = "leadership"
urlpatterns = [
    path("", views.index, name="index"),
    path("plans/<int:pk>/", views.reports, name="reports"),
    path("plans/<int:pk>/generate/", views.generate, name="generate"),
    path("plans/<int:pk>/<int:year>/<str:code>/", views.report, name="report"),
    path("plans/<int:pk>/<int:year>/<str:code>/preview/", views.preview, name="preview"),
    path("plans/<int:pk>/<int:year>/<str:code>/text/", views.save_text, name="text"),
    path("plans/<int:pk>/<int:year>/<str:code>/issue/", views.issue, name="issue"),
    path("files/<int:pk>/", views.generated, name="generated"),
    path("files/<int:pk>/status.json", views.status, name="status"),
    path("files/<int:pk>/download/", views.download, name="download"),
    path("files/<int:pk>/unsigned/", views.download_draft, name="download_draft"),
]
