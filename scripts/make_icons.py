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


def draw(size: int, scale: float = 1.0) -> Image.Image:
    """Two interlocking rings (inclusion, 融合) on the header colour, filling the square
    (the "any" icons, the favicon, the iPhone icon). ``scale`` < 1 draws the rings smaller
    about the centre: the maskable icons use 0.8, so the rings' farthest point is 29 % of the
    size from the centre, well inside the 40 % safe circle a launcher's mask keeps."""
    image = Image.new("RGB", (size, size), BRAND)
    pen = ImageDraw.Draw(image)
    radius = size * 0.22 * scale
    width = max(4, round(size * 0.06 * scale))
    centre_y = size / 2
    for offset, colour in ((-0.11, WHITE), (0.11, GOLD)):
        centre_x = size / 2 + size * offset * scale
        box = [centre_x - radius, centre_y - radius, centre_x + radius, centre_y + radius]
        pen.ellipse(box, outline=colour, width=width)
    return image


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        draw(size).save(OUT / f"icon-{size}.png", optimize=True)
        # A separate maskable icon: one icon for both purposes ("any maskable") is either
        # cropped where a launcher masks it or too small where none does.
        draw(size, scale=0.8).save(OUT / f"icon-maskable-{size}.png", optimize=True)
    draw(180).save(OUT / "apple-touch-icon.png", optimize=True)


if __name__ == "__main__":
    main()
