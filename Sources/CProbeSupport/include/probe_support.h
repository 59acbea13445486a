/*
 * What tribelens-probe does to itself before it touches an untrusted file: the parts Swift
 * cannot call (prctl and memfd_create need _GNU_SOURCE or are variadic).
 */
#ifndef TRIBELENS_PROBE_SUPPORT_H
#define TRIBELENS_PROBE_SUPPORT_H

#include <stdint.h>

/*
 * Dies with the parent (PR_SET_PDEATHSIG), limits CPU time to `cpu_seconds` (SIGXCPU, then
 * SIGKILL a second later), the data segment (heap, anonymous mappings) to `memory_bytes`, core
 * files to nothing, and closes every inherited descriptor above 2. Returns 0, or -1 with errno
 * when a limit cannot be set (the caller refuses to go on unconfined).
 */
int tl_probe_confine(uint64_t cpu_seconds, uint64_t memory_bytes);

/*
 * Moves standard output aside so that nothing the untrusted code prints can pass for the
 * verdict: returns a new descriptor on the original standard output (for the verdict), and
 * points descriptor 1 at an anonymous memory file that counts what was printed. -1 on failure.
 */
int tl_probe_divert_stdout(void);

/* Bytes written to the diverted standard output so far (after flushing C's stdout buffer). */
int64_t tl_probe_diverted_bytes(void);

/*
 * Runs the rest of the helper in a worker process and waits for it here, so that the parent
 * learns the worker's own peak memory: the parent starts helpers with posix_spawn, which shares
 * the parent's address space until exec, and the kernel then counts the parent's high-water
 * mark as the helper's (ru_maxrss). Once the worker has ended, writes "peak-kb N\n" to
 * `report_fd` (after the worker's report) and ends the way the worker did: the same exit
 * status, or the same signal. Returns only in the worker (or in this process, without a
 * supervisor, when fork fails).
 */
void tl_probe_supervise(int report_fd);

/* Writes all of `bytes` to `fd` (retrying short writes); 0 on success. */
int tl_probe_write_all(int fd, const void *bytes, uint64_t count);

#endif
