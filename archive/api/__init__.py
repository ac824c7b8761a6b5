"""The partner REST API: archive."""
