"""Both catalogues, Vietnamese and English: complete, without fuzzy guesses, placeholders kept,
and used.

The .po file is read with a small parser (polib is not a dependency); the rendering tests need
the compiled .mo, which `make test` builds (and which is compiled here too if missing or stale).
"""

import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models.fields import BLANK_CHOICE_LABEL
from django.utils import translation
from django.utils.translation import gettext_lazy, trans_real

from plans.periods import make_period
from tests.factories import UserFactory

LOCALE = Path(settings.BASE_DIR) / "locale"
PO_FILE = LOCALE / "vi" / "LC_MESSAGES" / "django.po"
MO_FILE = PO_FILE.with_suffix(".mo")
EN_PO_FILE = LOCALE / "en" / "LC_MESSAGES" / "django.po"

# Entries whose Vietnamese is rightly the same as the English.
SAME_IN_VIETNAMESE = {"Excel (xlsx)", "Word (docx)", "PAR INDEX, PCI, SIPAS…"}

# %(name)s, %(month)02d, %s, %d, %%; {name}; HTML tags.
PERCENT = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifr%]")
BRACES = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")
TAGS = re.compile(r"</?[A-Za-z][^>]*>")
ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _unquote(text):
    text = text.strip()
    assert text.startswith('"') and text.endswith('"'), text
    return re.sub(r"\\(.)", lambda m: ESCAPES.get(m.group(1), "\\" + m.group(1)), text[1:-1])


