from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Window
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agencies.widgets import province_for
from cchc_plans.access import get_for_user, permission_required
from cchc_plans.locking import FrozenError, StaleError
from cchc_plans.once import ALREADY_DONE, run_once
from cchc_plans.paging import FirstPageFirstPaginator
from plans import services as plan_services
from plans.access import get_plan_for_user, visible_plans
from plans.models import PlanStatus, ReminderTopic, format_vnd
from plans.reminders import ReminderForm, show_result

from . import cancellations, copying, selectors, services
from .access import (
    get_assignment_for_user,
    get_evidence_for_user,
    get_task_for_user,
    visible_assignments,
    visible_tasks,
)
from .forms import XLSX as XLSX_TYPE
from .forms import (
    CancellationDecisionForm,
    CancellationProposalForm,
    MoveForm,
    ProgressUpdateForm,
    TaskForm,
    measures_for_update_form,
)
from .models import FINISHED, AssignmentRole, CancellationProposal, Status
from .resources import AssignmentResource, TaskResource
from .timeline import resolve_timeline

MY_WORK_PAGE_SIZE = 25
HISTORY_PAGE_SIZE = 20
PLAN_TASKS_PAGE_SIZE = 100


@require_GET
@login_required
@permission_required("tasks.view_own_work")
def my_work(request):
    filterset, assignments = selectors.my_work(request=request)
    page = Paginator(assignments, MY_WORK_PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for assignment in page:
        assignment.days_late, assignment.days_left = selectors.due_state(assignment, today)
    filtered = any(request.GET.get(name) for name in filterset.filters)
    return render(
        request,
        "tasks/my_work.html",
        {"filter": filterset, "page": page, "filtered": filtered},
    )


def _xlsx(dataset, filename):
    # The resources neutralise formulas themselves (SafeSpreadsheetMixin); numbers stay numbers.
    response = HttpResponse(dataset.export("xlsx"), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@require_GET
@login_required
@permission_required("tasks.view_own_work")
def my_work_export(request):
    """The work list as filtered on its page, as a workbook."""
    _filterset, assignments = selectors.my_work(request=request)
    dataset = AssignmentResource().export(queryset=assignments.select_related("task__plan"))
    return _xlsx(dataset, f"viec-cua-don-vi-{slugify(request.user.agency.code)}.xlsx")


@require_GET
@login_required
@permission_required("plans.view_all")
def plan_export(request, plan_pk):
    """A plan's key tasks in the columns of the admin's export, which imports again."""
    plan = get_plan_for_user(request, plan_pk)
    dataset = TaskResource().export(queryset=plan.tasks.order_by("number"))
    name = slugify(plan.document_number or plan.decision_number or str(plan.pk))
    return _xlsx(dataset, f"nhiem-vu-{name}.xlsx")


@require_GET
@login_required
def task_detail(request, pk):
    task = get_task_for_user(
        request, pk, queryset=visible_tasks(request.user).select_related("plan__issuer")
    )
    assignments = list(selectors.task_assignments(task=task))
    lists = selectors.task_lists(task, assignments)
    awaiting = {proposal.assignment_id for proposal in lists.proposals if proposal.is_pending}
    open_task = task.status != Status.CANCELLED and task.plan.status != PlanStatus.CLOSED
    for assignment in assignments:
        assignment.can_post = request.user.has_perm("tasks.post_update", assignment)
        assignment.can_propose_cancellation = (
            open_task and assignment.pk not in awaiting
            and request.user.has_perm("tasks.propose_cancellation", assignment)
        )
    can_remind = (
        task.plan.status == PlanStatus.ISSUED and task.status not in FINISHED
        and request.user.has_perm("tasks.send_reminder", task)
    )
    for assignment in assignments:
        assignment.reminded = lists.reminded.get(assignment.agency_id)
        assignment.can_remind = can_remind and assignment.status not in FINISHED
        assignment.remind_url = reverse("tasks:assignment_remind", args=[assignment.pk])
    updates = selectors.update_history(task=task, assignments=assignments).annotate(
        history_length=Window(Count("pk"))
    )
    history = FirstPageFirstPaginator(
        updates, HISTORY_PAGE_SIZE, count_from="history_length"
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "tasks/task_detail.html",
        {
            "task": task,
            "schedule": selectors.task_schedule_summary(task, lists.checkpoints),
            "leads": [a for a in assignments if a.role == AssignmentRole.LEAD],
            "coordinators": [a for a in assignments if a.role == AssignmentRole.COORDINATOR],
            "lead_groups": lists.lead_groups,
            "history": history,
            "change_sets": selectors.task_history(task=task),
            "budget": format_vnd(task.budget_estimate),
            "days_late": task.days_late(),
            "can_edit": request.user.has_perm("tasks.change_task") and task.plan.is_editable,
            "proposals": lists.proposals,
            "can_decide": request.user.has_perm("tasks.cancel_task", task),
            "remind_form": ReminderForm(auto_id=False) if can_remind else None,
        },
    )


@require_POST
@login_required
def assignment_remind(request, pk):
    """A coordinator reminds the assignment's agency of its part of the task, now."""
    assignment = get_assignment_for_user(
        request, pk, queryset=visible_assignments(request.user).select_related(
            "task__plan", "agency"
        ),
    )
    task = assignment.task
    if not request.user.has_perm("tasks.send_reminder", task):
        raise PermissionDenied
    form = ReminderForm(request.POST)
    if task.plan.status != PlanStatus.ISSUED or task.status in FINISHED or (
        assignment.status in FINISHED
    ):
        messages.error(request, _("This work is finished or not in force: nothing to remind."))
    elif not form.is_valid():
        for error in form.errors.get("message", []):
            messages.error(request, error)
    else:
        result = plan_services.remind(
            plan=task.plan, agencies=[assignment.agency], topic=ReminderTopic.task(task.pk),
            url=reverse("tasks:detail", args=[task.pk]), sent_by=request.user,
            message=form.cleaned_data["message"],
            context={"about": "task", "task": task, "role": assignment.role},
        )
        show_result(request, result)
    return redirect("tasks:detail", pk=task.pk)


@require_http_methods(["GET", "POST"])
@login_required
def post_update(request, pk):
    assignment = get_assignment_for_user(
        request,
        pk,
        write=True,
        queryset=visible_assignments(request.user).select_related("task__plan", "agency"),
    )
    measures = measures_for_update_form()
    may_cancel = request.user.has_perm("tasks.cancel_task", assignment.task)
    channels = selectors.update_channels(assignment=assignment)
    if request.method == "POST":
        form = ProgressUpdateForm(
            request.POST, request.FILES, measures=measures, channels=channels,
            may_cancel=may_cancel,
        )
        if form.is_valid():
            data = form.cleaned_data

            def save():
                services.post_update(
                    assignment=assignment,
                    author=request.user,
                    status=data["status"],
                    percent=data["percent"],
                    narrative=data["narrative"],
                    figures=form.figures(),
                    files=data["files"],
                    links=data["links"],
                )
                return reverse("tasks:detail", args=[assignment.task_id]) + "#history"

            try:
                outcome = run_once(request, save)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    ALREADY_DONE if outcome.repeated else _("Your progress update has been saved."),
                )
                return redirect(outcome.url)
    else:
        form = ProgressUpdateForm(
            measures=measures,
            may_cancel=may_cancel,
            channels=channels,
            initial={"status": assignment.status, "percent": assignment.percent},
        )
    return render(
        request,
        "tasks/post_update.html",
        {"assignment": assignment, "task": assignment.task, "form": form},
    )


@require_http_methods(["GET", "POST"])
@login_required
def propose_cancellation(request, pk):
    """An agency proposes, with its reason, that the coordinators cancel the task."""
    assignment = get_for_user(
        visible_assignments(request.user).select_related("task__plan", "agency"),
        request, pk, True, "tasks.propose_cancellation",
    )
    form = CancellationProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cancellations.propose_cancellation(
                assignment=assignment, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your proposal has been sent to the coordinators."))
            return redirect(reverse("tasks:detail", args=[assignment.task_id]) + "#cancellation")
    return render(
        request,
        "tasks/propose_cancellation.html",
        {"assignment": assignment, "task": assignment.task, "form": form},
    )


@require_POST
@login_required
def decide_cancellation(request, pk):
    """A coordinator confirms (the task is cancelled) or rejects an agency's proposal."""
    proposal = get_for_user(
        CancellationProposal.objects.filter(
            assignment__in=visible_assignments(request.user)
        ).select_related("assignment__task__plan", "assignment__agency"),
        request, pk, True, "tasks.cancel_task",
    )
    task_url = reverse("tasks:detail", args=[proposal.assignment.task_id]) + "#cancellation"
    form = CancellationDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to confirm or to reject the proposal."))
        return redirect(task_url)
    confirm = form.cleaned_data["decision"] == "confirm"
    try:
        cancellations.decide_cancellation(
            proposal=proposal, by=request.user, confirm=confirm,
            comment=form.cleaned_data["comment"],
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The task has been cancelled.") if confirm
                         else _("The proposal has been rejected: the task goes on."))
    return redirect(task_url)


@require_GET
@login_required
def evidence_download(request, pk):
    """Evidence files are served only here, to users who may read the task; never as media."""
    evidence = get_evidence_for_user(request, pk)
    if not evidence.file:
        raise Http404
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.original_name or evidence.file.name.rsplit("/", 1)[-1],
        content_type=evidence.content_type or "application/octet-stream",
    )


def _frozen(request, plan):
    """A plan that is no longer a draft: its tasks are shown, not changed."""
    message = _(
        "This plan has been issued: its key tasks are frozen. It must be reopened before they "
        "can be changed."
    )
    if request.method == "POST":
        messages.error(request, message)
        return redirect("tasks:plan_tasks", plan_pk=plan.pk)
    return render(
        request,
        "tasks/plan_frozen.html",
        {"plan": plan, "message": message},
    )


@require_GET
@login_required
@permission_required("tasks.change_task")
def plan_tasks(request, plan_pk):
    plan = get_plan_for_user(request, plan_pk)
    page = Paginator(selectors.plan_tasks(plan=plan), PLAN_TASKS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for task in page:
        task.leads, task.coordinators = selectors.direct_agencies(task)
    return render(
        request,
        "tasks/plan_tasks.html",
        {"plan": plan, "page": page},
    )


def _task_form_page(request, form, plan, task=None, status=200):
    preview = resolve_timeline(
        form["timeline_text"].value() or "",
        year=plan.period_start_year,
        end_year=plan.period_end_year,
    )
    return render(
        request,
        "tasks/task_form.html",
        {
            "form": form,
            "plan": plan,
            "task": task,
            "preview": selectors.schedule_summary(preview),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@login_required
@permission_required("tasks.change_task")
def task_create(request, plan_pk):
    plan = get_plan_for_user(request, plan_pk)
    if not plan.is_editable:
        return _frozen(request, plan)
    form = TaskForm(
        request.POST if request.method == "POST" else None,
        province=province_for(request.user, plan),
    )
    if form.is_valid():
        try:
            task = services.create_task(plan=plan, **form.service_arguments())
        except FrozenError:
            return _frozen(request, plan)
        messages.success(request, _("Task %(number)s has been added.") % {"number": task.number})
        return redirect(reverse("tasks:plan_tasks", args=[plan.pk]) + f"#task-{task.pk}")
    return _task_form_page(request, form, plan)


@require_http_methods(["GET", "POST"])
@login_required
@permission_required("tasks.change_task")
def task_edit(request, pk):
    task = get_task_for_user(
        request, pk, queryset=visible_tasks(request.user).select_related("plan")
    )
    if not task.plan.is_editable:
        return _frozen(request, task.plan)
    if request.method != "POST":
        form = TaskForm(
            initial=TaskForm.initial_for(task), province=province_for(request.user, task.plan)
        )
        return _task_form_page(request, form, task.plan, task)
    form = TaskForm(request.POST, province=province_for(request.user, task.plan))
    if not form.is_valid():
        return _task_form_page(request, form, task.plan, task)
    version = form.cleaned_data["version"]
    try:
        services.update_task(task=task, version=version, **form.service_arguments())
    except FrozenError:
        return _frozen(request, task.plan)
    except StaleError as error:
        # The first save stands; this user's input is shown again to be re-applied by hand.
        form.add_error(None, error)
        return _task_form_page(request, form, task.plan, task, status=409)
    messages.success(request, _("Task %(number)s has been saved.") % {"number": task.number})
    return redirect(reverse("tasks:plan_tasks", args=[task.plan_id]) + f"#task-{task.pk}")


@require_http_methods(["GET", "POST"])
@login_required
@permission_required("tasks.change_task")
def task_delete(request, pk):
    task = get_task_for_user(
        request, pk, queryset=visible_tasks(request.user).select_related("plan")
    )
    if not task.plan.is_editable:
        return _frozen(request, task.plan)
    if request.method == "POST":
        try:
            services.delete_task(task=task)
        except FrozenError:
            return _frozen(request, task.plan)
        except services.TaskHasProgressError:
            messages.error(
                request,
                _("Task %(number)s has progress updates and cannot be removed.")
                % {"number": task.number},
            )
        else:
            messages.success(
                request, _("Task %(number)s has been removed.") % {"number": task.number}
            )
        return redirect("tasks:plan_tasks", plan_pk=task.plan_id)
    has_progress = selectors.update_history(task=task).exists()
    return render(
        request,
        "tasks/task_confirm_delete.html",
        {"task": task, "plan": task.plan, "has_progress": has_progress},
    )


@require_POST
@login_required
@permission_required("tasks.change_task")
def task_move(request, pk):
    task = get_task_for_user(
        request, pk, queryset=visible_tasks(request.user).select_related("plan")
    )
    if not task.plan.is_editable:
        return _frozen(request, task.plan)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to move the task up or down."))
    else:
        try:
            services.move_task(task=task, direction=form.cleaned_data["direction"])
        except FrozenError:
            return _frozen(request, task.plan)
    return redirect(reverse("tasks:plan_tasks", args=[task.plan_id]) + f"#task-{task.pk}")


@require_GET
@login_required
@permission_required("tasks.change_task")
def timeline_preview(request):
    """JSON for the task form: what the typed timeline phrase resolves to."""
    year = end_year = None
    plan_pk = request.GET.get("plan", "")
    if plan_pk:
        if not (plan_pk.isascii() and plan_pk.isdigit()):
            raise Http404
        plan = get_plan_for_user(request, int(plan_pk))
        year, end_year = plan.period_start_year, plan.period_end_year
    text = request.GET.get("text", "")[:255]
    schedule = resolve_timeline(text, year=year, end_year=end_year)
    return JsonResponse(selectors.schedule_summary(schedule))


@require_http_methods(["GET", "POST"])
@login_required
@permission_required("plans.add_plan")
def copy_plan(request, pk):
    """The copy of a plan to the next year: each year the copy would move on, shown to keep
    or replace (ticked), then the copy saved with the ticked ones."""
    plan = get_plan_for_user(
        request, pk, queryset=visible_plans(request.user).select_related("issuer")
    )
    changes = copying.year_changes(plan)
    digest = copying.changes_digest(changes)
    changed_since = False
    if request.method == "POST":
        if request.POST.get("digest") == digest:
            keys = {change.key for change in changes}
            replace = keys & set(request.POST.getlist("replace"))
            copy = copying.copy_plan_to_next_year(plan=plan, by=request.user, replace=replace)
            messages.success(
                request,
                _("The plan has been copied to %(period)s as a draft with its %(count)s tasks.")
                % {"period": copy.period_label, "count": copy.tasks.count()},
            )
            return redirect("plans:detail", pk=copy.pk)
        # The plan changed after the preview was shown: nothing is copied, look again.
        changed_since = True
    return render(
        request,
        "tasks/copy_plan_confirm.html",
        {
            "plan": plan,
            "task_count": plan.tasks.count(),
            "next_period": f"{plan.period_start_year + 1}"
            if plan.period_start_year == plan.period_end_year
            else f"{plan.period_start_year + 1}–{plan.period_end_year + 1}",
            "changes": changes,
            "digest": digest,
            "changed_since": changed_since,
        },
        status=409 if changed_since else 200,
    )
