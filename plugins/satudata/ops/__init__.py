"""Operations: the dinas reports, the stewards' status board, freshness, alerts, mail, Airflow access."""
