"""Conda environment files rendered from the pip requirement files (no third-party imports).

requirements.txt chains requirements-tests.txt -> requirements-instructor.txt ->
requirements-student.txt. ``environment.yml``/``environment-gpu.yml`` (``make envs``) list the pins
of all three, grouped by file; the student kit's ``environment.yml`` lists the student pins only.
"""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STACKS = ("requirements-student.txt", "requirements-instructor.txt", "requirements-tests.txt")


def own_pins(name: str) -> list[str]:
    """The pins a requirement file adds itself (not those of the files it includes with -r)."""
    lines = (ROOT / name).read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith(("#", "-r "))]


def gpu_pin(pin: str) -> str | None:
    """The GPU build replaces both CPU TensorFlow lines by one tensorflow[and-cuda] pin (Linux only)."""
    if pin.startswith("tensorflow-cpu=="):
        return "tensorflow[and-cuda]==" + pin.split("==")[1].split(";")[0].strip()
    return None if pin.startswith("tensorflow==") else pin


def render(name: str, header: str, stacks: tuple[str, ...] = STACKS, use_gpu: bool = False,
           editable: bool = True) -> str:
    body = []
    for stack in stacks:
        if len(stacks) > 1:
            body.append(f"      # {stack}")
        for pin in own_pins(stack):
            pin = gpu_pin(pin) if use_gpu else pin
            if pin:
                body.append(f"      - '{pin}'" if ";" in pin else f"      - {pin}")
    if editable:
        body.append("      - -e .")
    return (f"{header}name: {name}\nchannels:\n  - conda-forge\ndependencies:\n  - python=3.11\n  - pip\n"
            "  - pip:\n" + "\n".join(body) + "\n")
