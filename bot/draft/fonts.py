"""Where the Sarabun font files are: the PDF embeds them and the web app serves them.

The TTFs come from the ``fontpkg-sarabun`` package (SIL Open Font License); the
repository holds no copy of them.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import fontpkg_sarabun

#: The font name Thai government documents use; Word shows it when it is installed.
DOCX_FONT = "TH Sarabun New"
#: The font we ship (Google's Sarabun, from the same design family) and declare as fallback.
FALLBACK_FONT = "Sarabun"

#: The weights the project uses, by the name ``font_path`` accepts.
FONT_FILES = {"regular": "Sarabun-Regular.ttf", "bold": "Sarabun-Bold.ttf"}
#: The CSS ``font-weight`` of each of them, for ``@font-face``.
CSS_WEIGHTS = {"regular": 400, "bold": 700}


@cache
def font_path(weight: str) -> Path:
    """Return the Sarabun TTF of ``weight`` ("regular" or "bold"), or raise ValueError."""
    try:
        name = FONT_FILES[weight]
    except KeyError:
        raise ValueError(f"unknown font weight {weight!r}; known: {sorted(FONT_FILES)}") from None
    path = Path(fontpkg_sarabun.__file__).resolve().parent / "files" / name
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: reinstall fontpkg-sarabun")
    return path
