from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .models import Plan


@login_required
def home(request):
    plans = Plan.objects.select_related("issuer").order_by("-period_start_year", "-pk")[:20]
    return render(request, "plans/home.html", {"plans": plans})
