"""How agency names are matched: one rule for imports and search.

A name matches whatever way a plan writes it: with or without diacritics and case, with the
usual abbreviations ("UBND", "HĐND", "Sở TT&TT", "KH&ĐT", "BHXH tỉnh", "Đài PTTH"), with or
without the province's name after it ("Sở Tư pháp" and "Sở Tư pháp tỉnh Khánh Hòa").
"""

import functools
import re

from cchc_plans.search import fold

# Abbreviations of several words, read on the folded text before it is cut into words.
PHRASES = [
    (re.compile(r"\btt\s*&\s*tt\b"), "thong tin va truyen thong"),
    (re.compile(r"\bkh\s*&\s*dt\b"), "ke hoach va dau tu"),
    (re.compile(r"\bkh\s*&\s*cn\b"), "khoa hoc va cong nghe"),
    (re.compile(r"\bgd\s*&\s*dt\b"), "giao duc va dao tao"),
    (re.compile(r"\btn\s*&\s*mt\b"), "tai nguyen va moi truong"),
    (re.compile(r"\bnn\s*&\s*ptnt\b"), "nong nghiep va phat trien nong thon"),
    (re.compile(r"\bvh\s*,?\s*tt\s*&\s*dl\b"), "van hoa the thao va du lich"),
    (re.compile(r"\bldtb\s*&\s*xh\b"), "lao dong thuong binh va xa hoi"),
]
# Words plans abbreviate in agency names ("UBND TP Nha Trang"), read as written out.
ABBREVIATIONS = {
    "ubnd": "uy ban nhan dan",
    "hdnd": "hoi dong nhan dan",
    "tp": "thanh pho",
    "tx": "thi xa",
    "bhxh": "bao hiem xa hoi",
    "vp": "van phong",
    "ptth": "phat thanh va truyen hinh",
    "mttq": "mat tran to quoc",
    "tttt": "thong tin va truyen thong",
    "khdt": "ke hoach va dau tu",
    "khcn": "khoa hoc va cong nghe",
    "gddt": "giao duc va dao tao",
    "tnmt": "tai nguyen va moi truong",
    "gtvt": "giao thong van tai",
    "ldtbxh": "lao dong thuong binh va xa hoi",
    "vhttdl": "van hoa the thao va du lich",
    "nnptnt": "nong nghiep va phat trien nong thon",
    "knnn": "kho bac nha nuoc",
    "&": "va",
}
_WORD = re.compile(r"&|[^\W_]+")


@functools.lru_cache(maxsize=8192)
def name_key(name):
    """How a name is matched: without diacritics, case or punctuation, abbreviations expanded."""
    text = fold(name)
    for pattern, replacement in PHRASES:
        text = pattern.sub(replacement, text)
    return " ".join(ABBREVIATIONS.get(word, word) for word in _WORD.findall(text))


def without_locality(key, localities):
    """``key`` without a trailing "tinh", "tinh khanh hoa" or "khanh hoa" of its province."""
    for locality in localities:
        for tail in (f" tinh {locality}", f" {locality}"):
            if key.endswith(tail) and len(key) > len(tail):
                return key[: -len(tail)]
    if key.endswith(" tinh") and len(key) > 5:
        return key[:-5]
    return key


def province_of(agency, by_pk):
    """The top of ``agency``'s tree (its province), from agencies indexed by pk."""
    seen = set()
    while agency.parent_id and agency.parent_id in by_pk and agency.parent_id not in seen:
        seen.add(agency.pk)
        agency = by_pk[agency.parent_id]
    return agency


def locality_of(province):
    """ "khanh hoa" for "Ủy ban nhân dân tỉnh Khánh Hòa"."""
    key = name_key(province.name)
    for prefix in ("uy ban nhan dan tinh ", "uy ban nhan dan thanh pho ", "uy ban nhan dan "):
        if key.startswith(prefix):
            return key[len(prefix):]
    return ""


class AgencyIndex:
    """The agencies and groups of the installation, indexed once by their names' keys.

    ``find(name)`` prefers what belongs to ``province`` (its tree, its groups): two merged
    provinces both have a "Sở Nội vụ". A dissolved agency gives its current successor.
    """

    def __init__(self, province=None):
        from .models import Agency, AgencyGroup

        agencies = list(Agency.objects.select_related("successor"))
        by_pk = {agency.pk: agency for agency in agencies}
        self.province = province
        self.localities = sorted(
            {locality_of(a) for a in agencies if a.parent_id is None} - {""}, key=len,
            reverse=True,
        )
        self.agencies = {}  # key -> {province pk: agency}
        for agency in agencies:
            root = province_of(agency, by_pk)
            target = agency.current() if agency.is_dissolved else agency
            for text in (agency.name, agency.short_name, agency.code):
                if not text:
                    continue
                for key in {name_key(text), without_locality(name_key(text), self.localities)}:
                    self.agencies.setdefault(key, {}).setdefault(root.pk, target)
        self.groups = {}
        for group in AgencyGroup.objects.all():
            for wording in group.wordings():
                key = name_key(wording)
                self.groups.setdefault(key, {})[group.province_id] = group

    def find(self, name):
        """The agency or group ``name`` stands for, or None."""
        key = name_key(name)
        if not key:
            return None
        for candidate in (key, without_locality(key, self.localities)):
            found = self._pick(self.groups.get(candidate))
            if found is None:
                found = self._pick(self.agencies.get(candidate))
            if found is not None:
                return found
        return None

    def _pick(self, by_province):
        if not by_province:
            return None
        province = self.province.pk if self.province is not None else None
        if province in by_province:
            return by_province[province]
        if None in by_province:
            return by_province[None]
        if len(by_province) == 1 and province is None:
            return next(iter(by_province.values()))
        return None


# Written-out words → their abbreviation, longest first ("thong tin va truyen thong" → "tttt").
_CONTRACTIONS = sorted(
    ((expansion, short) for short, expansion in ABBREVIATIONS.items() if " " in expansion),
    key=lambda pair: len(pair[0]),
    reverse=True,
)


def search_key(*texts):
    """The words an agency picker's search box matches for an agency or group named ``texts``.

    Each text's ``name_key`` (abbreviations written out) and the same key abbreviated again,
    so that "uy ban huyen" and "ubnd huyen" both find "UBND các huyện", "tttt" and
    "thong tin" both find "Sở Thông tin và Truyền thông". static/js/agency-picker.js folds
    the query as ``fold`` does, joins "tt & tt" into "tttt" and looks for each of its words at
    the start of one of these words: the matching rules stay here.
    """
    words = []
    for text in texts:
        key = name_key(text) if text else ""
        if not key:
            continue
        contracted = f" {key} "
        for expansion, short in _CONTRACTIONS:
            contracted = contracted.replace(f" {expansion} ", f" {short} ")
        words += key.split() + contracted.split()
    return " ".join(dict.fromkeys(words))
