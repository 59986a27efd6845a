"""Demo data: the seed plans with their agencies, demo logins and a year of progress.

Everything is read from ``fixtures/demo/*.json`` (catalogues, agencies and groups, the three
seed plans, the agencies' own plans, the logins, the 2022 progress, the agencies' periodic
reports) and written through the
ORM and the task services, keyed on natural keys (agency code, group code, plan issuer and
title, task plan and number), so loading twice changes nothing. Rows are saved only when a
value differs, which keeps the history tables free of no-op versions.
"""

import datetime
import json
import random
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction

from agencies.models import Agency, AgencyGroup, Role, User
from documents.models import IssuerSigner
from periodic import services as periodic_services
from periodic.models import AgencyReport
from plans.models import (
    AgencyDuty,
    Audience,
    Channel,
    ContentArea,
    LegalBasis,
    Measure,
    Plan,
    PlanChannel,
    PlanStatus,
    Target,
)
from plans.outline import OutlineNode, OutlinePart, OutlineSource
from plans.outline_fields import write_outline
from plans.services import outline_specs, rebuild_outline
from tasks.models import AssignmentRole, ProgressUpdate, Status, Task
from tasks.services import post_update, schedule_task, set_task_agencies
from tasks.timeline import resolve_timeline

FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "demo"
PLAN_FILES = ["khanh_hoa_2022.json", "ninh_thuan_2024.json", "khanh_hoa_ict_2021_2030.json"]
DEMO_PASSWORD = "demo12345"
LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")


IN, DONE, NOT_STARTED = Status.IN_PROGRESS, Status.DONE, Status.NOT_STARTED
# The order of the weights of a group task's outcomes in progress_2022.json.
OUTCOMES = [DONE, IN, NOT_STARTED]


def read_fixture(name):
    with open(FIXTURES / name, encoding="utf-8") as handle:
        return json.load(handle)


def upsert(model, lookup, values):
    """``update_or_create`` that saves only when a value differs; returns (obj, created)."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.save()
        return obj, True
    changed = [field for field, value in values.items() if getattr(obj, field) != value]
    if changed:
        for field in changed:
            setattr(obj, field, values[field])
        obj.save()
    return obj, False


def set_m2m(manager, objects):
    """Set a many-to-many relation only when it differs (no empty history versions)."""
    wanted = {obj.pk for obj in objects}
    if set(manager.values_list("pk", flat=True)) != wanted:
        manager.set(wanted)


def local_datetime(text):
    return datetime.datetime.fromisoformat(text).replace(tzinfo=LOCAL)


def parse_date(text):
    return datetime.date.fromisoformat(text) if text else None


class Catalogue:
    """What the loader looked up, by natural key."""

    def __init__(self):
        self.agencies = {}
        self.groups = {}
        self.audiences = {}
        self.channels = {}
        self.measures = {}
        self.by_pk = {}
        self.children = {}

    def province_of(self, agency):
        while agency.parent_id:
            agency = self.by_pk[agency.parent_id]
        return agency

    def within(self, root, agencies):
        """The given agencies that sit under ``root``, in the fixture's order."""
        inside = set()
        stack = [root.pk]
        while stack:
            pk = stack.pop()
            inside.add(pk)
            stack.extend(self.children.get(pk, ()))
        wanted = {agency.pk for agency in agencies}
        return [a for a in self.agencies.values() if a.pk in wanted and a.pk in inside]

    def group_members(self, root, codes):
        members = []
        for code in codes:
            members.extend(self.within(root, self.groups[code].member_agencies()))
        return members

    def of_kinds(self, root, kinds):
        return self.within(root, Agency.objects.active().filter(kind__in=kinds))

    def index(self):
        self.by_pk = {a.pk: a for a in self.agencies.values()}
        self.children = {}
        for agency in self.agencies.values():
            if agency.parent_id:
                self.children.setdefault(agency.parent_id, []).append(agency.pk)


def load_catalogues(cat, data):
    for row in data["audiences"]:
        cat.audiences[row["code"]], _ = upsert(
            Audience, {"code": row["code"]}, {"name": row["name"], "position": row["position"]}
        )
    for row in data["channels"]:
        channel, _ = upsert(
            Channel,
            {"code": row["code"]},
            {"name": row["name"], "is_online": row["is_online"], "position": row["position"]},
        )
        cat.channels[row["code"]] = channel
        for measure in row["measures"]:
            cat.measures[measure["code"]], _ = upsert(
                Measure,
                {"code": measure["code"]},
                {"name": measure["name"], "unit": measure["unit"], "channel_id": channel.pk,
                 "position": measure["position"]},
            )


