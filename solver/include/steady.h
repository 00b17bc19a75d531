/* Steady: the cycle-averaged (quasi-steady) network flow of the chronic phase, docs/model.md "Steady
   network".

   Per vessel the mean flow Q (from x = 0 to x = L) obeys the momentum balance without inertia and
   convection, h(0) - h(L) = R Q for the head h = p + rho phi (phi: the gravitational potential of the
   Network's posture; h = p without gravity), with the Poiseuille-type resistance of the pulsatile solver's
   friction law (rigid lumen at the reference pressure, or, with -steady_compliant, the lumen of the tube
   law at the local pressure) plus an extra series resistance (an occlusion; PETSC_INFINITY blocks the
   vessel). Nodes conserve mass and share one head; outlets drain through their model's steady equivalent
   to their outlet pressure at their own height (HavocOutletType.steady); inlets prescribe the mean flow
   or the mean pressure, times their scale.

   The unknowns live on a DMNetwork of the same graph as the pulsatile Network, distributed so that every
   rank owns the same vessels in both (vertex dof: the node head; edge dof: the vessel flow). The
   system is solved with SNES (Newton, analytic Jacobian; LU with MUMPS by default). Parts of the network
   that no flow can reach (cut off by blocked vessels with no outlet or pressure inlet of their own) get
   zero flow and the pressure of the node across the blocked vessel that leads towards the open network. */
#pragma once

#include "checkpoint.h"
#include "network.h"

#include <petscsnes.h>

typedef struct _p_Steady *Steady;

/* net must be set up (NetworkSetUp) and outlive the solver; its mesh, vessel ownership and gravity are
   used. Collective. */
PETSC_EXTERN PetscErrorCode SteadyCreate(Network net, Steady *s);
/* Options with the prefix "steady_": the physics (with units) and the SNES, KSP and PC. */
PETSC_EXTERN PetscErrorCode SteadySetFromOptions(Steady s);
PETSC_EXTERN PetscErrorCode SteadySetUp(Steady s);
/* Reads (and with -help lists) the options of a steady solver without creating one. */
PETSC_EXTERN PetscErrorCode SteadyHelp(MPI_Comm comm);
/* Blood density [kg m^-3], viscosity [Pa s] and a velocity-profile exponent for every vessel (negative:
   each vessel's own zeta). */
PETSC_EXTERN PetscErrorCode SteadySetBlood(Steady s, PetscReal rho, PetscReal mu, PetscReal zeta_override);
/* Every inlet prescribes value * its scale: a mean inflow [m^3/s] or, with pressure, a mean pressure [Pa]. */
PETSC_EXTERN PetscErrorCode SteadySetInlet(Steady s, PetscBool pressure, PetscReal value);
/* Extra series resistance [Pa s m^-3] of a vessel (mesh index): an occlusion. PETSC_INFINITY blocks the
   vessel; 0 clears it. Takes effect at the next SteadySolve. Not collective, but every rank must set the
   same values. */
PETSC_EXTERN PetscErrorCode SteadySetVesselResistance(Steady s, PetscInt vessel, PetscReal R);
/* Reads the outlets' parameters from the mesh again (after they were changed, e.g. by calibration). */
PETSC_EXTERN PetscErrorCode SteadyOutletsChanged(Steady s);
/* The lumen from the tube law at the local pressure (nonlinear), or the rigid reference lumen (default). */
PETSC_EXTERN PetscErrorCode SteadySetCompliant(Steady s, PetscBool compliant);
/* Solves from the last solution (or from rest). Collective. */
PETSC_EXTERN PetscErrorCode SteadySolve(Steady s);
/* Every vessel's flow (from x = 0 to x = L) [m^3/s] and the pressure at its two ends [Pa], on every rank,
   in mesh order. The arrays belong to the solver and hold the last solution. */
/* The last solution (the next solve's start) into a checkpoint (write true) or back from it
   (checkpoint.h). */
PETSC_EXTERN PetscErrorCode SteadyCheckpoint(Steady s, HavocCheckpoint ck, PetscBool write);
PETSC_EXTERN PetscErrorCode SteadyGetSolution(Steady s, const PetscReal **Q, const PetscReal **p0, const PetscReal **pL);
/* The lumen area [m^2] of a vessel (mesh index) at its midpoint in the last solution: the reference lumen
   (rigid), or the tube law's lumen at the mean of the pressures at its two ends (compliant). For mean
   velocities. Not collective. */
PETSC_EXTERN PetscErrorCode SteadyGetMidArea(Steady s, PetscInt vessel, PetscReal *A);
/* Newton iterations of the last SteadySolve (with -steady_compliant from rest, the rigid start included). */
PETSC_EXTERN PetscErrorCode SteadyGetIterations(Steady s, PetscInt *its);
/* The nonlinear solver (prefix "steady_"), e.g. for monitors and convergence histories. */
PETSC_EXTERN PetscErrorCode SteadyGetSNES(Steady s, SNES *snes);
PETSC_EXTERN PetscErrorCode SteadyDestroy(Steady *s);

/* The viscous resistance [Pa s m^-3] of a rigid vessel of linearly tapering radius at friction rho K_R [Pa s]:
   rho K_R / pi^2 int_0^L dx / r(x)^4. */
PETSC_EXTERN PetscReal SteadyRigidResistance(const HavocMeshVessel *v, PetscReal rhoKR);
