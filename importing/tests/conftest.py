from pathlib import Path

import pytest
from django.conf import settings

from demo.loader import Catalogue, load_agencies, load_groups, read_fixture

SEEDS = Path(settings.BASE_DIR).parent.parent / "shared" / "seeds"
if not SEEDS.exists():
    SEEDS = Path(settings.BASE_DIR).parent / "shared" / "seeds"
SEED_NAMES = [
    "khanh-hoa-2022-provincial-plan",
    "ninh-thuan-2024-provincial-plan",
    "khanh-hoa-dept-ict-2021-2030-plan",
]


def seed(name):
    path = SEEDS / name
    if not path.exists():
        pytest.skip(f"seed file {name} is not on this machine")
    return path.read_bytes()


@pytest.fixture
def agency_tree(db):
    """The Khánh Hòa and Ninh Thuận agencies and groups of the demo data."""
    catalogue = Catalogue()
    load_agencies(catalogue, read_fixture("agencies.json"))
    load_groups(catalogue, read_fixture("catalogues.json"))
    return catalogue
