/*
 * Cleanup attributes shared by berth's native programs: an fd or malloc'd memory is
 * released when its variable goes out of scope, on every return path (as crun's
 * cleanup_close / cleanup_free). A function that hands the resource on sets the variable
 * to -1 / NULL first.
 */
#ifndef BERTH_CLEANUP_H
#define BERTH_CLEANUP_H
#include <stdlib.h>
#include <unistd.h>

static inline void close_fd(int *fd) {
  if (*fd >= 0) close(*fd);
  *fd = -1;
}

static inline void free_ptr(void *p) {
  free(*(void **)p);
  *(void **)p = NULL;
}

#define cleanup_close __attribute__((cleanup(close_fd)))
#define cleanup_free __attribute__((cleanup(free_ptr)))

#endif
