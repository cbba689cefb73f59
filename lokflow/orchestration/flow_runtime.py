"""What a flow run needs: the app built from the worker's environment (once
per process and database), and the send step every flow ends with."""

from __future__ import annotations

from lokflow.bootstrap import App, bootstrap
from lokflow.delivery.sender import OutboxSender, SendReport
from lokflow.delivery.transport_choice import transport_factory
from lokflow.settings import Settings

_apps: dict[str, App] = {}


def flow_app() -> App:
    settings = Settings()
    key = f"{settings.home}|{settings.resolved_database_url}"
    if key not in _apps:
        _apps[key] = bootstrap(settings)
    return _apps[key]


async def send_queued(app: App, worker: str) -> SendReport:
    return await OutboxSender(app, transport_factory(app.settings), worker=worker).run()
