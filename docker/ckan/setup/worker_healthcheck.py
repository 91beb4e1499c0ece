"""Healthcheck of the ckan-worker container: healthy while its RQ worker is registered in CKAN's Redis.

A worker that lost Redis or died unregisters (or its registration expires), so this is a real
liveness check, like `celery inspect ping` for the Airflow worker.
"""
import os
import socket
import sys

import redis
from rq import Worker

connection = redis.Redis.from_url(os.environ["CKAN_REDIS_URL"], socket_timeout=5)
hostname = socket.gethostname()
sys.exit(0 if any(w.hostname == hostname for w in Worker.all(connection=connection)) else 1)
