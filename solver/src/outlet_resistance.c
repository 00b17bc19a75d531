/* Pure resistance outlet: Q = (p - p_out) / R. */
#include "outlet.h"

enum { R,
       P_OUT };

static void ResistanceSolve(const HavocEnd *end, const PetscReal *param, const PetscReal *state, PetscReal W, PetscReal *A, PetscReal *Q, PetscBool *ok)
{
  HavocEndSolveResistive(end, W, param[R], param[P_OUT], A, Q, ok);
}

static void ResistanceSteady(const PetscReal *param, PetscReal *R_out, PetscReal *p_out, PetscBool *ok)
{
  *R_out = param[R];
  *p_out = param[P_OUT];
  *ok    = PETSC_TRUE;
}

const HavocOutletType HavocOutletResistance = {
  .name   = "resistance",
  .help   = "pure resistance R to p_out",
  .nparam = 2,
  .param  = {
     {"R", "Pa s m^-3", "resistance", PETSC_TRUE, 0, 0, PETSC_INFINITY, PETSC_TRUE},
     {"p_out", "Pa", "outflow pressure", PETSC_FALSE, 0, PETSC_NINFINITY, PETSC_INFINITY, PETSC_FALSE},
  },
  .nstate = 0,
  .solve  = ResistanceSolve,
  .steady = ResistanceSteady,
};
