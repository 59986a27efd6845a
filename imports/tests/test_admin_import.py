"""Import and export from the admin lists: who may, the checked preview, the background
worker and its progress page, and files that are refused or fail, losing nothing."""

import datetime
import io
import re
from io import StringIO

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from agencies.models import Agency
from imports.models import ImportJob, ImportStatus
from tasks.models import Assignment, Task
from tasks.resources import TaskResource
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
TASKS_IMPORT = reverse("admin:tasks_task_import")
AGENCIES_IMPORT = reverse("admin:agencies_agency_import")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def staff(username, *perms, **extra):
    """A staff account with exactly the given model permissions (``app.codename``)."""
    user = UserFactory(username=username, role="admin", is_staff=True, **extra)
    for perm in perms:
        app_label, codename = perm.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return user


@pytest.fixture
def importer(client, home_affairs):
    user = staff("nhapdulieu", "tasks.add_task", "tasks.change_task", "tasks.view_task",
                 agency=home_affairs)
    client.force_login(user)
    return user


@pytest.fixture
def draft(plan):
    plan.decision_number = "286/QĐ-UBND"
    plan.save()
    return plan


def task_file(*rows, name="nhiem-vu.csv"):
    """A csv in the admin's language (Vietnamese) as Excel writes it: UTF-8 with BOM."""
    resource = TaskResource()
    lines = [",".join(resource.column(field) for field in resource._meta.fields)]
    lines += [",".join(f'"{cell}"' for cell in row) for row in rows]
    upload = io.BytesIO("\n".join(lines).encode("utf-8-sig"))
    upload.name = name
    return upload


def task_rows(plan, count, lead="SNV"):
    return [[plan.decision_number, n, f"Nhiệm vụ {n}", "", lead, "", "Quý I/2022", "", ""]
            for n in range(1, count + 1)]


def page(response):
    return response.content.decode()


def inline_scripts(html):
    return re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html)


# Who may --------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [TASKS_IMPORT, AGENCIES_IMPORT])
def test_a_staff_account_without_model_permissions_cannot_import(client, url, draft,
                                                                   home_affairs):
    client.force_login(staff("chixem", agency=home_affairs))
    assert client.get(url).status_code == 403
    renamed = io.BytesIO("mã,tên đầy đủ,loại\nSNV,Đổi tên,department\n".encode())
    renamed.name = "don-vi.csv"
    assert client.post(url, {"import_file": renamed}).status_code == 403
    assert client.post(TASKS_IMPORT, {"import_file": task_file(*task_rows(draft, 1))}
                       ).status_code == 403
    assert Agency.objects.get(code="SNV").name == "Sở Nội vụ"
    assert not Task.objects.exists() and not ImportJob.objects.exists()


@pytest.mark.parametrize("model", ["agencies_agency", "tasks_task"])
def test_a_staff_account_without_model_permissions_cannot_export(client, model, home_affairs):
    client.force_login(staff("chixem", agency=home_affairs))
    url = reverse(f"admin:{model}_export")
    assert client.get(url).status_code == 403
    assert client.post(url, {"format": "0", "resource": "0"}).status_code == 403


