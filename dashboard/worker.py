"""The Celery worker's entry: ``celery -A dashboard.worker:celery_app worker`` (the Procfile's
``worker``). It loads the same data as the web process (DASHBOARD_* settings) and registers
the same background callbacks, so the briefing packs the web instances queue in Redis are
built here; kaleido's Chromium starts once in each worker process, at its first pack.

Without DASHBOARD_REDIS_URL the web process builds packs in its own background processes and
this worker has nothing to do: it starts on an in-memory broker and idles.
"""
import logging

from . import jobs
from .app import create_app
from .settings import Settings

settings = Settings.from_env()
if not settings.redis_url:
    logging.getLogger("dashboard").warning(
        "DASHBOARD_REDIS_URL is not set: packs are built beside the web process; this "
        "worker idles")
app = create_app(settings)
celery_app = app.celery if app.celery is not None else jobs.celery_app(settings)
