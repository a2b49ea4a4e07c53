/* strerrorname_np (glibc >= 2.32) for a C library without it (musl): the errno's symbolic
 * name, NULL for a value not listed (the message then carries none). */
#include "shim.h"
#include <errno.h>
#ifndef __GLIBC__

#define E(e) \
  { e, #e }
static const struct {
  int err;
  const char *name;
} names[] = {
  E(EPERM),   E(ENOENT),    E(ESRCH),      E(EINTR),     E(EIO),    E(ENXIO),        E(E2BIG),        E(ENOEXEC),    E(EBADF),
  E(ECHILD),  E(EAGAIN),    E(ENOMEM),     E(EACCES),    E(EFAULT), E(EBUSY),        E(EEXIST),       E(EXDEV),      E(ENODEV),
  E(ENOTDIR), E(EISDIR),    E(EINVAL),     E(ENFILE),    E(EMFILE), E(ENOTTY),       E(ETXTBSY),      E(EFBIG),      E(ENOSPC),
  E(ESPIPE),  E(EROFS),     E(EMLINK),     E(EPIPE),     E(ERANGE), E(ENAMETOOLONG), E(ENOSYS),       E(ENOTEMPTY),  E(ELOOP),
  E(ENODATA), E(EOVERFLOW), E(EOPNOTSUPP), E(ETIMEDOUT), E(ESTALE), E(EDQUOT),       E(ECONNREFUSED), E(EADDRINUSE), E(EUSERS),
};

const char *strerrorname_np(int err) {
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (names[i].err == err) return names[i].name;
  return NULL;
}
#endif