def load_agencies(cat, data):
    for row in data["agencies"]:
        parent = cat.agencies[row["parent"]] if row["parent"] else None
        cat.agencies[row["code"]], _ = upsert(
            Agency,
            {"code": row["code"]},
            {"name": row["name"], "short_name": row["short_name"], "kind": row["kind"],
             "parent_id": parent.pk if parent else None, "email": row["email"],
             "head_name": row.get("head_name", ""), "head_title": row.get("head_title", ""),
             "head_email": row.get("head_email", "")},
        )
    cat.index()
    for row in data.get("signers", []):
        upsert(
            IssuerSigner,
            {"agency": cat.agencies[row["agency"]]},
            {"authority": row["authority"], "title": row["title"], "name": row["name"]},
        )


def load_groups(cat, data):
    for row in data["agency_groups"]:
        group, _ = upsert(
            AgencyGroup,
            {"code": row["code"]},
            {
                "name": row["name"],
                "kind": row["kind"],
                "scope": cat.agencies[row["scope"]] if row.get("scope") else None,
                "province": (
                    cat.province_of(cat.agencies[row["scope"]]) if row.get("scope") else None
                ),
                "aliases": "\n".join(row["aliases"]),
            },
        )
        set_m2m(group.members, [cat.agencies[code] for code in row["members"]])
        cat.groups[row["code"]] = group


def joined(lines):
    return "\n".join(lines)


def sync_parts(model, plan, rows, m2m=None):
    """Make the plan's ordered parts of one kind match ``rows`` (position = order)."""
    for position, values in enumerate(rows, start=1):
        values = dict(values)
        related = values.pop("_m2m", None)
        part, _ = upsert(model, {"plan": plan, "position": position}, values)
        if m2m and related is not None:
            set_m2m(getattr(part, m2m), related)
    model.objects.filter(plan=plan, position__gt=len(rows)).delete()


def load_plan(cat, data):
    issuer = cat.agencies[data["issuer"]]
    province = cat.province_of(issuer)
    decision = data.get("decision") or {}
    reporting = data["reporting"]
    submission = data.get("submission") or {}
    plan, _ = upsert(
        Plan,
        {"issuer": issuer, "title": data["title"]},
        {
            "document_number": data["document_number"],
            "document_symbol": data.get("document_symbol", ""),
            "decision_number": decision.get("number", ""),
            "decision_symbol": decision.get("symbol", ""),
            "decision_date": parse_date(decision.get("date")),
            "decision_title": decision.get("title", ""),
            "decision_text": joined(decision.get("articles", [])),
            "issued_on": parse_date(data["issued_on"]),
            "place": data["place"],
            "period_start_year": data["period"][0],
            "period_end_year": data["period"][1],
            "status": data["status"],
            "preamble": joined(data["preamble"]),
            "objectives": joined(data["objectives"]),
            "requirements": joined(data["requirements"]),
            "implementation": joined(data["implementation"]),
            "budget_text": joined(data["budget"]["text"]),
            "budget_amount": data["budget"]["amount"],
            "reporting_regime": joined(reporting["regime"]),
            "reporting_periods": reporting["periods"],
            "report_due_day": reporting["due_day"],
            "report_recipient": reporting["recipient"],
            "submission_deadline": parse_date(submission.get("deadline")),
            "submission_deadline_text": submission.get("deadline_text", ""),
            "signer_authority": data["signature"]["authority"],
            "signer_title": data["signature"]["title"],
            "signer_name": data["signature"]["name"],
            "recipients": joined(data["recipients"]),
            "audience_text": data.get("audience_text", ""),
            "channels_intro": data.get("channels_intro", ""),
            "key_activities": data.get("key_activities", ""),
            "appendix_title": data.get("appendix_title", ""),
            "issued_on_text": data.get("issued_on_text", ""),
            "electronic_signature": data.get("electronic_signature", ""),
            "outline_source": OutlineSource.WRITTEN if data.get("outline")
            else OutlineSource.GENERATED,
        },
    )
    set_m2m(plan.audiences, [cat.audiences[code] for code in data["audiences"]])
    addressed = [cat.agencies[code] for code in submission.get("addressed", [])]
    addressed += cat.group_members(province, submission.get("addressed_groups", []))
    set_m2m(plan.addressed_agencies, addressed)

    sync_parts(LegalBasis, plan, [{"text": text} for text in data["legal_bases"]])
    sync_parts(Target, plan, [
        {"indicator": t["indicator"], "description": t["description"], "unit": t["unit"],
         "target_value": Decimal(t["target_value"]),
         "baseline": Decimal(t["baseline"]) if t["baseline"] is not None else None,
         "baseline_label": t["baseline_label"]}
        for t in data["targets"]
    ])
    sync_parts(ContentArea, plan, [
        {"heading": a["heading"],
         "audience_id": cat.audiences[a["audience"]].pk if a["audience"] else None,
         "pillar": a["pillar"], "body": joined(a["body"])}
        for a in data["content_areas"]
    ])
    sync_parts(PlanChannel, plan, [
        {"channel_id": cat.channels[c["channel"]].pk, "label": c["label"],
         "heading": c["heading"], "body": joined(c["body"])}
        for c in data["channels"]
    ])
    sync_parts(AgencyDuty, plan, [
        {"heading": d["heading"], "body": joined(d["body"]),
         "_m2m": [cat.agencies[code] for code in d["agencies"]]
         + cat.group_members(province, d["agency_groups"])}
        for d in data["duties"]
    ], m2m="agencies")
    for row in data["tasks"]:
        load_task(cat, plan, province, row)
    if data.get("outline"):
        write_outline(plan, written_outline(plan, data["outline"]), OutlineNode)
    else:
        rebuild_outline(plan=plan)
    return plan


