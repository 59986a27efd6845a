import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agencies.rules import is_coordinator, reads_everything
from agencies.widgets import province_for
from cchc_plans.access import permission_required
from cchc_plans.locking import FrozenError, StaleError
from signatures.models import SUBMISSION_RULE

from . import outline_services, selectors, services
from .access import get_plan_for_user, visible_plans
from .forms import (
    SECTION_FORMS,
    AgencyPlanSubmissionForm,
    OutlineActionForm,
    OutlineNodeForm,
    PlanHeaderForm,
    VersionForm,
    plan_form_values,
)
from .models import OutlineNode, OutlinePart, PlanSection, PlanStatus, SubmissionState
from .outline_services import MAX_LEVEL
from .reminders import ReminderForm, show_result
from .targets import actual_at

PLANS_PER_PAGE = 25
CHANGE_SETS_PER_PAGE = 20
CHANGE_SETS_ON_PLAN_PAGE = 5
SUBMISSIONS_PER_PAGE = 50
UNSIGNED = "unsigned"  # the submissions filter of agency plans without a valid signature


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
    # Whoever reads every plan picks among their own province's; an officer's own plans are
    # few already (hundreds): read once, their ids serve the count, the page and both
    # dropdowns instead of the visibility union in each.
    if reads_everything(request.user):
        visible, province = visible_plans(request.user), province_for(request.user)
    else:
        visible, province = selectors.read_once(visible_plans(request.user)), None
    filterset = selectors.plan_list(visible=visible, data=request.GET, province=province)
    page = Paginator(filterset.qs, PLANS_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = selectors.page_of_plans(page.object_list)
    filtered = any(value for name, value in request.GET.items() if name != "page")
    return render(
        request,
        "plans/plan_list.html",
        {"filter": filterset, "page": page, "filtered": filtered},
    )


def _document_plan(request, pk):
    queryset = selectors.plan_document(visible_plans(request.user))
    return selectors.load_parts(get_plan_for_user(request, pk, queryset=queryset))


def _plan_actions(request, plan):
    """What the user may do from the plan page."""
    user = request.user
    addressed = {agency.pk for agency in plan.addressed_agencies.all()}
    can_change = user.has_perm("plans.change_plan", plan)
    return {
        "can_edit": can_change and plan.is_editable,
        "can_change": can_change,
        "can_issue": user.has_perm("plans.issue_plan", plan),
        "can_edit_tasks": user.has_perm("tasks.change_task") and plan.is_editable,
        "can_copy": user.has_perm("plans.add_plan"),
        "can_record_actuals": user.has_perm("plans.record_target_actual", plan),
        "can_view_submissions": bool(addressed) and user.has_perm("plans.view_submissions"),
        "can_submit": plan.status == PlanStatus.ISSUED
        and bool(addressed)
        and user.has_perm("plans.submit_agency_plan", plan),
        "can_view_dashboard": user.has_perm("reports.view_dashboard"),
        "can_export_tasks": user.has_perm("plans.view_all"),
        "can_view_summaries": plan.status != PlanStatus.DRAFT
        and user.has_perm("reports.view_summary"),
        "can_view_completeness": plan.status != PlanStatus.DRAFT
        and bool(plan.reporting_periods)
        and user.has_perm("periodic.view_completeness"),
    }


@require_GET
@login_required
def plan_detail(request, pk):
    plan = _document_plan(request, pk)
    today = timezone.localdate()
    for target in plan.targets.all():
        target.current_actual = actual_at(target, today)
    context = {
        "plan": plan,
        "task_rows": selectors.task_rows(plan),
        "content_area_groups": selectors.content_area_groups(plan),
        "change_sets": selectors.recent_change_sets(plan, CHANGE_SETS_ON_PLAN_PAGE),
        "sections": PlanSection,
        **_plan_actions(request, plan),
    }
    return render(request, "plans/plan_detail.html", context)


@require_GET
@login_required
def plan_history(request, pk):
    plan = get_plan_for_user(request, pk)
    page = Paginator(selectors.plan_history(plan), CHANGE_SETS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "plans/plan_history.html", {"plan": plan, "page": page})


@require_GET
@login_required
def plan_document_file(request, pk):
    plan = get_plan_for_user(request, pk)
    if not plan.document_file:
        raise Http404
    try:
        handle = plan.document_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle, as_attachment=True, filename=os.path.basename(plan.document_file.name)
    )


