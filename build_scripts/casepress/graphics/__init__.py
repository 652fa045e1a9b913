"""Build-time SVG figures: image placeholders, case timelines and forest plots.

Figures are inline SVG so they work offline with no JavaScript, scale with the page
(`width="100%"` and a viewBox) and follow the theme's text colour (`currentColor`), so they
stay legible in dark mode and in print. Meaning never rests on colour alone: event kinds
differ by shape, flagged rows by a printed mark. Output is deterministic so rebuilt pages
diff cleanly.

Every id in a figure starts with the caller's `id_prefix`, so it must be unique within a
page (e.g. derived from the figure or table slug).

`kit` holds what the three share; `placeholder`, `timeline` and `forest` one figure each.
"""
