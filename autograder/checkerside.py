"""What runs inside a checker kernel kept warm between notebooks: its warm-up, what it remembers of
its state, and how it puts that state back (sent as source, like ``kernelside.py``).

The checker kernel runs only the instructor's cells and the value channel, never a line a student
wrote (``twokernel.py``), so it can grade one notebook after another (``checkerpool.py``) if each
notebook finds it exactly as a fresh one would be. ``warm(modules)`` imports the libraries every
lesson imports (the cost a kept kernel saves) and ``remember()`` takes the baseline. ``reset()``,
after a notebook, clears the user namespace, IPython's history and counters, the modules the
notebook's cells imported from outside the installed libraries (the course package's submodules,
helpers beside the notebooks), Keras's session (layer names, seeds, models), the random generators,
the environment, the working folder and everything else ``state()`` lists, and then compares
``state()`` with the baseline. Any difference and the kernel is not used again: the pool starts a
fresh one instead. Library modules imported lazily by a notebook stay loaded (importing them again
would give the same modules; compiled extensions cannot be loaded twice).
"""

_baseline = None
_kept = None
_IPYTHON_OWN = ("__builtin__", "__builtins__", "__name__")     # what IPython's reset leaves unhidden


def _library_roots():
    import sys
    import sysconfig

    roots = {sysconfig.get_paths()[k] for k in ("stdlib", "platstdlib", "purelib", "platlib")}
    roots |= {sys.base_prefix, sys.prefix}
    return tuple(sorted(str(r) for r in roots if r))


def _ours(module, roots):
    """Whether ``module`` comes from outside the installed libraries (the course's own code)."""
    path = getattr(module, "__file__", None)
    if not isinstance(path, str):
        return False
    return not path.startswith(roots)


def warm(modules):
    """Import ``modules`` (those that are installed), keep the course package's stderr filter in
    place, and take the baseline."""
    import importlib
    import sys

    for name in modules:
        try:
            importlib.import_module(name)
        except Exception:
            pass
    try:
        from rnncourse import liblog
        liblog.drop_from_notebook_stderr()
    except Exception:
        pass
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is not None:            # pyplot picks its backend and hooks into IPython at its first figure
        plt.close(plt.figure())
    remember()


def _digest(value):
    import hashlib

    return hashlib.sha256(repr(value).encode("utf-8", "replace")).hexdigest()[:16]


def _ids(module):
    return _digest(sorted((k, id(v)) for k, v in vars(module).items()))


def _listing(root):
    import os

    found = []
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files) + dirs:
            path = os.path.join(folder, name)
            try:
                st = os.lstat(path)
            except OSError:
                continue
            found.append((os.path.relpath(path, root), st.st_size, int(st.st_mtime)))
    return found


def _started_by_notebook(thread, roots):
    """Whether ``thread`` runs code of a notebook or of the course (a library's own worker threads, and
    threads of C code calling into Python, are the library's business, as in a fresh kernel)."""
    import sys
    import threading

    if isinstance(thread, threading._DummyThread):
        return False
    run = getattr(thread, "_target", None) or type(thread).run
    name = getattr(run, "__module__", None) or type(thread).__module__
    module = sys.modules.get(name)
    return name == "__main__" or module is None or _ours(module, roots) or not hasattr(module, "__file__")


def state():
    """What a notebook's cells could change and a later notebook could see, as comparable values."""
    import builtins
    import os
    import random
    import signal
    import sys
    import threading
    import warnings

    from IPython import get_ipython

    ip = get_ipython()
    roots = _library_roots()
    found = {
        "user names": sorted(k for k in ip.user_ns if k not in ip.user_ns_hidden and k not in _IPYTHON_OWN),
        "course modules": sorted(n for n, m in list(sys.modules.items()) if _ours(m, roots)),
        "execution count": ip.execution_count,
        "working folder": os.getcwd(),
        "files": _listing(_kept["cwd"]),
        "environment": _digest(sorted(os.environ.items())),
        "sys.path": list(sys.path),
        "warnings": _digest(warnings.filters),
        "random": _digest(random.getstate()),
        "threads": sorted(t.name for t in threading.enumerate() if _started_by_notebook(t, roots)),
        "builtins": _ids(builtins),
        "hooks": [id(sys.excepthook), id(sys.displayhook), sys.gettrace() is None, sys.getprofile() is None,
                  id(sys.stdout), id(sys.stderr), sys.getrecursionlimit()],
        "signals": [repr(signal.getsignal(s)) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGALRM)],
        "ipython": [ip.custom_exceptions, repr(ip.CustomTB), len(ip.ast_transformers),
                    len(ip.input_transformers_post)],
        "ipython events": {k: [getattr(f, "__qualname__", repr(f)) for f in v] for k, v in ip.events.callbacks.items()},
    }
    np = sys.modules.get("numpy")
    if np is not None:
        found["numpy"] = [_digest(np.random.get_state()), np.geterr(), _digest(np.get_printoptions()), _ids(np)]
    keras = sys.modules.get("keras")
    if keras is not None:
        cfg = keras.config
        found["keras"] = [cfg.floatx(), cfg.epsilon(), cfg.image_data_format(), cfg.backend(),
                          cfg.dtype_policy().name, cfg.is_interactive_logging_enabled(),
                          cfg.is_traceback_filtering_enabled(), _ids(keras), _ids(keras.layers)]
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is not None:
        import matplotlib
        found["figures"] = plt.get_fignums()
        found["rcParams"] = sorted((k, repr(v)) for k, v in matplotlib.rcParams.items())
        found["pyplot"] = _ids(plt)
    return found