@require_http_methods(["GET", "POST"])
@login_required
@permission_required("plans.add_plan")
def plan_create(request):
    form = PlanHeaderForm(request.POST or None, province=province_for(request.user))
    if request.method == "POST" and form.is_valid():
        fields, m2m = plan_form_values(form)
        try:
            plan = services.create_plan(created_by=request.user, fields=fields, **m2m)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The plan was created as a draft. Fill in its other sections.")
            )
            return redirect("plans:detail", pk=plan.pk)
    return render(request, "plans/plan_create.html", {"form": form})


def _section_forms(section, plan, user, data=None):
    form_class, formset_class, _related_name = SECTION_FORMS[section]
    form = formset = None
    if form_class:
        form = form_class(data, instance=plan, coordinator=is_coordinator(user))
    if formset_class:
        formset = formset_class(data, instance=plan, prefix="parts")
    return form, formset


@require_http_methods(["GET", "POST"])
@login_required
def plan_edit_section(request, pk, section):
    if section not in PlanSection.values:
        raise Http404
    section = PlanSection(section)
    plan = get_plan_for_user(request, pk, write=True)
    data = request.POST if request.method == "POST" else None
    form, formset = _section_forms(section, plan, request.user, data)
    version_form = VersionForm(data, initial={"version": plan.version})
    context = {
        "plan": plan,
        "section": section,
        "sections": PlanSection,
        "form": form,
        "formset": formset,
        "version_form": version_form,
    }
    if not plan.is_editable:
        # Frozen: nothing is saved; what was typed is shown back so that it is not lost.
        context["frozen"] = True
        return render(
            request, "plans/plan_edit.html", context, status=403 if data is not None else 200
        )
    if data is None:
        return render(request, "plans/plan_edit.html", context)

    valid = [f.is_valid() for f in (form, formset) if f is not None]
    if not version_form.is_valid():
        # A form without its version cannot prove it saw the latest edit.
        context["conflict"] = plan
        context["version_form"] = VersionForm(initial={"version": plan.version})
        return render(request, "plans/plan_edit.html", context, status=409)
    if not all(valid):
        return render(request, "plans/plan_edit.html", context)

    fields, m2m = plan_form_values(form) if form else ({}, {})
    parts = (SECTION_FORMS[section][2], formset.rows()) if formset else None
    try:
        _saved, changed = services.edit_plan_section(
            plan=plan,
            version=version_form.cleaned_data["version"],
            section=section,
            fields=fields,
            m2m=m2m,
            parts=parts,
        )
    except StaleError as error:
        context["conflict"] = error.current
        context["latest_change"] = error.current.history.select_related("history_user").first()
        # Saving again now is a deliberate choice to replace the newer version.
        context["version_form"] = VersionForm(initial={"version": error.current.version})
        return render(request, "plans/plan_edit.html", context, status=409)
    except FrozenError:
        context["frozen"] = True
        return render(request, "plans/plan_edit.html", context, status=403)
    except ValidationError as error:
        (form or formset.forms[0]).add_error(None, error)
        return render(request, "plans/plan_edit.html", context)
    if changed:
        messages.success(request, _("%(section)s saved.") % {"section": section.label})
    else:
        messages.info(request, _("Nothing had changed; nothing was saved."))
    return redirect(reverse("plans:detail", args=[plan.pk]) + f"#{section.value}")


def _transition(request, pk, service, done_message, **kwargs):
    plan = get_plan_for_user(request, pk)
    if not request.user.has_perm("plans.issue_plan", plan):
        raise PermissionDenied
    try:
        result = service(plan=plan, **kwargs)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except services.TransitionError:
        messages.error(
            request,
            _("This cannot be done while the plan is %(status)s.")
            % {"status": plan.get_status_display().lower()},
        )
    else:
        messages.success(request, done_message(result) if callable(done_message) else done_message)
    return redirect("plans:detail", pk=plan.pk)


