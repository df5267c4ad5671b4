"""Measure how much Thai text fits on one A4 page, for bot.analysis.pages.

Run: ``/work/venv/bin/python bench/page_capacity.py [--line-height MM] [--indent MM]``

Method: the realistic answers tagged ``prose`` in tests/data/analysis_cases.yaml are laid out
the way a word processor lays out Thai: Sarabun-Regular (fontpkg-sarabun) at 16 pt with
fpdf2's HarfBuzz text shaping on, A4 with the margins of Thai official documents (top
2.5 cm, bottom 2 cm, left 3 cm, right 2 cm), lines broken at PyThaiNLP word boundaries
(fpdf2 itself breaks only at spaces, which Thai does not put between words), each line
filled while its shaped width fits the 16 cm text width. The broken lines are then
rendered with ``cell`` at the given line height to count how many fit on a page.
Line height and first-line indent default to those of the draft PDF (bot/draft/pdf.py:
16 pt × 1.3 = 7.34 mm, paragraphs indented 25 mm), so the estimate matches the draft.

It prints code points per full line (with and without whitespace), lines per page,
characters per page and what the first-line indent costs; bot/analysis/pages.py carries
the figures as constants.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

import yaml
from fpdf import FPDF

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.analysis.tokens import tokenize  # noqa: E402  (needs the repository on sys.path)

CASES = ROOT / "tests" / "data" / "analysis_cases.yaml"
MARGINS_MM = {"top": 25.0, "bottom": 20.0, "left": 30.0, "right": 20.0}


def sarabun_path() -> str:
    """Return the path of Sarabun-Regular.ttf from the fontpkg-sarabun package."""
    import fontpkg_sarabun

    return os.path.join(os.path.dirname(fontpkg_sarabun.__file__), "files", "Sarabun-Regular.ttf")


def sample_paragraphs() -> list[str]:
    """Return the paragraphs of the realistic answers in the case table."""
    cases = yaml.safe_load(CASES.read_text(encoding="utf-8"))["cases"]
    return [p.strip() for c in cases if "prose" in c.get("tags", ())
            for p in c["text"].split("\n") if p.strip()]


def new_pdf(font_size: float) -> FPDF:
    """Return an A4 document with Thai official margins and shaped Sarabun text."""
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_margins(MARGINS_MM["left"], MARGINS_MM["top"], MARGINS_MM["right"])
    pdf.set_auto_page_break(True, margin=MARGINS_MM["bottom"])
    pdf.add_font("Sarabun", fname=sarabun_path())
    pdf.set_font("Sarabun", size=font_size)
    pdf.set_text_shaping(True)
    pdf.c_margin = 0  # the text width is the full 16 cm, as in a word processor
    pdf.add_page()
    return pdf


def break_lines(pdf: FPDF, paragraph: str, indent: float = 0.0) -> list[str]:
    """Break one paragraph into lines at word boundaries, filling each line to the width."""
    width = pdf.epw - indent
    lines, line = [], ""
    for token in tokenize(paragraph):
        candidate = line + token
        if line and pdf.get_string_width(candidate.rstrip()) > width:
            lines.append(line.rstrip())
            line, width = token.lstrip(), pdf.epw
        else:
            line = candidate
    if line.strip():
        lines.append(line.rstrip())
    return lines


def lines_per_page(pdf: FPDF, lines: list[str], line_height: float) -> int:
    """Render lines one per row and return how many landed on the first page."""
    on_first = 0
    for line in lines:
        pdf.cell(w=0, h=line_height, text=line, new_x="LMARGIN", new_y="NEXT")
        if pdf.page_no() > 1:
            break
        on_first += 1
    return on_first


def draft_layout() -> tuple[float, float]:
    """Return the draft PDF's line height and first-line indent, in millimetres."""
    from bot.draft.pdf import FIRST_LINE_INDENT_MM, LINE_MM

    return LINE_MM, FIRST_LINE_INDENT_MM


def measure(line_height: float, font_size: float, indent: float) -> dict[str, float]:
    """Lay out the sample and return the per-line and per-page figures."""
    pdf = new_pdf(font_size)
    full_lines: list[str] = []
    all_lines: list[str] = []
    for paragraph in sample_paragraphs():
        lines = break_lines(pdf, paragraph)
        all_lines.extend(lines)
        full_lines.extend(lines[:-1])  # a paragraph's last line is short by nature
    per_line = statistics.mean(len(line) for line in full_lines)
    per_line_visible = statistics.mean(len("".join(line.split())) for line in full_lines)
    rows = lines_per_page(pdf, all_lines * 3, line_height)
    return {"full_lines": len(full_lines), "chars_per_line": per_line,
            "indent_chars": per_line * indent / pdf.epw,
            "visible_chars_per_line": per_line_visible, "lines_per_page": rows,
            "chars_per_page": per_line * rows, "visible_chars_per_page": per_line_visible * rows}


def check_estimate(indent: float, font_size: float) -> tuple[int, int]:
    """Return (lines laid out, lines estimated by bot.analysis.pages) for the sample answers."""
    from bot.analysis.pages import count_lines

    pdf = new_pdf(font_size)
    cases = yaml.safe_load(CASES.read_text(encoding="utf-8"))["cases"]
    texts = [c["text"] for c in cases if "prose" in c.get("tags", ())]
    laid_out = sum(len(break_lines(pdf, p.strip(), indent))
                   for text in texts for p in text.split("\n") if p.strip())
    return laid_out, sum(count_lines(text) for text in texts)


def main(argv: list[str]) -> int:
    """Print the page capacity figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    line_mm, indent_mm = draft_layout()
    parser.add_argument("--line-height", type=float, default=line_mm,
                        help=f"mm (default {line_mm:.2f}, as the draft PDF)")
    parser.add_argument("--indent", type=float, default=indent_mm,
                        help=f"first-line indent in mm (default {indent_mm:g}, as the draft PDF)")
    parser.add_argument("--font-size", type=float, default=16.0, help="pt (default 16)")
    args = parser.parse_args(argv)
    f = measure(args.line_height, args.font_size, args.indent)
    print(f"Sarabun-Regular {args.font_size:g} pt, A4, margins T2.5 B2 L3 R2 cm, "
          f"line height {args.line_height:.2f} mm, first-line indent {args.indent:g} mm, "
          f"text shaping on")
    print(f"full lines measured:               {f['full_lines']}")
    print(f"code points per full line:         {f['chars_per_line']:.1f}"
          f"  (without whitespace {f['visible_chars_per_line']:.1f})")
    print(f"first-line indent costs:           {f['indent_chars']:.1f} code points per paragraph")
    print(f"lines per page:                    {f['lines_per_page']}")
    print(f"code points per full page:         {f['chars_per_page']:.0f}"
          f"  (without whitespace {f['visible_chars_per_page']:.0f})")
    laid_out, estimated = check_estimate(args.indent, args.font_size)
    print(f"sample answers, lines laid out with the indent: {laid_out}; "
          f"estimated by bot.analysis.pages: {estimated}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
