# Who may start a load test (src/master/access.ts inserts this into master.py; docs/deploy.md).
import hmac
import logging
import os
import secrets
import socket
import ssl
import sys

from locust import events

_log = logging.getLogger("loadworker.master")
_CONFIG_ERROR = 78  # EX_CONFIG
# From loadworker locustfile --web-user/--web-password-file; the environment wins.
_DEFAULTS = {}


def _setting(name):
    return os.environ.get(name, _DEFAULTS.get(name))


def _label(name):
    if name not in os.environ and name in _DEFAULTS:
        return f"{name} (baked in by loadworker locustfile)"
    return name


def _refuse(message):
    """Bad settings: one message, exit, and nothing half-protected left running."""
    sys.stderr.write(f"loadworker master: error: {message}\n")
    sys.stderr.flush()
    # Under supervisord (the image, scripts/up.sh) the worker and the demo target would keep
    # running without their master, and supervisord would restart us forever: stop it all.
    # Said before asking: supervisord's shutdown sends us SIGTERM at once, which can end this
    # process before a line written after the call.
    if os.environ.get("SUPERVISOR_SERVER_URL"):
        _mark_refused(os.environ["SUPERVISOR_SERVER_URL"])
        try:
            from supervisor import childutils

            sys.stderr.write("loadworker master: stopping everything supervisord started\n")
            sys.stderr.flush()
            childutils.getRPCInterface(os.environ).supervisor.shutdown()
        except Exception as e:
            sys.stderr.write(f"loadworker master: could not stop supervisord ({type(e).__name__}); stop it by hand\n")
    sys.exit(_CONFIG_ERROR)


def _mark_refused(server_url):
    # supervisord exits 0 whatever stopped it: the image's supervisord.sh finds this file beside
    # the socket and exits 78, so `docker run` does not report a refused start as a success.
    if server_url.startswith("unix://"):
        path = os.path.join(os.path.dirname(server_url[len("unix://") :]), "loadworker-refused")
        try:
            with open(path, "w"):
                pass
        except OSError as e:
            sys.stderr.write(f"loadworker master: cannot write {path} ({e.strerror}): the image will exit 0, not 78\n")


def _pair(values, what):
    """Both settings or neither; a set one must not be empty. values: {name: value or None}."""
    (first, a), (second, b) = values.items()
    if (a is None) != (b is None):
        given, missing = (first, second) if b is None else (second, first)
        _refuse(f"{_label(given)} is set but {missing} is not: set both {what}, or neither")
    for name, value in values.items():
        if value is not None and not value.strip():
            _refuse(f"{_label(name)} is empty: give it a value, or unset both {first} and {second}")
    return (a, b) if a is not None else None


def _readable(name, path):
    try:
        with open(path, "rb") as f:
            f.read(1)
    except OSError as e:
        _refuse(f"{name}={path} cannot be read ({e.strerror or e}); point it to a readable file")


def _login():
    password_name = "LOADWORKER_WEB_PASSWORD"
    password = os.environ.get(password_name)
    path = _setting("LOADWORKER_WEB_PASSWORD_FILE")
    if password is None and path is not None and path.strip():
        # A mounted secret (Docker, Kubernetes): the file's first line is the password.
        password_name = "LOADWORKER_WEB_PASSWORD_FILE"
        try:
            with open(path, encoding="utf-8") as f:
                password = f.readline().rstrip("\r\n")
        except (OSError, UnicodeError) as e:
            _refuse(f"{_label(password_name)}={path} cannot be read ({getattr(e, 'strerror', None) or e}); point it to a readable file")
        if not password.strip():
            _refuse(f"{_label(password_name)}={path} holds no password: write it on the file's first line")
    elif password is None and path is not None:
        password_name, password = "LOADWORKER_WEB_PASSWORD_FILE", path
    values = {"LOADWORKER_WEB_USER": _setting("LOADWORKER_WEB_USER"), password_name: password}
    return _pair(values, "to require a login for the web UI")


def _settings():
    login = _login()
    tls = _pair({name: os.environ.get(name) for name in ("LOADWORKER_TLS_CERT", "LOADWORKER_TLS_KEY")}, "to serve the web UI over https")
    if tls:
        _readable("LOADWORKER_TLS_CERT", tls[0])
        _readable("LOADWORKER_TLS_KEY", tls[1])
        try:
            ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER).load_cert_chain(tls[0], tls[1])
        except (ssl.SSLError, OSError) as e:
            _refuse(f"LOADWORKER_TLS_CERT and LOADWORKER_TLS_KEY are not a PEM certificate and its key ({e})")
    bind = os.environ.get("LOADWORKER_MASTER_BIND", "127.0.0.1")
    if not bind.strip():
        _refuse("LOADWORKER_MASTER_BIND is empty: set an address (0.0.0.0 for external workers) or unset it")
    _bindable("LOADWORKER_MASTER_BIND", bind)
    return login, tls, bind


