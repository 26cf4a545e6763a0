"""jobcenter models."""
