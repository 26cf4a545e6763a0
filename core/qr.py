"""QR codes as inline SVG (pages) or PNG bytes (PDFs, cards). ``qrcode`` (and Pillow for PNG) is
imported on the first code, not with the URLs."""

from __future__ import annotations

import base64
import io


def qr_svg(data: str, *, box_size: int = 10) -> str:
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(
        data, image_factory=qrcode.image.svg.SvgPathImage, box_size=box_size, border=2
    )
    return image.to_string(encoding="unicode")


def qr_png(data: str, *, box_size: int = 8) -> bytes:
    import qrcode

    image = qrcode.make(data, box_size=box_size, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def qr_data_uri(data: str, *, box_size: int = 8) -> str:
    return "data:image/png;base64," + base64.b64encode(qr_png(data, box_size=box_size)).decode()
