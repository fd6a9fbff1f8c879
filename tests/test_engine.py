"""flows/engine.py: task-run events and flow-run heartbeats are sent only to a server that
records them."""

from __future__ import annotations

from prefect.events import emit_event
from prefect.settings import (
    PREFECT_API_URL,
    PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_ENABLED,
    get_current_settings,
    temporary_settings,
)

from parindex.flows import ingest as ingest_module
from parindex.flows.engine import events_have_a_recorder, heartbeats_only_where_recorded, lean_engine


def _emitted() -> bool:
    return emit_event("parindex.test", resource={"prefect.resource.id": "parindex.test"}) is not None


def test_events_are_not_sent_to_a_temporary_server_without_its_recorder():
    # what `parindex run` sets up when no PREFECT_API_URL is configured (parindex/cli.py)
    with temporary_settings(
        updates={PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_ENABLED: False}, restore_defaults={PREFECT_API_URL}
    ):
        assert not events_have_a_recorder()
        with lean_engine():
            assert not _emitted()


def test_events_still_reach_a_server_that_records_them(prefect_harness):
    # the test harness is a server with an API URL, like a user's own server
    assert events_have_a_recorder()
    with lean_engine():
        assert _emitted()
    assert _emitted()


def test_a_temporary_server_with_its_recorder_on_gets_events():
    with temporary_settings(
        updates={PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_ENABLED: True}, restore_defaults={PREFECT_API_URL}
    ):
        assert events_have_a_recorder()


def test_flow_runs_send_no_heartbeats_where_events_are_not_recorded(monkeypatch, tmp_path):
    # Prefect's heartbeat thread sleeps a second at a time and each run's end waited for it
    seen = []

    def fake_ingest(paths, out, **kwargs):
        seen.append(get_current_settings().flows.heartbeat_frequency)

    monkeypatch.setattr(ingest_module, "ingest", fake_ingest)
    with temporary_settings(
        updates={PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_ENABLED: False}, restore_defaults={PREFECT_API_URL}
    ):
        default = get_current_settings().flows.heartbeat_frequency
        ingest_module.run_ingest([str(tmp_path)], out=str(tmp_path / "out"))
        assert get_current_settings().flows.heartbeat_frequency == default == 180
    assert seen == [None]


def test_flow_runs_keep_their_heartbeats_for_a_server_that_records_events(prefect_harness):
    with heartbeats_only_where_recorded():
        assert get_current_settings().flows.heartbeat_frequency == 180
