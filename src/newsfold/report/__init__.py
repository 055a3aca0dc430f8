"""Renderers of newsfold's results as documents (HTML pages that work opened from disk)."""
