"""Import and export buttons of the agency and key-task admin lists.

Who may: import needs the model's add and change permissions, export its view permission,
asked of the ``ModelAdmin`` like every other admin page (``request.user.has_perm`` through
``has_add_permission``/``has_change_permission``/``has_view_permission``), so the project's
rules decide, for superusers too.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from import_export.admin import ExportMixin, ImportMixin
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import ExportForm

from cchc_plans.spreadsheets import MAX_COLUMNS, Limits, SpreadsheetError, check_upload

from . import jobs
from .models import ImportJob, ImportStatus

PROBLEMS_PER_PAGE = 100
REFRESH_SECONDS = 2


class ImportFileForm(forms.Form):
    import_file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("An Excel workbook (.xlsx) or a CSV file (.csv)."),
    )

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        try:
            self.format = check_upload(upload)
        except SpreadsheetError as error:
            raise ValidationError(error.message) from None
        return upload


class SpreadsheetAdminMixin(ImportMixin, ExportMixin):
    """Import through a checked preview, in the background for a big file; export as xlsx or
    csv (UTF-8 with BOM, which Excel reads with its diacritics)."""

    import_export_change_list_template = "admin/import_export/change_list_import_export.html"
    formats = [XLSX, CSV]
    to_encoding = "utf-8-sig"
    import_template_name = "admin/imports/upload.html"
    # Every column, always: a file with some columns left out would not import again.
    export_form_class = ExportForm
    export_template_name = "admin/imports/export.html"

    # Permissions -----------------------------------------------------------------------------

    def has_import_permission(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    # Pages ------------------------------------------------------------------------------------

    def get_urls(self):
        prefix = "{}_{}".format(*self.get_model_info())
        wrap = self.admin_site.admin_view
        own = [
            path("import/<int:job_pk>/", wrap(self.import_job_view),
                 name=f"{prefix}_import_job"),
            path("import/<int:job_pk>/confirm/", wrap(self.import_confirm_view),
                 name=f"{prefix}_import_confirm"),
            path("import/<int:job_pk>/cancel/", wrap(self.import_cancel_view),
                 name=f"{prefix}_import_cancel"),
        ]
        # The library's one-request confirmation step is replaced by the job pages.
        process = f"{prefix}_process_import"
        return own + [url for url in super().get_urls() if getattr(url, "name", "") != process]

    def _resource_class(self, request):
        return self.get_import_resource_classes(request)[0]

    def _url(self, name, *args):
        info = self.get_model_info()
        return reverse(f"admin:{info[0]}_{info[1]}_{name}", args=args,
                       current_app=self.admin_site.name)

    def _context(self, request, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "has_view_permission": self.has_view_permission(request),
            **extra,
        }

    def _get_job(self, request, job_pk):
        if not self.has_import_permission(request):
            raise PermissionDenied
        return get_object_or_404(
            ImportJob, pk=job_pk, user=request.user,
            resource=jobs.resource_path(self._resource_class(request)),
        )

    def import_action(self, request, **kwargs):
        if not self.has_import_permission(request):
            raise PermissionDenied
        resource_class = self._resource_class(request)
        form = ImportFileForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            job = jobs.start_import(
                upload=form.cleaned_data["import_file"], fmt=form.format,
                resource_class=resource_class, user=request.user, language=get_language(),
            )
            return redirect(self._url("import_job", job.pk))
        resource = resource_class()
        context = self._context(
            request,
            title=_("Import %(things)s") % {"things": self.model._meta.verbose_name_plural},
            form=form,
            columns=[str(field.column_name) for field in resource.get_user_visible_fields()],
            required=[resource.column(name) for name in resource.required_columns],
            limits=Limits.from_settings(),
            max_columns=MAX_COLUMNS,
            recent=ImportJob.objects.filter(
                user=request.user, resource=jobs.resource_path(resource_class)
            )[:10],
            job_url_name="admin:{}_{}_import_job".format(*self.get_model_info()),
        )
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.import_template_name, context)

    def import_job_view(self, request, job_pk):
        job = jobs.notice_stale(self._get_job(request, job_pk))
        problems = Paginator(job.problems, PROBLEMS_PER_PAGE).get_page(request.GET.get("page"))
        context = self._context(
            request,
            title=_("Import of %(name)s") % {"name": job.original_name},
            job=job,
            problems=problems,
            refresh_seconds=REFRESH_SECONDS if job.is_running else None,
            waiting=job.status in (ImportStatus.QUEUED, ImportStatus.CONFIRMED),
            show_counts=job.status in (ImportStatus.CHECKED, ImportStatus.DONE)
            or (job.status == ImportStatus.REJECTED and job.problems),
            writing=job.status == ImportStatus.IMPORTING and job.rows_total
            and job.rows_done >= job.rows_total,
            confirm_url=self._url("import_confirm", job.pk),
            cancel_url=self._url("import_cancel", job.pk),
            import_url=self._url("import"),
            changelist_url=self._url("changelist"),
            inline_max_bytes=settings.IMPORT_INLINE_MAX_BYTES,
        )
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/imports/job.html", context)

    def import_confirm_view(self, request, job_pk):
        return require_POST(self._confirm)(request, job_pk)

    def _confirm(self, request, job_pk):
        job = self._get_job(request, job_pk)
        if not jobs.confirm_import(job=job):
            messages.warning(request, _("This file is not waiting for a confirmation."))
        return redirect(self._url("import_job", job.pk))

    def import_cancel_view(self, request, job_pk):
        return require_POST(self._cancel)(request, job_pk)

    def _cancel(self, request, job_pk):
        job = self._get_job(request, job_pk)
        if jobs.cancel_import(job=job):
            messages.info(request, _("The file has been dropped; nothing was imported."))
        return redirect(self._url("import"))


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Read-only: every import and its outcome, for the administrators."""

    list_display = ["original_name", "resource", "user", "status", "rows_total", "new",
                    "updated", "created_at", "finished_at"]
    list_filter = ["status", "resource"]
    list_select_related = ["user"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in ImportJob._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
