"""journeycode: customer journey maps as code."""

from __future__ import annotations

__version__ = "0.1.0"
