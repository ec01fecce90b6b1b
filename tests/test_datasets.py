"""Every dataset is offline, checksummed, and documented in datasets/README.md."""
import pytest

from autograder import course
from rnncourse import data

README = (course.REPO / "datasets" / "README.md").read_text()


@pytest.mark.parametrize("name", sorted(data.SOURCES))
def test_source_verifies_and_is_documented(name):
    path = data.source_path(name)          # raises DataIntegrityError on a checksum mismatch
    assert path.stat().st_size > 0
    src = data.SOURCES[name]
    assert f"`{name}`" in README, f"{name} has no row in datasets/README.md"
    assert src.sha256 in README, f"datasets/README.md does not record {name}'s SHA-256"


def test_checksum_mismatch_is_refused(monkeypatch):
    name = sorted(data.SOURCES)[0]
    bad = data.SOURCES[name].__class__(**{**data.SOURCES[name].__dict__, "sha256": "0" * 64})
    monkeypatch.setitem(data.SOURCES, name, bad)
    data.source_path.cache_clear()
    with pytest.raises(data.DataIntegrityError):
        data.source_path(name)
    data.source_path.cache_clear()


def test_loaders_return_real_data():
    weather = data.load_seattle_weather()
    assert len(weather) == 1461 and weather.index.is_monotonic_increasing
    msft = data.load_msft()
    assert len(msft) > 7000 and msft.index.is_monotonic_increasing
