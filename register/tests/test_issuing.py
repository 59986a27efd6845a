"""Issuing a plan or a summary report takes its number from the register; the register's
page, xlsx and PDF list what was issued."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from plans.models import Plan
from register.models import RegisterEntry
from register.services import register_document
from reports.generation import render_plan_document
from reports.models import ReportDraft
from tests.factories import PlanFactory
from tests.factories.periodic import reporting_plan

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


@pytest.fixture
def report_plan(province, home_affairs):
    return reporting_plan(
        province, title="Kế hoạch tuyên truyền cải cách hành chính năm 2022", place="Khánh Hòa"
    )


def issue_report(client, plan, **data):
    url = reverse("leadership:issue", kwargs={"pk": plan.pk, "year": 2022, "code": "Q1"})
    return client.post(url, {"issued_on": "2022-04-05", **data})


def test_issuing_a_report_without_a_number_takes_the_next_one(client, coordinator,
                                                              report_plan, home_affairs):
    client.force_login(coordinator)
    page = client.get(reverse("leadership:report", kwargs={
        "pk": report_plan.pk, "year": 2022, "code": "Q1"})).content.decode()
    assert "01/BC-SNV" in page  # the form says which number it will take
    assert issue_report(client, report_plan, number="").status_code == 302
    draft = ReportDraft.objects.get(plan=report_plan)
    entry = RegisterEntry.objects.get()
    assert (draft.number, entry.number_symbol, entry.issuer) == ("01/BC-SNV", "01/BC-SNV",
                                                                 home_affairs)
    assert entry.document == draft and entry.issued_on == datetime.date(2022, 4, 5)
    assert entry.subject.startswith("Kết quả thực hiện Kế hoạch")
    assert "Lưu: VT, CCHC." in entry.recipients


def test_a_taken_number_is_refused_in_vietnamese_and_nothing_is_issued(client, coordinator,
                                                                       report_plan,
                                                                       home_affairs):
    register_document(issuer=home_affairs, document_type="KH", issued_on=datetime.date(2022, 3, 1),
                      subject="Kế hoạch kiểm tra công tác CCHC năm 2022", number="12/KH-SNV")
    client.force_login(coordinator)
    response = issue_report(client, report_plan, number="12/BC-SNV")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Số 12/KH-SNV đã được cấp trong sổ" in html
    assert "Kế hoạch kiểm tra công tác CCHC năm 2022" in html
    assert not ReportDraft.objects.filter(issued_on__isnull=False).exists()
    assert RegisterEntry.objects.count() == 1


def test_issuing_a_plan_numbers_it_and_keeps_the_number_when_issued_again(
    client, coordinator, home_affairs
):
    plan = PlanFactory(issuer=home_affairs, status="draft", title="Kế hoạch kiểm tra CCHC",
                       issued_on=datetime.date(2022, 2, 10), signer_title="GIÁM ĐỐC",
                       signer_name="Nguyễn Văn An", recipients="UBND tỉnh;\nLưu: VT.")
    client.force_login(coordinator)
    response = client.post(reverse("plans:issue", args=[plan.pk]), follow=True)
    assert "01/KH-SNV" in response.content.decode()
    plan.refresh_from_db()
    assert (plan.status, plan.document_number) == ("issued", "01/KH-SNV")
    entry = RegisterEntry.objects.get()
    assert (entry.signer, entry.copies, entry.document) == ("GIÁM ĐỐC Nguyễn Văn An", 2, plan)
    client.post(reverse("plans:reopen", args=[plan.pk]))
    client.post(reverse("plans:issue", args=[plan.pk]))
    plan.refresh_from_db()
    assert (plan.status, plan.document_number) == ("issued", "01/KH-SNV")
    assert RegisterEntry.objects.count() == 1


def test_a_plan_written_with_a_blank_number_keeps_its_symbol_when_numbered(
    client, coordinator, province
):
    """ "Số:      /KH-UBND" as written: the register gives the number, the symbol stays."""
    plan = PlanFactory(issuer=province, status="draft", title="Kế hoạch tuyên truyền CCHC",
                       issued_on=datetime.date(2024, 2, 20), document_symbol="KH-UBND")
    client.force_login(coordinator)
    client.post(reverse("plans:issue", args=[plan.pk]))
    plan.refresh_from_db()
    assert (plan.status, plan.document_number, plan.document_symbol) == (
        "issued", "01/KH-UBND", "KH-UBND")
    entry = RegisterEntry.objects.get()
    assert (entry.number_symbol, entry.typed) == ("01/KH-UBND", False)
    pdf = PdfReader(io.BytesIO(render_plan_document(plan).content))
    assert "Số: 01/KH-UBND" in pdf.pages[0].extract_text()


def test_a_plan_issued_by_a_decision_registers_the_decision(client, coordinator, province):
    plan = PlanFactory(issuer=province, status="draft", title="Kế hoạch tuyên truyền CCHC",
                       decision_number="286/QĐ-UBND", decision_date=datetime.date(2022, 1, 26))
    client.force_login(coordinator)
    client.post(reverse("plans:issue", args=[plan.pk]))
    entry = RegisterEntry.objects.get()
    assert (entry.number_symbol, entry.document_type, entry.typed) == ("286/QĐ-UBND", "QĐ", True)
    assert Plan.objects.get(pk=plan.pk).status == "issued"


def test_a_plan_whose_number_is_taken_stays_a_draft_with_a_message(client, coordinator,
                                                                   home_affairs):
    register_document(issuer=home_affairs, document_type="BC", issued_on=datetime.date(2022, 1, 5),
                      subject="Báo cáo năm 2021")
    plan = PlanFactory(issuer=home_affairs, status="draft", document_number="01/KH-SNV",
                       issued_on=datetime.date(2022, 2, 10))
    client.force_login(coordinator)
    response = client.post(reverse("plans:issue", args=[plan.pk]), follow=True)
    assert "Số 01/BC-SNV đã được cấp trong sổ" in response.content.decode()
    plan.refresh_from_db()
    assert (plan.status, plan.document_number) == ("draft", "01/KH-SNV")


@pytest.fixture
def entries(home_affairs):
    def add(count):
        for index in range(count):
            register_document(
                issuer=home_affairs, document_type="BC",
                issued_on=datetime.date(2022, 4, 5) + datetime.timedelta(days=index),
                subject=f"Báo cáo kết quả số {index + 1}", signer="PHÓ GIÁM ĐỐC Trần Thị Bình",
                recipients=["UBND tỉnh (b/c);", "Lưu: VT, CCHC."],
            )
    return add


def test_register_is_one_click_from_the_coordinators_menu(client, coordinator, entries,
                                                          home_affairs):
    entries(1)
    client.force_login(coordinator)
    home = client.get(reverse("plans:list")).content.decode()
    assert reverse("register:index") in home and "Sổ văn bản đi" in home
    index = client.get(reverse("register:index")).content.decode()
    assert reverse("register:register", args=[home_affairs.pk, 2022]) in index


@pytest.mark.parametrize("count", [1, 10])
def test_register_page_lists_the_year_in_number_order(client, coordinator, entries,
                                                      home_affairs, count,
                                                      django_assert_num_queries):
    entries(count)
    client.force_login(coordinator)
    url = reverse("register:register", args=[home_affairs.pk, 2022])
    # session, user (with agency and model permissions), issuer, entries, the counter for
    # the next number
    with django_assert_num_queries(5):
        html = client.get(url).content.decode()
    assert html.index("01/BC-SNV") <= html.index(f"{count:02d}/BC-SNV")
    assert "Báo cáo: Báo cáo kết quả số 1" in html and "05/04/2022" in html
    assert f"số {count + 1:02d}" in html


def test_register_exports_as_xlsx_and_pdf(client, leadership, entries, home_affairs):
    entries(3)
    client.force_login(leadership)
    response = client.get(reverse("register:xlsx", args=[home_affairs.pk, 2022]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "Số, ký hiệu văn bản"
    assert rows[2][:4] == ("01/BC-SNV", "05/04/2022", "Báo cáo: Báo cáo kết quả số 1",
                           "PHÓ GIÁM ĐỐC Trần Thị Bình")
    assert len(rows) == 5
    response = client.get(reverse("register:pdf", args=[home_affairs.pk, 2022]))
    page = PdfReader(io.BytesIO(response.content)).pages[0]
    assert page.mediabox.width > page.mediabox.height  # landscape
    text = " ".join(page.extract_text().split())
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐI" in text and "03/BC-SNV" in text
    assert "Trần Thị Bình" in text


def test_clerk_columns_are_edited_and_bad_input_is_kept(client, coordinator, entries):
    entries(1)
    entry = RegisterEntry.objects.get()
    client.force_login(coordinator)
    url = reverse("register:edit_entry", args=[entry.pk])
    response = client.post(url, {"copies": "0", "notes": "Gửi bản giấy"})
    assert response.status_code == 400 and "Gửi bản giấy" in response.content.decode()
    response = client.post(url, {"copies": "5", "kept_by": "Phòng CCHC", "notes": "Gửi bản giấy",
                                 "recipients": "UBND tỉnh"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.copies, entry.kept_by, entry.notes, entry.recipients) == (
        5, "Phòng CCHC", "Gửi bản giấy", "UBND tỉnh")
