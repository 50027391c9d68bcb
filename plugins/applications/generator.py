"""The tracker generator: the query page, one status file per application, and the statistics.

Records are read from APPLICATIONS_PATH beside content/, so Pelican never
treats them as pages.  Templates get the statistics only, never the records:
no template can print a subject line or an applicant category by mistake.
"""
from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from pelican.generators import Generator

from foundation.settings import resolve

from foundation.requests import codes

from . import public
from foundation.requests.registry import Register, open_register

log = logging.getLogger(__name__)

class TrackerGenerator(Generator):
    """Publish 依申请公开 progress under names only the applicant's code leads to."""

    register: Register

    def generate_context(self) -> None:
        xxgk = self.settings.get("XXGK_RESOLVED") or resolve(self.settings.get("XXGK"))
        site_root = Path(self.settings["PATH"]).resolve().parent
        self.register = open_register(site_root, xxgk)
        for warning in self.register.warnings:
            log.warning("%s", warning)
        self.context["APPLICATION_STATS"] = self.register.stats()
        self.context["APPLICATION_STATS_BY_YEAR"] = self.register.stats_by_year()
        self.context["TRACKER"] = {
            "url": public.PAGE_URL, "title": public.TITLE, "query_path": public.QUERY_PATH,
            "status_dir": public.STATUS_DIR, "iterations": codes.ITERATIONS, "salt_prefix": codes.SALT_PREFIX,
            "file_prefix": codes.FILE_PREFIX.decode(), "enc_prefix": codes.ENC_PREFIX.decode(), "not_found": public.NOT_FOUND, "missing": public.MISSING,
            "as_of": self.register.today.isoformat(),
        }

    def _write(self, writer: Any, save_as: str, template: str, url: str, title: str, crumbs: list[dict]) -> None:
        writer.write_file(save_as, self.get_template(template), self.context,
                          relative_urls=self.settings["RELATIVE_URLS"], url=url, page_url=url,
                          page_title=title, breadcrumbs=crumbs)

    def generate_output(self, writer: Any) -> None:
        home = {"text": "首页", "url": ""}
        self._write(writer, public.PAGE, "tracker", public.PAGE_URL, public.TITLE, [home])
        # An index page in status/ so a host that lists folders (Apache's default) lists nothing.
        folder_url = public.STATUS_DIR + "/"
        self._write(writer, folder_url + "index.html", "tracker_folder", folder_url, public.TITLE,
                    [home, {"text": public.TITLE, "url": public.PAGE_URL}])
        folder = Path(self.output_path) / public.STATUS_DIR
        for progress in self.register.progress:
            key = codes.hash_key(progress.record.code_hash)
            text = json.dumps(codes.seal(key, public.public_status(progress)), indent=1)
            name = codes.file_name(key)
            (folder / f"{name}.json").write_text(text + "\n", encoding="utf-8")
