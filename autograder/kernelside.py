"""What runs inside the two grading kernels: the value channel between them (sent as source).

``twokernel.py`` executes this module's source, after ``wire.py``'s, in both kernels; neither
kernel imports the ``autograder`` package. Each kernel gets one ``Side``:

* in the **checker** kernel, ``fetch(names)`` binds the notebook names a test cell reads from the
  student kernel, and every proxy call (``make_windows(...)``) is a request; requests leave as the
  prompt of an ``input()`` request, the grader relays them, and the answer comes back as its reply;
* in the **student** kernel, ``serve(request)`` answers one request (the grader runs it as a silent
  cell) and publishes the answer as display data of type ``MIME``; a student function that calls an
  object the checker passed in (a proxy) asks the checker the same way, through ``input()``.

Nothing here is secret: a student may patch her own side, which only changes her own answers. The
checker side decodes only plain data (``wire.Decoder``) and answers only calls and public attributes
of the objects it passed as arguments.
"""

PREFIX = "\x1egrading:"
MIME = "application/x-grading-answer"
MAX_ITEMS_ITERATED = 100_000
ERRORS_KEPT = ("ArithmeticError", "AssertionError", "AttributeError", "IndexError", "KeyError",
               "LookupError", "NotImplementedError", "OverflowError", "RuntimeError", "TypeError",
               "ValueError", "ZeroDivisionError", "NameError", "EOFError", "MemoryError", "RecursionError",
               "UnboundLocalError", "FloatingPointError", "KeyboardInterrupt")


class StudentError(Exception):
    """An exception raised by the notebook's code, of a type the checker does not re-raise as is."""


class ChannelError(RuntimeError):
    """The other kernel did not answer (it died, timed out, or broke the channel)."""


def _error_from(info):
    import builtins

    name = info.get("type") if type(info) is dict and type(info.get("type")) is str else "Error"
    message = info.get("message") if type(info) is dict and type(info.get("message")) is str else ""
    message = message[:2000]
    if info.get("channel") is True:
        return ChannelError(message)
    if name in ERRORS_KEPT:
        exc = getattr(builtins, name)
        return exc(message) if name != "KeyError" else KeyError(message)
    return StudentError(f"{name[:80]}: {message}")


class Proxy:
    """An object that lives in the other kernel: attribute reads, items, len and iteration are
    requests; equality is identity; its repr says where it lives."""

    __slots__ = ("_side", "_handle", "_type")

    def __init__(self, side, handle, kind):
        object.__setattr__(self, "_side", side)
        object.__setattr__(self, "_handle", handle)
        object.__setattr__(self, "_type", kind)

    def __getattr__(self, name):
        if name.startswith("__") and name not in ("__name__", "__qualname__"):
            raise AttributeError(name)
        return self._side.request({"op": "getattr", "id": self._handle, "name": name})

    def __setattr__(self, name, value):
        raise AttributeError(f"cannot set {name!r} on a {self._type} that lives in the other kernel")

    def __getitem__(self, key):
        return self._side.request({"op": "getitem", "id": self._handle, "key": self._side.encode(key)})

    def __len__(self):
        n = self._side.request({"op": "len", "id": self._handle})
        if type(n) is not int or n < 0:
            raise TypeError(f"len() of the {self._type} is not a non-negative int")
        return n

    def __iter__(self):
        items = self._side.request({"op": "iter", "id": self._handle})
        if type(items) is not list:
            raise TypeError(f"the {self._type} cannot be iterated")
        return iter(items)

    def __bool__(self):
        value = self._side.request({"op": "bool", "id": self._handle})
        if type(value) is not bool:
            raise TypeError(f"the truth value of the {self._type} is not a bool")
        return value

    def __repr__(self):
        return f"<{self._type} from the other kernel>"

    def __eq__(self, other):
        return self is other

    def __hash__(self):
        return id(self)


