"""``python -m satudata.samples``: seed every sample dinas (see ``runner.py``)."""

from satudata.samples.runner import main

main()
