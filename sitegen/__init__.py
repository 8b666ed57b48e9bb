"""sitegen: a static-site generator for a bilingual dossier built from Arabic news articles."""

__version__ = "0.1.0"
