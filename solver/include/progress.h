/* Progress of a long run on stderr: simulated time, steps per second, time left. Printed by rank 0 at
   most twice a second, only when stderr is a terminal and -quiet is not set. */
#pragma once

#include "hemo.h"

typedef struct {
  PetscBool      on;
  PetscLogDouble start, last;
  PetscReal      t0, t_stop;
  PetscInt       step0;
  int            width; /* characters of the last line, to overwrite it */
} HavocProgress;

PETSC_EXTERN PetscErrorCode HavocProgressStart(HavocProgress *p, Hemo hemo, PetscBool quiet);
/* A HemoMonitorFn; ctx is the HavocProgress. */
PETSC_EXTERN PetscErrorCode HavocProgressMonitor(Hemo hemo, void *ctx);
PETSC_EXTERN PetscErrorCode HavocProgressEnd(HavocProgress *p);
