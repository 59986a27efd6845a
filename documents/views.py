"""Documents as PDF: the plan with its appendix of key tasks, and its HTML preview; the
signer of each issuing agency."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from agencies.models import Agency
from agencies.provinces import in_users_province
from cchc_plans.access import permission_required
from plans.access import get_plan_for_user, visible_plans

from . import services
from .models import IssuerSigner
from .pdf import Signature, render_pdf
from .plan import PLAN_TEMPLATE, plan_document, plan_document_queryset, plan_filename


def _plan(request, pk):
    queryset = plan_document_queryset(visible_plans(request.user))
    return get_plan_for_user(request, pk, queryset=queryset)


@require_GET
@login_required
def plan_pdf(request, pk):
    plan = _plan(request, pk)
    response = HttpResponse(
        render_pdf(PLAN_TEMPLATE, plan_document(plan)), content_type="application/pdf"
    )
    response["Content-Disposition"] = content_disposition_header(False, plan_filename(plan))
    return response


@require_GET
@login_required
def plan_preview(request, pk):
    plan = _plan(request, pk)
    return render(request, PLAN_TEMPLATE, plan_document(plan))


# ---------------------------------------------------------------------------------------------
# The signer of each issuing agency


SEARCH_CHARS = 100


class SignerSearchForm(forms.Form):
    # A form field: the text is cleaned as every form's is (cchc_plans.text) and a NUL,
    # which PostgreSQL refuses, is refused with a message.
    q = forms.CharField(
        label=gettext_lazy("Agency"), required=False, max_length=SEARCH_CHARS,
        widget=forms.TextInput(attrs={"type": "search"}),
    )


class SignerForm(forms.Form):
    authority = forms.CharField(
        label=gettext_lazy("Signing authority"),
        max_length=120,
        required=False,
        help_text=gettext_lazy("First line, e.g. KT. GIÁM ĐỐC (empty when the head signs)"),
    )
    title = forms.CharField(
        label=gettext_lazy("Signer's title"),
        max_length=120,
        required=False,
        help_text=gettext_lazy("Second line, e.g. PHÓ GIÁM ĐỐC"),
    )
    name = forms.CharField(label=gettext_lazy("Signer's name"), max_length=120, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


SIGNERS_PER_PAGE = 50


def issuing_agencies(user):
    """Agencies whose documents this application prints: plan issuers, the Sở Nội vụ of each
    province (the summary reports' issuer) and any agency given a signer; only those of
    ``user``'s province (every province's for a national user)."""
    return in_users_province(
        Agency.objects.filter(
            Q(issued_plans__isnull=False)
            | Q(signer__isnull=False)
            | Q(name__startswith="Sở Nội vụ")
        )
        .filter(dissolved_on__isnull=True)
        .select_related("signer")
        .distinct()
        .order_by("name"),
        user,
    )


@require_GET
@login_required
@permission_required("documents.view_signer")
def signers(request):
    """Every issuing agency with who signs its documents, by name, a page at a time (a
    national user's are thousands), found by a part of the name with or without accents."""
    form = SignerSearchForm(request.GET)
    # A query the form refuses (a NUL, over 100 characters) is said, and nothing is filtered.
    query = form.cleaned_data["q"] if form.is_valid() else ""
    agencies = issuing_agencies(request.user)
    if query:
        agencies = agencies.search(query)
    page = Paginator(agencies, SIGNERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request, "documents/signers.html",
        {"page": page, "q": query, "form": form, "filtered": bool(request.GET.get("q"))},
    )


@login_required
@permission_required("documents.view_signer")
def signer(request, pk):
    """Set who signs an agency's documents by default (coordinators)."""
    agency = get_object_or_404(issuing_agencies(request.user), pk=pk)
    current = IssuerSigner.objects.filter(agency=agency).first()
    writes = request.user.has_perm("documents.change_signer")
    status = 200
    if request.method == "POST":
        if not writes:
            raise PermissionDenied
        form = SignerForm(request.POST)
        if form.is_valid():
            try:
                services.save_signer(
                    agency=agency,
                    user=request.user,
                    authority=form.cleaned_data["authority"],
                    title=form.cleaned_data["title"],
                    name=form.cleaned_data["name"],
                    version=form.cleaned_data["version"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The signer is saved."))
                back = request.POST.get("next", "")
                if back and url_has_allowed_host_and_scheme(
                    back, allowed_hosts={request.get_host()}
                ):
                    return redirect(back)
                return redirect("documents:signers")
        status = 400
    else:
        form = SignerForm(initial={
            "authority": current.authority if current else "",
            "title": current.title if current else "",
            "name": current.name if current else "",
            "version": current.version if current else None,
        })
    return render(
        request,
        "documents/signer.html",
        {
            "agency": agency,
            "form": form,
            "writes": writes,
            "next": request.GET.get("next", ""),
            "preview": Signature(authority=form["authority"].value() or "",
                                 title=form["title"].value() or "",
                                 name=form["name"].value() or ""),
        },
        status=status,
    )
