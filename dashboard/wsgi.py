"""gunicorn's entry: ``gunicorn dashboard.wsgi:server`` serves the data DASHBOARD_* names."""
from .app import create_app
from .settings import Settings

app = create_app(Settings.from_env())
server = app.server
