"""Rendering scenario results for people: HTML fragments for pytest-html, failure text."""
