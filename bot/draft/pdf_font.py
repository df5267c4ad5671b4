"""Sarabun for fpdf2, with each glyph's ToUnicode text the text it really draws.

fpdf2 shapes with HarfBuzz, one cluster per character, and gives a cluster's text to its
first glyph. Thai breaks that in two ways that PDF viewers which place text by glyph
boxes (poppler's ``pdftotext``, most viewers' copy) show as spaces inside words:

* sara am (U+0E33) becomes two glyphs, a zero-width nikhahit and a sara aa with the
  advance; fpdf2 gives the text to the nikhahit, so the sara aa's box holds no text and
  reads as a gap (``...`` U+0E2A U+0E33 `` `` U+0E04 ...);
* vowels and tone marks above and below have no advance and are moved left by HarfBuzz,
  so their text lands before or beside the base's and viewers reorder or split it.

:class:`ThaiFont` gives each cluster's text to the cluster's last glyph with an advance
(the sara aa, for sara am), and the text of a cluster of marks only to the glyph that
carries it before them; the marks themselves map to the empty string. Glyphs and their
positions are fpdf2's own, so the page looks exactly the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.fonts import Glyph, SubsetMap, TTFFont


class _NoText(int):
    """A code point that writes as nothing: the ToUnicode target of a glyph without text."""

    def __format__(self, spec: str) -> str:
        """Write nothing, so fpdf2's ToUnicode entry for the glyph reads ``<code> <>``."""
        return ""


_NO_TEXT = _NoText(0)


#: fpdf2's glyph lookup without its memo; see :class:`_ThaiSubsetMap`.
_LOOKUP_GLYPH = SubsetMap.get_glyph.__wrapped__


class _ThaiSubsetMap(SubsetMap):
    """fpdf2's glyph subset, mapping glyphs without text of their own to the empty string."""

    # Memoised like fpdf2's own get_glyph, whose memo fpdf2 clears after each output.
    @cache  # noqa: B019
    def get_glyph(self, glyph: int | None = None,
                  unicode: int | tuple[int, ...] | None = None,
                  glyph_name: str | None = None,
                  glyph_width: int | None = None) -> Glyph | None:
        """Return the glyph, giving glyphs without text the empty text."""
        if glyph is not None and unicode == ():
            unicode = (_NO_TEXT,)
        # Not super(): its class-wide memo would keep every document alive, because fpdf2
        # clears only this method's memo (``subset.get_glyph.cache_clear()``) after output.
        return _LOOKUP_GLYPH(self, glyph, unicode, glyph_name, glyph_width)


class ThaiFont(TTFFont):
    """An fpdf2 TrueType font whose glyphs copy out as the Thai text they draw."""

    def __init__(self, fpdf: FPDF, path: Path, fontkey: str, style: str) -> None:
        """Load the font as fpdf2 does, with the subset that allows glyphs without text."""
        super().__init__(fpdf, path, fontkey, style)
        self.subset = _ThaiSubsetMap(self)

    def shape_text(self, text: str, font_size_pt: float,
                   text_shaping_params: dict[str, Any] | None) -> Sequence[dict[str, Any]]:
        """Shape ``text`` as fpdf2 does, giving each glyph the text it draws."""
        if not text:
            return []
        infos, positions = self.perform_harfbuzz_shaping(text, font_size_pt,
                                                         text_shaping_params)
        texts = glyph_texts(text, [info.cluster for info in infos],
                            [position.x_advance for position in positions])
        shaped = []
        for info, position, glyph_text in zip(infos, positions, texts, strict=True):
            name = self.ttfont.getGlyphName(info.codepoint)
            width = round(self.scale * self.ttfont["hmtx"].metrics[name][0])
            glyph = self.subset.get_glyph(glyph=info.codepoint,
                                          unicode=tuple(map(ord, glyph_text)),
                                          glyph_name=name, glyph_width=width)
            if glyph is not None:
                shaped.append(_placed(self.subset.pick_glyph(glyph), position, width))
        return shaped


def _placed(mapped_char: int | None, position: Any, width: int) -> dict[str, Any]:
    """Return fpdf2's record of one shaped glyph: its code and where it goes."""
    moved = (position.x_offset, position.y_offset, position.y_advance) != (0, 0, 0)
    return {
        "mapped_char": mapped_char,
        "x_advance": position.x_advance,
        "y_advance": position.y_advance,
        "x_offset": position.x_offset,
        "y_offset": position.y_offset,
        "force_positioning": moved or position.x_advance != width,
    }


def glyph_texts(text: str, clusters: list[int], advances: list[int]) -> list[str]:
    """Give each shaped glyph the text it draws; glyphs that only add to others get none.

    A cluster's text goes to its last glyph with an advance; a cluster of marks only
    (no advance) joins the text of the glyph that took the text before it.
    """
    texts = [""] * len(clusters)
    owner: int | None = None
    groups = _cluster_glyphs(clusters)
    ends = sorted(groups)[1:] + [len(text)]
    for (start, glyphs), end in zip(sorted(groups.items()), ends, strict=True):
        spacing = [g for g in glyphs if advances[g] > 0]
        if spacing:
            owner = spacing[-1]
        elif owner is None:
            owner = glyphs[0]
        texts[owner] += text[start:end]
    return texts


def _cluster_glyphs(clusters: list[int]) -> dict[int, list[int]]:
    """Group glyph indices by the cluster (first character) they come from."""
    groups: dict[int, list[int]] = {}
    for index, cluster in enumerate(clusters):
        groups.setdefault(cluster, []).append(index)
    return groups
