"""docaudit's version, on the ground floor so that any module may name it without importing the package's face."""

__version__ = "0.1.0"
