"""The suite covers every app: each app of the project that has tests is collected by pytest."""

import configparser
from pathlib import Path

from django.apps import apps
from django.conf import settings


def test_every_app_with_tests_is_in_the_test_paths():
    base = Path(settings.BASE_DIR)
    config = configparser.ConfigParser()
    config.read(base / "pytest.ini")
    collected = set(config["pytest"]["testpaths"].split())
    with_tests = {
        Path(app.path).name
        for app in apps.get_app_configs()
        if Path(app.path).is_relative_to(base) and (Path(app.path) / "tests").is_dir()
    }
    assert with_tests - collected == set()
