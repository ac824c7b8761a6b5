"""Tests of the partner REST API (/api/v1/) and its OpenAPI description."""