# The parts a node of a demo plan's outline writes ("from" in the fixture): the structured
# part and, for the numbered ones, its position among its kind.
PART_LINKS = {"content_area": "content_area_id", "channel": "plan_channel_id", "duty": "duty_id"}


def written_outline(plan, entries):
    """The outline of a demo plan as the original writes it (the fixture's ``outline``).

    Each entry is a node of the plan's own part, in order; ``from`` names the structured
    part it writes ("objectives", "content_area:2", "channel:1", "duty:4", "reporting"…),
    whose text, attachment and link come from the outline the sections give; ``level``,
    ``numbering``, ``heading``, ``run_in``, ``centered``, ``emphasis`` and ``text`` (one
    paragraph a line) override them,
    ``lines`` ([first, last], from 1) keeps part of the text. The decision's nodes are those
    its articles give.
    """
    plan = Plan.objects.prefetch_related(
        "legal_bases", "targets", "content_areas", "plan_channels", "duties", "tasks"
    ).get(pk=plan.pk)
    generated = outline_specs(plan)
    parts = {
        "content_area": list(plan.content_areas.all()),
        "channel": list(plan.plan_channels.all()),
        "duty": list(plan.duties.all()),
    }
    sources = {}
    for spec in generated:
        link = PART_LINKS.get(spec["attachment"])
        key = (spec["attachment"], spec[link]) if link else (spec["attachment"], None)
        sources.setdefault(key, spec)
    specs = [spec for spec in generated if spec["part"] == OutlinePart.DECISION]
    for position, entry in enumerate(entries, start=1):
        spec = {"level": 0, "numbering": "", "heading": "", "text": "", "attachment": "",
                "run_in": False, "centered": False, "emphasis": "", "content_area_id": None,
                "plan_channel_id": None, "duty_id": None}
        if "from" in entry:
            kind, _, index = entry["from"].partition(":")
            link = parts[kind][int(index) - 1].pk if index else None
            spec.update(sources[(kind, link)])
        for name in ("level", "numbering", "heading", "run_in", "centered", "emphasis"):
            if name in entry:
                spec[name] = entry[name]
        if "text" in entry:
            spec["text"] = joined(entry["text"])
        if "lines" in entry:
            first, last = entry["lines"]
            spec["text"] = joined(spec["text"].splitlines()[first - 1:last])
        specs.append({**spec, "part": OutlinePart.PLAN, "position": position})
    return specs


def needs_scheduling(task):
    plan = task.plan
    schedule = resolve_timeline(
        task.timeline_text, year=plan.period_start_year, end_year=plan.period_end_year
    )
    due_date = task.due_date if task.due_date_set_by_hand else schedule.due_date
    checkpoints = sorted(task.checkpoints.values_list("due_date", flat=True))
    return (task.schedule_kind, task.recurrence, task.due_date, checkpoints) != (
        schedule.kind, schedule.recurrence, due_date, sorted(schedule.checkpoints)
    )


def unique(agencies, excluding=()):
    seen = {agency.pk for agency in excluding}
    out = []
    for agency in agencies:
        if agency.pk not in seen:
            seen.add(agency.pk)
            out.append(agency)
    return out


