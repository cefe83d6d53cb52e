"""Where briefing packs run: as Dash background jobs, never in a web worker.

Without Redis the embedded default, ``DiskcacheManager``: each pack runs in its own process
forked from the web worker, its state in a diskcache folder every worker of the machine
shares (``DASHBOARD_JOBS_DIR``). With ``DASHBOARD_REDIS_URL`` set, ``CeleryManager``: packs
queue in Redis and the Celery worker (``celery -A dashboard.worker:celery_app worker``, the
Procfile's ``worker``) builds them; any instance can poll for any job.
"""
from __future__ import annotations

import logging
import os
import uuid

from .settings import Settings

log = logging.getLogger("dashboard")
JOB_NICE = 19  # packs take only the CPU the web workers leave (the lowest priority)
_niced_pid = 0


def celery_app(settings: Settings):
    """The Celery app on the settings' Redis (broker and result backend), or, without Redis,
    an idle one on an in-memory broker (the Procfile's worker then has nothing to do)."""
    from celery import Celery

    url = settings.redis_url
    app = Celery("dashboard", broker=url or "memory://", backend=url or "cache+memory://")
    app.conf.update(
        worker_prefetch_multiplier=1,  # a queued pack goes to the first free worker process
        task_track_started=True,
        result_expires=3600,
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
    )
    return app


def _unique_keys(base):
    """A manager whose every job has its own result key. Dash keys a job on its arguments,
    so two users asking the same view's pack at once would share one result, and the first
    to collect it would leave the other with nothing."""
    class Manager(base):
        def build_cache_key(self, fn, args, cache_args_to_ignore, triggered):
            return super().build_cache_key(fn, args, cache_args_to_ignore, triggered)[:32] \
                + uuid.uuid4().hex
    Manager.__name__ = Manager.__qualname__ = base.__name__
    return Manager


def manager(settings: Settings, celery=None):
    """The background callback manager for the settings: Celery on Redis, else diskcache."""
    if settings.redis_url:
        from dash import CeleryManager
        return _unique_keys(CeleryManager)(
            celery if celery is not None else celery_app(settings), expire=3600)
    import diskcache
    from dash import DiskcacheManager
    os.makedirs(settings.jobs_dir, exist_ok=True)
    return _unique_keys(DiskcacheManager)(diskcache.Cache(settings.jobs_dir), expire=3600)


def lower_priority() -> None:
    """Once per process: a job runs at a lower CPU priority than the web workers."""
    global _niced_pid
    if _niced_pid != os.getpid():
        try:
            os.nice(JOB_NICE)
        except OSError:  # not allowed here: run at the normal priority
            pass
        _niced_pid = os.getpid()
