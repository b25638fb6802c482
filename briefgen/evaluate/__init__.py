"""Quality on labelled public data (``briefgen eval``) and speed (``briefgen bench``).

Nothing in the product imports this package.
"""
