/* HLL flux (Harten, Lax and van Leer 1983) with Davis's wave-speed estimates: the two-wave approximate
   Riemann solver. The formula is in kernel.h (HavocRiemann), where it is inlined into the face loop. */
#include "kernel.h"

void HavocRiemannHLL(PetscReal AL, PetscReal qL, PetscReal uL, PetscReal cL, PetscReal PL, PetscReal AR, PetscReal qR, PetscReal uR, PetscReal cR, PetscReal PR, PetscReal *F1, PetscReal *F2, PetscReal *speed)
{
  HavocRiemann(HAVOC_FLUX_HLL, AL, qL, uL, cL, PL, AR, qR, uR, cR, PR, F1, F2, speed);
}

HavocSweepResult HavocSweepHLL(const HavocKernel *k, HavocVessel *v, PetscReal dt, const PetscReal Ab[2], const PetscReal Qb[2])
{
  return HavocSweepTemplate(HAVOC_FLUX_HLL, k, v, dt, Ab, Qb);
}
