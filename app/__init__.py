"""Hearth: run small language models locally and chat with them offline."""

__version__ = "0.1.0"
APP_NAME = "Hearth"
