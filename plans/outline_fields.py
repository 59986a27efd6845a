"""A plan's outline built from its sections and parts (the plans written section by section).

A plan entered form by form has no outline as written: this builds one from its fields with
the document's usual headings and numbering (I., 1., a)), the dashes of list items, the
legal bases the preamble does not cite, and the parts attached to their nodes. It is what
the data migration stored for the plans that existed before outlines, what a section edit
rebuilds for a plan whose outline is ``generated``, and what such a plan prints.

The functions read plain attributes only, so that the migration can pass historical models.
"""

import re
from decimal import Decimal

from cchc_plans.search import fold

from .outline import Attachment, OutlinePart

ROMAN = [
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV",
    "XV",
]
# Points of a clause are lettered in the Vietnamese alphabet: a), b), c), d), đ), e), g)…
LETTERS = list("abcdđeghiklmnopqrstuvxy")
# A line that carries its own number or bullet: "1.", "2.1.", "a)", "đ)", "(3)", "-", "+".
ENUMERATED = re.compile(r"^(?:\d+(?:\.\d+)*\.|[a-zđ]\)|\(\d+\)|[-–+•*])\s", re.IGNORECASE)
BASIS_LEADS = ("Căn cứ", "Theo", "Xét", "Thực hiện")
PROPOSAL = re.compile(r"^(?:Theo|Xét)\s+đề\s+nghị", re.IGNORECASE)
ARTICLE = re.compile(r"^(Điều\s+\d+\.)\s*(.*)$")
# How a plan names its reporting periods (Decree 09/2019 and the seeds' wording).
PERIOD_WORDS = {
    "Q1": "Quý I",
    "H1": "06 tháng",
    "M9": "09 tháng",
    "Y": "năm",
    "quarterly": "hàng quý",
    "monthly": "hàng tháng",
    "on_request": "khi có yêu cầu",
}
KEY_TASKS_SENTENCE = (
    "Các nhiệm vụ tuyên truyền trọng điểm, phân công cơ quan chủ trì, phối hợp và tiến "
    "độ thực hiện tại Phụ lục kèm theo Kế hoạch này."
)


