import signal

import pytest
from aiosmtpd.controller import Controller
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.utils import translation

from tests.factories import (
    AgencyFactory,
    AgencyGroupFactory,
    PlanFactory,
    TaskFactory,
    UserFactory,
)
from tests.mailbox import Mailbox, free_port


@pytest.fixture(autouse=True)
def restore_signal_handlers():
    """A worker run in-process (``call_command("db_worker")``) installs its own SIGINT and
    SIGTERM handlers, which would outlive the test in the test process."""
    names = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]
    saved = {name: signal.getsignal(name) for name in names}
    yield
    for name, handler in saved.items():
        signal.signal(name, handler)


@pytest.fixture(autouse=True)
def default_language_after_each_test():
    """A request activates its language for the thread and leaves it active: an English page
    requested by one test would otherwise make the next test's texts English."""
    yield
    translation.deactivate()


@pytest.fixture
def django_assert_num_queries(django_assert_num_queries, db):
    """pytest-django's, with every model's content type known beforehand, as in a server
    that has answered a request: a test that empties the database (a live-server test)
    empties that cache too, and the count of a page would then depend on the tests run
    before it."""
    ContentType.objects.get_for_models(*apps.get_models())
    return django_assert_num_queries


@pytest.fixture
def latest_schema_after():
    """Every app at its last migration again after a migration's test, whatever it left."""
    yield
    from tests.factories.migrations import latest, migrate

    migrate(*latest())


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def no_daily_run_by_workers(settings):
    """A worker run by a test queues the daily reminders only when the test asks for it
    (``settings.REMINDERS_SCHEDULED = True``): the hour of the day must not change a test."""
    settings.REMINDERS_SCHEDULED = False


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded and generated files go to a folder of the test, not to the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def province(db):
    return AgencyFactory(name="Ủy ban nhân dân tỉnh Khánh Hòa", code="UBND-KH", kind="province")


@pytest.fixture
def home_affairs(province):
    return AgencyFactory(name="Sở Nội vụ", code="SNV", kind="department", parent=province)


@pytest.fixture
def justice(province):
    return AgencyFactory(name="Sở Tư pháp", code="STP", kind="department", parent=province)


@pytest.fixture
def districts(province):
    names = ["Thành phố Nha Trang", "Thành phố Cam Ranh", "Huyện Cam Lâm"]
    return [
        AgencyFactory(
            name=f"UBND {name}", short_name=name, code=f"D{i}", kind="district", parent=province
        )
        for i, name in enumerate(names)
    ]


@pytest.fixture
def district_group(districts):
    return AgencyGroupFactory(
        name="UBND các huyện, thị xã, thành phố", code="districts", kind="district"
    )


@pytest.fixture
def plan(province):
    return PlanFactory(issuer=province, period_start_year=2022, period_end_year=2022)


@pytest.fixture
def task(plan):
    return TaskFactory(plan=plan, timeline_text="Quý I/2022")


@pytest.fixture
def health(province):
    return AgencyFactory(name="Sở Y tế", code="SYT", kind="department", parent=province)


# The cast, one user per role: alice coordinates (Sở Nội vụ), bob is an officer of Sở Tư pháp,
# charlie an officer of an agency the test's objects do not involve (Sở Y tế), lanhdao leads.


@pytest.fixture
def coordinator(home_affairs):
    return UserFactory(username="alice", agency=home_affairs, role="coordinator")


@pytest.fixture
def officer(justice):
    return UserFactory(username="bob", agency=justice, role="agency_officer")


@pytest.fixture
def outsider(health):
    return UserFactory(username="charlie", agency=health, role="agency_officer")


@pytest.fixture
def leadership(province):
    return UserFactory(username="lanhdao", agency=province, role="leadership")


# ---------------------------------------------------------------------------------------------
# A real SMTP server for the mail tests


@pytest.fixture
def smtp_server(settings):
    """An SMTP server (aiosmtpd) on a free local port for the test; the application's mailer
    points at it. Yields the ``Mailbox``: ``smtp_server.messages`` holds what it received.
    Mails are sent by the worker: run ``call_command("db_worker", batch=True,
    no_startup_delay=True)`` in a ``django_db(transaction=True)`` test, or use
    ``settings.TASKS`` with the ImmediateBackend."""
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.MAILERS = {"default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "timeout": 10},
    }}
    yield mailbox
    controller.stop()
