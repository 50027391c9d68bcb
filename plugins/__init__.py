"""Pelican plugins of xxgk, one package per concern (listed in PLUGINS in order)."""
