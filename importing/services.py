"""Import a plan file: understand it (no writes), then save it all or nothing.

``understand`` reads the file, parses it, matches the agency names to the agency tree and
resolves the timelines; the coordinator's preview and ``import_plan --dry-run`` show it.
``save_import`` writes the plan, its outline, its key-task tables and tasks, and keeps the
original file with the plan, in one transaction through the plan and task services.
"""

import re
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency, AgencyGroup, AgencyKind
from agencies.names import AgencyIndex, name_key
from agencies.services import import_agencies
from cchc_plans.bulk import create_with_history
from cchc_plans.search import fold
from plans.models import LegalBasis, OutlineNode, OutlineSource, Plan
from plans.services import create_plan, submit_imported_plan
from tasks.models import Task, TaskTable, TaskTableRow
from tasks.services import TaskImport, import_tasks
from tasks.timeline import resolve_timeline

from .assignments import read_assignment, split_names
from .blocks import UnreadableFile
from .parsing import is_upper, parse
from .reading import read_plan_file

IMPORT_REASON = "import"


@dataclass
class NewAgency:
    """An agency the header names and the tree does not have yet: created on saving."""

    name: str
    kind: str
    code: str
    parent: "Agency | NewAgency | None" = None
    short_name: str = ""

    def __str__(self):
        return self.name


@dataclass
class ImportedTask:
    number: int
    number_text: str
    title: str
    forms: str = ""
    assignment_text: str = ""
    lead_text: str = ""
    coordinators_text: str = ""
    timeline_text: str = ""
    expected_output: str = ""
    budget_text: str = ""
    notes: str = ""
    leads: list = field(default_factory=list)
    lead_groups: list = field(default_factory=list)
    coordinators: list = field(default_factory=list)
    coordinator_groups: list = field(default_factory=list)
    unmatched_leads: list = field(default_factory=list)
    unmatched_coordinators: list = field(default_factory=list)
    schedule: object = None

    @property
    def unmatched(self):
        return [*self.unmatched_leads, *self.unmatched_coordinators]


@dataclass
class Understanding:
    parsed: object
    filename: str
    issuer: "Agency | NewAgency | None"
    parent_body: "Agency | NewAgency | None"
    period: tuple
    tasks: list
    parent_plan: Plan | None = None
    # Agencies the preview chose to create for names nothing matched ("create one").
    new_agencies: list = field(default_factory=list)

    @property
    def created_agencies(self):
        header = [a for a in (self.parent_body, self.issuer) if isinstance(a, NewAgency)]
        return [*header, *self.new_agencies]

    @property
    def unmatched(self):
        """(task number, role, name as written) of every name nothing matched."""
        found = []
        for task in self.tasks:
            found += [(task.number, "lead", name) for name in task.unmatched_leads]
            found += [(task.number, "coordinator", name) for name in task.unmatched_coordinators]
        return found


def understand(data, filename="", *, issuer=None, parent_plan=None):
    """What the file says, matched to the agency tree; raises UnreadableFile."""
    parsed = parse(read_plan_file(data, filename))
    if not looks_like_plan(parsed):
        raise UnreadableFile(
            _("This file does not look like a plan: no plan title, numbered sections or "
              "key-task table were found in it.")
        )
    everything = AgencyIndex()
    parent_body = None
    if issuer is None:
        issuer, parent_body = _issuer_from_text(parsed, everything, data_text(parsed))
    province = _province(issuer)
    index = AgencyIndex(province=province) if province is not None else everything
    first, last = parsed.period
    if first is None and parent_plan is not None:
        first, last = parent_plan.period_start_year, parent_plan.period_end_year
    if first is None:
        first = last = timezone.localdate().year
    tasks = [
        _task(number, table, row, index, first, last)
        for number, (table, row) in enumerate(parsed.tasks, start=1)
    ]
    return Understanding(parsed=parsed, filename=filename, issuer=issuer,
                         parent_body=parent_body, period=(first, last), tasks=tasks,
                         parent_plan=parent_plan)


def looks_like_plan(parsed):
    numbered = sum(1 for node in parsed.nodes if node.numbering)
    return bool(parsed.tables) or numbered >= 3 and bool(parsed.title)


def data_text(parsed):
    parts = [parsed.title, parsed.subtitle, *parsed.legal_bases]
    for node in parsed.nodes[:40]:
        parts += [node.heading, *node.paragraphs]
    return fold(" ".join(parts))