@require_POST
@login_required
def plan_issue(request, pk):
    return _transition(
        request,
        pk,
        services.issue_plan,
        lambda plan: _(
            "The plan is issued with number %(number)s. Its content and tasks are frozen "
            "until it is reopened."
        ) % {"number": plan.decision_number if plan.has_decision else plan.document_number},
        user=request.user,
    )


@require_POST
@login_required
def plan_reopen(request, pk):
    return _transition(
        request, pk, services.reopen_plan, _("The plan is a draft again and can be edited.")
    )


@require_POST
@login_required
def plan_close(request, pk):
    return _transition(request, pk, services.close_plan, _("The plan is closed."))


@require_GET
@login_required
def plan_submissions(request, pk):
    plan = get_plan_for_user(request, pk)
    if not request.user.has_perm("plans.view_submissions", plan):
        raise PermissionDenied
    all_rows = rows = selectors.submission_rows(plan)
    counts = selectors.submission_counts(rows)
    state = request.GET.get("state")
    if state in SubmissionState.values:
        rows = [row for row in rows if row.state == state]
    elif state == UNSIGNED:
        rows = [row for row in rows if row.submitted and not row.signed]
    else:
        state = ""
    page = Paginator(rows, SUBMISSIONS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "plan": plan,
        "page": page,
        "counts": counts,
        "state": state,
        "states": SubmissionState,
        "not_submitted": counts[SubmissionState.MISSING] + counts[SubmissionState.PENDING],
        "can_remind": request.user.has_perm("plans.send_reminder", plan),
        "remind_form": ReminderForm(),
        "unsigned": sum(row.submitted and not row.signed for row in all_rows),
        "submission_rule": SUBMISSION_RULE,
    }
    return render(request, "plans/plan_submissions.html", context)


@require_POST
@login_required
def plan_remind(request, pk):
    plan = get_plan_for_user(request, pk)
    if not request.user.has_perm("plans.send_reminder", plan):
        raise PermissionDenied
    form = ReminderForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("message", []):
            messages.error(request, error)
        return redirect("plans:submissions", pk=plan.pk)
    result = services.send_reminders(
        plan=plan, sent_by=request.user, message=form.cleaned_data["message"]
    )
    if not (result.sent or result.refused):
        messages.info(request, _("Every agency has submitted its plan: nobody to remind."))
    show_result(request, result)
    return redirect("plans:submissions", pk=plan.pk)


