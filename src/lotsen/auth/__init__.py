"""Credentials without HTTP: password hashing, API tokens, signed session payloads."""
