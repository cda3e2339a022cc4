"""The pure domain: vocabulary, profiles, where one may practise, the checklist, records, places.

No Flask and no SQLAlchemy here: everything takes plain values and frozen dataclasses and
returns them, so the web views, the search index, matching and the benchmarks share one truth.
"""
