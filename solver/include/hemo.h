/* Hemo: the pulsatile (acute-phase) blood-flow solver on a Network.

   One explicit step (HemoStep), docs/model.md "Numerics":
     1. every local vessel predicts the half-step states of its end faces and the outgoing invariants;
     2. the invariants are exchanged through the junction slots (NetworkExchangeSlots);
     3. every rank that holds a junction solves it (redundantly and identically on every such rank), and
        the inlets and outlets are solved by the rank of their vessel;
     4. every local vessel sweeps: fluxes, update, friction (and the viscoelastic step);
     5. the outlet 0D states advance; the next step follows from the CFL condition, reduced over all ranks.
   A non-positive area, a non-finite value or a junction that does not converge stops the run on every
   rank with one message naming the vessel or node, the position and the time. */
#pragma once

#include "checkpoint.h"
#include "flux.h"
#include "junction.h"
#include "network.h"
#include "posture.h"
#include "waveform.h"

typedef struct _p_Hemo *Hemo;
typedef PetscErrorCode (*HemoMonitorFn)(Hemo, void *);
/* Called for every local vessel lv after its update in a step of length dt: extra sources and drag in its
   cells (the gel of a bolus). */
typedef PetscErrorCode (*HemoCellHookFn)(Hemo, PetscInt lv, PetscReal dt, void *);

#define HEMO_MAX_MONITORS 8

/* What a vessel end sees from its boundary or junction solve of the last step. */
typedef struct {
  PetscReal A, Q; /* state at the end face, at the half step */
} HemoEndState;

struct _p_Hemo {
  MPI_Comm  comm;
  HavocMesh mesh;
  Network   net;

  /* blood and physics */
  PetscReal        rho, mu;
  PetscReal        p0;      /* initial pressure of the network at rest, at the height of the frame origin */
  HavocPosture     posture; /* gravity: the solver carries the head p + rho phi, see docs/model.md */
  PetscReal        zeta;    /* velocity-profile exponent for every vessel; < 0: each vessel's own */
  PetscBool        total_pressure;
  HavocJunctionTol jtol;

  /* scheme */
  char         flux[32];
  HavocSweepFn sweep;
  HavocLimiter limiter;
  PetscReal    cfl;
  HavocKernel  kernel;

  /* inlet */
  PetscBool     inlet_pressure; /* the waveform is a pressure (else a flow into the network) */
  HavocWaveform inlet;

  /* run control */
  PetscReal t_end;      /* 0: run whole cycles of the inlet period */
  PetscInt  max_cycles; /* when t_end is 0 */
  PetscBool stop;       /* set by a monitor (e.g. periodic state reached) */
  PetscBool pause;      /* set by a monitor: HemoSolve returns after this step (to write a checkpoint) and, called again, continues exactly as if it had not */

  /* state */
  Vec          Xl, Xg;
  PetscScalar *x; /* local array during a step */
  PetscReal    t, dt, dt_next;
  PetscInt     step;
  PetscInt     jstatic;                                       /* junction solves on this rank that fell back to static pressure continuity */
  HavocVessel *kv;                                            /* kernel views of the local vessels */
  PetscReal   *gamma_visc;                                    /* per local vessel */
  HemoEndState (*ends)[2];                                    /* per local vessel, x = 0 and x = L */
  PetscReal (*W)[2];                                          /* outgoing invariants of the current step */
  HavocJunction *junction;                                    /* per local vertex (junctions only) */
  PetscReal (*ju)[HAVOC_MAX_DEGREE];                          /* junction velocities of the last step */
  PetscReal (*ju_prev)[HAVOC_MAX_DEGREE];                     /* ... and of the step before: the warm start extrapolates */
  PetscReal (*jA)[HAVOC_MAX_DEGREE], (*jQ)[HAVOC_MAX_DEGREE]; /* junction solutions */
  PetscReal *kv_pool;                                         /* per-face wave-speed and flux coefficients of the local vessels */
  PetscReal *q_last;                                          /* per local vertex: last outflow of an outlet */
  PetscReal (*oparam)[HAVOC_OUTLET_MAXPARAM];                 /* per local vertex: outlet parameters, pressures as heads */
  PetscReal vol_in, vol_out;                                  /* cumulative boundary volumes on this rank [m^3] */

