"""inspect-tui: administrative-reform inspections and remediation tracking."""

__version__ = "0.1.0"
