#!/usr/bin/env python3
# ─────────────────────────────────────────────────────────────────────────────────────────────────────────────────
# TEST HARNESS — NOT THE WASMTIME CLI.
#
# Behaves like `wasmtime run` for the subset of flags wasm-p2-check's wasmtime runner passes, so the runner can be
# tested against a real wasmtime engine on machines where no wasmtime CLI can be installed. The engine is the
# official `wasmtime` Python wheel (49.x, wasmtime's C API), installed into .venv by .ci/run.
#
# What is real: compilation, linking, WASI P1 (`Linker.define_wasi`) and WASI P2 (`component.Linker.add_wasip2`;
# with `-S http`, wasi:http too: `component.Linker.add_wasi_http` and `Store.set_wasi_http`, as the CLI links it),
# traps, and the error text — printed exactly as the engine formats it (`error while executing at wasm backtrace:` …
# `Caused by:` …, frames as `<unknown>!name`). What is NOT the CLI: the CLI's outer context lines
# (`Error: failed to run main module …`) are not printed; the harness does not imitate them.
#
# Exit status follows the CLI: the guest's WASI exit code; 134 for a trap (the CLI exits as if SIGABRT'd on unix);
# 1 for any other error or a `wasi:cli/run` that returns `err`; 2 for bad usage.
#
# Usage (see test/harness/wasmtime, the executable shim):
#   wasmtime --version
#   wasmtime compile [-W OPT[=V],...]... -o OUT FILE
#   wasmtime [run] [--allow-precompiled] [--dir HOST[::GUEST]]... [--env K[=V]]... [--argv0 NAME] [-S OPT[=V],...]... [-W OPT[=V],...]...
#            [--] FILE [ARGS...]
# ─────────────────────────────────────────────────────────────────────────────────────────────────────────────────
import os
import sys
from importlib.metadata import version as dist_version

import wasmtime
from wasmtime import component as cm

TRAP_EXIT = 134  # what `wasmtime run` exits with on a trap on unix (128 + SIGABRT)
ERROR_EXIT = 1
USAGE_EXIT = 2

# -S options the runner may pass. Values: how the harness honours them.
WASI_OPTIONS = {
    # The wheel's WASI P2 linker has no switch for the unstable `exit-with-code`; the adapters do not import it either,
    # so accepting it changes nothing for adapted components (P1 modules get their exit code natively).
    'cli-exit-with-code': 'accepted (no-op in the harness)',
    'cli': 'accepted (always on)',
    'inherit-env': 'rejected',
    'inherit-network': 'rejected',
    'tcp': 'accepted (no-op)',
    'udp': 'accepted (no-op)',
    'network': 'accepted (no-op)',
    # Like the CLI: wasi:http/types and wasi:http/outgoing-handler linked for components (the wheel's C API linker).
    'http': 'accepted (links wasi:http for components)',
}
# -W options: name → Config setter taking an int, or None to accept as a no-op.
WASM_OPTIONS = {
    'max-wasm-stack': 'max_wasm_stack',
    'component-model': None,  # always on in the wheel (the runner passes it only for wasmtime < 17)
    # Store limits, applied to the store in main() (not Config setters).
    'max-memory-size': None,
    # The wheel has no switch to make a failed memory.grow trap: accepted, grow returns -1 as without it.
    'trap-on-grow-failure': None,
}


def usage(msg: str) -> 'NoReturn':  # type: ignore[name-defined]
    sys.stderr.write(f'wasmtime-run.py (test harness): {msg}\n')
    sys.exit(USAGE_EXIT)


def split_opts(value: str):
    for item in value.split(','):
        item = item.strip()
        if not item:
            continue
        key, _, val = item.partition('=')
        yield key, (val if _ else None)


def parse(argv):
    if argv and argv[0] in ('--version', '-V'):
        print(f"wasmtime {dist_version('wasmtime')} (python-wheel test harness)")
        sys.exit(0)
    compile_only = False
    if argv and argv[0] == 'run':
        argv = argv[1:]
    elif argv and argv[0] == 'compile':
        argv = argv[1:]
        compile_only = True
    dirs, env, wasi_opts, wasm_opts = [], [], {}, {}
    argv0 = None
    output = None
    allow_precompiled = False
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == '--':
            i += 1
            break
        if not a.startswith('-'):
            break

        def value():
            nonlocal i
            if '=' in a and a.startswith('--'):
                return a.split('=', 1)[1]
            if len(a) > 2 and not a.startswith('--'):  # -Sfoo
                return a[2:]
            i += 1
            if i >= len(argv):
                usage(f'{a} needs a value')
            return argv[i]

        name = a.split('=', 1)[0] if a.startswith('--') else a[:2]
        if name == '--dir':
            v = value()
            host, sep, guest = v.partition('::')
            dirs.append((host, guest if sep else host))
        elif name == '--env':
            v = value()
            k, sep, val = v.partition('=')
            if not sep:
                if k not in os.environ:
                    i += 1
                    continue
                val = os.environ[k]
            env.append((k, val))
        elif name == '--argv0':
            argv0 = value()
        elif name == '--allow-precompiled':
            allow_precompiled = True
        elif compile_only and (name == '-o' or name == '--output'):
            output = value()
        elif name == '-S':
            for k, v in split_opts(value()):
                verdict = WASI_OPTIONS.get(k)
                if verdict is None or verdict == 'rejected':
                    usage(f'-S {k} is not supported by the test harness')
                wasi_opts[k] = v
        elif name == '-W':
            for k, v in split_opts(value()):
                if k not in WASM_OPTIONS:
                    usage(f'-W {k} is not supported by the test harness')
                wasm_opts[k] = v
        else:
            usage(f'unsupported option {a}')
        i += 1
    if i >= len(argv):
        usage('no wasm file given')
    if compile_only:
        return ('compile', argv[i], output, wasm_opts)
    return ('run', argv[i], argv0, argv[i + 1:], dirs, env, wasi_opts, wasm_opts, allow_precompiled)


