"""Kernels graded side by side share the cores: each gets cores // workers threads (no oversubscription)."""
import subprocess
import sys

from autograder import grade, sandbox, scheduler

THREAD_VARS = ("TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS", "OMP_NUM_THREADS",
               "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def test_each_local_worker_gets_its_share_of_the_cores_and_one_worker_keeps_them_all():
    cores = scheduler.default_workers()
    assert grade.kernel_threads(1) == cores
    assert grade.kernel_threads(cores) == 1
    assert grade.kernel_threads(4 * cores) == 1


def test_the_sandboxed_kernel_environment_carries_the_thread_counts(tmp_path):
    assert not set(THREAD_VARS) & set(sandbox.Jail(tmp_path, tmp_path).environment())
    jail = sandbox.Jail(tmp_path, tmp_path / "work", threads=1).open()
    code = "import os; print(' '.join(os.environ.get(v, '-') for v in %r))" % (THREAD_VARS,)
    try:
        out = subprocess.run(jail.wrap([sys.executable, "-c", code]), env=jail.environment(),
                             capture_output=True, text=True, timeout=60)
    finally:
        jail.close()
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["1"] * len(THREAD_VARS)
