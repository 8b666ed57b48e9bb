"""Raw article text → facts (FACTS.md)."""
