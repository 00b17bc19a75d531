/* Case files: YAML whose nested keys are havoc (and PETSc) options.

   {hemo: {cfl: 0.9}} sets -hemo_cfl 0.9; a list of scalars becomes a comma-separated value; an empty
   value is a flag. Options given on the command line win over the case file. Values of path options (a
   key named mesh, table, file or dir, or ending in _mesh, _table, _file or _dir) that are relative are
   taken relative to the case file. The file and line of every option are remembered, so that an option
   nothing used is reported where it was written (HavocOptionsCheckUnused). */
#pragma once

#include "havoc.h"

/* Rank 0 reads the file, every rank parses the same bytes. */
PETSC_EXTERN PetscErrorCode HavocCaseLoad(MPI_Comm comm, const char path[]);
/* Same, from text, as if read from the file `label` (tests). */
PETSC_EXTERN PetscErrorCode HavocCaseLoadString(MPI_Comm comm, const char label[], const char text[]);
/* Removes every option a case file set (tests that run several cases in one process). */
PETSC_EXTERN PetscErrorCode HavocCaseClear(void);
/* Where an option came from: "case.yaml:12", or NULL if from the command line. */
PETSC_EXTERN const char *HavocCaseOrigin(const char option[]);
