// A worker process started by --processes ends by itself when its parent is gone, however the
// parent died (SIGKILL included): its stdin is a pipe from the parent, which the kernel closes
// when the parent exits; the parent pid changing (reparented) is the fallback check.

/** Calls `onOrphaned` once, when the parent process is gone. Returns a function that stops watching. */
export function watchParent(onOrphaned: () => void, pollMs = 1_000): () => void {
  const parent = process.ppid;
  let done = false;
  const fire = () => {
    if (done) return;
    stop();
    onOrphaned();
  };
  const timer = setInterval(() => {
    if (process.ppid !== parent) fire();
  }, pollMs);
  (timer as { unref?: () => void }).unref?.();
  process.stdin.on("end", fire);
  process.stdin.on("close", fire);
  process.stdin.on("error", fire);
  process.stdin.resume(); // reading is what notices the end; nothing is ever written to it
  const stop = () => {
    done = true;
    clearInterval(timer);
    process.stdin.off("end", fire);
    process.stdin.off("close", fire);
    process.stdin.off("error", fire);
    process.stdin.pause();
  };
  return stop;
}
