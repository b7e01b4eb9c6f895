// Which addresses a TCP port is listening on, read from the kernel (/proc/net/tcp{,6}), the same
// facts `ss -ltn` shows: a test can tell a loopback-only bind from one open to the network.
import { readFileSync } from "node:fs";
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
  const text = groups.map((g) => g.replace(/^0+(?=.)/, "")).join(":").toLowerCase();
  // An IPv4-mapped address (::ffff:127.0.0.1, libzmq with IPv6 on) is that IPv4 address.
  const mapped = /^0:0:0:0:0:ffff:([0-9a-f]+):([0-9a-f]+)$/.exec(text);
  if (mapped) return [mapped[1], mapped[2]].flatMap((g) => { const n = Number.parseInt(g ?? "0", 16); return [n >> 8, n & 255]; }).join(".");
  return text === "0:0:0:0:0:0:0:0" ? "::" : text === "0:0:0:0:0:0:0:1" ? "::1" : text;
}

/** The local addresses with a listening socket on `port`, e.g. ["127.0.0.1"] or ["0.0.0.0"]. */
export function listeningAddresses(port: number): string[] {
  const found: string[] = [];
  for (const [file, decode] of [["/proc/net/tcp", ipv4], ["/proc/net/tcp6", ipv6]] as const) {
    let text = "";
    try {
      text = readFileSync(file, "utf8");
    } catch {
      continue; // no IPv6 in this kernel
    }
    for (const line of text.split("\n").slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (!local || state !== LISTEN) continue;
      const [addr, portHex] = local.split(":");
      if (Number.parseInt(portHex ?? "", 16) === port) found.push(decode(addr ?? ""));
    }
  }
  return found.sort();
}

/** True once something accepts TCP connections on 127.0.0.1:port. */
export function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
}
