/* Shared by the Check unit tests: run a suite in the process (MPI and PETSc do not survive fork) and
   report the number of failures. */
#pragma once

#include <check.h>

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