def remember():
    """Take the baseline ``reset`` restores and compares with."""
    global _baseline, _kept
    import os
    import random
    import sys
    import warnings

    from IPython import get_ipython

    ip = get_ipython()
    np = sys.modules.get("numpy")
    _kept = {
        "cwd": os.getcwd(),
        "environ": dict(os.environ),
        "sys.path": list(sys.path),
        "warnings": list(warnings.filters),
        "random": random.getstate(),
        "numpy": (np.random.get_state(), np.geterr(), np.get_printoptions()) if np is not None else None,
        "custom": (ip.custom_exceptions, ip.CustomTB),
        "rcParams": dict(sys.modules["matplotlib"].rcParams) if "matplotlib" in sys.modules else None,
        "files": {path for path, _, _ in _listing(os.getcwd())},
    }
    _baseline = state()


def _forget_course_modules():
    import sys

    roots, kept = _library_roots(), set(_baseline["course modules"])
    for name in [n for n, m in list(sys.modules.items()) if _ours(m, roots) and n not in kept]:
        module = sys.modules.pop(name, None)
        parent, _, child = name.rpartition(".")
        if parent and getattr(sys.modules.get(parent), child, None) is module:
            delattr(sys.modules[parent], child)     # else ``from parent import child`` finds the old one


def _clear_files(root, keep):
    import os
    import shutil

    for entry in sorted(os.listdir(root)):
        path = os.path.join(root, entry)
        if entry in keep:
            continue
        if any(k.startswith(entry + os.sep) for k in keep):
            _clear_files(path, {k[len(entry) + 1:] for k in keep if k.startswith(entry + os.sep)})
        elif os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path, ignore_errors=True)
        else:
            try:
                os.remove(path)
            except OSError:
                pass


def reset():
    """Put the kernel back as ``remember`` found it; the names of what still differs ([]: nothing)."""
    import gc
    import os
    import random
    import sys
    import warnings

    from IPython import get_ipython

    ip = get_ipython()
    ip.reset(new_session=True)
    ip.custom_exceptions, ip.CustomTB = _kept["custom"]
    _forget_course_modules()
    keras = sys.modules.get("keras")
    if keras is not None:
        keras.backend.clear_session()
    tf = sys.modules.get("tensorflow")
    if tf is not None:
        tf.random.set_seed(None)
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is not None:
        plt.close("all")
    if _kept["rcParams"] is not None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            sys.modules["matplotlib"].rcParams.update(_kept["rcParams"])
    os.chdir(_kept["cwd"])
    os.environ.clear()
    os.environ.update(_kept["environ"])
    sys.path[:] = _kept["sys.path"]
    warnings.filters[:] = _kept["warnings"]
    random.setstate(_kept["random"])
    np = sys.modules.get("numpy")
    if np is not None and _kept["numpy"] is not None:
        rng, err, printing = _kept["numpy"]
        np.random.set_state(rng)
        np.seterr(**err)
        np.set_printoptions(**printing)
    _clear_files(_kept["cwd"], _kept["files"])
    gc.collect()
    now = state()
    return sorted(k for k in _baseline if now.get(k) != _baseline[k])


def usage():
    """CPU seconds and resident kibibytes this kernel has used (the pool retires a heavy one)."""
    import resource

    ru = resource.getrusage(resource.RUSAGE_SELF)
    rss = 0
    try:
        with open("/proc/self/status") as f:
            rss = next((int(line.split()[1]) for line in f if line.startswith("VmRSS:")), 0)
    except OSError:
        rss = ru.ru_maxrss
    return {"cpu_s": ru.ru_utime + ru.ru_stime, "rss_kib": rss}