def flag(opts, key) -> bool:
    """A boolean -S/-W option as the CLI reads it: `key` or `key=y|yes|true` on, `key=n|no|false` off."""
    if key not in opts:
        return False
    v = opts[key]
    if v is None or v in ('y', 'yes', 'true'):
        return True
    if v in ('n', 'no', 'false'):
        return False
    usage(f'-S {key}={v}: expected y, yes, true, n, no or false')


def engine_for(wasm_opts):
    config = wasmtime.Config()
    for k, v in wasm_opts.items():
        setter = WASM_OPTIONS[k]
        if setter:
            getattr(config, setter)(int(v or '0', 0))
    return wasmtime.Engine(config)


def is_component_bytes(data) -> bool:
    # Layer field of the preamble: 0x0001 = core module, 0x0001 with version 0x0d = component.
    return len(data) >= 8 and data[:4] == b'\0asm' and data[4:8] != b'\x01\0\0\0'


def compile_main(path, output, wasm_opts) -> int:
    """`wasmtime compile -o OUT FILE`: the engine's serialized code (loaded by `run --allow-precompiled`)."""
    engine = engine_for(wasm_opts)
    try:
        with open(path, 'rb') as f:
            data = f.read()
        code = cm.Component(engine, data) if is_component_bytes(data) else wasmtime.Module(engine, data)
    except OSError as e:
        sys.stderr.write(f'failed to read {path}: {e.strerror}\n')
        return ERROR_EXIT
    except wasmtime.WasmtimeError as e:
        sys.stderr.write(f'{e}\n')
        return ERROR_EXIT
    with open(output or (os.path.splitext(path)[0] + '.cwasm'), 'wb') as f:
        f.write(code.serialize())
    return 0


def main(argv) -> int:
    parsed = parse(argv)
    if parsed[0] == 'compile':
        return compile_main(*parsed[1:])
    _, path, argv0, guest_args, dirs, env, wasi_opts, wasm_opts, allow_precompiled = parsed
    engine = engine_for(wasm_opts)

    try:
        with open(path, 'rb') as f:
            data = f.read()
    except OSError as e:
        sys.stderr.write(f'failed to read {path}: {e.strerror}\n')
        return ERROR_EXIT

    wasi = wasmtime.WasiConfig()
    # argv[0] is the file name as given, or --argv0, like the CLI.
    wasi.argv = [argv0 if argv0 is not None else path, *guest_args]
    wasi.env = env
    wasi.inherit_stdin()
    wasi.inherit_stdout()
    wasi.inherit_stderr()
    for host, guest in dirs:
        wasi.preopen_dir(host, guest)
    store = wasmtime.Store(engine)
    store.set_wasi(wasi)
    if 'max-memory-size' in wasm_opts:
        store.set_limits(memory_size=int(wasm_opts['max-memory-size'] or '0', 0))

    http = flag(wasi_opts, 'http')
    precompiled = not data.startswith(b'\0asm')
    if precompiled and not allow_precompiled:
        sys.stderr.write(f'{path} is not a wasm binary (a precompiled file needs --allow-precompiled)\n')
        return ERROR_EXIT
    try:
        if precompiled:
            # Serialized code records whether it is a component: whichever loader accepts it.
            try:
                component = cm.Component.deserialize(engine, data)
            except wasmtime.WasmtimeError:
                return run_module(engine, store, wasmtime.Module.deserialize(engine, data))
            return run_component(engine, store, component, http)
        if is_component_bytes(data):
            return run_component(engine, store, cm.Component(engine, data), http)
        return run_module(engine, store, wasmtime.Module(engine, data))
    except wasmtime.ExitTrap as e:
        return e.code
    except wasmtime.Trap as e:
        sys.stderr.write(f'{e}\n')
        return TRAP_EXIT
    except wasmtime.WasmtimeError as e:
        text = str(e)
        sys.stderr.write(f'{text}\n')
        # An error carrying a wasm backtrace is a trap raised inside wasm (e.g. a host-side trap during a call).
        return TRAP_EXIT if 'wasm backtrace' in text or 'wasm trap' in text else ERROR_EXIT


def run_module(engine, store, module) -> int:
    linker = wasmtime.Linker(engine)
    linker.define_wasi()
    instance = linker.instantiate(store, module)
    exports = instance.exports(store)
    # Like the CLI: run `_start` (a command) or the default export; a module with neither just instantiates.
    for name in ('_start', ''):
        func = exports.get(name)
        if func is not None:
            func(store)
            break
    return 0


def run_component(engine, store, component, http=False) -> int:
    linker = cm.Linker(engine)
    linker.add_wasip2()
    if http:
        store.set_wasi_http()
        linker.add_wasi_http()
    run_iface = next((n for n in component.type.exports(engine) if n.startswith('wasi:cli/run@')), None)
    if run_iface is None:
        sys.stderr.write('wasmtime-run.py (test harness): the component exports no `wasi:cli/run` instance\n')
        return ERROR_EXIT
    instance = linker.instantiate(store, component)
    iface = instance.get_export_index(store, run_iface)
    func = instance.get_func(store, instance.get_export_index(store, 'run', iface))
    result = func(store)
    tag = getattr(result, 'tag', None)
    return ERROR_EXIT if tag == 'err' else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
