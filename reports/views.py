from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cchc_plans.access import permission_required


@require_GET
@login_required
@permission_required("reports.view_dashboard")
def dashboard(request):
    return render(request, "reports/dashboard.html", {})
