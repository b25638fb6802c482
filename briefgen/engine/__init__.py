"""Engines for the per-article map: where parse + analyse runs (one machine, or a Dask cluster).

Each engine offers ``analyse_all(articles, ...) -> (analyses in article order, failures)``, the
contract :func:`briefgen.brief.build` takes as ``analyse_all=``.
"""
