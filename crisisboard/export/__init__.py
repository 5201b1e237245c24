"""Exports: images that carry their provenance (images), their rendering (render), briefing packs (pack)."""
