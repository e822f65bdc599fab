"""Sozialraum-Monitor domain core: loading, validation, aggregation, suppression, views.

This package never imports dash or plotly, so every part of it can be tested alone.
"""

__version__ = "0.1.0"