def lines_of(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def items(lines, bullets=True):
    """Paragraphs for lines written one per line; list items get a dash, as printed.

    A line that has its own number or bullet keeps it; an introductory line ending with ":"
    and a lone paragraph get none.
    """
    lines = [line.strip() for line in lines if line.strip()]
    dash = bullets and len(lines) > 1
    out = []
    for line in lines:
        if dash and not ENUMERATED.match(line) and not line.endswith(":"):
            line = f"- {line}"
        out.append(line)
    return out


def with_colon(text):
    text = text.strip()
    return text if text[-1:] in ":.;?!" else f"{text}:"


def covered_by(lines, text):
    """True when every line is already written in ``text`` (a plan often repeats itself)."""
    lines = [line.strip() for line in lines if line.strip()]
    return bool(lines) and all(line in text for line in lines)


def basis_core(text):
    """A cited document without "Căn cứ" and the final punctuation."""
    text = text.strip().rstrip(";.").strip()
    for lead in BASIS_LEADS:
        if text.startswith(lead + " "):
            return text[len(lead):].strip()
    return text


def uncited_bases(preamble, bases):
    """The legal bases the preamble does not already cite in its own words.

    A plan's preamble often cites its bases ("Thực hiện Nghị quyết …, căn cứ Chương trình …");
    the others are the "Căn cứ …;" lines of the issuing decision, or of the plan itself.
    """
    folded = fold(preamble or "")
    return [text for text in bases if text.strip() and fold(basis_core(text)) not in folded]


def basis_lines(texts, last="."):
    """ "Căn cứ …;" lines, the proposal ("Theo đề nghị …") last; a decision's end with "."."""
    lines = [text.strip().rstrip(";.").strip() for text in texts if text.strip()]
    lines = [line if line.startswith(BASIS_LEADS) else f"Căn cứ {line}" for line in lines]
    ordered = [line for line in lines if not PROPOSAL.match(line)]
    ordered += [line for line in lines if PROPOSAL.match(line)]
    end = len(ordered) - 1
    return [line + (last if i == end else ";") for i, line in enumerate(ordered)]


def decimal_text(value):
    """ "20", "69,5": Vietnamese decimal comma, no trailing zeros."""
    value = Decimal(value).normalize()
    text = f"{value:f}"
    if "." in text:
        whole, fraction = text.split(".")
        return f"{int(whole):,}".replace(",", ".") + "," + fraction
    return f"{int(value):,}".replace(",", ".")


def money(amount):
    return f"{decimal_text(amount)} đồng"


def reporting_sentence(plan):
    """A plan with periods and a recipient but no wording of its own gets one sentence."""
    periods = [PERIOD_WORDS[code] for code in plan.reporting_periods or [] if code in PERIOD_WORDS]
    if not periods and not plan.report_recipient:
        return ""
    if periods == ["khi có yêu cầu"]:
        text = "Các cơ quan, đơn vị báo cáo kết quả thực hiện Kế hoạch khi có yêu cầu"
    else:
        joined = ", ".join(periods[:-1]) + (" và " if len(periods) > 1 else "") + periods[-1]
        text = (
            f"Định kỳ ({joined}), các cơ quan, đơn vị báo cáo kết quả thực hiện Kế hoạch"
            if periods
            else "Các cơ quan, đơn vị báo cáo kết quả thực hiện Kế hoạch"
        )
    if plan.report_recipient:
        text += f", gửi về {plan.report_recipient}"
    if plan.report_due_day:
        text += f" trước ngày {plan.report_due_day:02d} của tháng cuối kỳ báo cáo"
    return text + "."


def has_decision(plan):
    return plan.has_decision


def node(level, text=(), *, numbering="", heading="", attachment="", **links):
    """A node as a dict of OutlineNode field values (part and position set by the caller)."""
    return {
        "level": level,
        "numbering": numbering,
        "heading": heading,
        "text": "\n".join(text),
        "attachment": attachment,
        "run_in": False,
        "content_area_id": links.get("content_area"),
        "plan_channel_id": links.get("plan_channel"),
        "duty_id": links.get("duty"),
    }


class Sections:
    """The plan's sections I., II., … and their numbered headings 1., 2., …"""

    def __init__(self):
        self.nodes = []
        self.count = 0

    def add(self, title, children, attachment=""):
        """A section with its nodes; a section with nothing in it is left out."""
        children = [child for child in children if child]
        if not children:
            return
        heading = node(0, numbering=f"{ROMAN[self.count % len(ROMAN)]}.", heading=title,
                       attachment=attachment)
        self.count += 1
        # A section whose only content is text keeps it in its own node.
        if len(children) == 1 and children[0]["level"] == 1 and not children[0]["numbering"]:
            heading["text"] = children[0]["text"]
            heading["attachment"] = children[0]["attachment"] or attachment
            children = []
        self.nodes += [heading, *children]


class Numbering:
    """1., 2., 3. … for the headings of one section."""

    def __init__(self):
        self.count = 0

    def heading(self, text, lines=(), attachment="", **links):
        self.count += 1
        return node(1, lines, numbering=f"{self.count}.", heading=with_colon(text),
                    attachment=attachment, **links)


def text_node(lines, attachment=""):
    return node(1, lines, attachment=attachment) if lines else None


def plan_nodes(plan, *, legal_bases, targets, content_areas, channels, duties, has_tasks):
    """The nodes of the plan itself, in order (see ``outline_from_fields``)."""
    nodes = []
    if not has_decision(plan):
        bases = basis_lines(uncited_bases(plan.preamble, legal_bases), last=";")
        if bases:
            nodes.append(node(0, bases, attachment=Attachment.LEGAL_BASES))
    if lines_of(plan.preamble):
        nodes.append(node(0, lines_of(plan.preamble), attachment=Attachment.PREAMBLE))

    sections = Sections()
    numbering, children = Numbering(), []
    if lines_of(plan.objectives):
        children.append(numbering.heading(
            "Mục tiêu", items(lines_of(plan.objectives)), Attachment.OBJECTIVES))
    if lines_of(plan.requirements):
        children.append(numbering.heading(
            "Yêu cầu", items(lines_of(plan.requirements)), Attachment.REQUIREMENTS))
    if lines_of(plan.audience_text):
        children.append(numbering.heading(
            "Đối tượng", items(lines_of(plan.audience_text), bullets=False),
            Attachment.AUDIENCES))
    if targets:
        children.append(numbering.heading("Chỉ tiêu", attachment=Attachment.TARGETS_TABLE))
    sections.add("MỤC TIÊU, YÊU CẦU", children)

    numbering, children = Numbering(), []
    for area in content_areas:
        children.append(numbering.heading(
            area.heading, items(lines_of(area.body)), Attachment.CONTENT_AREA,
            content_area=area.pk))
    if channels:
        children.append(numbering.heading(
            "Hình thức tuyên truyền", items(lines_of(plan.channels_intro), bullets=False),
            Attachment.CHANNELS))
        for index, channel in enumerate(channels):
            label = channel.label or f"{LETTERS[index % len(LETTERS)]})"
            body = lines_of(channel.body)
            heading = with_colon(channel.heading) if body else channel.heading
            children.append(node(2, items(body), numbering=label, heading=heading,
                                 attachment=Attachment.CHANNEL, plan_channel=channel.pk))
    sections.add("NỘI DUNG, HÌNH THỨC TUYÊN TRUYỀN", children)

    if lines_of(plan.key_activities):
        key = items(lines_of(plan.key_activities), bullets=False)
    else:
        key = [KEY_TASKS_SENTENCE] if has_tasks else []
    sections.add("NHIỆM VỤ TRỌNG ĐIỂM", [text_node(key)], attachment=Attachment.KEY_TASKS)

    numbering = Numbering()
    sections.add("TRÁCH NHIỆM TRIỂN KHAI", [
        numbering.heading(duty.heading, items(lines_of(duty.body)), Attachment.DUTY,
                          duty=duty.pk)
        for duty in duties
    ])

    implementation = plan.implementation or ""
    budget = lines_of(plan.budget_text)
    lines = [] if covered_by(budget, implementation) else items(budget, bullets=False)
    if plan.budget_amount is not None:
        lines.append(f"Dự toán kinh phí: {money(plan.budget_amount)}.")
    sections.add("KINH PHÍ THỰC HIỆN", [text_node(lines, Attachment.BUDGET)])

    regime = lines_of(plan.reporting_regime)
    if covered_by(regime, implementation):
        lines = []
    elif regime:
        lines = items(regime, bullets=False)
    else:
        lines = [text] if (text := reporting_sentence(plan)) else []
    sections.add("CHẾ ĐỘ BÁO CÁO", [text_node(lines, Attachment.REPORTING)])

    sections.add("TỔ CHỨC THỰC HIỆN", [text_node(
        items(lines_of(implementation), bullets=False), Attachment.IMPLEMENTATION)])
    return nodes + sections.nodes


def decision_nodes(plan, *, legal_bases):
    """The decision's "Căn cứ …" lines and its articles (Điều 1., Điều 2., …)."""
    nodes = []
    bases = basis_lines(uncited_bases(plan.preamble, legal_bases))
    if bases:
        nodes.append(node(0, bases, attachment=Attachment.LEGAL_BASES))
    for line in lines_of(plan.decision_text):
        match = ARTICLE.match(line)
        if match:
            article = node(0, [match[2]] if match[2] else [], numbering=match[1],
                           attachment=Attachment.ARTICLE)
            article["run_in"] = True
            nodes.append(article)
        elif nodes and nodes[-1]["attachment"] == Attachment.ARTICLE:
            nodes[-1]["text"] = "\n".join(filter(None, [nodes[-1]["text"], line]))
        else:
            nodes.append(node(0, [line]))
    return nodes


def outline_from_fields(plan, *, legal_bases, targets, content_areas, channels, duties,
                        has_tasks):
    """The outline of a plan written section by section: a list of OutlineNode field dicts.

    ``legal_bases`` are the texts of the plan's legal bases in order; ``targets`` is true
    when the plan has targets; ``content_areas``, ``channels`` and ``duties`` are the parts
    in order (objects with ``pk``, ``heading``, ``body`` and, for channels, ``label``);
    ``has_tasks`` says whether the plan has key tasks.
    """
    out = []
    if has_decision(plan):
        for position, spec in enumerate(decision_nodes(plan, legal_bases=legal_bases), 1):
            out.append({**spec, "part": OutlinePart.DECISION, "position": position})
    plan_specs = plan_nodes(
        plan, legal_bases=legal_bases, targets=targets, content_areas=content_areas,
        channels=channels, duties=duties, has_tasks=has_tasks,
    )
    for position, spec in enumerate(plan_specs, 1):
        out.append({**spec, "part": OutlinePart.PLAN, "position": position})
    return out


def write_outline(plan, specs, node_model):
    """Make the stored nodes of ``plan`` match ``specs``, saving only what differs.

    Nodes are matched by document and position, so that a rebuild after a section edit
    writes history only for the nodes that changed.
    """
    existing = {(n.part, n.position): n for n in node_model.objects.filter(plan_id=plan.pk)}
    wanted = set()
    for spec in specs:
        key = (spec["part"], spec["position"])
        wanted.add(key)
        current = existing.get(key)
        if current is None:
            node_model.objects.create(plan_id=plan.pk, **spec)
            continue
        changed = [name for name, value in spec.items() if getattr(current, name) != value]
        if changed:
            for name in changed:
                setattr(current, name, spec[name])
            current.save()
    for key, current in existing.items():
        if key not in wanted:
            current.delete()
