/* Post-processing: what `havoc export`, `havoc render`, `havoc report` and `havoc compare` read. They work
   from the files a run writes (DIR/result.h5 and DIR/summary.json, docs/formats.md), never from the
   solver's memory, and run on rank 0 only. */
#pragma once

#include "havoc.h"

#include <hdf5.h>
#include <jansson.h>

/* A run opened for reading. */
typedef struct {
  char    dir[PETSC_MAX_PATH_LEN];
  char    h5path[PETSC_MAX_PATH_LEN];   /* DIR/result.h5 */
  char    jsonpath[PETSC_MAX_PATH_LEN]; /* DIR/summary.json */
  hid_t   file;                         /* result.h5, or -1 if the run has none */
  json_t *summary;                      /* summary.json, or NULL if the run has none */
  /* the network (/network), every array in network-file order */
  PetscInt nv, nc, nn; /* vessels, cells in all, nodes */
  char (*name)[64];    /* vessel names [nv] */
  char (*territory)[64];
  PetscInt  *cells;  /* cells of each vessel [nv] */
  PetscInt  *offset; /* first cell of each vessel in /fields [nv] */
  PetscReal *points; /* cell boundaries in the face frame [m], [nc + nv][3]: vessel i's are
                        points[3 (offset[i] + i + k)], k = 0 .. cells[i] (NULL for an old file) */
} HavocPost;

/* Opens DIR (a run's output directory). need: "h5", "json" or "both": which files must be there; an
   error names the file that is missing or unreadable. */
PETSC_EXTERN PetscErrorCode HavocPostOpen(const char dir[], const char need[], HavocPost *p);
PETSC_EXTERN PetscErrorCode HavocPostClose(HavocPost *p);

/* Whether result.h5 holds the dataset or group at path (e.g. "/tissue/zone"). */
PETSC_EXTERN PetscBool HavocPostHas(const HavocPost *p, const char path[]);
/* The shape of a dataset: *ndims (at most 4) and dims. */
PETSC_EXTERN PetscErrorCode HavocPostShape(const HavocPost *p, const char path[], int *ndims, hsize_t dims[]);
/* Reads a whole numeric dataset as doubles into a new array (free with PetscFree); n: its element count. */
PETSC_EXTERN PetscErrorCode HavocPostRead(const HavocPost *p, const char path[], PetscReal **data, hsize_t *n);
/* Reads slab k of the first dimension of a dataset (a snapshot of a [time][...] stack) as doubles into a
   new array of prod(dims[1..]) values (free with PetscFree). */
PETSC_EXTERN PetscErrorCode HavocPostReadSlab(const HavocPost *p, const char path[], hsize_t k, PetscReal **data, hsize_t *n);
/* A string attribute of the object at path ("/" for the root), into buf; "" if it has none. */
PETSC_EXTERN PetscErrorCode HavocPostAttribute(const HavocPost *p, const char path[], const char name[], char buf[], size_t len);
/* A real attribute; *found false if it has none. */
PETSC_EXTERN PetscErrorCode HavocPostAttributeReal(const HavocPost *p, const char path[], const char name[], PetscReal *value, PetscBool *found);
/* The index of a vessel by name, -1 if none. */
PETSC_EXTERN PetscInt HavocPostVessel(const HavocPost *p, const char name[]);

/* Writes the XDMF description of p's result.h5 to path (atomically), naming the data file by its base
   name (the XDMF file belongs beside it): the network over the /fields snapshots, the face map over the
   tissue's report times; *ngrids: how many of the two the run has. */
PETSC_EXTERN PetscErrorCode HavocPostWriteXdmf(const HavocPost *p, const char path[], PetscInt *ngrids);

/* The HTML report (report.c): writes the page of the run in dir to out with at most max_frames pictures on
   the time slider; gives the frames drawn and the page's size [bytes]. */
PETSC_EXTERN PetscErrorCode HavocReportWrite(const char dir[], const char out[], PetscInt max_frames, PetscInt *nframes, size_t *bytes);
