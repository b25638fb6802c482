"""Live sources: a polite, safe HTTP fetcher, the SQLite article archive, and the fetch run.

:mod:`.fetch` gets one URL (robots.txt, per-host delay, conditional GET, caps, address checks);
:mod:`.archive` keeps every article once, keyed by canonical URL, with its history and an FTS5
index; :mod:`.run` reads the configured feeds, pages and folders into the archive; and
:mod:`.config` reads the ``[sources]``, ``[fetch]``, ``[archive]`` and ``[mail]`` tables.
"""
