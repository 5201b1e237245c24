"""The data layer: the files' rules, validation, the typed dataset, filters, selections, the crisis definition."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]  # the checkout: data/, geo/, tests/ sit here
