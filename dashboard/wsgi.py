"""gunicorn's entry: ``gunicorn dashboard.wsgi:server`` serves the data DASHBOARD_* names."""
from .app import create_app, freeze_imports, warm_up
from .settings import Settings

freeze_imports()
app = create_app(Settings.from_env())
warm_up(app)  # before the worker takes a request (and once for all with --preload)
server = app.server
