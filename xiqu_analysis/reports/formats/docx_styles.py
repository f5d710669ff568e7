"""The Word version's page, styles and fonts (python-docx), for :mod:`.docx_writer`.

A4 with 2.5 cm margins, 五号 body text, headings, captions, notes and
footnotes; every style (and every run, through :func:`set_fonts`) names its
East Asian font as well as its Latin one, so Word and WPS show the Chinese in
宋体 (body) and 黑体 (headings) without substituting a font. With a template
(``own_styles`` False) the template's styles and page are kept and only the
missing styles are added. The core properties carry no time of writing.
"""
from __future__ import annotations

import re
from datetime import datetime

__all__ = ["HEADING_PT", "TEXT_WIDTH_CM", "W_NS", "SCRIPTS", "ASCII", "qn", "set_fonts", "style_fonts",
           "ensure_style", "set_up_styles", "set_properties", "run_prototype", "append_text"]

#: the WordprocessingML namespace
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#: point size of the headings by level
HEADING_PT = {1: 16, 2: 14, 3: 12, 4: 11}
#: width of the text on a portrait A4 page (21 cm less 2.5 cm margins)
TEXT_WIDTH_CM = 16.0
#: a text split into its ASCII and other pieces (one run each)
SCRIPTS = re.compile(r"([\x00-\x7f]+)")
#: a piece of ASCII text (a run without the East Asian hint)
ASCII = re.compile(r"[\x00-\x7f]*")


def qn(tag: str) -> str:
    """The Clark name of a prefixed tag (``w:rFonts`` -> ``{...main}rFonts``)."""
    from docx.oxml.ns import qn as _ns_qn

    return _ns_qn(tag)


def set_fonts(rpr_parent, latin: str, east_asia: str, hint: bool) -> None:
    """Name the Latin and East Asian fonts on a run's (or a style's) ``w:rPr``."""
    rpr = rpr_parent.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        from docx.oxml import OxmlElement

        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)  # a theme font would win over the names below
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    if hint:
        fonts.set(qn("w:hint"), "eastAsia")  # “ ” 、 and the like in the East Asian font


def run_prototype(latin: str, east_asia: str, hint: bool, *, bold: bool = False, italic: bool = False,
                  superscript: bool = False, size_pt: float | None = None):
    """A ``w:r`` holding only its properties (fonts as :func:`set_fonts` names them, bold, italic,
    superscript, size), made by python-docx: the writer copies it for every run of that kind, and
    :func:`append_text` adds the text, instead of setting each property on every run."""
    from docx.oxml import OxmlElement
    from docx.shared import Pt
    from docx.text.run import Run

    r = OxmlElement("w:r")
    run = Run(r, None)
    set_fonts(r, latin, east_asia, hint)
    run.bold = bold or None
    run.italic = italic or None
    if superscript:
        run.font.superscript = True
    if size_pt:
        run.font.size = Pt(size_pt)
    return r


def append_text(r, text: str) -> None:
    """Add ``text`` to the run ``r`` as python-docx's ``Run.text`` would (one ``w:t``; tabs and line ends
    as ``w:tab`` and ``w:br``)."""
    if not text:
        return
    if "\t" in text or "\n" in text or "\r" in text:
        r.text = text  # python-docx splits it into w:t, w:tab and w:br
        return
    from docx.oxml import OxmlElement

    t = OxmlElement("w:t")
    t.text = text
    if len(text.strip()) < len(text):
        t.set(qn("xml:space"), "preserve")
    r.append(t)


def style_fonts(style, default: tuple[str, str]) -> tuple[str, str]:
    """The (Latin, East Asian) fonts a style names, following its base styles; ``default`` where none."""
    latin = east = None
    while style is not None and (latin is None or east is None):
        rpr = style.element.rPr
        fonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
        if fonts is not None:
            latin = latin or fonts.get(qn("w:ascii"))
            east = east or fonts.get(qn("w:eastAsia"))
        style = style.base_style
    return latin or default[0], east or default[1]


def ensure_style(doc, name: str, kind: str = "paragraph", base: str | None = "Normal"):
    """The document's style ``name``, added (a paragraph style based on ``base``, or a character style) if missing."""
    from docx.enum.style import WD_STYLE_TYPE

    styles = doc.styles
    try:
        return styles[name]
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH if kind == "paragraph" else WD_STYLE_TYPE.CHARACTER)
        if base and kind == "paragraph":
            style.base_style = styles[base]
        return style


def set_up_styles(doc, fonts: dict[str, tuple[str, str]], own_styles: bool, *, bold_headings: bool = True) -> None:
    """The styles a report uses (footnotes, captions, notes); with ``own_styles`` also A4, the body text,
    the headings (bold or not, as the language's locale says) and the fonts (``fonts``: the (Latin,
    East Asian) font of ``body`` and ``heading``); the language tags of ``Normal`` in every case."""
    from docx.shared import Cm, Pt, RGBColor

    footnote = ensure_style(doc, "Footnote Text")
    ref = ensure_style(doc, "Footnote Reference", "character")
    ref.font.superscript = True
    caption = ensure_style(doc, "Caption")
    note = ensure_style(doc, "Report Note")
    if own_styles:
        section = doc.sections[0]
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Cm(2.5))
        normal = doc.styles["Normal"]
        normal.font.size = Pt(10.5)  # 五号
        normal.paragraph_format.space_after = Pt(6)
        normal.paragraph_format.line_spacing = 1.25
        for level, size in HEADING_PT.items():
            heading = doc.styles[f"Heading {level}"]
            heading.font.size, heading.font.color.rgb = Pt(size), RGBColor(0, 0, 0)
            heading.font.bold = bold_headings  # 黑体 is heavy enough
            heading.font.italic = False
            heading.paragraph_format.space_before = Pt(12 if level > 1 else 0)
            heading.paragraph_format.space_after = Pt(6)
            set_fonts(heading.element, *fonts["heading"], False)
        doc.styles["Heading 1"].paragraph_format.alignment = 1  # centred title
        caption.font.size, caption.font.bold, caption.font.italic = Pt(9), True, False
        caption.font.color.rgb = RGBColor(0, 0, 0)
        set_fonts(caption.element, *fonts["heading"], False)
        for style, size in ((footnote, 8), (note, 8.5)):
            style.font.size = Pt(size)
            style.paragraph_format.space_after = Pt(2)
            style.paragraph_format.line_spacing = 1.0
        note.font.color.rgb = RGBColor(0x55, 0x55, 0x55)
        set_fonts(normal.element, *fonts["body"], False)
    for style in (doc.styles["Normal"],):
        rpr = style.element.get_or_add_rPr()
        tag = rpr.find(qn("w:lang"))
        if tag is None:
            from docx.oxml import OxmlElement

            tag = OxmlElement("w:lang")
            rpr.append(tag)
        tag.set(qn("w:val"), "en-GB")  # Latin words break between words, not letters
        tag.set(qn("w:eastAsia"), "zh-CN")


def set_properties(doc, title: str, lang_tag: str) -> None:
    """Title, language tag (the document's; its Latin text is English either way) and author of the file;
    fixed dates, so the bytes do not depend on the time of writing."""
    props = doc.core_properties
    props.title = title
    props.language, props.author, props.comments = lang_tag, "xiqu-analysis", ""
    props.created = props.modified = datetime(2021, 8, 1)
    props.last_modified_by, props.revision = "xiqu-analysis", 1
