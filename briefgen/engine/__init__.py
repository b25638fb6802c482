"""Where the per-article map runs: the local process pool and the analysis cache."""