def load_task(cat, plan, province, row):
    task, created = upsert(
        Task,
        {"plan": plan, "number": row["number"]},
        {"title": row["title"], "forms": joined(row["forms"]),
         "assignment_text": row["assignment_text"], "timeline_text": row["timeline"]},
    )
    if created or needs_scheduling(task):
        schedule_task(task=task)
    lead_groups = [cat.groups[code] for code in row["lead_groups"]]
    leads = unique(
        [cat.agencies[code] for code in row["leads"]]
        + cat.group_members(province, row["leads_from_groups"])
    )
    via_groups = [a for group in lead_groups for a in group.member_agencies()]
    coordinators = unique(
        [cat.agencies[code] for code in row["coordinators"]]
        + cat.group_members(province, row["coordinators_from_groups"])
        + cat.of_kinds(province, row["coordinators_of_kinds"]),
        excluding=leads + via_groups,
    )
    set_task_agencies(task=task, leads=leads, lead_groups=lead_groups, coordinators=coordinators)
    return task


def load_users(cat, data):
    logins = []
    for row in data:
        username, role, agency = row["username"], Role(row["role"]), cat.agencies[row["agency"]]
        values = {"role": role, "agency_id": agency.pk, "is_staff": row["is_staff"],
                  "is_superuser": row["is_superuser"], "is_active": True}
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, first_name=row["full_name"],
                        job_title=row["job_title"],
                        email=f"{username}@{agency.email.partition('@')[2] or 'example.org'}",
                        **values)
            user.set_password(DEMO_PASSWORD)
            user.save()
        else:
            upsert(User, {"pk": user.pk}, values)
        logins.append((username, str(role), agency.display_name, DEMO_PASSWORD))
    return logins


def load_agency_plans(cat, parent, data):
    """The agencies' own plans under the provincial plan (agency_plans.json)."""
    audiences = list(Audience.objects.all())
    for row in data["plans"]:
        issuer = cat.agencies[row["issuer"]]
        words = {"decision_number": parent.decision_number, "issuer": issuer.name}
        plan, _ = upsert(
            Plan,
            {"issuer": issuer, "title": row["title"]},
            {
                "document_number": row["document_number"],
                "issued_on": parse_date(row["issued_on"]),
                "place": row["place"],
                "period_start_year": 2022,
                "period_end_year": 2022,
                "status": PlanStatus.ISSUED,
                "parent_id": parent.pk,
                "submitted_at": local_datetime(row["submitted_at"]),
                "preamble": data["preamble"].format(**words),
                "objectives": data["objectives"],
                "reporting_periods": data["reporting_periods"],
                "report_recipient": data["report_recipient"],
            },
        )
        set_m2m(plan.audiences, audiences)
        sync_parts(LegalBasis, plan, [{"text": data["legal_basis"].format(**words)}])
        rebuild_outline(plan=plan)
    return len(data["plans"])


def spread_dates(rng, count, start, end):
    """``count`` distinct working days between ``start`` and ``end``, in order."""
    days = [start + datetime.timedelta(days=n) for n in range((end - start).days + 1)]
    return sorted(rng.sample([day for day in days if day.weekday() < 5], count))


