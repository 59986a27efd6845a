from django.urls import path

from . import target_views, views

app_name = "plans"
urlpatterns = [
    path("", views.home, name="home"),
    path("plans/", views.plan_list, name="list"),
    path("plans/new/", views.plan_create, name="create"),
    path("plans/<int:pk>/", views.plan_detail, name="detail"),
    path("plans/<int:pk>/history/", views.plan_history, name="history"),
    path("plans/<int:pk>/document/", views.plan_document_file, name="document"),
    path("plans/<int:pk>/edit/<slug:section>/", views.plan_edit_section, name="edit_section"),
    path("plans/<int:pk>/outline/", views.plan_outline, name="outline"),
    path("plans/<int:pk>/issue/", views.plan_issue, name="issue"),
    path("plans/<int:pk>/reopen/", views.plan_reopen, name="reopen"),
    path("plans/<int:pk>/close/", views.plan_close, name="close"),
    path("plans/<int:pk>/submissions/", views.plan_submissions, name="submissions"),
    path("plans/<int:pk>/submissions/remind/", views.plan_remind, name="remind"),
    path("plans/<int:pk>/submit/", views.plan_submit, name="submit"),
    path("plans/<int:pk>/targets/", target_views.plan_targets, name="targets"),
    path(
        "plans/<int:pk>/targets/<int:target_pk>/actuals/new/",
        target_views.target_actual_add,
        name="target_actual_add",
    ),
    path(
        "plans/<int:pk>/actuals/<int:actual_pk>/",
        target_views.target_actual_edit,
        name="target_actual_edit",
    ),
]