def _province(agency):
    if agency is None or isinstance(agency, NewAgency):
        while isinstance(agency, NewAgency):
            agency = agency.parent
        if agency is None:
            return None
    seen = set()
    while agency.parent_id and agency.pk not in seen:
        seen.add(agency.pk)
        agency = agency.parent
    return agency


def _issuer_from_text(parsed, index, text):
    """The issuer (and its parent body) the header names: matched, or new ones to create."""
    header = parsed.header if parsed.header.issuer_lines else (
        parsed.decision.header if parsed.decision else parsed.header
    )
    issuer_name, parent_name = header.issuer, header.parent
    if not issuer_name and parsed.issuer_from_text:
        issuer_name = parsed.issuer_from_text
    if not issuer_name:
        authority = parsed.signature.authority or (
            parsed.decision.signature.authority if parsed.decision else "")
        place = header.place or (parsed.decision.header.place if parsed.decision else "")
        if authority and place:  # "TM. ỦY BAN NHÂN DÂN" of "Ninh Thuận, ngày …"
            issuer_name = f"{re.sub(r'^[A-ZĐ]+\.\s*', '', authority)} tỉnh {place}"
    if not issuer_name:
        return None, None
    parent = None
    if parent_name:
        parent = index.find(parent_name)
        if parent is None:
            parent = _new_agency(parent_name, None, "")
    scoped = AgencyIndex(province=_province(parent)) if isinstance(parent, Agency) else None
    if scoped is None:
        scoped = _index_for_text(index, text)
    issuer = scoped.find(issuer_name)
    if isinstance(issuer, AgencyGroup):
        issuer = None
    if issuer is None:
        issuer = _new_agency(issuer_name, parent, header.number)
        if isinstance(parent, NewAgency) and parent.code == issuer.code:
            issuer.code = f"{issuer.code}-2"
    return issuer, parent


def _index_for_text(index, text):
    """The index of the province the text names most often (a plan says "tỉnh Khánh Hòa")."""
    best, count = None, 0
    for province in Agency.objects.filter(parent__isnull=True, kind=AgencyKind.PROVINCE):
        locality = fold(province.name).replace("uy ban nhan dan tinh ", "")
        # "tỉnh Khánh Hòa" in the text, or an address "…@khanhhoa.gov.vn"
        found = text.count(locality) + text.count(locality.replace(" ", "")) if locality else 0
        if found > count:
            best, count = province, found
    return AgencyIndex(province=best) if best is not None else index


KIND_WORDS = [
    (("uy ban nhan dan tinh", "ubnd tinh"), AgencyKind.PROVINCE),
    (("uy ban nhan dan huyen", "uy ban nhan dan thi xa", "uy ban nhan dan thanh pho",
      "uy ban nhan dan quan", "ubnd huyen", "ubnd thi xa", "ubnd thanh pho"), AgencyKind.DISTRICT),
    (("uy ban nhan dan xa", "uy ban nhan dan phuong", "uy ban nhan dan thi tran", "ubnd xa",
      "ubnd phuong", "ubnd thi tran"), AgencyKind.COMMUNE),
    (("so ", "ban quan ly", "thanh tra", "van phong uy ban", "van phong ubnd"),
     AgencyKind.DEPARTMENT),
    (("phong ", "van phong so", "chi cuc"), AgencyKind.INTERNAL_UNIT),
    (("dai phat thanh", "bao ", "dai truyen thanh"), AgencyKind.PRESS),
    (("cuc ", "kho bac", "bao hiem xa hoi", "cong an", "ngan hang", "buu dien"),
     AgencyKind.CENTRAL),
    (("truong ", "trung tam", "benh vien"), AgencyKind.PUBLIC_SERVICE),
    (("hoi ", "lien doan", "tinh doan", "mat tran", "uy ban mat tran"),
     AgencyKind.MASS_ORGANISATION),
    (("tinh uy", "dang uy", "huyen uy", "ban tuyen giao"), AgencyKind.PARTY),
]
LOCALITY_WORDS = ("tỉnh", "huyện", "quận", "xã", "phường", "thị", "thành")


def agency_kind(name):
    """The kind an agency's name says it is ("Sở …": a department, "UBND huyện …": a district)."""
    folded = fold(name)
    for starts, kind in KIND_WORDS:
        if folded.startswith(starts):
            return kind
    return AgencyKind.OTHER


