"""Where printed titles break their lines: between words, never inside a compound.

Vietnamese writes each syllable as a word, so a browser may end a line on "cải" and start
the next with "cách". Titles of administrative documents are broken by hand in print, of
even lengths and between whole words ("cải cách", "hành chính", "quý I", "năm 2022"); the
plan and report documents take their title lines from ``balanced_lines``.
"""

import re

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

# Compounds of the titles of administrative-reform plans and reports (lower case). Three
# syllables before two: "chuyển đổi số" is one unit, not "chuyển đổi" + "số".
COMPOUNDS = frozenset(
    """
    cải cách|hành chính|tuyên truyền|kế hoạch|thực hiện|nhiệm vụ|trọng điểm|kết quả
    ủy ban|nhân dân|hội đồng|nội vụ|khánh hòa|ninh thuận|thành phố|thị xã|thị trấn
    giai đoạn|chuyển đổi số|chuyển đổi|công nghệ|thông tin|truyền thông|cơ quan|đơn vị
    hiện đại hóa|công chức|viên chức|cán bộ|kinh tế|xã hội|phát triển|chính quyền|điện tử
    chính phủ|báo cáo|triển khai|quyết định|ban hành|kèm theo|tổ chức|hoạt động|đánh giá
    nâng cao|chất lượng|hiệu quả|dịch vụ|công tác|thủ tục|quản lý|nhà nước|pháp luật
    chỉ số|hài lòng|người dân|doanh nghiệp|phụ lục|phân công|chủ trì|phối hợp|số liệu
    tình hình|ứng dụng|chính sách|truyền thống|trực tuyến|hình thức|cơ sở|dữ liệu|văn bản
    hành động|chương trình|đề án|tổng thể|đẩy mạnh|tăng cường|kiến nghị|đề xuất
    việt nam|cộng hòa|chủ nghĩa|độc lập|tự do|hạnh phúc|trung ương|địa phương|tỉnh ủy
    """.replace("\n", "|").split("|")
)
COMPOUNDS = frozenset(" ".join(word.split()) for word in COMPOUNDS if word.strip())
LONGEST = max(len(compound.split()) for compound in COMPOUNDS)
# A word that names a period stays with its number: "quý I", "năm 2022", "6 tháng".
WITH_NUMBER = re.compile(r"^(?:quý|năm|tháng|giai đoạn)$", re.IGNORECASE)
NUMBER = re.compile(r"^(?:[IVX]+|\d{1,4}(?:[-–]\d{2,4})?)[,.;:)]*$")


def units(text):
    """The words of ``text`` grouped into units a line never breaks: compounds, "quý I"."""
    words = text.split()
    out, i = [], 0
    while i < len(words):
        for size in range(min(LONGEST, len(words) - i), 1, -1):
            candidate = " ".join(words[i : i + size]).lower().strip(",.;:()“”\"")
            if candidate in COMPOUNDS:
                break
        else:
            size = 1
        unit = " ".join(words[i : i + size])
        i += size
        # The number after a period word ("quý I", "năm 2022", "giai đoạn 2021-2025").
        last = unit.split()[-1] if size == 1 else unit
        if i < len(words) and WITH_NUMBER.match(last) and NUMBER.match(words[i]):
            unit += " " + words[i]
            i += 1
        out.append(unit)
    return out


def _balance(pieces, count):
    """``pieces`` in ``count`` lines whose longest is as short as can be (dynamic programme)."""

    def length(i, j):
        return sum(len(piece) for piece in pieces[i:j]) + (j - i - 1)

    n = len(pieces)
    best = [[None] * (n + 1) for _ in range(count + 1)]
    cut = [[0] * (n + 1) for _ in range(count + 1)]
    best[0][0] = 0
    for k in range(1, count + 1):
        for j in range(k, n + 1):
            for i in range(k - 1, j):
                if best[k - 1][i] is None:
                    continue
                worst = max(best[k - 1][i], length(i, j))
                if best[k][j] is None or worst < best[k][j]:
                    best[k][j], cut[k][j] = worst, i
    lines, j = [], n
    for k in range(count, 0, -1):
        i = cut[k][j]
        lines.append(" ".join(pieces[i:j]))
        j = i
    return lines[::-1]


def balanced_lines(text, capacity):
    """Split ``text`` into as few lines as fit ``capacity`` characters, of even lengths.

    Titles are broken by hand in printed documents ("Ban hành Kế hoạch … / tỉnh Khánh Hòa
    năm 2022"), never leaving one word alone on the last line as a browser would, and never
    inside a compound ("cải / cách") when a break between compounds fits as well.
    """
    words = text.split()
    text = " ".join(words)
    count = -(-len(text) // capacity)
    if count <= 1 or len(words) < 2:
        return [text]
    grouped = units(text)
    if len(grouped) >= count:
        lines = _balance(grouped, count)
        if max(len(line) for line in lines) <= capacity:
            return lines
    return _balance(words, min(count, len(words)))


URL = re.compile(r"(https?://[^\s/<>“”\"]+)")


def unbroken_urls(text):
    """Escaped ``text`` whose URLs keep their scheme and host on one line ("https://" never
    ends a line); the path may still break at its slashes."""
    parts = URL.split(str(text))
    out = []
    for index, part in enumerate(parts):
        if index % 2:
            out.append(format_html('<span class="url">{}</span>', part))
        else:
            out.append(conditional_escape(part))
    return mark_safe("".join(out))
