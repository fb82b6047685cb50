"""Reads a QR code back as a phone's camera would: the SVG the gateway draws (segno's one-path form: `M`, `m`
and `h` commands over a viewBox of modules) is drawn into a grayscale bitmap here, and zxing-cpp, a decoder
written apart from segno, reads it."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import zxingcpp

SVG = "{http://www.w3.org/2000/svg}"
SCALE = 6  # pixels per module
COMMAND = re.compile(r"([MmHh])([^MmHh]*)")


def modules(svg: bytes | str) -> list[list[bool]]:
    """The dark modules of the SVG, quiet zone included, row by row."""
    root = ET.fromstring(svg)
    _, _, width, height = (int(float(part)) for part in root.attrib["viewBox"].split())
    dark = [[False] * width for _ in range(height)]
    paths = [path for path in root.iter(f"{SVG}path") if path.get("stroke")]
    assert len(paths) == 1, "expected segno's single stroked path of dark modules"
    x = y = 0.0
    for command, arguments in COMMAND.findall(paths[0].attrib["d"]):
        numbers = [float(n) for n in arguments.replace(",", " ").split()]
        if command in "Mm":
            dx, dy = numbers
            x, y = (dx, dy) if command == "M" else (x + dx, y + dy)
        else:  # h: a run of dark modules along the row whose centre line is y
            (length,) = numbers
            for column in range(int(x), int(x + length)):
                dark[int(y)][column] = True
            x += length
    return dark


def decode_svg(svg: bytes | str) -> list[str]:
    """The text of every QR code zxing-cpp finds in the SVG."""
    grid = modules(svg)
    height, width = len(grid) * SCALE, len(grid[0]) * SCALE
    pixels = bytearray(width * height)
    for row_index, row in enumerate(grid):
        line = bytes(0 if module else 255 for module in row for _ in range(SCALE))
        for offset in range(SCALE):
            start = (row_index * SCALE + offset) * width
            pixels[start : start + width] = line
    image = memoryview(bytes(pixels)).cast("B", (height, width))
    return [barcode.text for barcode in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]
