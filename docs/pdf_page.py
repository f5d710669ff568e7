"""Render one page of a report's PDF to PNG (the README's picture of a Chinese PDF page).

    .venv/bin/xiqu run scenarios/plan_targets.yaml --language zh --formats pdf
    .venv/bin/python docs/pdf_page.py outputs/latest/scenario_report-plan_targets/scenario_report-plan_targets.pdf

Options: ``--page N`` (1-based, default 1), ``--out FILE`` (default docs/report-pdf-zh.png).
The page is drawn by PDFium (pypdfium2, a test dependency) from the fonts embedded in the PDF.
"""
from __future__ import annotations

import argparse
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdf", type=Path)
    parser.add_argument("--page", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("report-pdf-zh.png"))
    args = parser.parse_args()
    import pypdfium2 as pdfium

    page = pdfium.PdfDocument(str(args.pdf))[args.page - 1]
    image = page.render(scale=1.4).to_pil().convert("RGB").quantize(colors=64, method=2)
    image.save(args.out, optimize=True)
    print(args.out)


if __name__ == "__main__":
    main()
