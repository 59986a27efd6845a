"""The Word building blocks (documents/docx.py) on their own."""

import io

import docx
from docx.enum.section import WD_ORIENT
from PIL import Image

from documents.docx import grid_table, new_document, new_section, svg_png, text_width


def test_a_chart_keeps_its_proportions_whatever_the_case_of_viewbox():
    # lxml's HTML parser gives the attribute back as "viewbox".
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" viewbox="0 0 360 310" width="100%">'
           '<rect x="0" y="290" width="360" height="20" fill="#000"/></svg>')
    image = Image.open(io.BytesIO(svg_png(svg)))
    assert abs(image.height / image.width - 310 / 360) < 0.02
    # The rectangle at the very bottom is drawn, not cut off.
    assert image.getpixel((image.width // 2, image.height - 3))[:3] == (0, 0, 0)


def test_sections_tables_and_page_number_survive_a_save():
    document = new_document()
    grid_table(document, ["STT", "Nhiệm vụ"], [[1, "Tổ chức hội nghị"]],
               width=text_width(document.sections[-1]))
    new_section(document, landscape=True)
    buffer = io.BytesIO()
    document.save(buffer)
    reread = docx.Document(io.BytesIO(buffer.getvalue()))
    first, annex = reread.sections
    assert first.different_first_page_header_footer
    assert [n.text.strip() for n in first.header._element.xpath(".//w:instrText")] == ["PAGE"]
    assert (annex.orientation, annex.page_width > annex.page_height) == (WD_ORIENT.LANDSCAPE,
                                                                         True)
    table = reread.tables[0]
    assert [c.text for c in table.rows[1].cells] == ["1", "Tổ chức hội nghị"]
    assert table.rows[0]._tr.xpath("./w:trPr/w:tblHeader")
