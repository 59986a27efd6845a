from django.urls import path

from . import views

app_name = "tasks"
urlpatterns = [
    path("work/", views.my_work, name="my_work"),
    path("work/export.xlsx", views.my_work_export, name="my_work_export"),
    path("<int:pk>/", views.task_detail, name="detail"),
    path("<int:pk>/edit/", views.task_edit, name="task_edit"),
    path("<int:pk>/delete/", views.task_delete, name="task_delete"),
    path("<int:pk>/move/", views.task_move, name="task_move"),
    path("assignments/<int:pk>/update/", views.post_update, name="post_update"),
    path("assignments/<int:pk>/remind/", views.assignment_remind, name="assignment_remind"),
    path("assignments/<int:pk>/propose-cancellation/", views.propose_cancellation,
         name="propose_cancellation"),
    path("cancellations/<int:pk>/decide/", views.decide_cancellation,
         name="decide_cancellation"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("plans/<int:plan_pk>/", views.plan_tasks, name="plan_tasks"),
    path("plans/<int:plan_pk>/export.xlsx", views.plan_export, name="plan_export"),
    path("plans/<int:plan_pk>/add/", views.task_create, name="task_create"),
    path("plans/<int:pk>/copy/", views.copy_plan, name="copy_plan"),
    path("timeline-preview/", views.timeline_preview, name="timeline_preview"),
]