def group_steps(rng, group_task, fixed_outcome):
    """A group member's random but repeatable updates (seeded by task and agency)."""
    measures, progress_texts = group_task["figures"], group_task["progress_texts"]
    outcome = fixed_outcome or rng.choices(OUTCOMES, weights=group_task["weights"])[0]
    if outcome == NOT_STARTED:
        return []
    count = rng.randint(2, 3)
    dates = spread_dates(rng, count, datetime.date(2022, 3, 1), datetime.date(2022, 12, 16))
    steps = []
    percent = 0
    for index, day in enumerate(dates):
        last = index == count - 1
        figures = {code: rng.randint(low, high) // count for code, (low, high) in measures.items()}
        if last and outcome == DONE:
            steps.append((day.isoformat(), DONE, 100, group_task["done_text"], figures, []))
        else:
            percent = min(95, percent + rng.randint(15, 35))
            text = progress_texts[min(index, len(progress_texts) - 1)]
            steps.append((day.isoformat(), IN, percent, text, figures, []))
    return steps


def load_progress(cat, plan, users, data):
    """A year of updates on the Khánh Hòa plan; assignments that have any are left alone."""
    steps_of = {
        (row["task"], row["agency"]): [
            (u["date"], Status(u["status"]), u["percent"], u["narrative"], u["figures"], u["links"])
            for u in row["updates"]
        ]
        for row in data["steps"]
    }
    group_tasks = {row["task"]: row for row in data["group_tasks"]}
    outcomes = {(row["task"], row["agency"]): Status(row["status"])
                for row in data["group_outcomes"]}
    coordinator = users["dieuphoi"]
    authors = {
        user.agency_id: user
        for user in users.values()
        if user.role in (Role.COORDINATOR, Role.AGENCY_OFFICER)
    }
    created = 0
    for task in plan.tasks.prefetch_related("assignments__agency").order_by("number"):
        for assignment in task.assignments.all():
            code = assignment.agency.code
            if (task.number, code) in steps_of:
                steps = steps_of[(task.number, code)]
            elif task.number in group_tasks and assignment.role == AssignmentRole.LEAD:
                rng = random.Random(f"2022/{task.number}/{code}")
                fixed = outcomes.get((task.number, code))
                steps = group_steps(rng, group_tasks[task.number], fixed)
            else:
                continue
            if not steps or assignment.updates.exists():
                continue
            rng = random.Random(f"2022/{task.number}/{code}/time")
            author = authors.get(assignment.agency_id, coordinator)
            last = None
            for day, status, percent, narrative, figures, links in steps:
                when = datetime.datetime.combine(
                    datetime.date.fromisoformat(day),
                    datetime.time(rng.randint(8, 16), rng.randrange(0, 60, 5)),
                    tzinfo=LOCAL,
                )
                update = post_update(
                    assignment=assignment, author=author, status=status, percent=percent,
                    narrative=narrative,
                    figures={cat.measures[m]: value for m, value in figures.items()},
                    links=links,
                )
                ProgressUpdate.objects.filter(pk=update.pk).update(created_at=when)
                last = when
                created += 1
            assignment.last_update_at = last
            assignment.save(update_fields=["last_update_at"])
    return created


NARRATIVE = ["results", "shortcomings", "lessons", "next_tasks", "proposals"]


def load_agency_reports(cat, plan, users, data):
    """The agencies' periodic reports on the Khánh Hòa plan, through the periodic services;
    a report already sent is left alone."""
    coordinator = users["dieuphoi"]
    officers = {user.agency_id: user for user in users.values()
                if user.role == Role.AGENCY_OFFICER}
    created = 0
    for row in data["reports"]:
        agency = cat.agencies[row["agency"]]
        author = officers.get(agency.pk, coordinator)
        report = periodic_services.start_report(
            plan=plan, agency=agency, year=2022, period_code=row["period"], user=author
        )
        if not report.is_editable:
            continue
        report = periodic_services.save_draft(
            report=report, user=author, **{name: row[name] for name in NARRATIVE}
        )
        report = periodic_services.submit(report=report, user=author)
        sent = local_datetime(f"{row['submitted']}T10:00:00")
        AgencyReport.objects.filter(pk=report.pk).update(submitted_at=sent)
        if row["accepted"]:
            report.refresh_from_db()
            report = periodic_services.accept(report=report, user=coordinator)
            AgencyReport.objects.filter(pk=report.pk).update(
                reviewed_at=sent + datetime.timedelta(days=2)
            )
        created += 1
    return created


@dataclass
class DemoResult:
    logins: list  # (username, role, agency, password)
    plans: list  # the seed plans
    agency_plans: int
    agencies: int
    tasks: int
    updates: int


@transaction.atomic
def load_demo():
    """Load the whole demo, or bring an earlier load up to date; nothing is duplicated."""
    cat = Catalogue()
    catalogues = read_fixture("catalogues.json")
    load_catalogues(cat, catalogues)
    load_agencies(cat, read_fixture("agencies.json"))
    load_groups(cat, catalogues)
    plans = [load_plan(cat, read_fixture(name)) for name in PLAN_FILES]
    logins = load_users(cat, read_fixture("users.json"))
    agency_plans = load_agency_plans(cat, plans[0], read_fixture("agency_plans.json"))
    users = {user.username: user for user in User.objects.filter(
        username__in=[username for username, *_ in logins])}
    updates = load_progress(cat, plans[0], users, read_fixture("progress_2022.json"))
    load_agency_reports(cat, plans[0], users, read_fixture("agency_reports_2022.json"))
    return DemoResult(
        logins=logins,
        plans=plans,
        agency_plans=agency_plans,
        agencies=len(cat.agencies),
        tasks=Task.objects.filter(plan__in=plans).count(),
        updates=updates,
    )
