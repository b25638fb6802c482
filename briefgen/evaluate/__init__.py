"""Evaluation commands: briefgen's output scored against labelled data (``briefgen eval ...``)."""
