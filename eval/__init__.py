"""Offline evaluation of retrieval and outcome prediction. Import submodules, never bare `eval`."""
