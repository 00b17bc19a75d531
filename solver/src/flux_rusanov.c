/* Rusanov (local Lax-Friedrichs) flux: central flux plus dissipation at the largest local signal speed.
   The formula is in kernel.h (HavocRiemann), where it is inlined into the face loop. */
#include "kernel.h"

void HavocRiemannRusanov(PetscReal AL, PetscReal qL, PetscReal uL, PetscReal cL, PetscReal PL, PetscReal AR, PetscReal qR, PetscReal uR, PetscReal cR, PetscReal PR, PetscReal *F1, PetscReal *F2, PetscReal *speed)
{
  HavocRiemann(HAVOC_FLUX_RUSANOV, AL, qL, uL, cL, PL, AR, qR, uR, cR, PR, F1, F2, speed);
}

HavocSweepResult HavocSweepRusanov(const HavocKernel *k, HavocVessel *v, PetscReal dt, const PetscReal Ab[2], const PetscReal Qb[2])
{
  return HavocSweepTemplate(HAVOC_FLUX_RUSANOV, k, v, dt, Ab, Qb);
}
