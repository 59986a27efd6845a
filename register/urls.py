from django.urls import path

from . import views

app_name = "register"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:issuer>/<int:year>/", views.register, name="register"),
    path("<int:issuer>/<int:year>.xlsx", views.register_xlsx, name="xlsx"),
    path("<int:issuer>/<int:year>.pdf", views.register_pdf, name="pdf"),
    path("entries/<int:pk>/", views.edit_entry, name="edit_entry"),
]
