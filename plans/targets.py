"""What a plan's targets actually reached, period by period, and which figure counts when.

A coordinator records a target's actual for one reporting period with its source ("PAR INDEX
2022 công bố ngày 16/5/2023"). ``actual_at`` is the one rule every page and document uses:
at a day, a target's actual is the one recorded for the latest period whose data end on or
before that day; of two periods ending together the longer one (the year over its fourth
quarter). A period's report asks at the period's cut-off end, so it shows that period's
figure, or else the latest one known before it: a yearly index stays the actual until the
next one is recorded.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from cchc_plans.locking import StaleError, check_version

from .models import ChangeReason, Target, TargetActual
from .periods import make_period, periods_for_plan

TAKEN_MESSAGE = _(
    "Someone else has just recorded the actual of this period, so yours was not saved. "
    "Reload the page to see it."
)
PERCENT_LIMIT = Decimal(100)


def _order(period):
    return (period.end, -period.start.toordinal())


def period_choices(plan):
    """The periods an actual can be recorded for: those the plan reports on, and each of its
    years (an index such as PAR INDEX is published once a year), in chronological order."""
    periods = {period.key: period for period in periods_for_plan(plan)}
    for year in range(plan.period_start_year, plan.period_end_year + 1):
        periods.setdefault(f"{year}-Y", make_period(year, "Y", due_day=plan.report_due_day))
    return sorted(periods.values(), key=_order)


def period_of_key(plan, key):
    """The period of ``plan`` named by ``key`` ("2022-Y"), or None."""
    return next((period for period in period_choices(plan) if period.key == key), None)


def actual_at(target, day):
    """The ``TargetActual`` that counts for ``target`` at ``day``, or None.

    Reads ``target.actuals.all()``: prefetch it (``with_actuals``) to read many targets in
    one query.
    """
    known = [actual for actual in target.actuals.all() if actual.period.end <= day]
    return max(known, key=lambda actual: _order(actual.period), default=None)


def with_actuals(targets):
    """``targets`` (a queryset) with their actuals, in one more query."""
    return targets.prefetch_related("actuals")


def _check_value(target, value):
    if value is None:
        return
    if value < 0:
        raise ValidationError({"value": _("An actual cannot be negative.")})
    if target.unit == Target.Unit.PERCENT and value > PERCENT_LIMIT:
        raise ValidationError({"value": _("A percentage cannot be over 100.")})
    if target.unit == Target.Unit.RANK and value < 1:
        raise ValidationError({"value": _("A rank starts at 1.")})


def _check_user(user, plan):
    if not user.has_perm("plans.record_target_actual", plan):
        raise PermissionDenied


@transaction.atomic
def save_target_actual(
    *, target, user, period_key, value, source, source_url="", actual=None, version=None
):
    """Record (``actual`` None) or correct the actual of ``target`` for a period of its plan.

    ``version`` is that of ``actual`` when the form was loaded. Raises PermissionDenied for
    anyone but a coordinator, StaleError when someone saved or recorded the same period in
    the meantime, ValidationError (with Vietnamese messages) for bad input. Nothing is saved
    unless everything is valid.
    """
    plan = target.plan
    _check_user(user, plan)
    target = Target.objects.select_for_update().select_related("plan").get(pk=target.pk)
    period = period_of_key(target.plan, period_key)
    if period is None:
        raise ValidationError({"period": _("Choose one of the plan's periods.")})
    same_period = TargetActual.objects.filter(
        target=target, year=period.year, period_code=period.code
    ).first()
    if actual is None:
        if same_period is not None:
            raise StaleError(same_period, TAKEN_MESSAGE)
        current = TargetActual(target=target)
    else:
        current = TargetActual.objects.select_for_update().filter(pk=actual.pk, target=target)
        current = current.first()
        if current is None:
            raise StaleError(None)
        check_version(current, version)
        if same_period is not None and same_period.pk != current.pk:
            raise ValidationError(
                {"period": _("This period already has its actual: correct that one instead.")}
            )
    _check_value(target, value)
    current.year, current.period_code = period.year, period.code
    current.value = value
    current.source = (source or "").strip()
    current.source_url = (source_url or "").strip()
    current.entered_by = user
    current.full_clean()
    if current.pk is not None:
        current.version += 1
    current._change_reason = ChangeReason.ACTUAL
    current.save()
    return current


@transaction.atomic
def delete_target_actual(*, actual, user, version):
    """Remove a recorded actual (entered for the wrong period, say), based on ``version``."""
    _check_user(user, actual.target.plan)
    current = TargetActual.objects.select_for_update().filter(pk=actual.pk).first()
    if current is None:
        raise StaleError(None)
    check_version(current, version)
    current._change_reason = ChangeReason.ACTUAL
    current.delete()
