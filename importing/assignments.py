"""Who does a key task, read from the plan's own words.

"Sở Kế hoạch và Đầu tư chủ trì, phối hợp với Văn phòng UBND tỉnh, các sở, ngành, hiệp hội có
liên quan …" or "- Sở Tư pháp chủ trì / - Các sở, ngành, đơn vị, UBND cấp huyện thực hiện theo
phân công": names before "chủ trì" lead, names after "phối hợp (với)" or "mời" coordinate,
the names a line starts with do the work (they lead, unless a lead was named with "chủ trì",
then they coordinate). What follows a verb ("tham mưu UBND tỉnh tổ chức") is the work, not
an agency. "… có liên quan" is left out; a name nothing matches is kept as written.
"""

import re
import unicodedata
from dataclasses import dataclass, field

LEAD = "lead"
COORDINATOR = "coordinator"
STOP = "stop"
MARKERS = re.compile(
    r"(?P<lead>\bchu tri\b)"
    r"|(?P<coordinator>\bphoi hop(?: voi| cung)?\b|\bmoi\b|\bcung voi\b)"
    r"|(?P<stop>\b(?:tham muu|thuc hien|trien khai|to chuc|chi dao|huong dan|tham gia|ho tro"
    r"|chu dong|lua chon|xac dinh|nghien cuu|theo phan cong|de nghi|bao cao|tong hop|theo doi"
    r"|kiem tra|xay dung|phu trach|dam bao)\b|;|\.(?=\s|$))"
)
ABBREVIATION = re.compile(r"^[A-ZĐ&.\- ]{2,15}$")
MAX_ITEMS = 40


@dataclass
class ReadAssignment:
    leads: list = field(default_factory=list)          # what ``find`` returned, in order
    coordinators: list = field(default_factory=list)
    unmatched_leads: list = field(default_factory=list)          # names as written
    unmatched_coordinators: list = field(default_factory=list)

    @property
    def unmatched(self):
        return [*self.unmatched_leads, *self.unmatched_coordinators]


def fold_aligned(text):
    """``text`` folded (lower case, no diacritics) character by character: same length."""
    out = []
    for ch in text:
        if ch.isspace():
            out.append(" ")
            continue
        base = unicodedata.normalize("NFD", ch.replace("đ", "d").replace("Đ", "D"))
        base = "".join(c for c in base if unicodedata.category(c) != "Mn").lower()
        out.append(base[:1] or ch)
    return "".join(out)


def read_assignment(text, find):
    """Leads and coordinators of an assignment cell; ``find(name)`` matches a name."""
    result = ReadAssignment()
    lead_marked = False
    for segment in _segments(text or ""):
        original = _without_remarks(unicodedata.normalize("NFC", segment))
        folded = fold_aligned(original)
        markers = [
            (m.start(), m.end(), m.lastgroup) for m in MARKERS.finditer(folded)
            # "moi" is "mời" (invite), not "Môi" of "Tài nguyên và Môi trường"
            if m.group() != "moi" or original[m.start():m.end()].lower() == "mời"
        ]
        pieces, position, previous = [], 0, None
        for start, end, kind in [*markers, (len(original), len(original), None)]:
            pieces.append((previous, original[position:start], kind))
            position, previous = end, kind
        for before, piece, after in pieces:
            if after == LEAD:
                role = LEAD
                lead_marked = True
            elif before == COORDINATOR:
                role = COORDINATOR
            elif before is None and after == COORDINATOR:
                role = LEAD
            elif before is None:
                has_lead = result.leads or result.unmatched_leads
                role = COORDINATOR if has_lead and lead_marked else LEAD
            else:
                continue  # the work itself ("tham mưu UBND tỉnh tổ chức")
            matched, unmatched = split_names(piece, find)
            if role == LEAD:
                _extend(result.leads, matched)
                _extend(result.unmatched_leads, unmatched)
            else:
                _extend(result.coordinators, matched)
                _extend(result.unmatched_coordinators, unmatched)
    result.coordinators = [c for c in result.coordinators if c not in result.leads]
    return result


def _extend(target, items):
    target.extend(item for item in items if item not in target)


def _segments(text):
    """Lines of a cell: a line starting with a dash begins a segment, others continue it."""
    segments = []
    for line in text.replace("\r", "\n").split("\n"):
        line = line.strip()
        if not line:
            continue
        if line[:1] in "-–+•" or not segments:
            segments.append(line.lstrip("-–+• ").strip())
        else:
            segments[-1] = f"{segments[-1]} {line}"
    return segments


def _without_remarks(text):
    """Parenthesised remarks blanked out, an abbreviation in brackets ("(VCCI)") kept."""

    def blank(match):
        inner = match.group(0)[1:-1].strip()
        return match.group(0) if ABBREVIATION.match(inner) else " " * len(match.group(0))

    return re.sub(r"\([^()]*\)", blank, text)


def split_names(piece, find):
    """(matched, unmatched) in a list of names: "Văn phòng UBND tỉnh, các sở, ngành …"."""
    piece = re.sub(r"\.{2,}|…", ",", piece).strip(" ,.;:-–")
    prefixes = [""]
    if ":" in piece:
        intro, piece = piece.split(":", 1)
        intro = fold_aligned(intro)
        prefixes = (["Sở "] if "so" in intro.split() else []) + [""]
        if "nganh" in intro.split():
            prefixes += ["Cục ", "Sở "]
        if "ban" in intro.split():
            prefixes += ["Ban "]
    parts = re.split(r"(,|;|\s+và\s+|\s+cùng\s+|\s+với\s+)", piece)
    items = [part.strip() for part in parts[0::2]]
    separators = parts[1::2]
    keep = [bool(item) for item in items]
    # "… các sở, ngành, hiệp hội có liên quan": the vague tail and the lower-case words before it.
    for index, item in enumerate(items):
        if "lien quan" in fold_aligned(item):
            keep[index] = False
            back = index - 1
            while back >= 0 and items[back][:1].islower():
                keep[back] = False
                back -= 1
    spans = [index for index, kept in enumerate(keep) if kept][:MAX_ITEMS]
    matched, unmatched, run, last_text = [], [], [], ""
    position = 0
    while position < len(spans):
        found = None
        for stop in range(len(spans), position, -1):
            chosen = spans[position:stop]
            if chosen != list(range(chosen[0], chosen[-1] + 1)):
                continue
            candidate = _join(items, separators, chosen[0], chosen[-1])
            found = _find(candidate, prefixes, last_text, find)
            if found is not None:
                matched.append(found)
                last_text = candidate
                if run:
                    unmatched.append(_join_run(items, separators, run))
                    run = []
                position = stop
                break
        if found is None:
            if run and spans[position] != run[-1] + 1:
                unmatched.append(_join_run(items, separators, run))
                run = []
            run.append(spans[position])
            position += 1
    if run:
        unmatched.append(_join_run(items, separators, run))
    return matched, [name for name in unmatched if re.search(r"\w", name)]


def _find(candidate, prefixes, last_text, find):
    tries = [prefix + candidate for prefix in prefixes]
    if fold_aligned(candidate).startswith("cap ") and fold_aligned(last_text).startswith(
        ("ubnd", "uy ban nhan dan")
    ):
        tries.append(f"UBND {candidate}")  # "UBND cấp huyện, cấp xã"
    for text in tries:
        found = find(text)
        if found is not None:
            return found
    return None


def _join(items, separators, first, last):
    text = items[first]
    for index in range(first, last):
        text += separators[index] + (" " if separators[index] in ",;" else "") + items[index + 1]
    return text


def _join_run(items, separators, run):
    return _join(items, separators, run[0], run[-1])
