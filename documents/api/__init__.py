"""The partner REST API: documents."""
