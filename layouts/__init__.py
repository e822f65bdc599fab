"""Functions that build the page's components; ``ids`` holds every component id."""
