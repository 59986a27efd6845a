"""An agency's periodic report as a Vietnamese administrative report (BÁO CÁO), laid out by
documents.pdf like every PDF. The document's wording is Vietnamese in every UI language."""

from django.utils import timezone, translation
from django.utils.text import slugify

from documents.pdf import Letterhead, Signature, close_text, number_line, vietnamese_date_line

TEMPLATE = "periodic/report_document.html"


def _plan_name(plan):
    """ "Kế hoạch tuyên truyền CCHC năm 2022", whether or not the title starts with it."""
    title = plan.title.strip()
    if title.lower().startswith("kế hoạch"):
        return title
    return f"Kế hoạch {title[:1].lower()}{title[1:]}"


def report_document(report, *, figures, task_states):
    """The template context of TEMPLATE; figures and task states as the report page reads
    them."""
    with translation.override("vi"):
        period = report.period
        plan = report.plan
        day = timezone.localdate(report.submitted_at) if report.submitted_at else None
        letterhead = Letterhead.for_agency(
            report.agency,
            number=number_line("", "BC", report.agency.code),
            date_line=vietnamese_date_line(plan.place, day, year=period.year),
            kind="BÁO CÁO",
            title=f"Kết quả thực hiện {_plan_name(plan)} – {period.label}",
            addressees=[plan.report_recipient] if plan.report_recipient else [],
        )
        return {
            "document_title": f"Báo cáo {period.label} – {report.agency.name}",
            "letterhead": letterhead,
            "signature": Signature(
                title="THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ", recipients=["Như trên;", "Lưu: VT."]
            ),
            "report": report,
            "period_label": period.label,
            "start": period.start,
            "end": period.end,
            "figures": list(figures),
            "task_states": [
                (state, state.get_status_display(), state.assignment.get_role_display())
                for state in task_states
            ],
            "results": report.results.strip(),
            "shortcomings": report.shortcomings.strip(),
            "lessons": report.lessons.strip(),
            "next_tasks": report.next_tasks.strip(),
            "proposals": close_text(report.proposals) if report.proposals.strip() else "",
        }


def report_filename(report):
    return f"bao-cao-{report.year}-{report.period_code}-{slugify(report.agency.code)}.pdf"
