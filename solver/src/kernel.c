/* The parts of the finite-volume kernel shared by every flux: scratch, the predictor (whose end faces
   feed the junction solvers), the viscoelastic step and the flux registry. */
#include "kernel.h"

const char *const HavocLimiters[] = {"minmod", "mc", "vanleer", "superbee", "none", "HavocLimiter", "HAVOC_LIMITER_", NULL};

static PetscFunctionList flux_list;

PetscErrorCode HavocFluxRegisterAll(void)
{
  PetscFunctionBeginUser;
  PetscCall(PetscFunctionListAdd(&flux_list, "hll", HavocSweepHLL));
  PetscCall(PetscFunctionListAdd(&flux_list, "rusanov", HavocSweepRusanov));
  PetscFunctionReturn(0);
}

PetscErrorCode HavocFluxFinalize(void)
{
  PetscFunctionBeginUser;
  PetscCall(PetscFunctionListDestroy(&flux_list));
  PetscFunctionReturn(0);
}

PetscErrorCode HavocFluxGetList(PetscFunctionList *list)
{
  PetscFunctionBeginUser;
  *list = flux_list;
  PetscFunctionReturn(0);
}

PetscErrorCode HavocKernelCreate(PetscReal rho, HavocLimiter limiter, PetscInt mmax, HavocKernel *k)
{
  PetscFunctionBeginUser;
  k->rho     = rho;
  k->limiter = limiter;
  k->mmax    = PetscMax(mmax, 1);
  PetscCall(PetscCalloc1(HAVOC_KERNEL_NWORK * (k->mmax + 2), &k->work));
  PetscFunctionReturn(0);
}

PetscErrorCode HavocKernelDestroy(HavocKernel *k)
{
  PetscFunctionBeginUser;
  PetscCall(PetscFree(k->work));
  PetscFunctionReturn(0);
}

/* One instantiation of the predictor per limiter: the limiter is a constant inside each loop. */
void HavocKernelPredict(const HavocKernel *k, HavocVessel *v, PetscReal dt, PetscReal W[2])
{
  switch (k->limiter) {
  case HAVOC_LIMITER_MINMOD:
    HavocPredictTemplate(HAVOC_LIMITER_MINMOD, k, v, dt, W);
    break;
  case HAVOC_LIMITER_MC:
    HavocPredictTemplate(HAVOC_LIMITER_MC, k, v, dt, W);
    break;
  case HAVOC_LIMITER_VANLEER:
    HavocPredictTemplate(HAVOC_LIMITER_VANLEER, k, v, dt, W);
    break;
  case HAVOC_LIMITER_SUPERBEE:
    HavocPredictTemplate(HAVOC_LIMITER_SUPERBEE, k, v, dt, W);
    break;
  default:
    HavocPredictTemplate(HAVOC_LIMITER_NONE, k, v, dt, W);
  }
}

/* Backward Euler in time, centred in space, Thomas algorithm; the boundary flows sit half a cell from the
   end-cell centres. */
void HavocKernelViscous(const HavocKernel *k, HavocVessel *v, PetscReal gamma_visc, PetscReal dt, const PetscReal Qb[2])
{
  const PetscInt  M = v->M, stride = k->mmax + 2;
  PetscReal      *nu = k->work, *a = nu + stride, *b = a + stride, *c = b + stride, *d = c + stride;
  const PetscReal h2 = v->dx * v->dx;

  for (PetscInt j = 0; j <= M; j++) {
    const PetscReal Af  = j == 0 ? v->A[0] : j == M ? v->A[M - 1]
                                                    : 0.5 * (v->A[j - 1] + v->A[j]);
    const PetscReal Arf = v->sqrtArf[j] * v->sqrtArf[j];
    nu[j]               = gamma_visc / (Arf * PetscSqrtReal(Af));
  }
  for (PetscInt i = 0; i < M; i++) {
    const PetscReal r  = dt * v->A[i] / (k->rho * h2);
    const PetscReal wl = (i == 0 ? 2 : 1) * nu[i], wr = (i == M - 1 ? 2 : 1) * nu[i + 1];
    a[i] = i == 0 ? 0 : -r * wl;
    c[i] = i == M - 1 ? 0 : -r * wr;
    b[i] = 1 + r * (wl + wr);
    d[i] = v->Q[i] + (i == 0 ? r * wl * Qb[0] : 0) + (i == M - 1 ? r * wr * Qb[1] : 0);
  }
  for (PetscInt i = 1; i < M; i++) {
    const PetscReal m = a[i] / b[i - 1];
    b[i] -= m * c[i - 1];
    d[i] -= m * d[i - 1];
  }
  v->Q[M - 1] = d[M - 1] / b[M - 1];
  for (PetscInt i = M - 2; i >= 0; i--)
    v->Q[i] = (d[i] - c[i] * v->Q[i + 1]) / b[i];
}
