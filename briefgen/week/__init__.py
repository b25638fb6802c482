"""The week's stages: what the analyses of all the period's articles add up to.

Each reads the per-article :class:`~briefgen.doc.Analysis` list (never a parse): actors merged
across articles, stories, risks said once and ranked, upcoming dates, changes since last week.
"""
