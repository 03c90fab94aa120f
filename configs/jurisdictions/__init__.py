"""Packaged configuration data (YAML), read through importlib.resources."""
