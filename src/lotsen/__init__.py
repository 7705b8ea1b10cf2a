"""Lotsen: regional competence supply on the JobTech taxonomy."""

__version__ = "0.1.0"
