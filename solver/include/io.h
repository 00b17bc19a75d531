/* HavocResult: the result file of a run (result.h5), written collectively with parallel HDF5.

   Layout (docs/formats.md, "Results"): /network (vessel names, nodes, geometry, cell counts), /probes
   (time series at fixed fractions of every vessel), /fields (every cell at chosen times), attributes
   with the units of every dataset, the havoc version and the full option set. Rows are keyed by the
   vessel's index in the mesh and cells by their position in mesh order, never by the distribution, so
   the file is the same whatever the number of ranks. The caller opens the file under a temporary name
   and renames it when the run has succeeded (HavocTempPath, HavocCommitPath). */
#pragma once

#include "mesh.h"

#include <jansson.h>
#include <stdio.h>

typedef struct _p_HavocResult *HavocResult;

PETSC_EXTERN PetscErrorCode HavocResultCreate(MPI_Comm comm, const char path[], HavocResult *r);
PETSC_EXTERN PetscErrorCode HavocResultClose(HavocResult *r);
/* Reopens a result file written up to a checkpoint: HavocResultProbesCreate and HavocResultFieldsCreate
   then open the existing series and append after their rows. */
PETSC_EXTERN PetscErrorCode HavocResultOpen(MPI_Comm comm, const char path[], HavocResult *r);
/* Everything written so far to disk (collective): the file can then be copied. */
PETSC_EXTERN PetscErrorCode HavocResultFlush(HavocResult r);

/* A string attribute of the root group. */
PETSC_EXTERN PetscErrorCode HavocResultSetAttribute(HavocResult r, const char name[], const char value[]);
PETSC_EXTERN PetscErrorCode HavocResultSetAttributeReal(HavocResult r, const char name[], PetscReal value, const char units[]);

/* /network: the mesh and its discretization (ncells and first-cell offsets per vessel). */
PETSC_EXTERN PetscErrorCode HavocResultWriteNetwork(HavocResult r, HavocMesh mesh, const PetscInt ncells[], const PetscInt cell_offsets[], const PetscReal dx[]);

/* /probes: series of p, q and A at nfrac fractions of every vessel; period is the inlet period (0 if none). */
PETSC_EXTERN PetscErrorCode HavocResultProbesCreate(HavocResult r, PetscInt nvessels, PetscInt nfrac, const PetscReal frac[], PetscReal period);
/* Appends nt samples. vessel[] are the mesh indices of this rank's nlocal vessels, ascending; p, q and a
   are laid out [nt][nlocal][nfrac]. Collective. */
PETSC_EXTERN PetscErrorCode HavocResultProbesAppend(HavocResult r, PetscInt nt, const PetscReal t[], PetscInt nlocal, const PetscInt vessel[], const PetscReal p[], const PetscReal q[], const PetscReal a[]);

/* /fields: nfields values of every cell (/fields/<name>, [time][cell], with its units) at chosen times. */
#define HAVOC_MAX_FIELDS 8
PETSC_EXTERN PetscErrorCode HavocResultFieldsCreate(HavocResult r, PetscInt ncells_total, PetscInt nfields, const char *const names[], const char *const units[]);
/* Appends one time, data[k] the values of field k. This rank's vessels (ascending) own cells
   [offset[i], offset[i] + count[i]); the values are concatenated in that order. Collective. */
PETSC_EXTERN PetscErrorCode HavocResultFieldsAppend(HavocResult r, PetscReal t, PetscInt nlocal, const PetscInt offset[], const PetscInt count[], const PetscReal *const data[]);

/* /steady: the steady network solution, every vessel's flow and end pressures in mesh order (the same
   arrays on every rank). Collective. */
PETSC_EXTERN PetscErrorCode HavocResultWriteSteady(HavocResult r, PetscInt nvessels, const PetscReal Q[], const PetscReal p0[], const PetscReal pL[], PetscInt iterations);

/* /bolus: the slug trajectory record (one row per slug and record time: t, id, vessel, xa, xb, volume,
   state) and the gel in every terminal bed with the bed's capillary volume (mesh order). Every rank passes
   the same arrays. Collective. */
/* /tissue: the report times and nmaps stacks of maps [nt][my][mx] of the face map, each rank writing its
   block (xs, ys, xm, ym); data[k] holds nt blocks of ym rows of xm values. */
PETSC_EXTERN PetscErrorCode HavocResultWriteTissue(HavocResult r, PetscInt nt, const PetscReal times[], PetscReal dx, const PetscReal origin[2], PetscInt mx, PetscInt my, PetscInt xs, PetscInt ys, PetscInt xm, PetscInt ym, PetscInt nmaps, const char *const names[], const char *const units[], const PetscReal *const data[]);
PETSC_EXTERN PetscErrorCode HavocResultWriteBolus(HavocResult r, PetscInt nrows, const PetscReal t[], const PetscInt id[], const PetscInt vessel[], const PetscReal xa[], const PetscReal xb[], const PetscReal V[], const PetscInt state[], PetscInt nvessels, const PetscReal bed[], const PetscReal capillary[]);
/* A small real array [n0] (n1 = 0) or [n0][n1] in group (created if missing), from rank 0's data; with a
   units attribute. Collective. */
PETSC_EXTERN PetscErrorCode HavocResultWriteArray(HavocResult r, const char group[], const char name[], PetscInt n0, PetscInt n1, const PetscReal data[], const char units[]);

/* Reading (serial, for `havoc probe` and the tests). */
typedef struct {
  PetscInt nvessels, nfrac, nt;
  char (*names)[HAVOC_NAME_LEN];
  PetscReal *frac, *t;
  PetscReal  period;
} HavocProbeIndex;

PETSC_EXTERN PetscErrorCode HavocProbeIndexRead(const char path[], HavocProbeIndex *index);
PETSC_EXTERN PetscErrorCode HavocProbeIndexFree(HavocProbeIndex *index);
/* The series of vessel at fraction index for samples [t0, t0 + nt): p, q, a each [nt] (NULL: not read). */
PETSC_EXTERN PetscErrorCode HavocProbeRead(const char path[], PetscInt vessel, PetscInt ifrac, PetscInt t0, PetscInt nt, PetscReal p[], PetscReal q[], PetscReal a[]);

/* A number for summary.json: null for inf or nan (JSON has neither). */
PETSC_EXTERN json_t *HavocJsonReal(PetscReal x);
/* The value at a dot path of a JSON document ("tissue.territories.3.necrotic_cm2"; a number indexes an
   array), or NULL. */
PETSC_EXTERN json_t *HavocJsonPath(json_t *root, const char path[]);
/* Writes s as one CSV field: quoted (quotes doubled) when it holds a comma, a quote or a newline. */
PETSC_EXTERN void HavocCsvText(FILE *f, const char s[]);
/* Writes a JSON value as one CSV field: numbers to 17 digits (round trip), true/false, text as above,
   an object or array as its compact JSON, null (or NULL) as an empty field. */
PETSC_EXTERN void HavocCsvJson(FILE *f, json_t *v);
