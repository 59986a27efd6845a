"""What a plan file is made of once read: paragraphs and tables in body order."""

import unicodedata
from dataclasses import dataclass, field


class UnreadableFile(Exception):
    """A file refused as a whole; ``message`` is meant for the user (Vietnamese)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass
class Paragraph:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass
class Table:
    """Rows of cell texts; a cell's paragraphs are separated by line breaks."""

    rows: list[list[str]] = field(default_factory=list)
    ruled: bool = True  # False for a PDF's two columns of text without borders

    @property
    def width(self):
        return max((len(row) for row in self.rows), default=0)


def clean_text(text):
    """NFC, no control characters or soft hyphens, single spaces, lines trimmed."""
    text = unicodedata.normalize("NFC", text or "")
    text = text.replace("\u00ad", "").replace("\u200b", "").replace("\xa0", " ")
    text = "".join(ch if ch in "\n\t" or unicodedata.category(ch)[0] != "C" else " " for ch in text)
    lines = (" ".join(line.replace("\t", " ").split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def words(blocks):
    """Every word of ``blocks`` in reading order: paragraphs, then tables cell by cell."""
    found = []
    for block in blocks:
        if isinstance(block, Table):
            for row in block.rows:
                for cell in row:
                    found.extend(cell.split())
        else:
            found.extend(block.text.split())
    return found