def readable_name(text):
    """ "SỞ XÂY DỰNG" → "Sở Xây dựng", "ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA" → "Ủy ban nhân dân tỉnh
    Khánh Hòa": headers are in capitals, names are not."""
    text = " ".join(text.split())
    if not is_upper(text):
        return text
    words = text.lower().split()
    out, place = [], False
    for index, word in enumerate(words):
        if place or index == 0 or (index > 0 and out[-1].lower() in ("sở", "cục", "đài", "báo")):
            word = word[:1].upper() + word[1:]
        out.append(word)
        if word.lower() in LOCALITY_WORDS and index + 1 < len(words) and words[index + 1] not in (
            "xã", "phố", "trấn"
        ):
            place = True
    result = " ".join(out)
    return re.sub(r"\b(Ubnd|Hđnd)\b", lambda m: m.group(0).upper(), result)


def _new_agency(name, parent, number):
    name, short_name = readable_name(name), ""
    if re.match(r"^(UBND|HĐND) ", name):  # "UBND tỉnh Khánh Hòa": its short name
        short_name = name
        name = ("Ủy ban nhân dân " if name.startswith("UBND") else "Hội đồng nhân dân ") + name[5:]
    symbol = number.rsplit("-", 1)[-1].strip() if number and "-" in number else ""
    code = symbol if symbol and not Agency.objects.filter(code=symbol).exists() else ""
    if not code:
        initials = "".join(word[0] for word in name_key(name).split() if word != "va")
        initials = initials[:12].upper()
        code, suffix = initials or "AGENCY", 2
        while Agency.objects.filter(code=code).exists():
            code, suffix = f"{initials}-{suffix}", suffix + 1
    return NewAgency(name=name, kind=agency_kind(name), code=code, parent=parent,
                     short_name=short_name)


def new_agency_for(understanding, name, coordinator_agency):
    """The agency to create for a name as written in a task ("create one" in the preview):
    in the coordinator's province, of the kind its name says; one per name."""
    wanted = name_key(name)
    for new in understanding.new_agencies:
        if name_key(new.name) == wanted:
            return new
    text = " ".join(name.split()).strip(" ,.;:")
    new = _new_agency(text[:1].upper() + text[1:], _province(coordinator_agency), "")
    taken = {agency.code for agency in understanding.created_agencies}
    code, suffix = new.code, 2
    while new.code in taken:
        new.code, suffix = f"{code}-{suffix}", suffix + 1
    understanding.new_agencies.append(new)
    return new


def _task(number, table, row, index, first, last):
    cell = table.cell
    task = ImportedTask(
        number=number,
        number_text=row.number_text,
        title=cell(row, "title"),
        forms=cell(row, "forms"),
        assignment_text=cell(row, "assignment"),
        lead_text=cell(row, "lead"),
        coordinators_text=cell(row, "coordinators"),
        timeline_text=cell(row, "timeline"),
        expected_output=cell(row, "output"),
        budget_text=cell(row, "budget"),
        notes=cell(row, "notes"),
    )
    found = []
    if task.assignment_text:
        read = read_assignment(task.assignment_text, index.find)
        found.append(("lead", read.leads, read.unmatched_leads))
        found.append(("coordinator", read.coordinators, read.unmatched_coordinators))
    for role, text in (("lead", task.lead_text), ("coordinator", task.coordinators_text)):
        for line in text.split("\n"):
            matched, unmatched = split_names(line.lstrip("-–+• "), index.find)
            found.append((role, matched, unmatched))
    for role, matched, unmatched in found:
        agencies = [m for m in matched if isinstance(m, Agency)]
        groups = [m for m in matched if isinstance(m, AgencyGroup)]
        if role == "lead":
            _add(task.leads, agencies)
            _add(task.lead_groups, groups)
            _add(task.unmatched_leads, unmatched)
        else:
            _add(task.coordinators, [a for a in agencies if a not in task.leads])
            _add(task.coordinator_groups, [g for g in groups if g not in task.lead_groups])
            _add(task.unmatched_coordinators, unmatched)
    task.schedule = resolve_timeline(task.timeline_text[:500], year=first, end_year=last)
    return task


def _add(target, items):
    target.extend(item for item in items if item not in target)


# -- saving ------------------------------------------------------------------------------------
def _fit(text, model, name):
    limit = model._meta.get_field(name).max_length
    text = text or ""
    return text if limit is None or len(text) <= limit else text[: limit - 1] + "…"


def _written_symbol(symbol, type_code, issuer):
    """The symbol as written ("KH-UBND"), kept when it is not the one the issuer's code gives
    anyway ("KH-UBND-NT")."""
    if symbol == f"{type_code}-{issuer.code}":
        return ""
    return _fit(symbol, Plan, "document_symbol")