def test_the_view_permission_exports_but_does_not_import(client, home_affairs, draft):
    client.force_login(staff("xem", "agencies.view_agency", agency=home_affairs))
    export = reverse("admin:agencies_agency_export")
    html = page(client.get(export))
    assert "Tệp xuất nhập lại được mà không thay đổi" in html and inline_scripts(html) == []
    response = client.post(export, {"format": "1", "resource": "0"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 with a BOM
    assert "Sở Nội vụ" in response.content.decode("utf-8-sig")
    changelist = page(client.get(reverse("admin:agencies_agency_changelist")))
    assert AGENCIES_IMPORT not in changelist and "/export/" in changelist
    assert client.get(AGENCIES_IMPORT).status_code == 403


def test_change_without_add_does_not_import(client, home_affairs):
    client.force_login(staff("sua", "tasks.change_task", "tasks.view_task", agency=home_affairs))
    assert client.get(TASKS_IMPORT).status_code == 403


def test_another_users_import_is_not_found(client, importer, draft, home_affairs):
    client.post(TASKS_IMPORT, {"import_file": task_file(*task_rows(draft, 1))})
    job = ImportJob.objects.get()
    client.force_login(staff("khac", "tasks.add_task", "tasks.change_task",
                             agency=home_affairs))
    assert client.get(reverse("admin:tasks_task_import_job", args=[job.pk])).status_code == 404
    confirm = reverse("admin:tasks_task_import_confirm", args=[job.pk])
    assert client.post(confirm).status_code == 404
    assert not Task.objects.exists()


# The checked preview, then the import ---------------------------------------------------------


def test_a_small_file_is_checked_then_imported_on_confirmation(client, importer, draft,
                                                               home_affairs):
    response = client.post(TASKS_IMPORT, {"import_file": task_file(*task_rows(draft, 3))},
                           follow=True)
    job = ImportJob.objects.get()
    html = page(response)
    assert job.status == ImportStatus.CHECKED and (job.new, job.rows_total) == (3, 3)
    assert "3 dòng mới" in html and "Chưa có dữ liệu nào được nhập" in html
    assert not Task.objects.exists()
    confirm = reverse("admin:tasks_task_import_confirm", args=[job.pk])
    assert f'action="{confirm}"' in html
    html = page(client.post(confirm, follow=True))
    assert "Đã nhập" in html
    assert Task.objects.filter(plan=draft).count() == 3
    assert {a.agency for a in Assignment.objects.all()} == {home_affairs}
    assert Task.history.filter(history_user=importer).count() == 3
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and not job.file
    # A second confirmation imports nothing more.
    html = page(client.post(confirm, follow=True))
    assert "không ở trạng thái chờ xác nhận" in html
    assert Task.objects.count() == 3


def test_every_bad_row_is_listed_with_its_reason_and_nothing_can_be_confirmed(
    client, importer, draft, home_affairs
):
    rows = task_rows(draft, 150)
    rows[10][4] = "Sở Không Tồn Tại"
    rows[120][6] = "khi nào rảnh"
    html = page(client.post(TASKS_IMPORT, {"import_file": task_file(*rows)}, follow=True))
    assert "Có 2 dòng không nhập được" in html
    assert "<td>12</td>" in html and "Sở Không Tồn Tại" in html
    assert "<td>122</td>" in html and "khi nào rảnh" in html
    assert "/confirm/" not in html
    assert ImportJob.objects.get().status == ImportStatus.REJECTED
    assert not Task.objects.exists()


def test_a_file_over_a_limit_is_refused_at_once(client, importer, draft, settings):
    settings.IMPORT_MAX_ROWS = 100
    response = client.post(TASKS_IMPORT, {"import_file": task_file(*task_rows(draft, 101))})
    assert response.status_code == 200
    assert "Tệp có nhiều hơn 100 dòng" in page(response)
    assert not ImportJob.objects.exists()


def test_a_file_in_another_encoding_gets_a_message_naming_the_encodings(client, importer):
    upload = io.BytesIO("kế hoạch,số thứ tự,nhiệm vụ\n".encode("utf-16"))
    upload.name = "nhiem-vu.csv"
    html = page(client.post(TASKS_IMPORT, {"import_file": upload}))
    assert "UTF-8 (có hoặc không có BOM) và Windows-1258" in html


def test_a_file_without_its_columns_is_rejected_with_a_message(client, importer):
    upload = io.BytesIO("ghi chú,hình thức tuyên truyền\nA,B\n".encode())
    upload.name = "nhiem-vu.csv"
    html = page(client.post(TASKS_IMPORT, {"import_file": upload}, follow=True))
    assert "Tệp thiếu cột “kế hoạch”, “số thứ tự”, “nhiệm vụ”" in html


def test_a_column_the_import_does_not_know_is_refused_not_ignored(client, importer, draft):
    rows = task_rows(draft, 1)
    upload = task_file(*rows)
    text = upload.getvalue().decode("utf-8-sig").replace("cơ quan chủ trì", "đơn vị chủ trì", 1)
    upload = io.BytesIO(text.encode())
    upload.name = "nhiem-vu.csv"
    html = page(client.post(TASKS_IMPORT, {"import_file": upload}, follow=True))
    assert "Tệp có cột không thuộc mẫu nhập: “đơn vị chủ trì”" in html
    assert not Task.objects.exists()


def test_the_upload_page_says_what_a_file_must_hold(client, importer):
    html = page(client.get(TASKS_IMPORT))
    assert "kế hoạch" in html and "cơ quan chủ trì" in html
    assert "Windows-1258" in html and "20.000 dòng" in html


# Failures lose nothing -------------------------------------------------------------------------


def refuse_assignments():
    """A database rule the application does not know about: no assignment may be written.
    The import fails after its tasks and their history are written, in the same transaction."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION refuse_rows() RETURNS trigger AS $$ BEGIN "
                "RAISE EXCEPTION 'refused by trigger'; END $$ LANGUAGE plpgsql"
            )
            cursor.execute("CREATE TRIGGER refuse BEFORE INSERT ON tasks_assignment "
                           "FOR EACH ROW EXECUTE FUNCTION refuse_rows()")
        else:
            cursor.execute("CREATE TRIGGER refuse BEFORE INSERT ON tasks_assignment "
                           "BEGIN SELECT RAISE(ABORT, 'refused by trigger'); END")


def test_a_database_error_mid_import_leaves_nothing_and_shows_no_raw_message(
    client, importer, draft, home_affairs
):
    client.post(TASKS_IMPORT, {"import_file": task_file(*task_rows(draft, 100))})
    job = ImportJob.objects.get()
    refuse_assignments()
    confirm = reverse("admin:tasks_task_import_confirm", args=[job.pk])
    html = page(client.post(confirm, follow=True))
    assert "Cơ sở dữ liệu không chấp nhận các dòng này" in html
    assert "refused by trigger" not in html and "IntegrityError" not in html
    assert "Traceback" not in html
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert not Task.objects.exists() and not Task.history.exists()
    assert not Assignment.objects.exists()


def test_an_import_whose_worker_died_is_reported_interrupted(client, importer, draft):
    client.post(TASKS_IMPORT, {"import_file": task_file(*task_rows(draft, 2))})
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.IMPORTING, heartbeat_at=timezone.now() - datetime.timedelta(hours=1))
    html = page(client.get(reverse("admin:tasks_task_import_job", args=[job.pk])))
    assert "Việc nhập dữ liệu bị gián đoạn" in html and 'http-equiv="refresh"' not in html
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert not Task.objects.exists()


def test_an_unchanged_file_has_nothing_to_import(client, importer, draft):
    client.post(TASKS_IMPORT, {"import_file": task_file(*task_rows(draft, 2))})
    client.post(reverse("admin:tasks_task_import_confirm", args=[ImportJob.objects.get().pk]))
    html = page(client.post(TASKS_IMPORT, {"import_file": task_file(*task_rows(draft, 2))},
                            follow=True))
    assert "không có gì để nhập" in html and "/confirm/" not in html


def test_a_checked_file_can_be_dropped(client, importer, draft, media):
    client.post(TASKS_IMPORT, {"import_file": task_file(*task_rows(draft, 2))})
    job = ImportJob.objects.get()
    assert job.file
    client.post(reverse("admin:tasks_task_import_cancel", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.CANCELLED and not job.file
    assert not [p for p in media.rglob("*") if p.is_file()]
    assert client.post(reverse("admin:tasks_task_import_confirm", args=[job.pk])).status_code == 302
    assert not Task.objects.exists()


# In the background ----------------------------------------------------------------------------


def test_progress_is_reported_while_the_rows_are_checked(draft, home_affairs):
    from cchc_plans.spreadsheets import read_dataset

    upload = task_file(*task_rows(draft, 1200))
    reported = []
    TaskResource().import_data(read_dataset(upload.getvalue(), "csv"), dry_run=True,
                               progress=reported.append)
    assert reported == [500, 1000, 1200]


@override_settings(IMPORT_INLINE_MAX_BYTES=0)
@pytest.mark.django_db(transaction=True)
def test_a_big_file_is_checked_and_imported_by_the_worker(client, media):
    from tests.factories import AgencyFactory, PlanFactory

    province = AgencyFactory(name="UBND tỉnh", code="UBND-KH", kind="province")
    agency = AgencyFactory(name="Sở Nội vụ", code="SNV", parent=province)
    plan = PlanFactory(issuer=province, decision_number="286/QĐ-UBND")
    user = staff("nhapdulieu", "tasks.add_task", "tasks.change_task", agency=agency)
    client.force_login(user)
    response = client.post(TASKS_IMPORT, {"import_file": task_file(*task_rows(plan, 600))},
                           follow=True)
    job = ImportJob.objects.get()
    html = page(response)
    # Queued: the page waits for the worker and refreshes itself, with no script of its own.
    assert job.status == ImportStatus.QUEUED
    assert '<meta http-equiv="refresh" content="2">' in html
    assert "Đang chờ tiến trình chạy nền" in html
    assert inline_scripts(html) == []
    assert "script-src 'self'" in response["Content-Security-Policy"]

    def work():
        call_command("db_worker", batch=True, no_startup_delay=True, stdout=StringIO(),
                     stderr=StringIO())

    work()
    job.refresh_from_db()
    assert (job.status, job.rows_done, job.new) == (ImportStatus.CHECKED, 600, 600)
    assert not Task.objects.exists()
    client.post(reverse("admin:tasks_task_import_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.CONFIRMED and not Task.objects.exists()
    work()
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert Task.objects.filter(plan=plan).count() == 600
    html = page(client.get(reverse("admin:tasks_task_import_job", args=[job.pk])))
    assert "600 dòng mới" in html and 'http-equiv="refresh"' not in html


def test_agencies_are_imported_by_who_may_add_and_change_them(client, home_affairs):
    user = staff("quanly", "agencies.add_agency", "agencies.change_agency", agency=home_affairs)
    client.force_login(user)
    upload = io.BytesIO("mã;tên đầy đủ;loại;mã cơ quan cấp trên\n"
                        "SNV;Sở Nội vụ tỉnh Khánh Hòa;Sở, ban, ngành;UBND-KH\n"
                        "SNV-VP;Văn phòng Sở;internal_unit;SNV\n".encode())
    upload.name = "don-vi.csv"
    response = client.post(AGENCIES_IMPORT, {"import_file": upload}, follow=True)
    assert "1 dòng mới" in page(response) and "1 dòng thay đổi" in page(response)
    job = ImportJob.objects.get()
    client.post(reverse("admin:agencies_agency_import_confirm", args=[job.pk]))
    home_affairs.refresh_from_db()
    assert home_affairs.name == "Sở Nội vụ tỉnh Khánh Hòa"
    assert Agency.objects.get(code="SNV-VP").parent == home_affairs
    assert home_affairs.history.latest().history_user == user


def test_administrators_read_every_import(client, importer, draft, home_affairs):
    client.post(TASKS_IMPORT, {"import_file": task_file(*task_rows(draft, 2))})
    job = ImportJob.objects.get()
    client.force_login(UserFactory(username="quantri", role="admin", is_staff=True,
                                   is_superuser=True, agency=home_affairs))
    assert "nhiem-vu.csv" in page(client.get(reverse("admin:imports_importjob_changelist")))
    response = client.get(reverse("admin:imports_importjob_change", args=[job.pk]))
    assert response.status_code == 200 and "nhiem-vu.csv" in page(response)
