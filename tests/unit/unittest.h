/* Shared by the Check unit tests: run a suite in the process (MPI and PETSc do not survive fork) and
   report the number of failures. */
#pragma once

#include <check.h>
#include <petscsys.h>
#include <stdio.h>

/* The message of the last error raised while capturing (HavocCaptureBegin ... HavocCaptureEnd). */
static char captured[4096] __attribute__((unused));

/* Stores the message instead of printing it, so the tests can check it and stderr stays empty. */
static inline PetscErrorCode Capture(MPI_Comm comm, int line, const char *fun, const char *file, PetscErrorCode n, PetscErrorType p, const char *mess, void *ctx)
{
  if (p == PETSC_ERROR_INITIAL) snprintf(captured, sizeof(captured), "%s", mess ? mess : "");
  return n;
}

static inline PetscErrorCode HavocCaptureBegin(void)
{
  captured[0] = 0;
  return PetscPushErrorHandler(Capture, NULL);
}

/* Ends the capture and gives back what the captured call returned. */
static inline PetscErrorCode HavocCaptureEnd(PetscErrorCode ierr)
{
  return PetscPopErrorHandler() ? 1 : ierr;
}

static inline int HavocRunSuite(Suite *suite)
{
  SRunner *sr = srunner_create(suite);
  int      failed;

  srunner_set_fork_status(sr, CK_NOFORK);
  srunner_run_all(sr, CK_NORMAL);
  failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed;
}
