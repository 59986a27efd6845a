from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cchc_plans.access import permission_required


@require_GET
@login_required
@permission_required("tasks.view_own_work")
def my_work(request):
    assignments = request.user.agency.assignments.select_related("task__plan")[:50]
    return render(request, "tasks/my_work.html", {"assignments": assignments})
