/* Package-level services: error reporting, model registration, atomic file commits. */
#include "havoc.h"
#include "outlet.h"
#include "waveform.h"
#include "flux.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* User-input and file errors are the user's to fix (PETSC_ERR_USER: PETSc's own, e.g. an unknown choice for an
   enum option): one line, printed once per communicator. Any other
   error is a defect or a numerical fault and keeps PETSc's traceback so it can be located. */
static char last_error[1024];

const char *HavocLastError(void)
{
  return last_error;
}

void HavocClearError(void)
{
  last_error[0] = 0;
}

static PetscErrorCode HavocErrorHandler(MPI_Comm comm, int line, const char *fun, const char *file, PetscErrorCode n, PetscErrorType p, const char *mess, void *ctx)
{
  PetscMPIInt rank = 0;

  if (p != PETSC_ERROR_INITIAL) return n;
  snprintf(last_error, sizeof(last_error), "%s", mess ? mess : "(no message)");
  if (n == PETSC_ERR_SIG) {
    /* a run stopped by a signal after its checkpoint (checkpoint.h): not an error of the run */
    if (comm != MPI_COMM_NULL && comm != PETSC_COMM_SELF) MPI_Comm_rank(comm, &rank);
    if (!rank) {
      fprintf(stderr, "havoc: %s\n", mess ? mess : "interrupted");
      fflush(stderr);
    }
    return n;
  }
  if (n == PETSC_ERR_USER_INPUT || n == PETSC_ERR_USER || n == PETSC_ERR_FILE_OPEN || n == PETSC_ERR_FILE_READ || n == PETSC_ERR_FILE_WRITE || n == PETSC_ERR_FILE_UNEXPECTED || n == PETSC_ERR_NOT_CONVERGED) {
    if (comm != MPI_COMM_NULL && comm != PETSC_COMM_SELF) MPI_Comm_rank(comm, &rank);
    if (!rank) {
      fprintf(stderr, "havoc: error: %s\n", mess ? mess : "(no message)");
      fflush(stderr);
    }
    return n;
  }
  return PetscTraceBackErrorHandler(comm, line, fun, file, n, p, mess, ctx);
}

PetscErrorCode HavocListAppend(char buf[], size_t len, const char name[])
{
  PetscFunctionBeginUser;
  if (buf[0]) PetscCall(HavocStrlcat(buf, ", ", len));
  PetscCall(HavocStrlcat(buf, name, len));
  PetscFunctionReturn(0);
}

PetscErrorCode HavocErrorHandlerPush(void)
{
  PetscFunctionBeginUser;
  PetscCall(PetscPushErrorHandler(HavocErrorHandler, NULL));
  PetscFunctionReturn(0);
}

PetscErrorCode HavocErrorHandlerPop(void)
{
  PetscFunctionBeginUser;
  PetscCall(PetscPopErrorHandler());
  PetscFunctionReturn(0);
}

static PetscBool registered = PETSC_FALSE;

PetscErrorCode HavocRegisterAll(void)
{
  PetscFunctionBeginUser;
  if (registered) PetscFunctionReturn(0);
  registered = PETSC_TRUE;
  PetscCall(HavocOutletRegister(&HavocOutletWK3));
  PetscCall(HavocOutletRegister(&HavocOutletResistance));
  PetscCall(HavocOutletRegister(&HavocOutletReflection));
  PetscCall(HavocWaveformRegisterAll());
  PetscCall(HavocFluxRegisterAll());
  PetscCall(PetscRegisterFinalize(HavocFinalizePackage));
  PetscFunctionReturn(0);
}

PetscErrorCode HavocFinalizePackage(void)
{
  PetscFunctionBeginUser;
  PetscCall(HavocWaveformFinalize());
  PetscCall(HavocFluxFinalize());
  registered = PETSC_FALSE;
  PetscFunctionReturn(0);
}

PetscErrorCode HavocTempPath(MPI_Comm comm, const char path[], char tmp[], size_t len)
{
  const char *slash = strrchr(path, '/');
  int         n, pid = (int)getpid();

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Bcast(&pid, 1, MPI_INT, 0, comm));
  if (slash) n = snprintf(tmp, len, "%.*s.%s.tmp%d", (int)(slash - path + 1), path, slash + 1, pid);
  else n = snprintf(tmp, len, ".%s.tmp%d", path, pid);
  PetscCheck(n > 0 && (size_t)n < len, comm, PETSC_ERR_USER_INPUT, "output path too long: %s", path);
  PetscFunctionReturn(0);
}

/* Rank 0 renames; every rank learns the outcome so the error is raised collectively. */
PetscErrorCode HavocCommitPath(MPI_Comm comm, const char tmp[], const char path[])
{
  PetscMPIInt rank;
  int         err = 0;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  if (!rank && rename(tmp, path)) err = errno;
  PetscCallMPI(MPI_Bcast(&err, 1, MPI_INT, 0, comm));
  PetscCheck(!err, comm, PETSC_ERR_FILE_WRITE, "cannot rename %s to %s: %s", tmp, path, strerror(err));
  PetscFunctionReturn(0);
}

