"""The partner REST API: people."""
