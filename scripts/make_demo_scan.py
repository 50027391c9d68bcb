"""Generate the demo's scanned penalty decision: a PDF whose one page is an image, no text layer.

Scanned decisions are common attachments of 行政处罚 records; the privacy guard reads
them by OCR (foundation/privacy/readers/ocr.py), and the name check finds a full name in
them.  The scan shows the masked name only.  Needs Debian's fonts-wqy-microhei (make
test installs it).  Run from the repository root:

    .venv/bin/python scripts/make_demo_scan.py

Output is deterministic (fixed noise seed, ReportLab with invariant=1).
"""
from __future__ import annotations

import io
import random
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "content/xzcf/2026/files/2026-00011-decision-scan.pdf"
FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
ORG = "天津东疆综合保税区管理委员会"
LINES = (
    "当事人：张某某",
    "2026年9月16日，本机关执法人员在港区道路开展运输市场检查时，",
    "发现当事人驾驶重型厢式货车为他人运送货物，无法出示道路运输经营",
    "许可证和车辆营运证。经查，当事人自2026年8月起多次从事有偿货物",
    "运输，违法所得不足1万元。",
    "当事人的行为违反了《中华人民共和国道路运输条例》第二十四条的规定。",
    "依据该条例第六十三条第（一）项的规定，本机关决定：",
    "责令当事人停止经营，并处罚款人民币3000元。",
    "当事人如不服本处罚决定，可以在收到本决定书之日起六十日内申请",
    "行政复议，也可以在六个月内依法向人民法院提起行政诉讼。",
)


def page() -> Image.Image:
    """The decision as a 150 dpi greyscale scan: slightly rotated, blurred and specked."""
    body, head = ImageFont.truetype(FONT, 30), ImageFont.truetype(FONT, 44)
    width, height = 1240, 1754
    image = Image.new("L", (width, height), 250)
    draw = ImageDraw.Draw(image)
    for y, text, font in ((140, ORG, head), (210, "行政处罚决定书", head), (280, "津东疆建交罚〔2026〕17号", body)):
        draw.text((width // 2, y), text, font=font, fill=20, anchor="mm")
    y = 380
    for text in LINES:
        draw.text((120, y), text, font=body, fill=25)
        y += 62
    draw.text((760, y + 62), ORG, font=body, fill=25)
    draw.text((760, y + 124), "2026年10月21日", font=body, fill=25)
    noise = random.Random(7)
    pixels = image.load()
    for _ in range(6000):
        pixels[noise.randrange(width), noise.randrange(height)] = noise.randrange(150, 230)
    return image.rotate(0.4, fillcolor=250).filter(ImageFilter.GaussianBlur(0.6))


def main() -> int:
    scan = io.BytesIO()
    page().save(scan, "JPEG", quality=60)
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4, invariant=1)
    c.drawImage(ImageReader(io.BytesIO(scan.getvalue())), 0, 0, width=A4[0], height=A4[1])
    c.showPage()
    c.save()
    TARGET.write_bytes(out.getvalue())
    print(TARGET.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
