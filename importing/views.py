"""The coordinator's plan import: upload, preview beside the original text, resolve, save."""

import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db import DatabaseError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from agencies.models import Agency, AgencyGroup
from plans.models import Plan

from .blocks import Paragraph, UnreadableFile
from .forms import PlanImportForm
from .reading import read_plan_file
from .services import save_import, understand

SESSION_KEY = "plan_import"


def _pending_path(token):
    return Path(settings.MEDIA_ROOT) / "imports-pending" / f"{token}.bin"


@require_http_methods(["GET", "POST"])
@login_required
@permission_required("plans.add_plan", raise_exception=True)
def plan_import(request):
    if request.method == "POST" and request.POST.get("step") == "save":
        return _save(request)
    form = PlanImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data, filename = form.content()
        issuer, parent = form.cleaned_data["issuer"], form.cleaned_data["parent"]
        try:
            understood = understand(data, filename, issuer=issuer, parent_plan=parent)
        except UnreadableFile as error:
            form.add_error(None, error.message)
        else:
            token = uuid.uuid4().hex
            path = _pending_path(token)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            request.session[SESSION_KEY] = {
                "token": token, "filename": filename,
                "issuer": issuer.pk if issuer else None, "parent": parent.pk if parent else None,
            }
            return _preview(request, understood, data, filename)
    return render(request, "importing/upload.html", {"form": form})


def _preview(request, understood, data, filename):
    original = []
    for block in read_plan_file(data, filename):
        if isinstance(block, Paragraph):
            original.append(block.text)
        else:
            original.extend(" | ".join(c.replace("\n", " ") for c in row) for row in block.rows)
    choices = _choices(understood)
    unmatched = [
        {"index": index, "task": number, "role": role, "name": name}
        for index, (number, role, name) in enumerate(understood.unmatched)
    ]
    return render(request, "importing/preview.html", {
        "understood": understood, "parsed": understood.parsed, "original": original,
        "unmatched": unmatched, "choices": choices, "filename": filename,
        "signature": _signature(understood.parsed),
    })


def _signature(parsed):
    """The plan's signer; a plan issued by a decision is often signed on the decision only."""
    if parsed.signature.name or parsed.signature.title_lines or parsed.decision is None:
        return parsed.signature
    return parsed.decision.signature


def _choices(understood):
    agencies = Agency.objects.active().order_by("name")
    groups = AgencyGroup.objects.order_by("name")
    return ([(f"g:{g.pk}", g.name) for g in groups]
            + [(f"a:{a.pk}", a.name) for a in agencies])


def _save(request):
    pending = request.session.get(SESSION_KEY) or {}
    path = _pending_path(pending.get("token", "missing"))
    if not pending or not path.exists():
        messages.error(request, _("The uploaded file is no longer here: upload it again."))
        return redirect("importing:upload")
    data = path.read_bytes()
    issuer = Agency.objects.filter(pk=pending.get("issuer")).first() if pending.get("issuer") \
        else None
    parent = Plan.objects.filter(pk=pending.get("parent")).first() if pending.get("parent") \
        else None
    try:
        understood = understand(data, pending["filename"], issuer=issuer, parent_plan=parent)
        _resolve(understood, request.POST)
        plan = save_import(understood, by=request.user, data=data,
                           filename=pending["filename"])
    except UnreadableFile as error:
        messages.error(request, error.message)
        return redirect("importing:upload")
    except DatabaseError:
        messages.error(request, _("The plan could not be saved; nothing was imported. "
                                  "Try again in a moment."))
        return redirect("importing:upload")
    path.unlink(missing_ok=True)
    del request.session[SESSION_KEY]
    messages.success(request, _("The plan was imported as a draft with %(count)s key tasks.")
                     % {"count": len(understood.tasks)})
    return redirect("plans:detail", pk=plan.pk)


def _resolve(understood, data):
    """Apply the coordinator's choices: an agency or a group for a name, or the text only."""
    agencies = {f"a:{a.pk}": a for a in Agency.objects.active()}
    groups = {f"g:{g.pk}": g for g in AgencyGroup.objects.all()}
    tasks = {task.number: task for task in understood.tasks}
    for index, (number, role, name) in enumerate(understood.unmatched):
        choice = data.get(f"resolve-{index}", "")
        task = tasks[number]
        chosen = agencies.get(choice) or groups.get(choice)
        if chosen is None:
            continue
        if role == "lead":
            target = task.leads if isinstance(chosen, Agency) else task.lead_groups
            task.unmatched_leads.remove(name)
        else:
            target = task.coordinators if isinstance(chosen, Agency) else task.coordinator_groups
            task.unmatched_coordinators.remove(name)
        if chosen not in target:
            target.append(chosen)
