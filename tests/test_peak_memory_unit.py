"""worker.PeakRSS: a worker's memory is its process and its descendants, shared pages counted once in PSS."""
import subprocess
import sys
import time

from autograder.worker import PeakRSS


def test_peak_memory_counts_descendants_and_pss_counts_a_shared_page_once():
    child = "import time; block = bytearray(64 << 20); time.sleep(1.5)"
    with PeakRSS(interval=0.05) as peak:
        procs = [subprocess.Popen([sys.executable, "-c", child]) for _ in range(2)]
        time.sleep(1.0)
        for proc in procs:
            proc.wait()
    # two children with 64 MiB of private memory each
    assert peak.children_kib >= 2 * (64 << 10)
    assert peak.total_kib >= peak.children_kib
    # the interpreter's own pages are mapped by all three processes: PSS sums them once, RSS three times
    assert 2 * (64 << 10) <= peak.total_pss_kib < peak.total_kib
