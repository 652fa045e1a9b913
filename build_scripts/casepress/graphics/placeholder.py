"""A figure placeholder: a labelled frame that stands in for an image not yet supplied."""

from __future__ import annotations

from casepress.graphics.kit import chars_for, open_svg, safe_id, text_el, wrap


def placeholder_svg(
    figure_number: int,
    panel_letter: str | None,
    modality: str,
    description: str,
    alt: str,
    id_prefix: str,
) -> str:
    """A 4:3 hatched grey panel standing in for an image that is not yet available."""
    stem = safe_id(id_prefix)
    label = f"Fig {figure_number}{panel_letter or ''}"
    desc = f"Placeholder for {label}, {modality}: {description}"
    out = open_svg(stem, 400, 300, alt, desc, "casepress-placeholder")
    out += [
        "<defs>",
        f'<pattern id="{stem}-hatch" width="12" height="12" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)">',
        '<rect width="12" height="12" fill="#d9d9d9"/>',
        '<line x1="0" y1="0" x2="0" y2="12" stroke="#bcbcbc" stroke-width="4"/>',
        "</pattern>",
        "</defs>",
        f'<rect width="400" height="300" fill="url(#{stem}-hatch)" stroke="#6e6e6e" '
        'stroke-width="2"/>',
        # A calm card under the text: hatching behind letters makes them hard to read.
        '<rect x="28" y="34" width="344" height="232" rx="8" fill="#f5f5f5" '
        'fill-opacity="0.94" stroke="#8c8c8c"/>',
        # Fixed dark text: the panel is light grey in every theme.
        '<g color="#1f1f1f">',
        text_el(200, 96, label, 44, anchor="middle", extra='font-weight="700"'),
    ]
    # The modality on up to two lines ("Histology, hematoxylin and eosin stain, ×100"), the
    # description under it: nothing cut inside a word.
    heads = wrap(modality, chars_for(320, 16), 2)
    out += [text_el(200, 124 + 19 * i, line, 16, anchor="middle") for i, line in enumerate(heads)]
    top = 124 + 19 * len(heads) + 10
    lines = wrap(description, chars_for(320, 14), 4 - (len(heads) - 1))
    out += [
        text_el(200, top + 20 * i, line, 14, anchor="middle") for i, line in enumerate(lines)
    ]
    out += [
        text_el(200, 254, "Image placeholder", 12, anchor="middle", extra='font-style="italic"'),
        "</g>",
        "</svg>",
    ]
    return "\n".join(out)
