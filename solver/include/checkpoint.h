/* Checkpoints: the whole state of a run on disk, so that `havoc run --restart DIR` continues it and
   reproduces the uninterrupted run bit for bit (on the same rank count). docs/checkpoint.md.

   Layout under the output directory DIR:
     DIR/checkpoint            a symbolic link to the last complete checkpoint, replaced atomically
     DIR/checkpoint-N/         one checkpoint: manifest.json (rank 0), rank-R.bin (every rank, its own
                               part of the state as named binary records), result.h5 (the result file
                               as it was at that step)
   A checkpoint is written into a new checkpoint-N and becomes current only when every rank has written
   its part, so a run killed while writing one keeps the previous checkpoint.

   Signals: while a run is inside HavocSignalsPush/Pop, SIGTERM and SIGINT (what a cluster sends at a
   time limit, and Ctrl-C) only set a flag; the run polls it collectively (HavocSignalAgree), writes a
   checkpoint and stops with HAVOC_ERR_INTERRUPTED, which the front end turns into exit code 3. */
#pragma once

#include "havoc.h"

/* The PETSc error code of an interrupted run (a checkpoint was written; exit code HAVOC_EXIT_INTERRUPTED). */
#define HAVOC_ERR_INTERRUPTED PETSC_ERR_SIG

typedef struct _p_HavocCheckpoint *HavocCheckpoint;

/* What manifest.json holds. */
typedef struct {
  char      phase[32];   /* where the run continues: pulsatile, acute, chronic, tissue */
  char      reason[256]; /* interval, SIGTERM, SIGINT, end of the flow phases, or a numerical fault's message */
  PetscBool fault;       /* written at a numerical fault, for diagnosis: cannot be continued */
  PetscInt  ranks, step; /* MPI ranks of the run; solver steps done */
  PetscReal t;           /* simulated time [s] */
  PetscReal wall;        /* wall time of the flow phases so far [s] */
  char      cwd[PETSC_MAX_PATH_LEN];
  char      case_path[PETSC_MAX_PATH_LEN]; /* as given on the command line, relative to cwd */
  char      args[4096];                    /* the command line's options, as JSON [[name, value or null], ...] */
  char      options_hash[32];              /* of every option of the run, after the case file */
} HavocCheckpointInfo;

/* Writing: Begin (collective) creates DIR/checkpoint-N and opens this rank's file; Write appends a
   record; CopyFile copies a file into the checkpoint (rank 0); Commit (collective) closes the files,
   writes the manifest and makes this checkpoint the current one. Abort removes an unfinished one. */
PETSC_EXTERN PetscErrorCode HavocCheckpointBegin(MPI_Comm comm, const char dir[], HavocCheckpoint *ck);
PETSC_EXTERN PetscErrorCode HavocCheckpointWrite(HavocCheckpoint ck, const char name[], const void *data, size_t bytes);
PETSC_EXTERN PetscErrorCode HavocCheckpointCopyFile(HavocCheckpoint ck, const char src[], const char name[]);
PETSC_EXTERN PetscErrorCode HavocCheckpointCommit(HavocCheckpoint *ck, const HavocCheckpointInfo *info);
/* Begin a checkpoint that extends the current one: every rank's file starts with its records up to the
   first one named mark (all of them if there is none), then the empty record mark, and the result file
   is the current one's (a checkpoint of the tissue phase keeps the state of the end of the flow phases
   and appends its own after the mark). */
PETSC_EXTERN PetscErrorCode HavocCheckpointExtend(MPI_Comm comm, const char dir[], const char mark[], HavocCheckpoint *ck);

/* Reading: the manifest of DIR's current checkpoint (collective, every rank gets it); Open opens this
   rank's file; Read reads the next record, which must have this name and size; Path gives the path of a
   file in the checkpoint. */
PETSC_EXTERN PetscErrorCode HavocCheckpointReadInfo(MPI_Comm comm, const char dir[], HavocCheckpointInfo *info);
PETSC_EXTERN PetscErrorCode HavocCheckpointOpen(MPI_Comm comm, const char dir[], HavocCheckpoint *ck);
PETSC_EXTERN PetscErrorCode HavocCheckpointRead(HavocCheckpoint ck, const char name[], void *data, size_t bytes);
/* Skips past the first record named mark (an error if there is none): the next Read is the first record
   HavocCheckpointExtend's caller wrote. */
PETSC_EXTERN PetscErrorCode HavocCheckpointSkipPast(HavocCheckpoint ck, const char mark[]);
/* Write (write true) or Read a record: one function can describe a state for both directions. */
PETSC_EXTERN PetscErrorCode HavocCheckpointRecord(HavocCheckpoint ck, PetscBool write, const char name[], void *data, size_t bytes);
/* Rank 0 copies the checkpoint's file name to dst (collective). */
PETSC_EXTERN PetscErrorCode HavocCheckpointCopyOut(MPI_Comm comm, const char dir[], const char name[], const char dst[]);
PETSC_EXTERN PetscErrorCode HavocCheckpointPath(HavocCheckpoint ck, const char name[], char path[], size_t len);
PETSC_EXTERN PetscErrorCode HavocCheckpointClose(HavocCheckpoint *ck);
/* Removes DIR's checkpoints (rank 0; collective). */
PETSC_EXTERN PetscErrorCode HavocCheckpointRemove(MPI_Comm comm, const char dir[]);

/* Signals */
PETSC_EXTERN PetscErrorCode HavocSignalsPush(void);
PETSC_EXTERN PetscErrorCode HavocSignalsPop(void);
/* The signal any rank of comm has received (0: none). Collective. */
PETSC_EXTERN PetscErrorCode HavocSignalAgree(MPI_Comm comm, int *sig);
/* The signal this rank has received (0: none); not collective. */
PETSC_EXTERN int HavocSignalPending(void);
