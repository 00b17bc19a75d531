/* Three-element Windkessel outlet: a proximal resistance R1 in series with a peripheral resistance R2
   that is parallel to a compliance C, draining to the venous pressure p_out (Westerhof et al. 1971;
   the outlet of the Boileau et al. 2015 benchmark). The capacitor pressure Pc is the 0D state:
       Q = (p - Pc) / R1,        C dPc/dt = Q - (Pc - p_out) / R2. */
#include "outlet.h"

#include <math.h>

enum { R1,
       R2,
       C,
       P_OUT };

static void WK3Solve(const HavocEnd *end, const PetscReal *param, const PetscReal *state, PetscReal W, PetscReal *A, PetscReal *Q, PetscBool *ok)
{
  /* Without compliance the two resistances are in series and there is no state. */
  if (param[C] == 0) HavocEndSolveResistive(end, W, param[R1] + param[R2], param[P_OUT], A, Q, ok);
  else HavocEndSolveResistive(end, W, param[R1], state[0], A, Q, ok);
}

/* Exact for a flow q held constant over the step: an exponential relaxation towards p_out + q R2, stable
   for any dt. */
static void WK3Advance(const PetscReal *param, PetscReal *state, PetscReal q, PetscReal dt)
{
  const PetscReal target = param[P_OUT] + q * param[R2];

  if (param[C] == 0) state[0] = target;
  else state[0] = target + (state[0] - target) * PetscExpReal(-dt / (param[R2] * param[C]));
}

static void WK3Init(const PetscReal *param, PetscReal *state, PetscReal p0)
{
  state[0] = p0;
}

/* In steady flow the capacitor carries no current: R1 and R2 in series. */
static void WK3Steady(const PetscReal *param, PetscReal *R, PetscReal *p_out, PetscBool *ok)
{
  *R     = param[R1] + param[R2];
  *p_out = param[P_OUT];
  *ok    = PETSC_TRUE;
}

const HavocOutletType HavocOutletWK3 = {
  .name   = "wk3",
  .help   = "three-element Windkessel: R1 in series with R2 parallel to C, to p_out",
  .nparam = 4,
  .param  = {
     {"R1", "Pa s m^-3", "proximal (characteristic) resistance", PETSC_TRUE, 0, 0, PETSC_INFINITY, PETSC_FALSE},
     {"R2", "Pa s m^-3", "peripheral resistance", PETSC_TRUE, 0, 0, PETSC_INFINITY, PETSC_TRUE},
     {"C", "m^3 Pa^-1", "compliance", PETSC_TRUE, 0, 0, PETSC_INFINITY, PETSC_FALSE},
     {"p_out", "Pa", "venous (outflow) pressure", PETSC_FALSE, 0, PETSC_NINFINITY, PETSC_INFINITY, PETSC_FALSE},
  },
  .nstate  = 1,
  .solve   = WK3Solve,
  .advance = WK3Advance,
  .init    = WK3Init,
  .steady  = WK3Steady,
};
