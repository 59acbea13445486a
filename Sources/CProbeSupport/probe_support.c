#define _GNU_SOURCE
#include "probe_support.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int limit(int resource, rlim_t soft, rlim_t hard) {
    struct rlimit value = { soft, hard };
    return setrlimit(resource, &value);
}

static void close_inherited(void) {
    /* /proc/self/fd lists what is open; descriptors the parent forgot to mark close-on-exec
     * (a GTK app has many) must not reach code that may misuse them. */
    DIR *dir = opendir("/proc/self/fd");
    if (!dir) {
        for (int fd = 3; fd < 1024; fd++) close(fd);
        return;
    }
    int own = dirfd(dir);
    int open_fds[1024];
    int count = 0;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL && count < 1024) {
        char *end = NULL;
        long fd = strtol(entry->d_name, &end, 10);
        if (end && *end == '\0' && fd > 2 && fd != own) open_fds[count++] = (int)fd;
    }
    closedir(dir);
    for (int i = 0; i < count; i++) close(open_fds[i]);
}

int tl_probe_confine(uint64_t cpu_seconds, uint64_t memory_bytes) {
    pid_t parent = getppid();
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) return -1;
    /* The parent may have died between the spawn and the prctl: then nobody waits for us. */
    if (getppid() != parent || parent == 1) _exit(125);
    if (limit(RLIMIT_CPU, (rlim_t)cpu_seconds, (rlim_t)cpu_seconds + 1) != 0) return -1;
    if (limit(RLIMIT_DATA, (rlim_t)memory_bytes, (rlim_t)memory_bytes) != 0) return -1;
    if (limit(RLIMIT_CORE, 0, 0) != 0) return -1;
    close_inherited();
    return 0;
}

static int diverted = -1;

int tl_probe_divert_stdout(void) {
    fflush(stdout);
    int verdict = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
    if (verdict < 0) return -1;
    int memory = memfd_create("diverted-stdout", MFD_CLOEXEC);
    if (memory < 0 || dup2(memory, STDOUT_FILENO) < 0) {
        close(verdict);
        return -1;
    }
    close(memory);
    diverted = STDOUT_FILENO;
    return verdict;
}

int64_t tl_probe_diverted_bytes(void) {
    if (diverted < 0) return 0;
    fflush(stdout);
    struct stat info;
    if (fstat(STDOUT_FILENO, &info) != 0) return 0;
    return (int64_t)info.st_size;
}

int tl_probe_write_all(int fd, const void *bytes, uint64_t count) {
    const char *p = bytes;
    while (count > 0) {
        ssize_t n = write(fd, p, count);
        if (n < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        p += n;
        count -= (uint64_t)n;
    }
    return 0;
}

void tl_probe_supervise(int report_fd) {
    pid_t supervisor = getpid();
    pid_t worker = fork();  /* this process is single-threaded here: a plain fork is safe */
    if (worker < 0) return;
    if (worker == 0) {
        /* The death signal is not inherited: the worker dies with the supervisor. */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != supervisor) _exit(125);
        return;
    }
    int status = 0;
    struct rusage usage;
    while (wait4(worker, &status, 0, &usage) < 0) {
        if (errno != EINTR) _exit(125);
    }
    char line[64];
    int n = snprintf(line, sizeof line, "peak-kb %ld\n", usage.ru_maxrss);
    tl_probe_write_all(report_fd, line, (uint64_t)n);
    if (WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        signal(sig, SIG_DFL);
        sigset_t only;
        sigemptyset(&only);
        sigaddset(&only, sig);
        sigprocmask(SIG_UNBLOCK, &only, NULL);
        raise(sig);
        _exit(128 + sig);  /* a signal whose default is not to terminate */
    }
    _exit(WIFEXITED(status) ? WEXITSTATUS(status) : 1);
}