class CallableProxy(Proxy):
    __slots__ = ()

    def __call__(self, *args, **kwargs):
        return self._side.call(self._handle, args, kwargs)

    def __call_many__(self, n, args, kwargs):
        """``[self(*args, **kwargs) for _ in range(n)]`` as one request (``rnncourse.checks.repeated_calls``):
        the same arguments each time, so a ``Generator`` argument moves on from call to call."""
        if type(n) is not int or not 0 <= n <= MAX_ITEMS_ITERATED:
            raise ValueError(f"repeated calls: n must be an int from 0 to {MAX_ITEMS_ITERATED}")
        values = self._side.call(self._handle, args, kwargs, repeat=n)
        if type(values) is not list or len(values) != n:
            raise TypeError("the repeated calls did not return one value per call")
        return values

    def __guard__(self, guard):
        """Until ``__unguard__``, calls run inside ``guard.for_function(the function)`` in the kernel
        where the function lives (``rnncourse.architecture.forbid_keras``: the checks on the function
        itself must see the real function). ``guard`` is an instance of a course class: it crosses
        as a copy."""
        self._side.guards.setdefault(self._handle, []).append(guard)

    def __unguard__(self):
        stack = self._side.guards.get(self._handle)
        if stack:
            stack.pop()


class Side:
    def __init__(self, wire, role):
        self.wire, self.role = wire, role
        self.kept, self.kept_ids, self.counter = {}, {}, 0
        self.guards = {}                   # handle -> guards its calls run inside (see CallableProxy)

    # --- values ---------------------------------------------------------------------------
    def keep(self, obj):
        found = self.kept_ids.get(id(obj))
        if found is not None and self.kept[found] is obj:
            return found
        self.counter += 1
        self.kept[self.counter], self.kept_ids[id(obj)] = obj, self.counter
        return self.counter

    def local(self, obj):
        if type(obj) in (Proxy, CallableProxy) and object.__getattribute__(obj, "_side") is self:
            return object.__getattribute__(obj, "_handle")
        return None

    def proxy(self, handle, is_callable, kind):
        return (CallableProxy if is_callable else Proxy)(self, handle, kind)

    def mine(self, handle):
        if handle not in self.kept:
            raise self.wire.Unreadable("a reference to an object this kernel never sent")
        return self.kept[handle]

    def encode(self, value):
        return self.wire.Encoder(self.keep, self.local, self._course_object).encode(value)

    def decode(self, data):
        return self.wire.Decoder(self.proxy, self.mine, unpickle=self.role == "student").decode(data)

    def _course_object(self, obj):
        """The checker sends instances of the course's helper classes by value (the student kernel has
        the same package); the student kernel sends nothing by pickle."""
        module = type(obj).__module__ or ""
        return self.role == "checker" and module.split(".")[0] == "rnncourse" and not callable(obj)

    # --- requests -------------------------------------------------------------------------
    def _send(self, kind, text):
        from IPython import get_ipython

        return get_ipython().kernel.raw_input(PREFIX + kind + text)

    def request(self, message):
        return self._unwrap(self._exchange(message))[0]

    def call(self, handle, args, kwargs, repeat=None):
        """Call the other side's function. Arguments cross as copies; only a ``Generator``'s state comes
        back (it moved on here too). An array the call changes in place is changed in the other
        kernel's copy only: the caller's data (a test's inputs and expected values) cannot be
        reached from the call."""
        import numpy as np

        rngs = [i for i, a in enumerate(args) if isinstance(a, np.random.Generator)]
        rngs += [k for k, a in kwargs.items() if isinstance(a, np.random.Generator)]
        message = {"op": "call", "id": handle, "args": [self.encode(a) for a in args],
                   "kwargs": [[str(k), self.encode(v)] for k, v in kwargs.items()], "rngs": rngs}
        if repeat is not None:
            message["repeat"] = repeat
        if self.guards.get(handle):
            message["within"] = [self.encode(g) for g in self.guards[handle]]
        value, states = self._unwrap(self._exchange(message))
        for key, state in states:
            gen = self._argument(args, kwargs, key)
            if isinstance(gen, np.random.Generator) and type(state) is dict:
                try:
                    gen.bit_generator.state = state
                except Exception:
                    pass
        return value

    def _exchange(self, message):
        reply = self._send("Q", self.wire.dumps(message))
        while True:
            if type(reply) is not str or not reply.startswith(PREFIX):
                raise ChannelError("the grading channel was interrupted")
            kind, body = reply[len(PREFIX):len(PREFIX) + 1], reply[len(PREFIX) + 1:]
            if kind == "A":
                return body
            if kind != "Q":
                raise ChannelError("the grading channel was interrupted")
            reply = self._send("A", self.answer(body))

    def _unwrap(self, body):
        envelope = self.wire.loads(body)
        if type(envelope) is not dict:
            raise ChannelError("malformed answer")
        if "ok" not in envelope:
            raise _error_from(envelope.get("error") or {})
        states = envelope.get("rngs") if type(envelope.get("rngs")) is list else []
        decoded = []
        for pair in states[:64]:
            if type(pair) is list and len(pair) == 2:
                decoded.append((pair[0], self.decode(pair[1])))
        return self.decode(envelope["ok"]), decoded

    # --- answers --------------------------------------------------------------------------
    def answer(self, body):
        """The JSON envelope answering one request of the other side."""
        try:
            message = self.wire.loads(body)
            value, rngs = self.perform(message)
            return self.wire.dumps({"ok": self.encode(value), "rngs": rngs})
        except BaseException as exc:       # the notebook's own failure is the answer
            info = {"type": type(exc).__name__, "message": str(exc)[:2000]}
            try:
                return self.wire.dumps({"error": info})
            except Exception:
                return '{"error": {"type": "Error", "message": "unprintable error"}}'

    def perform(self, message):
        op = message.get("op")
        if op == "fetch" and self.role == "student":
            from IPython import get_ipython

            ns = get_ipython().user_ns
            return {n: ns[n] for n in message.get("names", []) if type(n) is str and n in ns}, []
        obj = self.mine(message.get("id"))
        if op == "call":
            import contextlib

            import numpy as np

            args = [self.decode(a) for a in message.get("args", [])]
            kwargs = {str(k): self.decode(v) for k, v in message.get("kwargs", [])}
            repeat = message.get("repeat")
            within = message.get("within") if self.role == "student" else None
            with contextlib.ExitStack() as stack:
                for guard in (within if type(within) is list else [])[:8]:
                    stack.enter_context(self.decode(guard).for_function(obj))
                if type(repeat) is int and 0 <= repeat <= MAX_ITEMS_ITERATED:
                    result = [obj(*args, **kwargs) for _ in range(repeat)]
                else:
                    result = obj(*args, **kwargs)
            states = []
            for key in message.get("rngs", [])[:64]:
                gen = self._argument(args, kwargs, key)
                if isinstance(gen, np.random.Generator):
                    states.append([key, self.encode(gen.bit_generator.state)])
            return result, states
        if op == "getattr":
            name = str(message.get("name"))
            if self.role == "checker" and name.startswith("_"):
                raise AttributeError(f"{name!r} is not available to the notebook's code while grading")
            return getattr(obj, name), []
        if op == "getitem":
            return obj[self.decode(message.get("key"))], []
        if op == "len":
            return len(obj), []
        if op == "bool":
            return bool(obj), []
        if op == "iter":
            import itertools

            return list(itertools.islice(iter(obj), MAX_ITEMS_ITERATED)), []
        raise ValueError(f"unknown request {str(op)[:40]!r}")

    @staticmethod
    def _argument(args, kwargs, key):
        return args[key] if type(key) is int and 0 <= key < len(args) else kwargs.get(key) if type(key) is str else None

    # --- entry points ---------------------------------------------------------------------
    def serve(self, body):
        """Student kernel: answer one request of the checker and publish the answer."""
        from IPython.display import publish_display_data

        publish_display_data({MIME: self.answer(body)})

    def fetch(self, names):
        """Checker kernel: bind ``names`` from the student kernel in this kernel's namespace (a name
        the student kernel does not have is left as it is here)."""
        from IPython import get_ipython

        envelope = self.wire.loads(self._exchange({"op": "fetch", "names": list(names)}))
        if type(envelope) is not dict or "ok" not in envelope:
            raise _error_from((envelope or {}).get("error") or {} if type(envelope) is dict else {})
        entries = envelope["ok"].get("v") if type(envelope["ok"]) is dict else None
        if type(entries) is not list:
            raise ChannelError("malformed answer to a fetch")
        ns = get_ipython().user_ns
        for pair in entries:
            if type(pair) is not list or len(pair) != 2 or pair[0] not in names:
                continue
            try:
                ns[pair[0]] = self.decode(pair[1])
            except self.wire.Unreadable as exc:
                raise AssertionError(f"`{pair[0]}` as the notebook defines it cannot be graded: {exc}") from None
