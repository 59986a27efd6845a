"""Importing a plan file: upload, preview beside the original text, resolve, save.

Two pages share the steps: the coordinators' import of any plan, and an agency officer's
import of their agency's own plan for a parent plan that addresses it (the cascade of a
provincial plan), recorded as the agency's submission.
"""

import time
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from agencies.models import Agency, AgencyGroup
from agencies.rules import is_coordinator
from agencies.widgets import pickable_agencies, pickable_groups, province_for
from plans.access import get_plan_for_user
from plans.models import Plan

from .blocks import Paragraph, UnreadableFile
from .forms import AgencyPlanImportForm, PlanImportForm
from .reading import read_plan_file
from .services import new_agency_for, save_import, understand

SESSION_KEY = "plan_import"
PENDING_HOURS = 24
CREATE = "new"  # the choice that creates an agency of the name as written


def _pending_path(token):
    return Path(settings.MEDIA_ROOT) / "imports-pending" / f"{token}.bin"


def _forget_old_uploads(folder):
    """Uploads previewed and never saved are removed after a day."""
    cutoff = time.time() - PENDING_HOURS * 3600
    for path in folder.glob("*.bin"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            pass


@require_http_methods(["GET", "POST"])
@login_required
@permission_required("plans.add_plan", raise_exception=True)
def plan_import(request):
    """A coordinator imports any plan; the issuer is chosen or read from the header."""
    here = reverse("importing:upload")
    if request.method == "POST" and request.POST.get("step") == "save":
        pending = _pending(request, here)
        if pending is None:
            return redirect(here)
        issuer = Agency.objects.filter(pk=pending.get("issuer")).first() \
            if pending.get("issuer") else None
        parent = Plan.objects.filter(pk=pending.get("parent")).first() \
            if pending.get("parent") else None
        return _save(request, pending, issuer=issuer, parent=parent, back=here)
    form = PlanImportForm(
        request.POST or None, request.FILES or None, province=province_for(request.user)
    )
    return _upload(request, form, back=here, context={"back": reverse("plans:list")},
                   issuer=lambda: form.cleaned_data["issuer"],
                   parent=lambda: form.cleaned_data["parent"])


@require_http_methods(["GET", "POST"])
@login_required
def agency_plan_import(request, pk):
    """An agency officer imports their agency's own plan implementing the plan ``pk``."""
    parent = get_plan_for_user(request, pk)
    if not request.user.has_perm("plans.import_agency_plan", parent):
        raise PermissionDenied
    agency = request.user.agency
    here = reverse("importing:agency_upload", kwargs={"pk": parent.pk})
    if request.method == "POST" and request.POST.get("step") == "save":
        pending = _pending(request, here)
        if pending is None:
            return redirect(here)
        # The issuer and the parent plan are the page's, whatever was stored.
        return _save(request, pending, issuer=agency, parent=parent, back=here, submit=True)
    form = AgencyPlanImportForm(request.POST or None, request.FILES or None)
    context = {"back": reverse("plans:detail", kwargs={"pk": parent.pk}), "parent": parent,
               "agency": agency}
    return _upload(request, form, back=here, context=context, issuer=lambda: agency,
                   parent=lambda: parent)


def _refuse_other_province(understood, user):
    """UnreadableFile when the header names an issuer (or its parent body) of another
    province than the user's: a plan is imported by its own province (the user's pages
    would not show it, and another province's rows are not theirs to write)."""
    province = province_for(user)
    if province is None:
        return
    for agency in (understood.issuer, understood.parent_body):
        if isinstance(agency, Agency) and agency.province_id != province.pk:
            raise UnreadableFile(
                _("The document is issued by %(agency)s, of another province than yours: "
                  "it is imported there.") % {"agency": agency.name}
            )


def _upload(request, form, *, back, context, issuer, parent):
    if request.method == "POST" and form.is_valid():
        data, filename = form.content()
        issuer, parent = issuer(), parent()
        try:
            understood = understand(data, filename, issuer=issuer, parent_plan=parent)
            _refuse_other_province(understood, request.user)
        except UnreadableFile as error:
            form.add_error(None, error.message)
        else:
            token = uuid.uuid4().hex
            path = _pending_path(token)
            path.parent.mkdir(parents=True, exist_ok=True)
            _forget_old_uploads(path.parent)
            path.write_bytes(data)
            request.session[SESSION_KEY] = {
                "token": token, "filename": filename, "page": back,
                "issuer": issuer.pk if issuer else None, "parent": parent.pk if parent else None,
            }
            return _preview(request, understood, data, filename, back=back, context=context)
    return render(request, "importing/upload.html", {"form": form, **context})


def _preview(request, understood, data, filename, *, back, context):
    original = []
    for block in read_plan_file(data, filename):
        if isinstance(block, Paragraph):
            original.append(block.text)
        else:
            original.extend(" | ".join(c.replace("\n", " ") for c in row) for row in block.rows)
    unmatched = [
        {"index": index, "task": number, "role": role, "name": name}
        for index, (number, role, name) in enumerate(understood.unmatched)
    ]
    return render(request, "importing/preview.html", {
        **context,
        "understood": understood, "parsed": understood.parsed, "original": original,
        "unmatched": unmatched, "choices": _choices(province_for(request.user)),
        "filename": filename,
        "signature": _signature(understood.parsed), "page": back,
        "can_create": _may_create_agencies(request.user),
        "leftovers": [" ".join(text.split()) for text in understood.parsed.leftovers
                      if text.strip()],
    })


def _may_create_agencies(user):
    """The agency tree is the coordinators'; an officer picks an agency or keeps the text."""
    return is_coordinator(user) and user.agency_id is not None


def _signature(parsed):
    """The plan's signer; a plan issued by a decision is often signed on the decision only."""
    if parsed.signature.name or parsed.signature.title_lines or parsed.decision is None:
        return parsed.signature
    return parsed.decision.signature


def _pickable(province):
    """The active agencies and the groups a name may be resolved to: ``province``'s (every
    province's when None), as the agency picker offers them."""
    return pickable_agencies(province), pickable_groups(province)


def _choices(province):
    agencies, groups = _pickable(province)
    return ([(f"g:{pk}", name) for pk, name in groups.values_list("pk", "name")]
            + [(f"a:{pk}", name) for pk, name in agencies.values_list("pk", "name")])


def _pending(request, page):
    """The upload previewed on this page, or None (with a message) when it is gone."""
    pending = request.session.get(SESSION_KEY) or {}
    if not pending or pending.get("page") != page \
            or not _pending_path(pending.get("token", "missing")).exists():
        messages.error(request, _("The uploaded file is no longer here: upload it again."))
        return None
    return pending


def _save(request, pending, *, issuer, parent, back, submit=False):
    path = _pending_path(pending["token"])
    data = path.read_bytes()
    try:
        understood = understand(data, pending["filename"], issuer=issuer, parent_plan=parent)
        _refuse_other_province(understood, request.user)
        _resolve(understood, request.POST, creating=_may_create_agencies(request.user),
                 user=request.user)
        plan = save_import(understood, by=request.user, data=data,
                           filename=pending["filename"], submit=submit)
    except UnreadableFile as error:
        messages.error(request, error.message)
        return redirect(back)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    except DatabaseError:
        messages.error(request, _("The plan could not be saved; nothing was imported. "
                                  "Try again in a moment."))
        return redirect(back)
    path.unlink(missing_ok=True)
    del request.session[SESSION_KEY]
    count = {"count": len(understood.tasks)}
    if submit:
        messages.success(request, _("Your agency's plan was imported with %(count)s key tasks "
                                    "and submitted.") % count)
    else:
        messages.success(request, _("The plan was imported as a draft with %(count)s key "
                                    "tasks.") % count)
    return redirect("plans:detail", pk=plan.pk)


def _resolve(understood, data, *, creating=False, user=None):
    """Apply the choices made in the preview: an agency or a group for a name, a new agency
    of that name (coordinators), or the text only."""
    offered_agencies, offered_groups = _pickable(province_for(user) if user else None)
    agencies = {f"a:{a.pk}": a for a in offered_agencies}
    groups = {f"g:{g.pk}": g for g in offered_groups}
    tasks = {task.number: task for task in understood.tasks}
    for index, (number, role, name) in enumerate(list(understood.unmatched)):
        choice = data.get(f"resolve-{index}", "")
        task = tasks[number]
        if choice == CREATE and creating:
            chosen = new_agency_for(understood, name, user.agency)
        else:
            chosen = agencies.get(choice) or groups.get(choice)
        if chosen is None:
            continue
        if role == "lead":
            target = task.lead_groups if isinstance(chosen, AgencyGroup) else task.leads
            task.unmatched_leads.remove(name)
        else:
            target = task.coordinator_groups if isinstance(chosen, AgencyGroup) \
                else task.coordinators
            task.unmatched_coordinators.remove(name)
        if chosen not in target:
            target.append(chosen)
