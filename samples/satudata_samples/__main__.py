"""``python -m satudata_samples``: seed every sample dinas (see ``runner.py``)."""

from satudata_samples.runner import main

main()