def parse_po(path):
    """Entries of a .po file as dicts: flags, msgctxt, msgid, msgid_plural, msgstr (list)."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry = {"flags": set(), "msgstr": {}}
        keyword = None
        for line in block.strip().splitlines():
            if line.startswith("#~"):  # obsolete entry: not part of the catalogue
                entry = None
                break
            if line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                value = _unquote(line)
                if keyword.startswith("msgstr"):
                    entry["msgstr"][keyword] += value
                else:
                    entry[keyword] += value
            else:
                keyword, rest = line.split(" ", 1)
                if keyword.startswith("msgstr"):
                    entry["msgstr"][keyword] = _unquote(rest)
                else:
                    entry[keyword] = _unquote(rest)
        if entry is not None and "msgid" in entry:
            entries.append(entry)
    return entries


ENTRIES = parse_po(PO_FILE)
HEADER = next(entry for entry in ENTRIES if entry["msgid"] == "")
MESSAGES = [entry for entry in ENTRIES if entry["msgid"] != ""]
EN_ENTRIES = parse_po(EN_PO_FILE)
EN_HEADER = next(entry for entry in EN_ENTRIES if entry["msgid"] == "")
EN_MESSAGES = [entry for entry in EN_ENTRIES if entry["msgid"] != ""]
CATALOGUES = pytest.mark.parametrize(
    ("entries", "messages"),
    [(ENTRIES, MESSAGES), (EN_ENTRIES, EN_MESSAGES)],
    ids=["vi", "en"],
)


def _name(entry):
    return f"{entry.get('msgctxt', '')}|{entry['msgid'][:60]}"


def _placeholders(text):
    percent = Counter(PERCENT.findall(text))
    return (
        {p for p in percent if p.startswith("%(")},
        sorted(p for p, n in percent.items() if not p.startswith("%(") for _ in range(n)),
        sorted(BRACES.findall(text)),
        sorted(TAGS.findall(text)),
    )


def test_header_declares_vietnamese_with_a_single_plural_form():
    header = HEADER["msgstr"]["msgstr"]
    assert "Language: vi\n" in header
    assert "Plural-Forms: nplurals=1; plural=0;\n" in header
    assert "charset=UTF-8" in header


def test_english_header_declares_english_with_two_plural_forms():
    header = EN_HEADER["msgstr"]["msgstr"]
    assert "Language: en\n" in header
    assert "Plural-Forms: nplurals=2; plural=(n != 1);\n" in header
    assert "charset=UTF-8" in header


def test_catalogue_is_not_empty():
    assert len(MESSAGES) > 500


def test_both_catalogues_hold_the_same_messages():
    """A string added to one catalogue only (makemessages run for one language) is missing."""
    def keys(messages):
        return {(entry.get("msgctxt", ""), entry["msgid"]) for entry in messages}

    assert sorted(keys(MESSAGES) ^ keys(EN_MESSAGES)) == []


@CATALOGUES
def test_no_entry_is_untranslated(entries, messages):
    untranslated = [
        _name(entry)
        for entry in messages
        if not entry["msgstr"] or any(not text.strip() for text in entry["msgstr"].values())
    ]
    assert untranslated == []


@CATALOGUES
def test_no_entry_is_fuzzy(entries, messages):
    assert [_name(entry) for entry in entries if "fuzzy" in entry["flags"]] == []


def test_plural_entries_have_exactly_one_form():
    plurals = [entry for entry in MESSAGES if "msgid_plural" in entry]
    assert plurals
    assert [_name(e) for e in plurals if set(e["msgstr"]) != {"msgstr[0]"}] == []


def test_no_translation_is_a_copy_of_the_english():
    copies = [
        _name(entry)
        for entry in MESSAGES
        if entry["msgid"] not in SAME_IN_VIETNAMESE and entry["msgid"] in entry["msgstr"].values()
    ]
    assert copies == []


def _mismatches(entry):
    named, positional, braces, tags = _placeholders(entry["msgid"])
    if "msgid_plural" in entry:
        # One Vietnamese form serves every number, so it carries the plural's placeholders.
        plural = _placeholders(entry["msgid_plural"])
        named |= plural[0]
        positional, braces, tags = plural[1:]
    expected = (named, positional, braces, tags)
    return [text for text in entry["msgstr"].values() if _placeholders(text) != expected]


def test_every_translation_keeps_the_placeholders():
    broken = {_name(entry): _mismatches(entry) for entry in MESSAGES if _mismatches(entry)}
    assert broken == {}


def test_english_translations_are_the_msgids():
    """The msgids are the English text; anything else is a leftover of a fuzzy match."""
    def differs(entry):
        if "msgid_plural" in entry:
            return entry["msgstr"] != {
                "msgstr[0]": entry["msgid"], "msgstr[1]": entry["msgid_plural"]
            }
        return entry["msgstr"] != {"msgstr": entry["msgid"]}

    assert [_name(entry) for entry in EN_MESSAGES if differs(entry)] == []


def test_english_plurals_have_a_singular_and_a_plural_form():
    plurals = [entry for entry in EN_MESSAGES if "msgid_plural" in entry]
    assert plurals
    assert [_name(e) for e in plurals if set(e["msgstr"]) != {"msgstr[0]", "msgstr[1]"}] == []


def test_every_english_translation_keeps_the_placeholders():
    def broken(entry):
        source = {"msgstr": entry["msgid"], "msgstr[0]": entry["msgid"]}
        source["msgstr[1]"] = entry.get("msgid_plural", "")
        return [
            text
            for form, text in entry["msgstr"].items()
            if _placeholders(text) != _placeholders(source[form])
        ]

    assert {_name(entry): broken(entry) for entry in EN_MESSAGES if broken(entry)} == {}


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext's msgfmt is not installed")
@pytest.mark.parametrize("po_file", [PO_FILE, EN_PO_FILE], ids=["vi", "en"])
def test_msgfmt_accepts_the_catalogue(po_file):
    result = subprocess.run(
        ["msgfmt", "--check", "--output-file=/dev/null", str(po_file)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def compiled_catalogue():
    """The .mo as `make messages` builds it; rebuilt when missing or older than the .po."""
    stale = [
        po.parent.parent.name
        for po in (PO_FILE, EN_PO_FILE)
        if not po.with_suffix(".mo").exists()
        or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime
    ]
    if stale:
        call_command("compilemessages", locale=stale, ignore_patterns=[".venv"], verbosity=0)
        # Catalogues already loaded by this process are cached: drop them.
        trans_real._translations = {}
        trans_real._default = None
        trans_real.translation_catalog_exists.cache_clear()
    return MO_FILE


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("M03", "Tháng 03/2022"),
        ("Q1", "Quý I/2022"),
        ("Q2", "Quý II/2022"),
        ("H1", "6 tháng đầu năm 2022"),
        ("M9", "9 tháng đầu năm 2022"),
        ("Y", "Năm 2022"),
    ],
)
def test_period_labels_read_as_vietnamese_documents_write_them(compiled_catalogue, code, label):
    with translation.override("vi"):
        assert make_period(2022, code).label == label


def test_login_page_is_in_vietnamese(compiled_catalogue, client, db):
    with translation.override("vi"):
        response = client.get("/accounts/login/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "Đăng nhập" in content
    assert "Log in" not in content


def test_plan_list_navigation_is_in_vietnamese(compiled_catalogue, client, db):
    client.force_login(UserFactory(role="coordinator"))
    with translation.override("vi"):
        response = client.get("/plans/")
    content = response.content.decode()
    assert response.status_code == 200
    for words in ["Kế hoạch tuyên truyền CCHC", "Kế hoạch", "Đổi mật khẩu", "Đăng xuất"]:
        assert words in content
    for words in ["Change password", "Log out", "No plan yet."]:
        assert words not in content


def test_officer_navigation_names_the_agency_work_list(compiled_catalogue, client, db):
    client.force_login(UserFactory(role="agency_officer"))
    with translation.override("vi"):
        response = client.get("/plans/")
    content = response.content.decode()
    assert "Việc của đơn vị" in content
    assert "Báo cáo định kỳ" in content


def test_plan_list_is_in_english_under_en(compiled_catalogue, client, db):
    client.force_login(UserFactory(role="coordinator"))
    response = client.get("/en/plans/")
    content = response.content.decode()
    assert response.status_code == 200
    for words in ["Change password", "Log out", 'name="language" value="vi"']:
        assert words in content
    for words in ["Đổi mật khẩu", "Đăng xuất"]:
        assert words not in content


def test_language_switch_keeps_the_page(compiled_catalogue, client, db):
    client.force_login(UserFactory(role="coordinator"))
    page = client.get("/plans/?year=2022").content.decode()
    assert 'action="/i18n/setlang/"' in page and 'lang="en">English</button>' in page
    response = client.post(
        "/i18n/setlang/", {"language": "en", "next": "/plans/?year=2022"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/en/plans/?year=2022"
    back = client.post("/i18n/setlang/", {"language": "vi", "next": "/en/plans/?year=2022"})
    assert back["Location"] == "/plans/?year=2022"


@pytest.mark.parametrize(
    ("text", "vietnamese"),
    [
        (BLANK_CHOICE_LABEL, "- Chọn một mục -"),  # Django 6.1's, not in its own catalogue
        (gettext_lazy("Changed by"), "Người thay đổi"),  # django-simple-history's admin
        (gettext_lazy("Multiple values may be separated by commas."), "Có thể nhập nhiều"),
    ],
)
def test_library_strings_are_in_vietnamese(compiled_catalogue, text, vietnamese):
    with translation.override("vi"):
        assert str(text).startswith(vietnamese)
