/**
 * A link error names an interface the host did not provide ("component imports instance `wasi:cli/environment@0.2.0`,
 * but a matching implementation was not found in the linker"). Two different causes read the same:
 *  - the host's world: the host links no such interface at all (`wasmtime serve` links the wasi:http proxy world, not
 *    wasi:cli/environment or wasi:filesystem, unless `-S cli`; `wasmtime run` links the CLI world, not wasi:http,
 *    unless `-S http`);
 *  - version skew: the host links the interface, but not the version the component imports (an adapter newer than
 *    the runtime, a pre-0.2 release candidate).
 * This module reads which interface (and version) the component wanted and which host refused it (the command in the
 * log, or the run's own command line), compares with the interfaces that host links, and says which it is.
 * Pure; every pattern is linear (no nested quantifiers) and the text is bounded by the caller.
 */

export type WorldName = 'wasi:http/proxy' | 'wasi:cli/command';

export interface HostWorld {
  /** How the host was run: `wasmtime serve` or `wasmtime run` (the CLI's default command). */
  command: 'wasmtime serve' | 'wasmtime run';
  world: WorldName;
  /** `-S` options that add interfaces to the world (`cli`, `http`, …), as given. */
  options: string[];
  /** Where the host was read from. */
  source: 'log' | 'run';
}

export interface LinkerGap {
  /** The interface the host did not provide, without version: `wasi:cli/environment`. */
  interface: string;
  /** The version the component imports (`0.2.0`), when named. */
  version?: string;
  host?: HostWorld;
  /**
   * `host-world`: the host links no such interface (the flag or another host fixes it); `version`: the host links the
   * interface, so the version is what differs; undefined: the host is not known.
   */
  cause?: 'host-world' | 'version';
  /** Why, in one sentence (evidence). */
  reason: string;
  /** The remedy for a host-world gap: the option or host that links the interface. */
  fix?: string;
}

const PROXY_PACKAGES = new Set(['wasi:io', 'wasi:clocks', 'wasi:random', 'wasi:http']);
const PROXY_CLI = new Set(['wasi:cli/stdin', 'wasi:cli/stdout', 'wasi:cli/stderr']);
const CLI_PACKAGES = new Set(['wasi:cli', 'wasi:filesystem', 'wasi:sockets', 'wasi:io', 'wasi:clocks', 'wasi:random']);
/** wasmtime `-S` options that link a whole package besides the default world. */
const PACKAGE_OPTIONS: Record<string, string> = {
  'wasi:http': 'http',
  'wasi:nn': 'nn',
  'wasi:config': 'config',
  'wasi:keyvalue': 'keyvalue',
  'wasi:tls': 'tls',
};

/** `wasi:cli/environment@0.2.0` between backquotes: the interface (group 1) and its version (group 2). */
const QUOTED_INTERFACE = '`([a-z][a-z0-9-]*:[a-z][a-z0-9-]*/[a-z][a-z0-9-]*)(?:@([0-9][0-9A-Za-z.+-]{0,40}))?`';
// `…imports instance `wasi:cli/environment@0.2.0`, but a matching implementation was not found in the linker`
const NOT_FOUND = new RegExp(`imports instance ${QUOTED_INTERFACE}, but a matching implementation was not found`);
// older wasmtime: "import `wasi:io/streams@0.2.0-rc-2023-11-05` has the wrong type"
const WRONG_TYPE = new RegExp(`import ${QUOTED_INTERFACE} has the wrong type`);
// A wasmtime command line in a pasted log: `wasmtime serve …`, `wasmtime run …`, `wasmtime app.wasm …`.
const COMMAND = /(?:^|[\s/\\$%>])wasmtime(?:\.exe)?[ \t]+([^\n]{0,2000})/m;
const OPTION = /(?:^|\s)(?:-S[ \t]*|--wasi[ \t=]+)([a-z][a-z0-9-]{0,40})/g;

/** The host a wasmtime command line describes (undefined: not a wasmtime command, or one without a world). */
export function hostFromCommand(line: string, source: HostWorld['source']): HostWorld | undefined {
  const m = COMMAND.exec(line);
  if (!m) return undefined;
  const rest = m[1]!;
  const first = rest.split(/\s+/, 1)[0] ?? '';
  // `wasmtime serve …`, `wasmtime run …`, or the default command: options or a file first. Not `wasmtime compile`,
  // `wasmtime --version`, nor prose ("wasmtime 49.0.0").
  const runsFile = /\.(?:c?wasm|wat)$|[/\\]/.test(first) || (first.startsWith('-') && !/^(?:-V|-h|--version|--help)$/.test(first));
  const command = first === 'serve' ? 'wasmtime serve' : first === 'run' || runsFile ? 'wasmtime run' : undefined;
  if (!command) return undefined;
  const options = [...rest.matchAll(OPTION)].map((o) => o[1]!);
  return { command, world: command === 'wasmtime serve' ? 'wasi:http/proxy' : 'wasi:cli/command', options, source };
}