def _bindable(name, host):
    """An address this machine can listen on; else Locust's bind fails with a traceback, and again on each restart."""
    if host == "*" or host in {iface for _, iface in socket.if_nameindex()}:  # zmq takes both
        return
    try:
        family, kind, _, _, address = socket.getaddrinfo(host, 0, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
        with socket.socket(family, kind) as probe:
            probe.bind(address)
    except OSError as e:
        _refuse(
            f"{name}={host} is not an address this machine can listen on ({e.strerror or e}): "
            "set 0.0.0.0 (every interface, for workers on other machines) or one of its own addresses, or unset it"
        )


# Checked at import, before Locust parses its options or opens a port.
_LOGIN, _TLS, _MASTER_BIND = _settings()


@events.init_command_line_parser.add_listener
def _loadworker_defaults(parser, **_kwargs):
    # Loopback unless asked: the single-container image's worker runs beside the master, and an
    # open worker port lets any process join the test. compose and Kubernetes pass 0.0.0.0.
    defaults = {"master_bind_host": _MASTER_BIND}
    if _LOGIN:
        defaults["web_login"] = True
    if _TLS:
        defaults["tls_cert"], defaults["tls_key"] = _TLS
    parser.set_defaults(**defaults)


@events.init.add_listener
def _loadworker_worker_port(environment, **_kwargs):
    # A worker on another machine that cannot connect only hears "connection refused": say here
    # that the worker port is this machine's alone, and how to open it.
    options = environment.parsed_options
    if options is None or not getattr(options, "master", False):
        return
    if getattr(options, "master_bind_host", "") in ("127.0.0.1", "localhost", "::1"):
        _log.info(
            f"workers: port {options.master_bind_port} on {options.master_bind_host} only (workers on this machine); "
            "LOADWORKER_MASTER_BIND=0.0.0.0 or --master-bind-host 0.0.0.0 lets other machines join"
        )


@events.init.add_listener
def _loadworker_web_access(environment, web_ui=None, **_kwargs):
    if web_ui is None:
        return
    if not _LOGIN and getattr(web_ui, "web_login", False):
        _refuse("--web-login is on but LOADWORKER_WEB_USER and LOADWORKER_WEB_PASSWORD are not set: set them, or drop --web-login")
    if not _LOGIN:
        _log.warning(
            f"the web UI on {web_ui.host or '*'}:{web_ui.port} is open: anyone who reaches that port can start "
            "a load test against any host. Set LOADWORKER_WEB_USER and LOADWORKER_WEB_PASSWORD to require a login."
        )
        return
    if not getattr(web_ui, "web_login", False):
        _refuse("LOADWORKER_WEB_USER is set but the web UI runs without --web-login (LOCUST_WEB_LOGIN=false, or a Locust too old to have it?)")
    _require_login(environment, web_ui, *_LOGIN)


def _same(given, expected):
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def _endpoint(app, name):
    # Locust 2.47 names its routes in the "locust" blueprint; older releases (2.24) on the app itself.
    return f"locust.{name}" if f"locust.{name}" in app.view_functions else name


def _require_login(environment, web_ui, user, password):
    # Locust's --web-login hook, as its docs describe: a user_loader, a username/password
    # callback named in auth_args, and the route behind it.
    from flask import Blueprint, redirect, request, session, url_for
    from flask_login import UserMixin, login_user

    class Operator(UserMixin):
        def __init__(self, name):
            self.id = name

    app = web_ui.app
    # A fresh key per master start: sessions end with the master, and no secret is stored.
    app.config["SECRET_KEY"] = secrets.token_hex(32)
    # Lax: a page on another site cannot POST /swarm with the operator's session.
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.config["SESSION_COOKIE_SECURE"] = bool(web_ui.tls_cert and web_ui.tls_key)
    web_ui.login_manager.user_loader(lambda name: Operator(name) if _same(name, user) else None)
    base = getattr(environment.parsed_options, "web_base_path", None) or ""
    web_ui.auth_args = {"username_password_callback": f"{base}/login_submit"}
    blueprint = Blueprint("loadworker_login", __name__, url_prefix=base or None)

    @blueprint.route("/login_submit", methods=["POST"])
    def login_submit():
        # Both compared, always, in constant time: the answer's timing says nothing about either.
        user_ok = _same(request.form.get("username", ""), user)
        password_ok = _same(request.form.get("password", ""), password)
        if user_ok and password_ok:
            login_user(Operator(user))
            return redirect(url_for(index))
        _log.warning(f"web UI: failed login from {request.remote_addr}")
        session["auth_error"] = "Invalid username or password"
        return redirect(url_for(login))

    app.register_blueprint(blueprint)
    index, login = _endpoint(app, "index"), _endpoint(app, "login")
    scheme = "https" if app.config["SESSION_COOKIE_SECURE"] else "http"
    _log.info(f"the web UI requires a login ({scheme}); user from LOADWORKER_WEB_USER")
