"""Bundled programs (package data only; see README "Bundled programs")."""
