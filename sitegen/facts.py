"""The keys of an article's facts (../shared/FACTS.md), shared by extract and content."""

FACT_KEYS = (
    "source",
    "title_ar",
    "outlet_ar",
    "author_ar",
    "published",
    "event_date",
    "dates",
    "officials",
    "countries",
    "places",
    "topics",
    "summary_ar",
    "body_ar",
)
