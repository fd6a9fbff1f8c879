"""What the ingest flow changes in Prefect's engine in this process while it runs.

Prefect records task runs on its server from the events each state change emits. The
temporary server that parindex starts when no PREFECT_API_URL is set runs without the
services that record them (parindex/api.py `EPHEMERAL_IDLE_SERVICES`), so every event
would be serialized, sent over a websocket and dropped, by an event-loop thread that
takes the GIL from the threads normalizing documents. With that server they are not
sent (the cost is in benchmarks/README.md), whether Prefect started it or
`flows/temporary_server.py` did. With a server of your own (PREFECT_API_URL set), or a
temporary one whose task-run recorder is on, nothing changes: its UI shows every task run.

Heartbeats likewise: a flow run emits a heartbeat event every 180 s from a thread that
sleeps a second at a time and that the end of the run waits for, so every run ended up
to a second late (most of a small run's tail) for events such a server drops. Around a
flow call, `heartbeats_only_where_recorded` turns them off where events are not recorded.
"""

from __future__ import annotations

import contextlib
from typing import Iterator

from parindex.flows import temporary_server


def events_have_a_recorder() -> bool:
    """Whether task-run events reach a server that records them: a server of the user's
    own (PREFECT_API_URL), or a temporary one (Prefect's, or the one
    `flows.temporary_server` launched) whose task-run recorder was left on."""
    from prefect.settings import get_current_settings

    settings = get_current_settings()
    own = settings.api.url and settings.api.url != temporary_server.serving_url()
    return bool(own) or settings.server.services.task_run_recorder.enabled


@contextlib.contextmanager
def lean_engine() -> Iterator[None]:
    """Within: no task-run events sent to a server that drops them (restored on the way
    out). Flow-run states and artifacts still reach the server: they go through its API."""
    from prefect.events.clients import NullEventsClient
    from prefect.events.worker import EventsWorker

    override = EventsWorker._client_override  # one set by the caller (Prefect's test harness) stays
    if override is None and not events_have_a_recorder():
        EventsWorker.set_client_override(NullEventsClient)
    try:
        yield
    finally:
        if override is None:
            EventsWorker.set_client_override(None)


@contextlib.contextmanager
def heartbeats_only_where_recorded() -> Iterator[None]:
    """Within: flow runs started send no heartbeats unless events reach a server that
    records them (see the module docstring). Entered around the flow call: the engine
    decides on heartbeats when the run starts."""
    if events_have_a_recorder():
        yield
        return
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        yield