  HemoCellHookFn cell_hook;
  void          *cell_hook_ctx;
  HemoMonitorFn  monitor[HEMO_MAX_MONITORS];
  void          *monitor_ctx[HEMO_MAX_MONITORS];
  PetscInt       nmonitor;
  PetscBool      setup;
};

PETSC_EXTERN PetscErrorCode HemoCreate(MPI_Comm comm, Hemo *hemo);
/* The mesh stays owned by the caller and must outlive the solver. */
PETSC_EXTERN PetscErrorCode HemoSetMesh(Hemo hemo, HavocMesh mesh);
PETSC_EXTERN PetscErrorCode HemoSetFromOptions(Hemo hemo);
PETSC_EXTERN PetscErrorCode HemoSetUp(Hemo hemo);
PETSC_EXTERN PetscErrorCode HemoStep(Hemo hemo);
/* Steps until t_end (or max_cycles periods) or until a monitor stops the run. */
PETSC_EXTERN PetscErrorCode HemoSolve(Hemo hemo);
PETSC_EXTERN PetscErrorCode HemoMonitorAdd(Hemo hemo, HemoMonitorFn fn, void *ctx);
PETSC_EXTERN PetscErrorCode HemoSetCellHook(Hemo hemo, HemoCellHookFn fn, void *ctx);
PETSC_EXTERN PetscErrorCode HemoDestroy(Hemo *hemo);
/* The solver's state (every cell, the vertex and outlet states, the junctions' warm starts, the time and
   the step) into a checkpoint, and back into a solver set up for the same case on the same ranks. */
PETSC_EXTERN PetscErrorCode HemoCheckpointWrite(Hemo hemo, HavocCheckpoint ck);
PETSC_EXTERN PetscErrorCode HemoCheckpointRead(Hemo hemo, HavocCheckpoint ck);

/* The end time of the run: t_end, or max_cycles periods of the inlet. */
PETSC_EXTERN PetscErrorCode HemoGetStopTime(Hemo hemo, PetscReal *t_stop);
/* Volume of blood in all vessels [m^3]; collective. */
PETSC_EXTERN PetscErrorCode HemoGetVolume(Hemo hemo, PetscReal *volume);
/* Cumulative volume in through the inlets and out through the outlets since t = 0 [m^3]; collective. */
PETSC_EXTERN PetscErrorCode HemoGetBoundaryVolumes(Hemo hemo, PetscReal *in, PetscReal *out);
/* Pressure, flow and area of local vessel lv at fraction f of its length: at f = 0 or 1 the state of the
   end face (at the half step, *half = TRUE), else linear between cell centres (at the step, FALSE). Not
   collective; call between steps. */
PETSC_EXTERN void HemoVesselSample(Hemo hemo, PetscInt lv, PetscReal f, PetscReal *p, PetscReal *q, PetscReal *A, PetscBool *half);
/* The head p + rho phi [Pa] in cell c of local vessel lv; c = -1 and c = M give the end faces' state. */
PETSC_EXTERN PetscReal HemoHead(Hemo hemo, PetscInt lv, PetscInt c);
/* Pressure [Pa] in cell c of local vessel lv (the head minus rho phi). */
PETSC_EXTERN PetscReal HemoCellPressure(Hemo hemo, PetscInt lv, PetscInt c);
/* Sets every cell of the local vessels from a function of (vessel, x): for tests and initial data. */
PETSC_EXTERN PetscErrorCode HemoSetState(Hemo hemo, void (*fn)(const HavocMeshVessel *, PetscReal x, PetscReal *A, PetscReal *Q, void *), void *ctx);
