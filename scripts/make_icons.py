"""Draw the home-screen icons (issue 18): a simple PNG mark at 192 and 512 px, written into
app/static/icons/. Pillow (already a dependency for photos) draws them, so the icons need no
design tool; run again to change them: ``.venv/bin/python scripts/make_icons.py``."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parents[1] / "app" / "static" / "icons"
BRAND = (122, 31, 31)  # the header colour, --brand #7a1f1f
WHITE = (255, 255, 255)
GOLD = (244, 180, 0)


def draw(size: int) -> Image.Image:
    """Two interlocking rings (inclusion, 融合) on the header colour; the ring sits in the
    central 80 % so a maskable crop keeps it whole."""
    image = Image.new("RGB", (size, size), BRAND)
    pen = ImageDraw.Draw(image)
    radius = size * 0.22
    width = max(4, round(size * 0.06))
    centre_y = size / 2
    for centre_x, colour in ((size * 0.39, WHITE), (size * 0.61, GOLD)):
        box = [centre_x - radius, centre_y - radius, centre_x + radius, centre_y + radius]
        pen.ellipse(box, outline=colour, width=width)
    return image


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        draw(size).save(OUT / f"icon-{size}.png", optimize=True)
    draw(180).save(OUT / "apple-touch-icon.png", optimize=True)


if __name__ == "__main__":
    main()
