/* The havoc front end: one function per subcommand (cmd_*.c), dispatched by main.c. */
#pragma once

#include "havoc.h"

#include <stdio.h>

#define HAVOC_MAX_ARGS 32

/* Arguments of a subcommand: positional words and its own "--flag value" pairs. Everything that starts
   with a single dash goes to the PETSc options database instead. */
typedef struct {
  const char *command;
  int         npos;
  const char *pos[HAVOC_MAX_ARGS];
  int         nflag;
  const char *flag[HAVOC_MAX_ARGS];
  const char *value[HAVOC_MAX_ARGS];
} HavocArgs;

/* The value of --name, or NULL. */
const char *HavocArgsFlag(const HavocArgs *args, const char name[]);

PETSC_EXTERN PetscErrorCode HavocCmdRun(MPI_Comm comm, const HavocArgs *args);
PETSC_EXTERN PetscErrorCode HavocCmdMesh(MPI_Comm comm, const HavocArgs *args);
PETSC_EXTERN PetscErrorCode HavocCmdProbe(MPI_Comm comm, const HavocArgs *args);
/* A probe waveform of result file path as CSV t_s,p_Pa,q_m3s,a_m2 on out: vessel name, fraction at (NULL:
   0.5), cycle cyc (NULL: all; "last" or a number, time from 0); full: 17 digits (else 9 and 12). Serial. */
PETSC_EXTERN PetscErrorCode HavocProbeWriteCsv(FILE *out, const char path[], const char name[], const char at[], const char cyc[], PetscBool full);
PETSC_EXTERN PetscErrorCode HavocCmdCalibrate(MPI_Comm comm, const HavocArgs *args);
PETSC_EXTERN PetscErrorCode HavocCmdAssay(MPI_Comm comm, const HavocArgs *args);
PETSC_EXTERN PetscErrorCode HavocCmdSweep(MPI_Comm comm, const HavocArgs *args);
/* post-processing (postproc/src): read a run's files only */
PETSC_EXTERN PetscErrorCode HavocCmdExport(MPI_Comm comm, const HavocArgs *args);
PETSC_EXTERN PetscErrorCode HavocCmdRender(MPI_Comm comm, const HavocArgs *args);
PETSC_EXTERN PetscErrorCode HavocCmdReport(MPI_Comm comm, const HavocArgs *args);
PETSC_EXTERN PetscErrorCode HavocCmdCompare(MPI_Comm comm, const HavocArgs *args);
