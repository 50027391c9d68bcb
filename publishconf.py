"""Settings for publishing: everything in pelicanconf.py plus absolute URLs."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pelicanconf import *  # noqa: E402,F401,F403

SITEURL = "https://xxgk.dongjiang.example.gov.cn"
FEED_DOMAIN = SITEURL
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True