@require_http_methods(["GET", "POST"])
@login_required
def plan_submit(request, pk):
    """An agency officer submits their agency's own plan for the parent plan ``pk``."""
    parent = get_plan_for_user(request, pk)
    if not request.user.has_perm("plans.submit_agency_plan", parent):
        raise PermissionDenied
    on_behalf = is_coordinator(request.user)
    agency = None if on_behalf else request.user.agency
    form = AgencyPlanSubmissionForm(
        request.POST or None, request.FILES or None, parent=parent, agency=agency
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.submit_agency_plan(
                parent=parent,
                agency=data["agency"] if on_behalf else agency,
                created_by=request.user,
                title=data["title"],
                document_number=data["document_number"],
                issued_on=data["issued_on"],
                document_file=data["document_file"],
                submitted_at=services.received_at(data["received_on"]) if on_behalf else None,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The agency plan was submitted."))
            return redirect("plans:detail", pk=plan.pk)
    earlier = []
    if agency is not None:
        earlier = list(
            parent.children.filter(issuer=agency, submitted_at__isnull=False).order_by(
                "submitted_at"
            )
        )
    return render(
        request,
        "plans/plan_submit.html",
        {"parent": parent, "form": form, "agency": agency, "earlier": earlier},
    )


def _outline_context(plan, **extra):
    nodes = list(plan.outline_nodes.order_by("part", "position", "pk"))
    parts = [
        {"value": value, "label": label, "nodes": [n for n in nodes if n.part == value]}
        for value, label in OutlinePart.choices
    ]
    return {"plan": plan, "parts": parts, "max_level": MAX_LEVEL, "editable": plan.is_editable,
            **extra}


def _outline_node(plan, pk):
    try:
        return plan.outline_nodes.get(pk=int(pk))
    except (TypeError, ValueError, OverflowError, OutlineNode.DoesNotExist):
        return None


OUTLINE_ACTIONS = {
    "up": lambda plan, version, node: outline_services.move_node(
        plan=plan, version=version, node=node, direction=-1),
    "down": lambda plan, version, node: outline_services.move_node(
        plan=plan, version=version, node=node, direction=1),
    "indent": lambda plan, version, node: outline_services.relevel_node(
        plan=plan, version=version, node=node, by=1),
    "outdent": lambda plan, version, node: outline_services.relevel_node(
        plan=plan, version=version, node=node, by=-1),
    "remove": lambda plan, version, node: outline_services.remove_node(
        plan=plan, version=version, node=node),
}


@require_http_methods(["GET", "POST"])
@login_required
def plan_outline(request, pk):
    """The plan's text node by node: move, re-level, remove, edit in place, add."""
    plan = get_plan_for_user(request, pk, write=True)
    url = reverse("plans:outline", args=[plan.pk])
    if request.method == "GET":
        node = _outline_node(plan, request.GET.get("edit"))
        after = _outline_node(plan, request.GET.get("add"))
        start = request.GET.get("start")
        context = _outline_context(plan)
        if plan.is_editable and node is not None:
            context.update(form=OutlineNodeForm(instance=node, plan=plan), form_node=node)
        elif plan.is_editable and (after is not None or start in OutlinePart.values):
            context.update(form=OutlineNodeForm(plan=plan), adding=after or start)
        return render(request, "plans/plan_outline.html", context)

    if not plan.is_editable:
        context = _outline_context(plan, frozen=True)
        return render(request, "plans/plan_outline.html", context, status=403)
    if "action" in request.POST:
        action = OutlineActionForm(request.POST)
        node = _outline_node(plan, request.POST.get("node"))
        if not action.is_valid() or node is None:
            messages.error(request, _("That part of the outline no longer exists."))
            return redirect(url)
        try:
            OUTLINE_ACTIONS[action.cleaned_data["action"]](
                plan, action.cleaned_data["version"], node)
        except StaleError:
            messages.error(request, _("The plan changed after you opened this page: nothing "
                                      "was changed. The current outline is shown."))
            return redirect(url)
        messages.success(request, _("Outline saved."))
        return redirect(f"{url}#node-{node.pk}")

    node = _outline_node(plan, request.POST.get("node"))
    after = _outline_node(plan, request.POST.get("after"))
    part = request.POST.get("part")
    form = OutlineNodeForm(request.POST, instance=node, plan=plan)
    version_form = VersionForm(request.POST)
    context = _outline_context(plan, form=form, form_node=node, adding=after or part)
    if node is None and part not in OutlinePart.values:
        messages.error(request, _("That part of the outline no longer exists."))
        return redirect(url)
    if not version_form.is_valid() or not form.is_valid():
        if not version_form.is_valid():
            context["conflict"] = True
        return render(request, "plans/plan_outline.html", context,
                      status=409 if context.get("conflict") else 200)
    fields = dict(form.cleaned_data)
    version = version_form.cleaned_data["version"]
    try:
        if node is not None:
            _plan, node = outline_services.edit_node(
                plan=plan, version=version, node=node, fields=fields)
        else:
            _plan, node = outline_services.add_node(
                plan=plan, version=version, part=part, after=after, fields=fields)
    except StaleError:
        context["conflict"] = True
        return render(request, "plans/plan_outline.html", context, status=409)
    except ValidationError as error:
        form.add_error(None, error)
        return render(request, "plans/plan_outline.html", context)
    messages.success(request, _("Outline saved."))
    return redirect(f"{url}#node-{node.pk}")
