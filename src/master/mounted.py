# Tasks mounted at start (src/master/locustfile.ts inserts this into master.py; docs/package.md).
# With LOADWORKER_TASKS set (e.g. docker run -v $PWD/loadtests:/tasks -e LOADWORKER_TASKS=/tasks),
# the workers load those task files instead of the ones compiled in, so the master must declare
# their classes: the loadworker binary beside this file writes master.py for them, and this
# process starts again on it (same pid, same flags but -f), before Locust has bound any port.
# Without that binary (a project's master.py run by hand) the master stops saying what to do.
import subprocess as _lw_subprocess
import tempfile as _lw_tempfile

_LW_FROM_TASKS = "_LOADWORKER_MASTER_PY_FROM_TASKS"


def _lw_locust_argv(locustfile):
    """This process's command line with -f/--locustfile pointing at `locustfile`."""
    argv = list(sys.argv[1:])
    for i, arg in enumerate(argv):
        if arg in ("-f", "--locustfile") and i + 1 < len(argv):
            argv[i + 1] = locustfile
            break
        if arg.startswith(("-f=", "--locustfile=")):
            argv[i] = f"--locustfile={locustfile}"
            break
    else:
        argv = ["-f", locustfile, *argv]
    # `python -m locust` runs locust/__main__.py, which only works as a module.
    main = ["-m", "locust"] if sys.argv[0].endswith("__main__.py") else [sys.argv[0]]
    return [sys.executable, *main, *argv]


def _lw_restart_on_mounted_tasks():
    tasks = os.environ.get("LOADWORKER_TASKS", "").strip()
    if not tasks or os.environ.get(_LW_FROM_TASKS):
        return
    binary = os.path.join(os.path.dirname(os.path.abspath(__file__)), "loadworker")
    flags = {"LOADWORKER_WEB_USER": "--web-user", "LOADWORKER_WEB_PASSWORD_FILE": "--web-password-file"}
    baked = [part for name, flag in flags.items() if name in _DEFAULTS for part in (flag, _DEFAULTS[name])]
    try:
        made = _lw_subprocess.run([binary, "locustfile", "--tasks", tasks, *baked], capture_output=True, text=True)
    except OSError as e:
        _refuse(
            f"LOADWORKER_TASKS={tasks}: master.py declares those tasks' classes with the loadworker binary beside it, and "
            f"{binary} cannot run ({e.strerror or e}): build it there (npx loadworker build {tasks} -o {binary}), or unset "
            f"LOADWORKER_TASKS for the master and give it the master.py of npx loadworker locustfile --tasks {tasks}"
        )
    if made.returncode != 0:
        _refuse(f"LOADWORKER_TASKS={tasks}: {made.stderr.strip() or f'loadworker locustfile exited {made.returncode}'}")
    fd, path = _lw_tempfile.mkstemp(prefix="loadworker-master-", suffix=".py")
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(made.stdout)
    # Locust's logging is not set up yet while it imports this file: straight to stderr.
    sys.stderr.write(f"loadworker master: LOADWORKER_TASKS={tasks}: the master declares the classes of those task files ({path})\n")
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(sys.executable, _lw_locust_argv(path), {**os.environ, _LW_FROM_TASKS: "1"})


_lw_restart_on_mounted_tasks()
