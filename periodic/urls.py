from django.urls import path

from . import views

app_name = "periodic"
urlpatterns = [
    path("", views.my_reports, name="my_reports"),
    path(
        "plans/<int:plan_pk>/<int:year>/<str:code>/start/",
        views.report_start,
        name="report_start",
    ),
    path("plans/", views.overview, name="overview"),
    path("plans/<int:plan_pk>/completeness/", views.completeness, name="completeness"),
    path(
        "plans/<int:plan_pk>/completeness/<int:agency_pk>/remind/",
        views.completeness_remind,
        name="completeness_remind",
    ),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>.pdf", views.report_pdf, name="report_pdf"),
    path("reports/<int:pk>/signed/", views.report_signed_copy, name="report_signed_copy"),
    path("reports/<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("reports/<int:pk>/submit/", views.report_submit, name="report_submit"),
    path("reports/<int:pk>/accept/", views.report_accept, name="report_accept"),
    path("reports/<int:pk>/return/", views.report_return, name="report_return"),
]