def _plan_title(parsed):
    title = " ".join((parsed.title or "").split()) or _("Imported plan")
    if not fold(title).startswith("ke hoach"):
        title = f"Kế hoạch {title[:1].lower()}{title[1:]}"
    return title


def _incomplete_date(header):
    """ "ngày   tháng 02 năm 2024" as written; a line blank but for the year is what a draft
    prints anyway, and a full date is held as a date."""
    if header.date is not None:
        return ""
    before_year = re.split(r"\bnăm\b", header.date_text, maxsplit=1)[0]
    return header.date_text if re.search(r"\d", before_year) else ""


def save_import(understanding, *, by=None, data=None, filename="", submit=False):
    """Save the understood plan, all or nothing; the original file is kept with it (and
    removed again when the import fails). Returns the plan.

    ``submit``: an agency's own plan for its parent plan, recorded as issued and submitted
    once its tasks are saved (``plans.services.submit_imported_plan``)."""
    kept = []
    try:
        with transaction.atomic():
            plan = _save_import(understanding, by=by, data=data, filename=filename, kept=kept)
            if submit:
                plan = submit_imported_plan(plan=plan)
            return plan
    except BaseException:
        for stored in kept:
            stored.storage.delete(stored.name)
        raise


def _save_import(understanding, *, by, data, filename, kept):
    parsed = understanding.parsed
    created = _create_agencies(understanding, by)
    issuer = created.get(id(understanding.issuer), understanding.issuer)
    if issuer is None:
        raise UnreadableFile(_("The issuing agency could not be read from the file: give it."))
    decision = parsed.decision
    header = parsed.header
    signature = parsed.signature if (parsed.signature.name or parsed.signature.title_lines) \
        else (decision.signature if decision else parsed.signature)
    first, last = understanding.period
    issued_on = header.date or (decision.header.date if decision else None)
    fields = {
        "issuer": issuer,
        "title": _fit(_plan_title(parsed), Plan, "title"),
        "document_number": _fit(header.number, Plan, "document_number"),
        "document_symbol": _written_symbol(header.symbol, "KH", issuer),
        "issued_on": issued_on,
        "issued_on_text": _fit(_incomplete_date(header), Plan, "issued_on_text"),
        "place": _fit(header.place or (decision.header.place if decision else ""), Plan, "place"),
        "period_start_year": first,
        "period_end_year": last,
        "parent": understanding.parent_plan,
        "subtitle_text": _fit(parsed.subtitle, Plan, "subtitle_text"),
        "header_issuer_text": "\n".join(header.issuer_lines),
        "signer_authority": _fit(signature.authority, Plan, "signer_authority"),
        "signer_title": _fit(signature.title, Plan, "signer_title"),
        "signer_name": _fit(signature.name, Plan, "signer_name"),
        "recipients": "\n".join(parsed.recipients or (decision.recipients if decision else [])),
        "electronic_signature": _fit(parsed.stamp, Plan, "electronic_signature"),
        "outline_source": OutlineSource.WRITTEN,
        "appendix_title": _fit(parsed.tables[0].title if parsed.tables else "", Plan,
                               "appendix_title"),
    }
    if decision is not None:
        fields.update({
            "decision_number": _fit(decision.header.number, Plan, "decision_number"),
            "decision_symbol": _written_symbol(decision.header.symbol, "QĐ", issuer),
            "decision_date": decision.header.date,
            "decision_title": _fit(decision.subject, Plan, "decision_title"),
            "decision_authority": _fit(decision.authority, Plan, "decision_authority"),
            "decision_date_text": _fit(decision.header.place_and_date, Plan,
                                       "decision_date_text"),
            "decision_text": "\n".join(
                " ".join(filter(None, [n.numbering, *n.paragraphs]))
                for n in parsed.nodes if n.attachment == "article"
            ),
        })
        if decision.signature != signature:
            fields.update({
                "decision_signer_authority": _fit(decision.signature.authority, Plan,
                                                  "decision_signer_authority"),
                "decision_signer_title": _fit(decision.signature.title, Plan,
                                              "decision_signer_title"),
                "decision_signer_name": _fit(decision.signature.name, Plan,
                                             "decision_signer_name"),
            })
        if parsed.recipients and decision.recipients != parsed.recipients:
            fields["decision_recipients"] = "\n".join(decision.recipients)
    if data is not None:
        fields["document_file"] = original_file(data, filename or understanding.filename)
    plan = create_plan(created_by=by, fields=fields)
    if plan.document_file:
        kept.append(plan.document_file)
    history = {"user": by, "reason": IMPORT_REASON, "date": timezone.now()}
    bases = [*(decision.legal_bases if decision else []), *parsed.legal_bases]
    create_with_history([LegalBasis(plan=plan, position=i, text=text)
                         for i, text in enumerate(bases)], LegalBasis, **history)
    nodes = [
        OutlineNode(plan=plan, part=node.part, position=position, level=min(node.level, 9),
                    numbering=_fit(node.numbering, OutlineNode, "numbering"),
                    heading=node.heading, run_in=node.run_in, centered=node.centered,
                    text="\n".join(p.replace("\n", " ") for p in node.paragraphs),
                    attachment=node.attachment)
        for position, node in enumerate(parsed.nodes)
    ]
    create_with_history(nodes, OutlineNode, **history)
    _save_tasks(plan, understanding, nodes, history)
    return plan


