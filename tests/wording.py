"""How much of a document's wording another one reproduces, in order.

Words are NFC-normalised runs of letters and digits (so that punctuation, dashes of list
items and the line breaks of a PDF do not count); the share is that of the source's words
that a difflib alignment finds again, in the same order, in the rendered text.
"""

import re
import unicodedata
from difflib import SequenceMatcher
from io import BytesIO

WORD = re.compile(r"\w+")


def words(text):
    """The words of ``text``: NFC, split on everything that is not a letter or digit."""
    return WORD.findall(unicodedata.normalize("NFC", text or ""))


def word_share(source_words, rendered_words):
    """The share (0–1) of ``source_words`` found again, in order, in ``rendered_words``."""
    source_words, rendered_words = list(source_words), list(rendered_words)
    if not source_words:
        return 1.0
    matcher = SequenceMatcher(None, source_words, rendered_words, autojunk=False)
    matched = sum(block.size for block in matcher.get_matching_blocks())
    return matched / len(source_words)


def missing_words(source_words, rendered_words, context=6):
    """The runs of source words the rendered text lacks, with a little context (to report)."""
    source_words, rendered_words = list(source_words), list(rendered_words)
    matcher = SequenceMatcher(None, source_words, rendered_words, autojunk=False)
    runs = []
    for tag, i1, i2, _j1, _j2 in matcher.get_opcodes():
        if tag in ("delete", "replace"):
            before = " ".join(source_words[max(0, i1 - context):i1])
            runs.append(f"…{before} [{' '.join(source_words[i1:i2])}]")
    return runs


def pdf_words(content):
    """The words of a PDF (bytes), page after page, as pypdf extracts them."""
    from pypdf import PdfReader

    reader = PdfReader(BytesIO(content))
    return words("\n".join(page.extract_text() for page in reader.pages))


WORDML = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_text(path):
    """A .docx read paragraph by paragraph and table cell by table cell, in body order.

    A cell merged over several grid positions is read once (its ``w:vMerge`` continuations
    are empty); nested tables are read where they sit.
    """
    import zipfile

    from defusedxml import ElementTree

    with zipfile.ZipFile(path) as archive:
        root = ElementTree.fromstring(archive.read("word/document.xml"))
    out = []

    def paragraph(element):
        return "".join(node.text or "" for node in element.iter(WORDML + "t"))

    def block(element):
        if element.tag == WORDML + "p":
            out.append(paragraph(element))
        elif element.tag == WORDML + "tbl":
            for row in element.findall(WORDML + "tr"):
                for cell in row.findall(WORDML + "tc"):
                    for child in cell:
                        block(child)
        elif element.tag == WORDML + "sdt":
            for child in element.iter(WORDML + "sdtContent"):
                for grandchild in child:
                    block(grandchild)

    for element in root.find(WORDML + "body"):
        block(element)
    return "\n".join(out)


def docx_words(path):
    return words(docx_text(path))
