/* Shared by the libFuzzer targets: PETSc set up once per process, errors classified instead of printed.

   A user-input or file error is the expected answer to a bad input and stays quiet, so that nothing is
   printed per input. Any other PETSc error (a truncated buffer, memory corruption seen by PETSc, an
   argument out of range inside PETSc) means the parser let something through that it should have
   rejected with a message: it aborts, and libFuzzer records the input as a crash. */
#pragma once

#include "havoc.h"

#include <sanitizer/lsan_interface.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char fuzz_error[1024]; /* the message of the last user error, for a target's own checks */

static inline PetscErrorCode FuzzErrorHandler(MPI_Comm comm, int line, const char *fun, const char *file, PetscErrorCode n, PetscErrorType p, const char *mess, void *ctx)
{
  if (p == PETSC_ERROR_INITIAL) snprintf(fuzz_error, sizeof(fuzz_error), "%s", mess ? mess : "");
  if (n == PETSC_ERR_USER_INPUT || n == PETSC_ERR_USER || n == PETSC_ERR_FILE_OPEN || n == PETSC_ERR_FILE_READ || n == PETSC_ERR_FILE_UNEXPECTED) return n;
  fprintf(stderr, "fuzz: PETSc error %d that is not a user-input error, in %s() at %s:%d: %s\n", (int)n, fun ? fun : "?", file ? file : "?", line, mess ? mess : "");
  abort();
}

/* PETSc without the command line (libFuzzer's -flags are not PETSc options) and without PETSc's signal
   handlers, which would catch a crash before the sanitizers and libFuzzer see it. What OpenMPI allocates
   in MPI_Init and never frees is not the parsers' leak: the leak checker ignores it. */
static inline int FuzzInitialize(void)
{
  int   argc   = 2;
  char *args[] = {"fuzz", "-no_signal_handler", NULL}, **argv = args;
  int   rc;

  __lsan_disable();
  rc = PetscInitialize(&argc, &argv, NULL, NULL);
  __lsan_enable();
  if (rc) return 1;
  if (HavocRegisterAll()) return 1;
  if (PetscPushErrorHandler(FuzzErrorHandler, NULL)) return 1;
  return 0;
}

/* The input as a NUL-terminated string (the string readers stop at a NUL byte inside it). */
static inline char *FuzzString(const uint8_t *data, size_t size)
{
  char *text = malloc(size + 1);

  if (!text) abort();
  if (size) memcpy(text, data, size);
  text[size] = 0;
  return text;
}
