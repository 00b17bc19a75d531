/* Outlet models: what lies beyond a terminal vessel (a Windkessel, a resistance, a reflection).

   Each model lives in its own file (outlet_wk3.c, outlet_resistance.c, outlet_reflection.c) and is
   registered by name; a mesh file names the model of each terminal vessel and gives its parameters.
   The boundary state at the vessel end satisfies the model and the invariant W = u + 4 sign c that
   reaches the end from inside the vessel. */
#pragma once

#include "tubelaw.h"

#define HAVOC_OUTLET_MAXPARAM 6

/* A parameter of a pluggable model: its key, unit and admissible range. */
typedef struct {
  const char *name; /* key in the mesh file */
  const char *unit; /* SI unit; a bare number is read in it */
  const char *help;
  PetscBool   required;
  PetscReal   default_value; /* used when not required and absent */
  PetscReal   lo, hi;        /* admissible closed range */
  PetscBool   lo_open;       /* the range excludes lo (a strictly positive value) */
} HavocParamSpec;

/* The end of a vessel at a boundary node, in the tube law of that end. */
typedef struct {
  HavocTube tube;
  PetscReal rho;   /* blood density [kg m^-3] */
  PetscReal gamma; /* c = gamma A^{1/4} */
  PetscReal sign;  /* +1 at the vessel's x = L end, -1 at x = 0: the outward direction */
} HavocEnd;

typedef struct {
  const char    *name;
  const char    *help;
  PetscInt       nparam;
  HavocParamSpec param[HAVOC_OUTLET_MAXPARAM];
  PetscInt       nstate; /* lumped (0D) state variables carried by the outlet node */
  /* The boundary state (A, Q) given the outgoing invariant W, the parameters and the 0D state. On entry *A
     is a guess (the state of the last step) or 0. Returns PETSC_FALSE in *ok when there is no solution
     (the caller reports where and when). */
  void (*solve)(const HavocEnd *end, const PetscReal *param, const PetscReal *state, PetscReal W, PetscReal *A, PetscReal *Q, PetscBool *ok);
  /* Advances the 0D state over dt given the flow q leaving the network through this outlet. */
  void (*advance)(const PetscReal *param, PetscReal *state, PetscReal q, PetscReal dt);
  /* Sets the 0D state of a network at rest at pressure p0. */
  void (*init)(const PetscReal *param, PetscReal *state, PetscReal p0);
  /* The cycle-averaged (steady) equivalent: the outflow is (p - p_out) / R, with R in [0, inf] (0 holds the
     end at p_out, inf closes it). *ok = PETSC_FALSE when the model has no steady equivalent. */
  void (*steady)(const PetscReal *param, PetscReal *R, PetscReal *p_out, PetscBool *ok);
} HavocOutletType;

PETSC_EXTERN PetscErrorCode HavocOutletRegister(const HavocOutletType *type);
/* Looks a model up by name; *index < 0 when unknown. */
PETSC_EXTERN PetscErrorCode HavocOutletFind(const char name[], PetscInt *index);
PETSC_EXTERN PetscErrorCode HavocOutletGet(PetscInt index, const HavocOutletType **type);
/* A comma-separated list of the registered names, for messages. */
PETSC_EXTERN PetscErrorCode HavocOutletList(char buf[], size_t len);

/* The registered models. */
PETSC_EXTERN const HavocOutletType HavocOutletWK3;
PETSC_EXTERN const HavocOutletType HavocOutletResistance;
PETSC_EXTERN const HavocOutletType HavocOutletReflection;

/* Inlets: the flow q into the network, or the pressure p, prescribed at a vessel end (*A: a guess or 0). */
PETSC_EXTERN void HavocEndSolveFlow(const HavocEnd *end, PetscReal W, PetscReal q, PetscReal *A, PetscReal *Q, PetscBool *ok);
PETSC_EXTERN void HavocEndSolvePressure(const HavocEnd *end, PetscReal W, PetscReal p, PetscReal *A, PetscReal *Q, PetscBool *ok);

/* Shared by the models: solves sign*Q(s) = (p(s) - p_out)/R for s = A^{1/4} on the outgoing invariant
   (R = 0 imposes p = p_out); *A: a guess or 0. */
PETSC_EXTERN void HavocEndSolveResistive(const HavocEnd *end, PetscReal W, PetscReal R, PetscReal p_out, PetscReal *A, PetscReal *Q, PetscBool *ok);
