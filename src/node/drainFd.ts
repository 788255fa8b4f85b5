// Reads what the kernel still holds for a file descriptor, synchronously, before its stream is closed.
// node-pty gives the terminal 200 ms after the command exits and then destroys the socket, and the pipe
// runner stops waiting for its pipes after a grace period; whatever the command wrote that the event loop
// had not read yet (up to a kernel buffer: ~64 KiB for a pty, 64 KiB to 1 MiB for a pipe) would be
// dropped. Draining first makes capture complete by construction: every byte written before the command
// exited is either read already or still in that buffer. Only for non-blocking descriptors (node-pty's
// master, libuv's pipes): a blocking one would hang here.
import { readSync } from 'node:fs';

/**
 * Upper bound on one drain. Larger than any kernel buffer, so it never cuts what the command wrote
 * before it exited; it stops a background job that keeps writing (`yes &`) from holding us here.
 */
export const MAX_DRAIN_BYTES = 4 * 1024 * 1024;

export type DrainEnd = 'empty' | 'eof' | 'capped' | 'error';

/**
 * Reads `fd` until it would block (`empty`), reaches end of file or the pty's EIO (`eof`), fails
 * otherwise (`error`) or `maxBytes` were read (`capped`). Each read is handed to `onBytes` in order.
 */
export function drainFd(fd: number, onBytes: (bytes: Buffer) => void, maxBytes = MAX_DRAIN_BYTES): DrainEnd {
  const buffer = Buffer.allocUnsafe(64 * 1024);
  let total = 0;
  while (total < maxBytes) {
    let read: number;
    try {
      read = readSync(fd, buffer, 0, Math.min(buffer.length, maxBytes - total), null);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EINTR') continue;
      if (code === 'EAGAIN' || code === 'EWOULDBLOCK') return 'empty';
      // EIO: a pty master whose terminal has no process left; EBADF: already closed.
      return code === 'EIO' ? 'eof' : 'error';
    }
    if (read === 0) return 'eof';
    onBytes(Buffer.from(buffer.subarray(0, read)));
    total += read;
  }
  return 'capped';
}