/** Whether `host` links `iface` (`wasi:cli/environment`), with its `-S` options. */
export function hostLinks(host: HostWorld, iface: string): boolean {
  const pkg = iface.slice(0, iface.indexOf('/'));
  const option = PACKAGE_OPTIONS[pkg];
  if (option && host.options.includes(option)) return true;
  if (host.world === 'wasi:http/proxy') {
    if (host.options.includes('cli') && CLI_PACKAGES.has(pkg)) return true;
    return PROXY_PACKAGES.has(pkg) || PROXY_CLI.has(iface);
  }
  return CLI_PACKAGES.has(pkg);
}

function fixFor(host: HostWorld, iface: string): string {
  const pkg = iface.slice(0, iface.indexOf('/'));
  const option = PACKAGE_OPTIONS[pkg];
  if (host.world === 'wasi:http/proxy' && CLI_PACKAGES.has(pkg)) return `\`wasmtime serve -S cli\` (links the CLI interfaces too)`;
  if (option) return `\`${host.command} -S ${option}\` (links ${pkg})`;
  return `a host that links ${iface}`;
}

/**
 * The interface a link error names, and whether the host's world or the version is the cause. `texts`: the log
 * (explain) or the run's stderr and trap text; `command`: the run's command line when the checker ran it.
 */
export function linkerGap(texts: readonly string[], command?: readonly string[]): LinkerGap | undefined {
  let named: RegExpExecArray | null = null;
  for (const t of texts) {
    named = NOT_FOUND.exec(t) ?? WRONG_TYPE.exec(t);
    if (named) break;
  }
  if (!named) return undefined;
  const iface = named[1]!;
  const version = named[2];
  let host: HostWorld | undefined;
  if (command && command.length > 0) {
    const i = command.findIndex((a) => /(?:^|\/)wasmtime(?:\.exe)?$/.test(a) || a.endsWith('wasmtime-run.py'));
    if (i >= 0) host = hostFromCommand(`wasmtime ${command.slice(i + 1).join(' ')}`, 'run');
  }
  if (!host) {
    for (const t of texts) {
      host = hostFromCommand(t, 'log');
      if (host) break;
    }
  }
  const wanted = version ? `${iface}@${version}` : iface;
  if (host) {
    const options = host.options.length > 0 ? ` with ${host.options.map((o) => `-S ${o}`).join(', ')}` : '';
    if (!hostLinks(host, iface)) {
      return {
        interface: iface,
        version,
        host,
        cause: 'host-world',
        fix: fixFor(host, iface),
        reason: `\`${host.command}\`${options} links the ${host.world} world, which has no ${iface}: the component imports ${wanted}`,
      };
    }
    return {
      interface: iface,
      version,
      host,
      cause: 'version',
      reason: `\`${host.command}\`${options} links ${iface}, but not the version the component imports (${wanted})`,
    };
  }
  const pkg = iface.slice(0, iface.indexOf('/'));
  if ((PROXY_PACKAGES.has(pkg) && CLI_PACKAGES.has(pkg)) || PROXY_CLI.has(iface)) {
    return {
      interface: iface,
      version,
      cause: 'version',
      reason: `every WASI host world links ${iface} (the CLI and the HTTP proxy world alike): the version ${wanted} is what it lacks`,
    };
  }
  if (version?.includes('-rc')) {
    return {
      interface: iface,
      version,
      cause: 'version',
      reason: `${wanted} is a pre-0.2.0 release candidate, which WASI 0.2 hosts do not implement`,
    };
  }
  if (version === '0.2.0') {
    // Every WASI 0.2 host that links the interface accepts 0.2.0: only a host older than WASI 0.2.0, or one that does
    // not link it at all, refuses it. Which of the two needs the host.
    return {
      interface: iface,
      version,
      reason:
        `the host did not provide ${wanted}: every WASI 0.2 host that links ${iface} accepts 0.2.0, so either this host ` +
        `does not link ${iface} at all or it predates WASI 0.2.0 (the log does not say which host ran it)`,
    };
  }
  return { interface: iface, version, reason: `the host did not provide ${wanted} (which host, and so which world, is not in the log)` };
}
