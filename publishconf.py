"""Settings for publishing: everything in pelicanconf.py plus absolute URLs."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pelicanconf import *  # noqa: E402,F401,F403

SITEURL = "https://xxgk.dongjiang.example.gov.cn"
FEED_DOMAIN = SITEURL
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True
# The public site is published only when every image and scanned page was read by OCR
# for personal data (plugins.pii_guard; the preview only warns).
XXGK = {**XXGK, "OCR_REQUIRED": True}  # noqa: F405
