"""Settings for publishing: everything in pelicanconf.py plus absolute URLs."""
import importlib.util
from pathlib import Path

# pelicanconf.py is read from beside this file (not imported by name, which would need this
# folder on sys.path): every upper-case setting of it is a setting here too.
_spec = importlib.util.spec_from_file_location("pelicanconf", Path(__file__).with_name("pelicanconf.py"))
_base = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_base)
globals().update({k: v for k, v in vars(_base).items() if k.isupper()})

SITEURL = "https://xxgk.dongjiang.example.gov.cn"
FEED_DOMAIN = SITEURL
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True
# The public site is published only when every image and scanned page was read by OCR
# for personal data (plugins.pii_guard; the preview only warns).
XXGK = {**_base.XXGK, "OCR_REQUIRED": True}
