/* Reflection-coefficient outlet: the incoming invariant is the reflection of the outgoing one about the
   reference state of the tube law,  W_in - W_in,r = -Rt (W_out - W_out,r),  W_r = -+ 4 c(A_r).
   Rt = 0 absorbs every wave; Rt = 1 is a closed end (u = 0, pressure doubled); Rt = -1 an open end. */
#include "outlet.h"

static void ReflectionSolve(const HavocEnd *end, const PetscReal *param, const PetscReal *state, PetscReal W, PetscReal *A, PetscReal *Q, PetscBool *ok)
{
  const PetscReal sg = end->sign, g = end->gamma;
  const PetscReal cr     = g * PetscSqrtReal(end->tube.sqrtAr); /* wave speed at A_r: gamma A_r^{1/4} */
  const PetscReal Wout_r = 4 * sg * cr, Win_r = -4 * sg * cr;
  const PetscReal Win = Win_r - param[0] * (W - Wout_r);
  const PetscReal u = 0.5 * (W + Win), c = sg * (W - Win) / 8, s = c / g;

  *ok = PETSC_FALSE;
  if (!(s > 0)) return;
  *A  = s * s * s * s;
  *Q  = u * *A;
  *ok = PETSC_TRUE;
}

/* A reflection coefficient describes waves only: it says nothing about where the mean flow goes. */
static void ReflectionSteady(const PetscReal *param, PetscReal *R, PetscReal *p_out, PetscBool *ok)
{
  *R     = 0;
  *p_out = 0;
  *ok    = PETSC_FALSE;
}

const HavocOutletType HavocOutletReflection = {
  .name   = "reflection",
  .help   = "reflection coefficient Rt of the outgoing wave (0: absorbing, 1: closed end)",
  .nparam = 1,
  .param  = {
     {"Rt", "", "reflection coefficient", PETSC_TRUE, 0, -1, 1, PETSC_FALSE},
  },
  .nstate = 0,
  .solve  = ReflectionSolve,
  .steady = ReflectionSteady,
};
