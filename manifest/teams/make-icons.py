#!/usr/bin/env python3
"""Draws the Teams app icons (no imaging library needed): color.png 192x192, outline.png 32x32 white on transparent.

The glyph is an envelope with a shield over its lower right corner: mail, checked. Shapes are drawn as signed
distance tests, supersampled 4x4 per pixel for smooth edges. Run from this folder; the output is deterministic.
"""
import math
import struct
import zlib

ACCENT = (0x1F, 0x4E, 0x79)  # manifest accentColor
SUPERSAMPLE = 4


def segment_distance(px, py, ax, ay, bx, by):
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def glyph_coverage(x, y, stroke):
    """True where the glyph (in a unit square, y down) is drawn."""
    # Envelope: rectangle outline and the flap.
    left, top, right, bottom = 0.12, 0.24, 0.80, 0.72
    edges = [
        (left, top, right, top), (right, top, right, bottom), (right, bottom, left, bottom), (left, bottom, left, top),
        (left, top, (left + right) / 2, 0.50), ((left + right) / 2, 0.50, right, top),
    ]
    # Shield over the lower right corner: a pentagon outline.
    cx, cy = 0.76, 0.70
    shield = [(cx - 0.16, cy - 0.20), (cx + 0.16, cy - 0.20), (cx + 0.16, cy + 0.02), (cx, cy + 0.22), (cx - 0.16, cy + 0.02)]
    in_shield = point_in_polygon(x, y, shield)
    if in_shield:
        # Inside the shield only the shield's own outline and its tick are drawn (the envelope is hidden under it).
        tick = [(cx - 0.08, cy - 0.01, cx - 0.02, cy + 0.06), (cx - 0.02, cy + 0.06, cx + 0.09, cy - 0.08)]
        lines = [(a[0], a[1], b[0], b[1]) for a, b in zip(shield, shield[1:] + shield[:1])] + tick
        return any(segment_distance(x, y, *line) <= stroke / 2 for line in lines)

    lines = edges + [(a[0], a[1], b[0], b[1]) for a, b in zip(shield, shield[1:] + shield[:1])]
    return any(segment_distance(x, y, *line) <= stroke / 2 for line in lines)


def point_in_polygon(x, y, points):
    inside = False
    for (ax, ay), (bx, by) in zip(points, points[1:] + points[:1]):
        if (ay > y) != (by > y) and x < (bx - ax) * (y - ay) / (by - ay) + ax:
            inside = not inside
    return inside


def render(size, stroke, background):
    rows = []
    for py in range(size):
        row = bytearray()
        for px in range(size):
            hits = 0
            for sy in range(SUPERSAMPLE):
                for sx in range(SUPERSAMPLE):
                    x = (px + (sx + 0.5) / SUPERSAMPLE) / size
                    y = (py + (sy + 0.5) / SUPERSAMPLE) / size
                    hits += glyph_coverage(x, y, stroke)
            coverage = hits / (SUPERSAMPLE * SUPERSAMPLE)
            if background is None:
                row += bytes((255, 255, 255, round(255 * coverage)))
            else:
                row += bytes(round(c + (255 - c) * coverage) for c in background) + b"\xff"
        rows.append(bytes(row))
    return rows


def write_png(path, size, rows):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + row for row in rows)  # filter type 0 on every row
    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    with open(path, "wb") as out:
        out.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


if __name__ == "__main__":
    write_png("color.png", 192, render(192, 0.055, ACCENT))
    write_png("outline.png", 32, render(32, 0.085, None))
