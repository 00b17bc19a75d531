/* HemoProbes: time series of pressure, flow and area at fixed fractions of every vessel, sampled at
   fixed times, and the periodic-state detector built on them.

   Samples fall on a regular grid in time (a whole number per inlet period), interpolated linearly between
   solver steps, so series are comparable across runs, meshes and rank counts. Interior points come from
   the cell states at the step; the ends (fractions 0 and 1) from the boundary and junction states, which
   live at the half step. At the end of every cycle the largest RMS change of the pressure series since the
   previous cycle is measured; below -hemo_periodic_tol the run has reached its periodic state. */
#pragma once

#include "hemo.h"
#include "io.h"

#define HAVOC_MAX_FRACTIONS 16

typedef struct _p_HemoProbes *HemoProbes;

/* Statistics per vessel and fraction over the last complete cycle (or the whole run if none); the U
   statistics are of the cross-sectional mean velocity Q/A. */
enum {
  PROBE_MEAN_P,
  PROBE_MIN_P,
  PROBE_MAX_P,
  PROBE_MEAN_Q,
  PROBE_MIN_Q,
  PROBE_MAX_Q,
  PROBE_MEAN_U,
  PROBE_MIN_U,
  PROBE_MAX_U,
  PROBE_NSTAT
};

PETSC_EXTERN PetscErrorCode HemoProbesCreate(Hemo hemo, HemoProbes *probes);
PETSC_EXTERN PetscErrorCode HemoProbesSetFromOptions(HemoProbes probes);
/* Registers the probes as a monitor of the solver; result may be NULL, then every sample is kept in
   memory (HemoProbesGetSeries). */
PETSC_EXTERN PetscErrorCode HemoProbesSetUp(HemoProbes probes, HavocResult result);
/* Emits the samples up to the final time and flushes them. Collective. */
/* The sampling state (the last levels, the samples not yet written, the cycle statistics and the
   periodic test) into a checkpoint, and back into probes set up for the same case. */
PETSC_EXTERN PetscErrorCode HemoProbesCheckpointWrite(HemoProbes probes, HavocCheckpoint ck);
PETSC_EXTERN PetscErrorCode HemoProbesCheckpointRead(HemoProbes probes, HavocCheckpoint ck);
PETSC_EXTERN PetscErrorCode HemoProbesFinish(HemoProbes probes);
PETSC_EXTERN PetscErrorCode HemoProbesDestroy(HemoProbes *probes);

PETSC_EXTERN PetscErrorCode HemoProbesGetFractions(HemoProbes probes, PetscInt *nfrac, const PetscReal **frac);
/* Cycles completed, whether the periodic state was reached, and the last cycle-to-cycle change [Pa]. */
PETSC_EXTERN PetscErrorCode HemoProbesGetPeriodic(HemoProbes probes, PetscInt *cycles, PetscBool *reached, PetscReal *change);
/* On rank 0, stats[(vessel * nfrac + f) * PROBE_NSTAT + k] for every mesh vessel; NULL elsewhere. The
   caller frees. Collective. */
PETSC_EXTERN PetscErrorCode HemoProbesGetStats(HemoProbes probes, PetscReal **stats);
/* In-memory series of a local vessel (mesh index) at fraction index f: t is owned by the probes, p, q and a
   are allocated here and freed by the caller with PetscFree3(p, q, a). Only without a result file; *n = 0
   if the vessel is not on this rank. */
PETSC_EXTERN PetscErrorCode HemoProbesGetSeries(HemoProbes probes, PetscInt vessel, PetscInt f, PetscInt *n, const PetscReal **t, PetscReal **p, PetscReal **q, PetscReal **a);
