"""The pages of a plan's targets: their actuals period by period, and the form a coordinator
records one with (``plans.targets`` saves)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cchc_plans.locking import StaleError

from . import targets as target_services
from .access import get_plan_for_user, visible_plans
from .forms import TargetActualForm, VersionForm
from .models import Target, TargetActual


def _plan_with_targets(request, pk):
    actuals = TargetActual.objects.select_related("entered_by")
    queryset = visible_plans(request.user).prefetch_related(
        Prefetch(
            "targets",
            queryset=Target.objects.prefetch_related(Prefetch("actuals", queryset=actuals)),
        )
    )
    return get_plan_for_user(request, pk, queryset=queryset)


@require_GET
@login_required
def plan_targets(request, pk):
    """Each target with its actuals, latest period first, and the one that counts today."""
    plan = _plan_with_targets(request, pk)
    today = timezone.localdate()
    rows = []
    for target in plan.targets.all():
        actuals = sorted(
            target.actuals.all(),
            key=lambda actual: (actual.period.end, -actual.period.start.toordinal()),
            reverse=True,
        )
        rows.append(
            {
                "target": target,
                "actuals": actuals,
                "current": target_services.actual_at(target, today),
            }
        )
    return render(
        request,
        "plans/plan_targets.html",
        {
            "plan": plan,
            "rows": rows,
            "can_record": request.user.has_perm("plans.record_target_actual", plan),
        },
    )


def _writable_plan(request, pk):
    plan = get_plan_for_user(request, pk)
    if not request.user.has_perm("plans.record_target_actual", plan):
        raise PermissionDenied
    return plan


def _render_form(request, plan, target, form, actual=None, version_form=None, status=200, **extra):
    return render(
        request,
        "plans/target_actual.html",
        {
            "plan": plan,
            "target": target,
            "actual": actual,
            "form": form,
            "version_form": version_form,
            **extra,
        },
        status=status,
    )


def _save(request, plan, target, actual=None):
    periods = target_services.period_choices(plan)
    data = request.POST if request.method == "POST" else None
    initial = {}
    if actual is not None:
        initial = {
            "period": actual.period.key,
            "value": actual.value,
            "source": actual.source,
            "source_url": actual.source_url,
        }
    else:
        current = target_services.period_of_key(plan, request.GET.get("period", ""))
        if current is not None:
            initial = {"period": current.key}
    form = TargetActualForm(data, initial=initial, periods=periods)
    version_form = None
    if actual is not None:
        version_form = VersionForm(data, initial={"version": actual.version})
    if data is None:
        return _render_form(request, plan, target, form, actual, version_form)
    if version_form is not None and not version_form.is_valid():
        return _render_form(
            request,
            plan,
            target,
            form,
            actual,
            VersionForm(initial={"version": actual.version}),
            status=409,
            conflict=True,
        )
    version = version_form.cleaned_data["version"] if version_form else None
    if actual is not None and "delete" in request.POST:
        try:
            target_services.delete_target_actual(actual=actual, user=request.user, version=version)
        except StaleError:
            return _render_form(
                request, plan, target, form, actual, version_form, status=409, conflict=True
            )
        messages.success(request, _("The actual was removed."))
        return redirect("plans:targets", pk=plan.pk)
    if not form.is_valid():
        return _render_form(request, plan, target, form, actual, version_form)
    data = form.cleaned_data
    try:
        target_services.save_target_actual(
            target=target,
            user=request.user,
            period_key=data["period"],
            value=data["value"],
            source=data["source"],
            source_url=data["source_url"],
            actual=actual,
            version=version,
        )
    except StaleError as error:
        form.add_error(None, error)
        return _render_form(
            request, plan, target, form, actual, version_form, status=409, conflict=True
        )
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            form.add_error(None, error)
        return _render_form(request, plan, target, form, actual, version_form)
    messages.success(
        request, _("The actual of %(indicator)s was saved.") % {"indicator": target.indicator}
    )
    return redirect("plans:targets", pk=plan.pk)


@require_http_methods(["GET", "POST"])
@login_required
def target_actual_add(request, pk, target_pk):
    plan = _writable_plan(request, pk)
    target = plan.targets.filter(pk=target_pk).first()
    if target is None:
        raise Http404
    return _save(request, plan, target)


@require_http_methods(["GET", "POST"])
@login_required
def target_actual_edit(request, pk, actual_pk):
    plan = _writable_plan(request, pk)
    actual = (
        TargetActual.objects.select_related("target")
        .filter(pk=actual_pk, target__plan=plan)
        .first()
    )
    if actual is None:
        raise Http404
    return _save(request, plan, actual.target, actual)
