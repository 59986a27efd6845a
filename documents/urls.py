from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("plans/<int:pk>.pdf", views.plan_pdf, name="plan_pdf"),
    path("plans/<int:pk>/preview/", views.plan_preview, name="plan_preview"),
    path("signers/", views.signers, name="signers"),
    path("signers/<int:pk>/", views.signer, name="signer"),
]
