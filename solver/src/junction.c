/* N-way junction solver: Newton on (u_1..u_n, P) with the arrow-shaped Jacobian eliminated exactly. */
#include "junction.h"

/* s = A^{1/4} on the outgoing invariant */
static inline PetscReal EndS(const HavocEnd *e, PetscReal W, PetscReal u)
{
  return e->sign * (W - u) / (4 * e->gamma);
}

/* The same with the coefficient sign / (4 gamma) precomputed, in the Newton loop. */
static inline PetscReal EndSc(PetscReal coef, PetscReal W, PetscReal u)
{
  return coef * (W - u);
}

static inline PetscReal EndHead(const HavocJunction *J, const HavocEnd *e, PetscReal u, PetscReal s)
{
  const PetscReal p = e->tube.pr + e->tube.K * (s * s - e->tube.sqrtAr);
  return J->total_pressure ? p + 0.5 * e->rho * u * u : p;
}

void HavocJunctionResidual(const HavocJunction *J, const PetscReal W[], const PetscReal u[], PetscReal *pmax, PetscReal *mass)
{
  PetscReal head[HAVOC_MAX_DEGREE], mean = 0, m = 0;

  for (PetscInt k = 0; k < J->n; k++) {
    const PetscReal s = EndS(&J->end[k], W[k], u[k]);
    head[k]           = EndHead(J, &J->end[k], u[k], s);
    mean += head[k] / J->n;
    m += J->end[k].sign * u[k] * s * s * s * s;
  }
  *pmax = 0;
  for (PetscInt k = 0; k < J->n; k++)
    *pmax = PetscMax(*pmax, PetscAbsReal(head[k] - mean));
  *mass = m;
}

PetscInt HavocJunctionSolve(const HavocJunction *J, const HavocJunctionTol *tol, const PetscReal W[], PetscReal u[], PetscReal A[], PetscReal Q[])
{
  const PetscInt n = J->n;
  PetscReal      f[HAVOC_MAX_DEGREE], idg[HAVOC_MAX_DEGREE], dm[HAVOC_MAX_DEGREE], s[HAVOC_MAX_DEGREE], coef[HAVOC_MAX_DEGREE];
  PetscReal      P = 0;
  PetscInt       it;
  PetscBool      ok = PETSC_FALSE;

  for (PetscInt k = 0; k < n; k++) {
    const HavocEnd *e = &J->end[k];
    if (!(EndS(e, W[k], u[k]) > 0)) u[k] = 0;
    if (!(EndS(e, W[k], u[k]) > 0)) u[k] = W[k] - 4 * e->sign * e->gamma * PetscSqrtReal(e->tube.sqrtAr);
    P += EndHead(J, e, u[k], EndS(e, W[k], u[k])) / n;
    coef[k] = e->sign / (4 * e->gamma);
  }
  for (it = 0; it < tol->maxit; it++) {
    PetscReal h = 0, hscale = 0, num, den = 0, fmax = 0, theta = 1;
    for (PetscInt k = 0; k < n; k++) {
      const HavocEnd *e  = &J->end[k];
      const PetscReal sk = EndSc(coef[k], W[k], u[k]), s3 = sk * sk * sk, dsdu = -coef[k];
      s[k]   = sk;
      f[k]   = EndHead(J, e, u[k], sk) - P;
      idg[k] = 1 / (2 * e->tube.K * sk * dsdu + (J->total_pressure ? e->rho * u[k] : 0));
      dm[k]  = e->sign * (s3 * sk + 4 * u[k] * s3 * dsdu);
      h += e->sign * u[k] * s3 * sk;
      hscale += PetscAbsReal(u[k] * s3 * sk);
      fmax = PetscMax(fmax, PetscAbsReal(f[k]));
    }
    /* Converged when every equation is within its tolerance or at round-off. The round-off floor of the
       mass residual is what conservation needs (about 1e-14 of the flows), and Newton reaches it in one
       more step than any looser tolerance. */
    ok = (PetscBool)(fmax <= PetscMax(tol->ptol, 64 * PETSC_MACHINE_EPSILON * PetscAbsReal(P)) && PetscAbsReal(h) <= PetscMax(tol->qtol, 64 * PETSC_MACHINE_EPSILON * hscale));
    if (ok) break;
    num = -h;
    for (PetscInt k = 0; k < n; k++) {
      num += dm[k] * f[k] * idg[k];
      den += dm[k] * idg[k];
    }
    if (!(den != 0)) return -1;
    {
      const PetscReal dP = num / den;
      PetscReal       du[HAVOC_MAX_DEGREE];
      for (PetscInt k = 0; k < n; k++) {
        const PetscReal ds = -coef[k] * (du[k] = (dP - f[k]) * idg[k]);
        if (s[k] + theta * ds < 0.5 * s[k]) theta = -0.5 * s[k] / ds; /* keep every lumen open */
      }
      for (PetscInt k = 0; k < n; k++)
        u[k] += theta * du[k];
      P += theta * dP;
    }
  }
  if (!ok) return -1;
  for (PetscInt k = 0; k < n; k++) {
    const PetscReal sk = EndSc(coef[k], W[k], u[k]);
    A[k]               = sk * sk * sk * sk;
    Q[k]               = u[k] * A[k];
    if (!(A[k] > 0) || PetscIsInfOrNanReal(Q[k])) return -1;
  }
  return it;
}
