"""Plotly figures for a canvas (screen panel, slide, A4 page, projector); no Dash import.

The page, the callbacks, the file exports and the CLI build their charts here, so an image
shows what the screen shows, sized for where it goes.
"""
