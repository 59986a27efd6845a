from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from cchc_plans.access import visible_plans


@require_GET
@login_required
def home(request):
    """Each role starts where its work is."""
    if request.user.has_perm("tasks.view_own_work"):
        return redirect("tasks:my_work")
    if request.user.has_perm("reports.view_dashboard") and not request.user.has_perm(
        "plans.add_plan"
    ):
        return redirect("reports:dashboard")
    return redirect("plans:list")


@require_GET
@login_required
def plan_list(request):
    plans = visible_plans(request.user).select_related("issuer")[:50]
    return render(request, "plans/plan_list.html", {"plans": plans})