PetscErrorCode HavocWriteTextFile(MPI_Comm comm, const char path[], const char what[], const char text[])
{
  char        tmp[PETSC_MAX_PATH_LEN];
  PetscMPIInt rank;
  int         err = 0;

  PetscFunctionBeginUser;
  PetscCall(HavocTempPath(comm, path, tmp, sizeof(tmp)));
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  if (!rank) {
    FILE *f;
    errno = 0;
    f     = fopen(tmp, "w");
    if (!f) err = errno ? errno : EIO;
    else {
      if (fputs(text, f) == EOF) err = errno ? errno : EIO;
      if (fclose(f) && !err) err = errno ? errno : EIO;
      if (err) remove(tmp);
    }
  }
  PetscCallMPI(MPI_Bcast(&err, 1, MPI_INT, 0, comm));
  PetscCheck(!err, comm, PETSC_ERR_FILE_WRITE, "cannot write %s '%s': %s", what, path, strerror(err));
  PetscCall(HavocCommitPath(comm, tmp, path));
  PetscFunctionReturn(0);
}

PetscErrorCode HavocDataFile(const char rel[], char path[], size_t len)
{
  char        exe[PETSC_MAX_PATH_LEN], *slash;
  ssize_t     n;
  const char *prefixes[] = {"/..", "/../share/havoc"}; /* the source tree (bin/havoc), an installation */

  PetscFunctionBeginUser;
  PetscCall(PetscStrncpy(path, rel, len));
  if (!access(rel, R_OK) || rel[0] == '/') PetscFunctionReturn(0);
  n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
  if (n <= 0) PetscFunctionReturn(0);
  exe[n] = 0;
  slash  = strrchr(exe, '/');
  if (!slash) PetscFunctionReturn(0);
  *slash = 0;
  for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
    char candidate[PETSC_MAX_PATH_LEN];
    PetscCall(PetscSNPrintf(candidate, sizeof(candidate), "%s%s/%s", exe, prefixes[i], rel));
    if (!access(candidate, R_OK)) {
      char canonical[PATH_MAX];
      PetscCall(PetscStrncpy(path, realpath(candidate, canonical) ? canonical : candidate, len));
      break;
    }
  }
  PetscFunctionReturn(0);
}

enum { READ_OK,
       READ_OPEN,
       READ_READ,
       READ_TOO_LARGE };

/* Reads a whole file, which may be a pipe: status[0] is READ_*, status[1] errno, status[2] the length. */
static PetscErrorCode ReadBytes(const char path[], char **bytes, int status[3])
{
  FILE  *f   = fopen(path, "rb");
  size_t cap = 1 << 16, n = 0, got;

  PetscFunctionBeginUser;
  if (!f) {
    status[0] = READ_OPEN;
    status[1] = errno;
    PetscFunctionReturn(0);
  }
  PetscCall(PetscMalloc1(cap + 1, bytes));
  while ((got = fread(*bytes + n, 1, cap - n, f)) > 0) {
    n += got;
    if (n < cap) continue;
    if (cap > INT_MAX / 2) {
      status[0] = READ_TOO_LARGE;
      break;
    }
    cap *= 2;
    PetscCall(PetscRealloc(cap + 1, bytes));
  }
  if (ferror(f)) {
    status[0] = READ_READ;
    status[1] = errno;
  }
  fclose(f);
  status[2] = (int)n;
  PetscFunctionReturn(0);
}

PetscErrorCode HavocReadFile(MPI_Comm comm, const char path[], const char what[], char **bytes, size_t *len)
{
  PetscMPIInt rank;
  int         status[3] = {READ_OK, 0, 0};

  PetscFunctionBeginUser;
  *bytes = NULL;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  if (!rank) PetscCall(ReadBytes(path, bytes, status));
  PetscCallMPI(MPI_Bcast(status, 3, MPI_INT, 0, comm));
  if (status[0] != READ_OK) PetscCall(PetscFree(*bytes));
  PetscCheck(status[0] != READ_OPEN, comm, PETSC_ERR_FILE_OPEN, "cannot open %s '%s': %s", what, path, strerror(status[1]));
  PetscCheck(status[0] != READ_READ, comm, PETSC_ERR_FILE_READ, "cannot read %s '%s': %s", what, path, strerror(status[1]));
  PetscCheck(status[0] != READ_TOO_LARGE, comm, PETSC_ERR_FILE_READ, "%s '%s' is larger than 1 GB", what, path);
  if (rank) PetscCall(PetscMalloc1(status[2] + 1, bytes));
  PetscCallMPI(MPI_Bcast(*bytes, status[2], MPI_CHAR, 0, comm));
  (*bytes)[status[2]] = 0;
  *len                = (size_t)status[2];
  PetscFunctionReturn(0);
}

PetscErrorCode HavocStrlcat(char s[], const char t[], size_t n)
{
  size_t len, add;

  PetscFunctionBeginUser;
  if (!t || !n) PetscFunctionReturn(0);
  len = strnlen(s, n);
  if (len + 1 >= n) PetscFunctionReturn(0);
  add = strnlen(t, n - 1 - len);
  memcpy(s + len, t, add);
  s[len + add] = 0;
  PetscFunctionReturn(0);
}

unsigned long long HavocHash(unsigned long long h, const char s[])
{
  for (; *s; s++) {
    h ^= (unsigned char)*s;
    h *= 1099511628211ULL;
  }
  return h;
}
