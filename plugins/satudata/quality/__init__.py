"""Quality: findings and outcomes, the GX suite runner and the expectations derived from the contract,
region harmonisation, quarantine and the stewards' Data Docs."""
