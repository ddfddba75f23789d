from cms.celery import app


def _queue_for(task_name: str) -> str:
    return app.amqp.router.route({}, task_name)["queue"].name


def test_certificate_and_report_tasks_have_their_own_queues():
    assert _queue_for("certificates.tasks.render_certificate") == "certificates"
    assert _queue_for("reports.tasks.build_export") == "reports"
    assert _queue_for("commissions.tasks.apply_member_import") == "default"


def test_each_queue_has_its_own_routing_key():
    """A shared routing key would deliver every task to every queue's consumers."""
    keys = {queue.name: queue.routing_key for queue in app.conf.task_queues}
    assert keys == {"default": "default", "certificates": "certificates", "reports": "reports"}


def test_house_rules_for_tasks():
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]


def test_expired_attempts_are_swept_every_minute():
    from quizzes.tasks import close_expired_attempts

    entry = app.conf.beat_schedule["close-expired-attempts"]
    assert entry["task"] == close_expired_attempts.name
    assert entry["schedule"] == 60.0
