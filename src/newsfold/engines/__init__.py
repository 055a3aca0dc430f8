"""Engines: who runs the stage kernels (:mod:`newsfold.engines.local`: SQLite, one process)."""
