"""Every row of the large tables carries the province it belongs to, whatever wrote it, and
every page of a province's user is bounded by it."""

import pytest
from django.core.management import call_command
from django.db.models import F, Q
from django.urls import reverse

from agencies.models import Agency
from agencies.provinces import copy_provinces
from agencies.resources import AgencyResource
from agencies.tests.test_import_export import dataset as agency_dataset
from agencies.tests.test_import_export import row as agency_row
from periodic.models import AgencyReport
from periodic.services import start_report
from plans.models import Plan
from scale.generator import generate
from tasks.copying import copy_plan_to_next_year
from tasks.models import Assignment, ProgressUpdate, Task
from tasks.resources import TaskResource
from tasks.services import dissolve_agency, post_update
from tasks.tests.test_import_export import dataset as task_dataset
from tasks.tests.test_import_export import task_row
from tests.factories import AgencyFactory, PlanFactory, UserFactory
from tests.factories.tasks import make_task

# Each table with a province and the row it takes it from.
SOURCES = [
    (Plan, "issuer"), (Task, "plan"), (AgencyReport, "plan"), (Assignment, "task"),
    (ProgressUpdate, "assignment"),
]


def wrong_provinces():
    """{model: rows with no province or another than their source's}; empty when all hold."""
    top = Q(parent__isnull=True) & ~Q(province=F("pk"))
    below = Q(parent__isnull=False) & ~Q(province=F("parent__province"))
    found = {
        "Agency": Agency.objects.filter(Q(province__isnull=True) | top | below).count()
    }
    for model, source in SOURCES:
        found[model.__name__] = model.objects.filter(
            Q(province__isnull=True) | ~Q(province=F(f"{source}__province"))
        ).count()
    return {name: count for name, count in found.items() if count}


@pytest.fixture
def other_province(db):
    return AgencyFactory(name="Ủy ban nhân dân tỉnh Ninh Thuận", code="UBND-NT", kind="province")


@pytest.mark.django_db
def test_the_demo_data_carries_its_provinces():
    call_command("load_demo", verbosity=0)
    assert Task.objects.exists() and ProgressUpdate.objects.exists()
    assert AgencyReport.objects.exists()
    assert wrong_provinces() == {}
    assert Plan.objects.values("province").distinct().count() == 2


@pytest.mark.django_db
def test_generated_data_carries_its_provinces():
    generate(provinces=2, tasks=120, agencies=40, seed=3)
    assert ProgressUpdate.objects.exists() and AgencyReport.objects.exists()
    assert wrong_provinces() == {}
    assert Agency.objects.filter(parent=None).count() == 2


@pytest.mark.django_db
def test_the_data_migration_fills_every_province_in_batches():
    generate(provinces=2, tasks=60, agencies=40, seed=4)
    for model in (Agency, *(model for model, _source in SOURCES)):
        model.objects.update(province=None)
    copy_provinces(batch=7)
    assert wrong_provinces() == {}


@pytest.mark.django_db
def test_imports_saves_and_copies_set_the_province(
    province, home_affairs, justice, district_group, districts, coordinator, officer
):
    # An agency file whose parent comes later in the file.
    result = AgencyResource().import_data(agency_dataset(
        agency_row("SYT-VP", "Văn phòng Sở Y tế", kind="internal_unit", parent="SYT"),
        agency_row("SYT", "Sở Y tế", parent="UBND-KH"),
    ))
    assert not result.has_errors()
    assert Agency.objects.get(code="SYT-VP").province == province
    plan = PlanFactory(issuer=province, decision_number="286/QĐ-UBND", status="draft")
    result = TaskResource().import_data(task_dataset(
        task_row(plan, 1, "Quán triệt Chương trình CCHC", lead="SNV", coordinators="STP"),
        task_row(plan, 2, "Giới thiệu dịch vụ công", lead="UBND các huyện, thị xã, thành phố"),
    ))
    assert not result.has_errors() and not result.has_validation_errors()
    task = make_task(plan, number=3, leads=[justice])
    plan.status = "issued"
    plan.save()
    post_update(assignment=task.assignments.get(), author=officer, status="in_progress",
                percent=40, narrative="Đã đăng tin")
    plan.reporting_periods = ["Q1"]
    plan.save()
    start_report(plan=plan, agency=justice, year=2022, period_code="Q1", user=officer)
    copy_plan_to_next_year(plan=plan, by=coordinator)
    assert Plan.objects.filter(period_start_year=2023, province=province).exists()
    assert Assignment.objects.filter(task__plan__period_start_year=2023).count() >= 3
    assert wrong_provinces() == {}


@pytest.mark.django_db
def test_an_agency_moved_to_another_province_takes_its_work_along(
    province, other_province, justice, officer
):
    """Provinces merged (July 2025): the departments of one go under the other's committee."""
    plan = PlanFactory(issuer=justice, status="issued")
    task = make_task(plan, number=1, leads=[justice])
    post_update(assignment=task.assignments.get(), author=officer, status="in_progress",
                percent=10, narrative="Bắt đầu")
    dissolve_agency(agency=province, successor=other_province)
    justice.refresh_from_db()
    assert justice.province == other_province
    assert Plan.objects.get(pk=plan.pk).province == other_province
    assert ProgressUpdate.objects.get().province == other_province
    assert wrong_provinces() == {}


@pytest.mark.django_db
def test_a_plan_given_to_another_provinces_issuer_takes_its_work_along(
    province, other_province, justice, officer
):
    """Changed in the admin (through the plan's save): the new province's pages show the
    plan's tasks and progress, the old one's no longer do; another plan stays where it is."""
    plan = PlanFactory(issuer=justice, status="draft", reporting_periods=["Q1"])
    task = make_task(plan, number=1, leads=[justice])
    post_update(assignment=task.assignments.get(), author=officer, status="in_progress",
                percent=10, narrative="Bắt đầu")
    start_report(plan=plan, agency=justice, year=2022, period_code="Q1", user=officer)
    stays = make_task(PlanFactory(issuer=justice, status="draft"), number=1, leads=[justice])
    department = AgencyFactory(name="Sở Tư pháp tỉnh Ninh Thuận", code="STP-NT",
                               parent=other_province)

    plan.issuer = department
    plan.save()

    assert wrong_provinces() == {}
    assert Task.objects.get(pk=task.pk).province == other_province
    assert ProgressUpdate.objects.get().province == other_province
    assert AgencyReport.objects.get().province == other_province
    assert Task.objects.get(pk=stays.pk).province == province


@pytest.mark.django_db
def test_a_province_sees_only_its_own_plans_and_a_national_administrator_all(
    client, province, other_province, coordinator
):
    ours = PlanFactory(issuer=province, status="issued", title="Kế hoạch của Khánh Hòa")
    theirs = PlanFactory(issuer=other_province, status="issued", title="Kế hoạch của Ninh Thuận")
    client.force_login(coordinator)
    listed = client.get(reverse("plans:list")).text
    assert ours.title in listed and theirs.title not in listed
    assert client.get(reverse("plans:detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("periodic:completeness", args=[theirs.pk])).status_code == 404
    national = UserFactory(username="quantri-quocgia", role="admin", agency=None)
    client.force_login(national)
    listed = client.get(reverse("plans:list")).text
    assert ours.title in listed and theirs.title in listed
