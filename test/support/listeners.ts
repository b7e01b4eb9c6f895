// Which addresses a TCP port is listening on, read from the kernel (/proc/net/tcp{,6}), the same
// facts `ss -ltn` shows: a test can tell a loopback-only bind from one open to the network.
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { connect } from "node:net";

const LISTEN = "0A";

function ipv4(hex: string): string {
  // /proc/net/tcp prints the address as a little-endian 32-bit hex number.
  const bytes = (hex.match(/../g) ?? []).map((b) => Number.parseInt(b, 16)).reverse();
  return bytes.join(".");
}

function ipv6(hex: string): string {
  const words = (hex.match(/.{8}/g) ?? []).map((w) => (w.match(/../g) ?? []).reverse().join(""));
  const groups = words.join("").match(/.{4}/g) ?? [];
  const text = groups
    .map((g) => g.replace(/^0+(?=.)/, ""))
    .join(":")
    .toLowerCase();
  // An IPv4-mapped address (::ffff:127.0.0.1, libzmq with IPv6 on) is that IPv4 address.
  const mapped = /^0:0:0:0:0:ffff:([0-9a-f]+):([0-9a-f]+)$/.exec(text);
  if (mapped)
    return [mapped[1], mapped[2]]
      .flatMap((g) => {
        const n = Number.parseInt(g ?? "0", 16);
        return [n >> 8, n & 255];
      })
      .join(".");
  return text === "0:0:0:0:0:0:0:0" ? "::" : text === "0:0:0:0:0:0:0:1" ? "::1" : text;
}

/** The listening sockets on `port`: their local address and the kernel's inode for them. */
function listeners(port: number): { address: string; inode: string }[] {
  const found: { address: string; inode: string }[] = [];
  for (const [file, decode] of [
    ["/proc/net/tcp", ipv4],
    ["/proc/net/tcp6", ipv6],
  ] as const) {
    let text = "";
    try {
      text = readFileSync(file, "utf8");
    } catch {
      continue; // no IPv6 in this kernel
    }
    for (const line of text.split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      const [, local, , state] = fields;
      if (!local || state !== LISTEN) continue;
      const [addr, portHex] = local.split(":");
      if (Number.parseInt(portHex ?? "", 16) === port) found.push({ address: decode(addr ?? ""), inode: fields[9] ?? "" });
    }
  }
  return found;
}

/** The local addresses with a listening socket on `port`, e.g. ["127.0.0.1"] or ["0.0.0.0"]. */
export function listeningAddresses(port: number): string[] {
  return listeners(port)
    .map((l) => l.address)
    .sort();
}

/**
 * Who listens on `port`, on any address, as a line each ("127.0.0.2 by pid 42: python3 -m http.server");
 * the pid is found in /proc/PID/fd, so it shows only for processes this user may look into.
 */
export function portHolders(port: number): string[] {
  const found = listeners(port);
  if (found.length === 0) return [];
  const owners = new Map<string, string>();
  const wanted = new Set(found.map((l) => `socket:[${l.inode}]`));
  for (const pid of readdirSync("/proc").filter((e) => /^\d+$/.test(e))) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // gone, or not ours to read
    }
    for (const fd of fds) {
      let link: string;
      try {
        link = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      if (!wanted.has(link) || owners.has(link)) continue;
      owners.set(link, `pid ${pid}: ${commandLine(pid)}`);
    }
  }
  return found.map((l) => `${l.address} by ${owners.get(`socket:[${l.inode}]`) ?? "a process this user cannot look into"}`).sort();
}

function commandLine(pid: string): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8")
      .replace(/[\0\s]+/g, " ")
      .trim()
      .slice(0, 120);
  } catch {
    return "(ended)"; // it exited while we looked
  }
}

/** True once something accepts TCP connections on 127.0.0.1:port. */
export function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
}

/**
 * This process's TCP connections to 127.0.0.1:`port` that are ESTABLISHED: /proc/net/tcp rows whose
 * remote port is `port` and whose socket is one of /proc/self/fd. Only our own: another test file
 * running beside this one may connect to the same port number (it took the port from freePort() or
 * refusedPort() just before the server under test bound it), and its socket must not count here.
 */
export function ownConnectionsTo(port: number): number {
  const ours = new Set<string>();
  for (const fd of readdirSync("/proc/self/fd")) {
    try {
      ours.add(readlinkSync(`/proc/self/fd/${fd}`));
    } catch {
      // closed while we looked
    }
  }
  return readFileSync("/proc/net/tcp", "utf8")
    .split("\n")
    .slice(1)
    .filter((line) => {
      const fields = line.trim().split(/\s+/);
      return fields[3] === "01" && Number.parseInt(fields[2]?.split(":")[1] ?? "", 16) === port && ours.has(`socket:[${fields[9]}]`);
    }).length;
}
