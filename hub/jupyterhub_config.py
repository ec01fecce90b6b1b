# JupyterHub configuration of the demo class (`make hub`; tests/test_hub.py starts the same hub).
# Paths and port come from hub/democlass.py (RNNHUB_* variables); everything listens on 127.0.0.1.
#
# At your institution: keep the Spawner/nbgrader parts and replace the authenticator lines by your
# hub's own (e.g. c.JupyterHub.authenticator_class = "ltiauthenticator.lti13.authenticator.LTI13Authenticator",
# "oauthenticator.GenericOAuthenticator", "ldapauthenticator.LDAPAuthenticator"); see README.md.
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import democlass  # noqa: E402

klass = democlass.DemoClass.from_env()
c = get_config()  # noqa: F821 - provided by JupyterHub

# network: loopback only; the proxy (configurable-http-proxy from hub/node_modules) on port, hub API on port+1
c.JupyterHub.bind_url = klass.url
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = klass.port + 1
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{klass.port + 2}"
c.ConfigurableHTTPProxy.command = [str(democlass.PROXY)]
c.ConfigurableHTTPProxy.pid_file = str(klass.runtime / "proxy.pid")
c.JupyterHub.cleanup_servers = True          # stopping the hub stops every user's server and the proxy
c.JupyterHub.cleanup_proxy = True

# state of the hub itself
c.JupyterHub.db_url = f"sqlite:///{klass.runtime / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(klass.runtime / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(klass.runtime / "jupyterhub.pid")

# who may log in: the demo accounts, with the Unix passwords hub/democlass.py set (PAM)
c.JupyterHub.authenticator_class = "pam"
c.PAMAuthenticator.open_sessions = False
c.Authenticator.allowed_users = {democlass.INSTRUCTOR, *democlass.STUDENTS}

# each user's JupyterLab runs as that Unix user, from the course's .venv
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [str(democlass.VENV_BIN / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.ip = "127.0.0.1"
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120


def per_user(spawner):
    """The instructor's server runs in the course (formgrader needs it under the server's root)."""
    user = spawner.user.name
    spawner.environment = democlass.DemoClass.user_env(klass, user)
    if user == democlass.INSTRUCTOR:
        from jupyterhub.spawner import set_user_setuid

        spawner.notebook_dir = str(democlass.REPO)
        spawner.popen_kwargs = {"cwd": klass.user_cwd(user)}          # where nbgrader_config.py is
        spawner.make_preexec_fn = lambda name: set_user_setuid(name, chdir=False)


c.Spawner.pre_spawn_hook = per_user
