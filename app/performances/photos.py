"""Performance photos: size limit, type check with Pillow, EXIF (and every other metadata)
stripped by re-encoding the pixels, alt text required. Files live under the instance folder
(performance_photos/), named by a random token, and are served only through the
access-checked route (never from /static)."""

from __future__ import annotations

import io
import secrets
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l

from app.core import audit
from app.core.errors import DomainError
from app.extensions import db
from app.performances.models import Performance, PerformancePhoto

MAX_BYTES = 5 * 1024 * 1024
# Pixels are what decoding costs, not bytes: a 5 KB one-bit PNG of 6000 x 6600 decodes to
# 40 million pixels, 120 MB as RGB (issue 13 item 11). The header's size is read first and
# nothing larger is decoded. A JPEG is decoded at a reduced scale (Pillow's draft mode costs
# memory for the reduced size only), so a 48-megapixel phone photo is accepted; PNG has no
# reduced decode, so its limit is the decoded size itself.
MAX_PIXELS = {"JPEG": 50_000_000, "PNG": 12_000_000}
MAX_SIDE = 4000  # stored photos are at most this wide or tall
FORMATS = {"JPEG": ("image/jpeg", ".jpg"), "PNG": ("image/png", ".png")}


def photo_folder() -> Path:
    configured = current_app.config.get("PERFORMANCE_PHOTO_FOLDER")
    folder = (
        Path(configured) if configured else Path(current_app.instance_path) / "performance_photos"
    )
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def photo_path(photo: PerformancePhoto) -> Path:
    return photo_folder() / photo.stored_name


def reencode(data: bytes) -> tuple[bytes, str, str, int, int]:
    """(clean bytes, content type, extension, width, height) of an uploaded image, or
    DomainError. The output holds pixels only: no EXIF, GPS, comments or profiles."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    if len(data) > MAX_BYTES:
        raise DomainError(_l("The photo is larger than 5 MB."), field="photo")
    if not data:
        raise DomainError(_l("The file is empty."), field="photo")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            width, height = probe.size
            probe.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise DomainError(_l("The file is not a JPEG or PNG image."), field="photo") from None
    if kind not in FORMATS:
        raise DomainError(_l("The file is not a JPEG or PNG image."), field="photo")
    if width * height > MAX_PIXELS[kind]:
        raise DomainError(
            _l("The photo has too many pixels: make it smaller than 4000 × 3000 and try again."),
            field="photo",
        )
    try:
        with Image.open(io.BytesIO(data)) as image:
            if kind == "JPEG":
                image.draft("RGB", (MAX_SIDE, MAX_SIDE))
            image.load()
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            image = ImageOps.exif_transpose(image)  # keep the orientation the EXIF said
            out = io.BytesIO()
            if kind == "JPEG":
                image.convert("RGB").save(out, "JPEG", quality=88, optimize=True)
            else:
                mode = "RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB"
                image.convert(mode).save(out, "PNG", optimize=True)
            width, height = image.size
    except (OSError, ValueError, Image.DecompressionBombError):
        raise DomainError(_l("The file is not a JPEG or PNG image."), field="photo") from None
    content_type, extension = FORMATS[kind]
    return out.getvalue(), content_type, extension, width, height


def add_photo(performance: Performance, data: bytes, alt_text: str, *, actor=None):
    alt_text = (alt_text or "").strip()
    if not alt_text:
        raise DomainError(
            _l("Describe the photo: what it shows, for people who cannot see it."),
            field="alt_text",
        )
    clean, content_type, extension, width, height = reencode(data)
    stored_name = secrets.token_hex(16) + extension
    photo = PerformancePhoto(
        performance_id=performance.id,
        stored_name=stored_name,
        content_type=content_type,
        width=width,
        height=height,
        size_bytes=len(clean),
        alt_text=alt_text[:300],
        uploaded_by_id=getattr(actor, "id", None),
    )
    db.session.add(photo)
    db.session.flush()
    (photo_folder() / stored_name).write_bytes(clean)
    audit.record(
        "create",
        "performance_photo",
        photo.id,
        ["alt_text"],
        actor=actor,
        details={"performance_id": performance.id},
    )
    return photo


def delete_photo(photo: PerformancePhoto, *, actor=None) -> None:
    path = photo_path(photo)
    audit.record(
        "delete",
        "performance_photo",
        photo.id,
        [],
        actor=actor,
        details={"performance_id": photo.performance_id},
    )
    db.session.delete(photo)
    db.session.flush()
    path.unlink(missing_ok=True)
