from django.urls import path

from . import document_views

app_name = "documents"
urlpatterns = [
    path("plans/<int:pk>.pdf", document_views.plan_pdf, name="plan_pdf"),
    path("plans/<int:pk>/preview/", document_views.plan_preview, name="plan_preview"),
]