def _create_agencies(understanding, by):
    """The new agencies (the header's, those the preview chose to create), created at once
    through the agency service; the tasks then name them."""
    created = {}
    for new in understanding.created_agencies:
        created[id(new)] = Agency(
            name=_fit(new.name, Agency, "name"), code=_fit(new.code, Agency, "code"),
            kind=new.kind, short_name=_fit(new.short_name, Agency, "short_name"),
        )
    for new in understanding.created_agencies:
        created[id(new)].parent = created.get(id(new.parent), new.parent)
    if created:
        import_agencies(agencies=list(created.values()), by=by)
    for task in understanding.tasks:
        task.leads = [created.get(id(a), a) for a in task.leads]
        task.coordinators = [created.get(id(a), a) for a in task.coordinators]
    return created


def _save_tasks(plan, understanding, nodes, history):
    """The key tasks, their tables and rows, in a fixed number of queries: the tasks through
    ``tasks.services.import_tasks`` (its rules: a draft plan, timelines resolved, groups
    fanned out, validation), the tables and rows in bulk, all with their history."""
    tasks = iter(understanding.tasks)
    rows_of = {}
    imports = []
    for table in understanding.parsed.tables:
        for row in table.rows:
            if not row.heading:
                imports.append(_task_import(plan, next(tasks), len(imports) + 1))
                rows_of[id(row)] = imports[-1].task
    import_tasks(rows=imports, by=history["user"])
    tables, rows = [], []
    for position, table in enumerate(understanding.parsed.tables):
        node = nodes[table.after_node] if table.after_node is not None else None
        stored = TaskTable(plan=plan, node=node, placement=table.placement, position=position,
                           label=_fit(table.label, TaskTable, "label"), title=table.title,
                           subtitle=_fit(table.subtitle, TaskTable, "subtitle"),
                           landscape=table.landscape, columns=table.columns)
        stored.full_clean(exclude=["plan", "node"])
        tables.append((stored, table))
    create_with_history([stored for stored, _table in tables], TaskTable, **history)
    for stored, table in tables:
        text_columns = [i for i, c in enumerate(table.columns) if c["field"] == "text"]
        for position, row in enumerate(table.rows):
            rows.append(TaskTableRow(
                table=stored, position=position, task=rows_of.get(id(row)),
                number_text=_fit(row.number_text, TaskTableRow, "number_text"),
                text=row.heading,
                cells={str(i): row.cells[i] for i in text_columns if i < len(row.cells)},
            ))
    create_with_history(rows, TaskTableRow, **history)


def _task_import(plan, imported, number):
    """A new task of the plan from an imported row, with its agencies."""
    timeline = imported.timeline_text
    notes = imported.notes
    if len(timeline) > 255:
        notes = "\n".join(filter(None, [notes, timeline]))
        timeline = timeline[:254] + "…"
    task = Task(
        plan=plan, number=number, title=imported.title or imported.number_text or "—",
        forms=imported.forms, assignment_text=imported.assignment_text, timeline_text=timeline,
        expected_output=imported.expected_output, notes=notes, lead_text=imported.lead_text,
        coordinators_text=imported.coordinators_text, budget_text=imported.budget_text,
    )
    return TaskImport(task=task, leads=imported.leads, lead_groups=imported.lead_groups,
                      coordinators=imported.coordinators,
                      coordinator_groups=imported.coordinator_groups)


def original_file(data, filename):
    """The uploaded file as the plan keeps it (``Plan.document_file``)."""
    name = re.sub(r"[^\w.\-]+", "-", (filename or "").rsplit("/", 1)[-1])[:120]
    return ContentFile(data, name=name or "ke-hoach")
