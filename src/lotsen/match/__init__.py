"""Matching: needs → people, pathways, region-wide allocation, education gaps,
transitions and skill profiles — pure functions and estimators over plain records
and a vectorised in-memory index of people."""
