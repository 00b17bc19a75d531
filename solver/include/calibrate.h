/* Calibration of the outlets of a network to a healthy state (havoc calibrate).

   A calibration file (docs/formats.md, "Calibration files") gives the mean inflow of each inlet, the mean
   pressure the inlets should have, the mean outflow wanted from some terminal vessels (the others share
   what is left in proportion to the cube of their terminal radius, Murray's law) and the time constant
   of the peripheral beds. The steady network solver (steady.h) is iterated: each terminal's total
   resistance is corrected by the ratio of its flow to its target, and all are scaled together to bring
   the inlet pressure to its target, until both agree within a tolerance. Each wk3 outlet then gets
   R1 = the characteristic impedance rho c / A of its vessel's end (at most half the total), R2 = the
   rest, C = time constant / total resistance; a resistance outlet gets the total.

   The file also lists checks of the healthy state (a vessel's mean flow, mean or peak velocity, or the
   ratio of its mean pressure to the inlet's, within a published range); they are reported for the
   calibrated steady state, and `havoc calibrate FILE -check SUMMARY.json` evaluates them on a run (the
   periodic pulsatile state of the healthy face in the test suite). */
#pragma once

#include "mesh.h"
#include "posture.h"

typedef enum {
  HAVOC_CHECK_FLOW,          /* mean flow [m^3/s] */
  HAVOC_CHECK_VELOCITY,      /* mean of the cross-sectional mean velocity [m/s] */
  HAVOC_CHECK_PEAK_VELOCITY, /* peak centreline velocity over a cycle, as a Doppler's PSV [m/s]; pulsatile only */
  HAVOC_CHECK_PRESSURE_RATIO /* mean pressure over the mean pressure of the inlets [1] */
} HavocCheckKind;

typedef struct {
  char           name[HAVOC_NAME_LEN];
  char           vessel[HAVOC_NAME_LEN];
  HavocCheckKind kind;
  PetscReal      lo, hi; /* SI */
  char           source[256];
  PetscInt       line;
} HavocCheck;

typedef struct {
  char      vessel[HAVOC_NAME_LEN];
  PetscReal flow; /* target mean outflow [m^3/s] */
  char      source[256];
  PetscInt  line;
} HavocTarget;

typedef struct _p_HavocCalibration *HavocCalibration;
struct _p_HavocCalibration {
  char         path[PETSC_MAX_PATH_LEN];
  char         network[PETSC_MAX_PATH_LEN]; /* resolved relative to the calibration file */
  PetscReal    inflow;                      /* mean inflow of each inlet, before its scale [m^3/s] */
  PetscReal    pressure;                    /* target mean pressure at the inlets [Pa] */
  PetscReal    tau;                         /* time constant R_total C of the peripheral beds [s] */
  PetscReal    rho, mu, zeta;               /* blood and friction, as in the runs (zeta < 0: the vessels') */
  PetscBool    compliant;                   /* steady lumen from the tube law (as the pulsatile state) */
  HavocPosture posture;                     /* gravity, as in the runs that use the network */
  PetscReal    rtol;                        /* relative tolerance on every flow and on the pressure */
  PetscInt     maxit;
  PetscBool    variant; /* the network is a variant of the file's (a sampled patient): targets and checks of
                           vessels it lacks are skipped instead of being errors */
  PetscInt     ntargets, nchecks;
  HavocTarget *targets;
  HavocCheck  *checks;
};

PETSC_EXTERN PetscErrorCode HavocCalibrationRead(MPI_Comm comm, const char path[], HavocCalibration *cal);
/* Parses text as if it were the file `label` (its directory resolves the network's path). */
PETSC_EXTERN PetscErrorCode HavocCalibrationReadString(MPI_Comm comm, const char label[], const char text[], HavocCalibration *cal);
PETSC_EXTERN PetscErrorCode HavocCalibrationDestroy(HavocCalibration *cal);

/* Calibrates the outlets of mesh in place (the mesh must be the calibration's network, or a variant of it
   with the same target vessels). Prints a report to viewer (may be NULL). Collective. */
PETSC_EXTERN PetscErrorCode HavocCalibrate(MPI_Comm comm, HavocCalibration cal, HavocMesh mesh, PetscViewer viewer);

/* A state to check, per vessel in mesh order: mean flow [m^3/s], mean pressure [Pa], mean velocity and
   peak centreline velocity [m/s] (peak NULL: a steady state, whose peak checks are skipped), and the
   mean pressure of the inlets. */
typedef struct {
  const PetscReal *flow, *pressure, *velocity, *peak;
  PetscReal        p_in;
  PetscReal       *owned; /* what HavocCheckStateDestroy frees */
} HavocCheckState;

/* Evaluates the checks on a state; prints each beside its range to viewer (may be NULL) and returns how
   many fail and how many were evaluated. */
PETSC_EXTERN PetscErrorCode HavocCalibrationCheck(HavocCalibration cal, HavocMesh mesh, const HavocCheckState *state, PetscViewer viewer, PetscInt *nfail, PetscInt *nchecked);
/* Reads the state of a run from its summary.json (docs/formats.md) for the vessels of mesh, matched by
   name; free the arrays with HavocCheckStateDestroy. Collective. */
PETSC_EXTERN PetscErrorCode HavocCheckStateReadSummary(MPI_Comm comm, const char path[], HavocMesh mesh, HavocCheckState *state);
PETSC_EXTERN PetscErrorCode HavocCheckStateDestroy(HavocCheckState *state);
