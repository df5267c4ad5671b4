"""Imported once by the draft builds' forkserver: load and warm every builder and the analysis.

Each build process is forked from that server (:mod:`bot.delivery.builds`), so it starts
with the DOCX template, the fonts, PyThaiNLP's word list and the analysis already loaded.
"""

import bot.analysis  # noqa: F401  (the working edition's findings)
from bot.delivery import job  # noqa: F401  (what the build processes run)
from bot.draft import warm_up

warm_up()
