/* What the monitor records on disk: state.json (`run`), exit.json, and the removal of a
 * container (autoremove, or a failed `run` create). The formats are TypeScript's
 * (src/runtime/store.ts). */
#include "shim.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

static int read_oom(struct config *c) {
  if (!c->oom_file || !c->oom_file[0]) return 0;
  FILE *f = fopen(c->oom_file, "re");
  if (!f) return 0;
  char key[64];
  unsigned long long v;
  int oom = 0;
  while (fscanf(f, "%63s %llu", key, &v) == 2)
    if (!strcmp(key, c->oom_key)) oom = v > 0;
  fclose(f);
  return oom;
}

static void iso_now(char *out, size_t cap) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  struct tm tm;
  gmtime_r(&ts.tv_sec, &tm);
  snprintf(out, cap, "%04d-%02d-%02dT%02d:%02d:%02d.%09ldZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec);
}

/* A JSON file written whole (tmp + rename), as TypeScript's writeJson does. */
static void write_json_file(const char *path, const char *line, int n) {
  char tmp[4200];
  snprintf(tmp, sizeof tmp, "%s.tmp", path);
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return;
  write_all(fd, line, n);
  close(fd);
  rename(tmp, path);
}

/* `run`: what TypeScript records after "created" and start (src/runtime/store.ts StoredState). */
void write_state(struct config *c, pid_t pid) {
  char path[64], stat[1024], start[32] = "", when[64], line[512];
  snprintf(path, sizeof path, "/proc/%d/stat", pid);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  ssize_t n = fd >= 0 ? read(fd, stat, sizeof stat - 1) : -1;
  if (fd >= 0) close(fd);
  if (n > 0) {
    stat[n] = 0;
    char *p = strrchr(stat, ')');
    /* field 22 (starttime) is the 20th after the ") " that ends the command name */
    for (int f = 0; p && f < 20; f++) p = strchr(p + 1, ' ');
    if (p) snprintf(start, sizeof start, "%.*s", (int)strcspn(p + 1, " "), p + 1);
  }
  iso_now(when, sizeof when);
  int len = snprintf(line, sizeof line, "{\"pid\":%d,\"pidStart\":\"%s\",\"shimPid\":%d,\"startedAt\":\"%s\"}\n", pid, start, getpid(), when);
  write_json_file(c->statefile, line, len);
}

/* Records the exit (exit.json, and the sync fd unless in the foreground); returns the code. */
int record_exit(const struct shim_ctx *x, struct config *c, int status) {
  int code = exit_code(status);
  int sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
  int oom = read_oom(c);
  if (oom && sig == SIGKILL) code = 137;
  char when[64], line[512];
  iso_now(when, sizeof when);
  int n = snprintf(line, sizeof line, "{\"type\":\"exit\",\"exitCode\":%d,\"signal\":%d,\"oomKilled\":%s,\"finishedAt\":\"%s\"}\n", code, sig,
                   oom ? "true" : "false", when);
  if (c->exitfile && c->exitfile[0]) write_json_file(c->exitfile, line, n);
  if (!x->foreground) write_all(SYNC_FD, line, n);
  else if (oom) dprintf(ERR_FD, "berth: container %s was killed: out of memory\n", c->id);
  return code;
}

void auto_remove(struct config *c) {
  for (int i = 0; i < c->nrm_cgroups; i++) {
    for (int t = 0; t < 200 && rmdir(c->rm_cgroups[i]) < 0 && errno == EBUSY; t++) usleep(1000);
  }
  for (int i = 0; i < c->nrm_dirs; i++) rm_tree(c->rm_dirs[i]);
}
