"""Import a plan from a .docx, a PDF with a text layer or a text file, for bulk loading."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from agencies.models import Agency
from importing.blocks import UnreadableFile
from importing.services import save_import, understand
from plans.models import Plan


class Command(BaseCommand):
    help = (
        "Import a plan file (.docx, PDF, text). Prints the new plan's id; with --dry-run, "
        "what was understood and which names could not be matched. Never asks: unmatched "
        "names are kept as text; without --issuer the issuer is read from the header (and "
        "created when the agency tree lacks it)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--issuer", help="code of the issuing agency")
        parser.add_argument("--parent", help="id or document number of the plan it implements")
        parser.add_argument("--dry-run", action="store_true", help="show, save nothing")

    def handle(self, *args, file, issuer=None, parent=None, dry_run=False, **options):
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from error
        issuer_agency = None
        if issuer:
            issuer_agency = Agency.objects.filter(code=issuer).first()
            if issuer_agency is None:
                raise CommandError(f"No agency has the code {issuer!r}.")
        parent_plan = _parent_plan(parent) if parent else None
        try:
            understood = understand(data, path.name, issuer=issuer_agency,
                                    parent_plan=parent_plan)
        except UnreadableFile as error:
            raise CommandError(error.message) from error
        if dry_run:
            self.describe(understood)
            return
        if understood.issuer is None:
            raise CommandError(
                "The issuing agency could not be read from the file: give --issuer CODE."
            )
        plan = save_import(understood, data=data, filename=path.name)
        for agency in understood.created_agencies:
            self.stdout.write(f"Agency created: {agency.name} ({agency.code}, {agency.kind})")
        for number, role, name in understood.unmatched:
            self.stdout.write(f"Not matched (task {number}, {role}): {name}")
        self.stdout.write(str(plan.pk))

    def describe(self, understood):
        parsed, out = understood.parsed, self.stdout.write
        header = parsed.decision.header if parsed.decision else parsed.header
        out(f"Issuer: {_name(understood.issuer)}")
        if understood.parent_body is not None:
            out(f"Parent body: {_name(understood.parent_body)}")
        if parsed.decision:
            out(f"Decision: {parsed.decision.header.number_text} — {parsed.decision.subject}")
            articles = [n for n in parsed.nodes if n.attachment == "article"]
            out(f"  {len(articles)} articles; signed: {parsed.decision.signature.authority} "
                f"{parsed.decision.signature.title} {parsed.decision.signature.name}")
        out(f"Number: {parsed.header.number_text or '—'}; {header.place_and_date or '—'}")
        out(f"{parsed.document_type}: {parsed.title}")
        first, last = understood.period
        out(f"Period: {first}" + (f"–{last}" if last != first else ""))
        bases = (parsed.decision.legal_bases if parsed.decision else []) + parsed.legal_bases
        recipients = parsed.recipients or (parsed.decision.recipients if parsed.decision else [])
        out(f"Legal bases: {len(bases)}; outline nodes: {len(parsed.nodes)}; "
            f"recipients: {len(recipients)}")
        signature = parsed.signature
        out(f"Signed: {signature.authority} {signature.title} {signature.name}")
        if parsed.stamp:
            out(f"Electronic signature: {parsed.stamp}")
        for table in parsed.tables:
            out(f"Key-task table ({table.label or 'in the text'}): "
                + " | ".join(column["heading"] for column in table.columns))
        for task in understood.tasks:
            leads = ", ".join(_name(a) for a in [*task.leads, *task.lead_groups]) or "—"
            coordinators = ", ".join(
                _name(a) for a in [*task.coordinators, *task.coordinator_groups]) or "—"
            due = task.schedule.due_date.strftime("%d/%m/%Y") if task.schedule.due_date else ""
            out(f"{task.number}. {task.title[:70]}")
            out(f"    lead: {leads}; coordinating: {coordinators}; "
                f"timeline: {task.timeline_text} ({task.schedule.kind}{' ' + due if due else ''})")
        for agency in understood.created_agencies:
            out(f"Agency to create: {agency.name} ({agency.code}, {agency.kind})")
        for number, role, name in understood.unmatched:
            out(f"Not matched (task {number}, {role}): {name}")
        if not understood.unmatched:
            out("Every agency name matched.")
        # Read from the file but placed nowhere in the plan: not saved.
        for text in understood.parsed.leftovers:
            if text.strip():
                out(f"Not placed: {' '.join(text.split())}")


def _name(agency):
    return getattr(agency, "name", None) or "—"


def _parent_plan(text):
    plans = Plan.objects.filter(document_number=text) | Plan.objects.filter(decision_number=text)
    if text.isdigit():
        plans = plans | Plan.objects.filter(pk=int(text))
    plan = plans.first()
    if plan is None:
        raise CommandError(f"No plan with the id or number {text!r}.")
    return plan
